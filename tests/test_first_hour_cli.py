"""A new user's first hour on the command line (issue 13): what goes wrong is said plainly.

An empty or missing store is an error naming it and the commands that fill it; query
text is taken as text; syntax errors point into the user's own text with a hint; canned
query names are suggested only when close; countries can be named; output ends with a
newline.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from qs_data import expected_gaps, query_store

from hsfhs.cli import cli


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture()
def fresh_home(tmp_path, monkeypatch):
    """A user with no store anywhere: HOME elsewhere, no HSFHS_* settings."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("HSFHS_STORE", "HSFHS_ENDPOINT", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home" / ".local" / "share" / "hsfhs" / "store"


@pytest.mark.parametrize(
    "args",
    [
        ["gaps", "--country", "KEN", "--function", "detect"],
        ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
        ["query", "--named", "frameworks"],
        ["check", "--no-reasoner"],
    ],
)
def test_the_default_store_missing_is_an_error_naming_it_and_how_to_fill_it(fresh_home, args):
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert f"the store {fresh_home} does not exist" in result.output
    assert "neither --store nor $HSFHS_STORE is set" in result.output
    assert "hsfhs build && hsfhs load --bundled" in result.output
    assert "(0 rows)" not in result.output and "no country with ISO3" not in result.output


def test_an_empty_store_directory_names_the_commands_for_that_directory(fresh_home, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("query", "--store", str(empty), "ASK {}")
    assert result.exit_code == 1
    assert f"the store {empty} is empty: it was never built (given by --store)" in result.output
    assert f"hsfhs build --store {empty} && hsfhs load --store {empty} --bundled" in result.output


def test_a_store_in_the_current_directory_is_pointed_out(fresh_home, tmp_path):
    import shutil

    shutil.copytree(query_store(), tmp_path / "store")
    result = run("gaps", "--country", "NGA", "--function", "detect")
    assert result.exit_code == 1
    assert "There is a store in ./store: use it with --store store." in result.output
    assert run("gaps", "--store", "store", "--country", "NGA", "--function", "detect").exit_code == 0


def test_a_long_query_is_text_not_a_file_name():
    padding = " # " + "x" * 400  # longer than any file name the system allows
    result = run("query", "--store", str(query_store()), "--format", "csv",
                 "SELECT ?n WHERE { id:level\\/3 hsfhs:levelNumber ?n }" + padding)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", "3"]


def test_a_missing_rq_file_is_a_usage_error(tmp_path):
    result = run("query", "--store", str(query_store()), str(tmp_path / "nope.rq"))
    assert result.exit_code == 2 and "no such query file" in result.output


def test_syntax_errors_point_into_the_users_text_with_a_hint():
    store = str(query_store())
    # line 2 of what the user wrote, not line 14 of the text with the prefixes before it
    result = run("query", "--store", store, "SELECT ?x\nWHERE { ?x a foo:Bar }")
    assert result.exit_code == 1
    assert "SPARQL syntax error: line 2, column" in result.output
    assert "the prefix foo: is not declared" in result.output
    assert "u{00C0}" not in result.output  # no Unicode ranges
    slash = run("query", "--store", store, "SELECT ?x WHERE { ?x hsfhs:framework id:framework/spar2 }")
    assert "line 1, column" in slash.output
    assert "write id:framework\\/spar2 instead of id:framework/spar2" in slash.output
    typo = run("query", "--store", store, "SELECT * WHERE { ?s ?p ?o } LIMT 3")
    assert "LIMT is not a SPARQL keyword: did you mean LIMIT?" in typo.output


def test_named_query_suggestions_are_close_or_the_whole_list():
    store = str(query_store())
    nope = run("query", "--store", store, "--named", "nope")
    assert nope.exit_code == 1
    assert "did you mean" not in nope.output and "compare?" not in nope.output
    assert "the canned queries are action-plan, alignment," in nope.output
    assert "did you mean gaps?" in run("query", "--store", store, "--named", "gap").output
    assert "did you mean action-plan?" in run("query", "--store", store, "--named", "action_plan").output


def test_json_and_n_triples_end_with_a_newline():
    store = str(query_store())
    construct = "CONSTRUCT { ?f a hsfhs:PreparednessFunction } WHERE { ?f a hsfhs:PreparednessFunction }"
    for fmt, query in (("json", construct), ("csv", construct), ("json", "SELECT ?f WHERE { ?f a hsfhs:PreparednessFunction }"), ("json", "ASK {}")):
        out = run("query", "--store", store, "--format", fmt, query).stdout
        assert out.endswith("\n") and not out.endswith("\n\n"), (fmt, query, out[-40:])
    assert json.loads(run("query", "--store", store, "--format", "json", "ASK {}").stdout) == {
        "head": {}, "boolean": True}


@pytest.mark.parametrize(("name", "iso3"), [("Nigeria", "NGA"), ("Côte d'Ivoire", "CIV"),
                                            ("Turkey", "TUR"), ("nga", "NGA")])
def test_gaps_by_country_name(name, iso3):
    result = run("gaps", "--store", str(query_store()), "--country", name, "--function", "detect",
                 "--year", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["country"] == iso3
    if name != "nga":
        assert f"'{name}' was read as {iso3}" in " ".join(answer["assumptions"])
    if iso3 == "NGA":
        assert {g["code"] for g in answer["gaps"]} == set(expected_gaps("Nigeria", "detect"))


def test_a_mistyped_code_suggests_the_countries_it_is_closest_to():
    result = run("gaps", "--store", str(query_store()), "--country", "NGR", "--function", "detect")
    assert result.exit_code == 1
    close = result.output.split("close matches: ", 1)[1]
    assert {close.split(", ")[0], close.split(", ")[1]} == {"NGA (Nigeria)", "NER (Niger)"}
