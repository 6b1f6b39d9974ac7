"""Canned queries: headers, typed parameters, data-driven defaults, and that each one runs.

The store is the real catalogue plus the real 2022 e-SPAR file (tests/qs_data.py); the
queries run on it directly (no service), as ``hsfhs query --named`` runs them.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from qs_data import ID, espar_rows, expected_gaps, query_store, spar2_dependencies
from rdflib import Literal, URIRef

from hsfhs.cli import cli
from hsfhs.query_service.gaps import gaps as compute_gaps
from hsfhs.query_service.named_queries import bind, run_named
from hsfhs.query_service.params import TYPES, NotFoundError, ParamError
from hsfhs.query_service.query_files import (
    get_query,
    load_queries,
    parse_examples,
    parse_query_file,
)
from hsfhs.store import EmbeddedStore


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore(query_store())


def test_every_query_has_a_title_and_typed_params():
    queries = load_queries()
    assert {
        "gaps",
        "action-plan",
        "unmet-indicators",
        "country-profile",
        "capacity",
        "capacity-countries",
        "compare",
        "region-blockers",
        "frameworks",
        "alignment",
        "function-capacities",
    } <= set(queries)
    for query in queries.values():
        assert query.title and query.description, query.name
        for p in query.params:
            assert p.type in TYPES, (query.name, p)
            assert p.required or p.default is not None or p.type in ("function", "year"), (
                query.name,
                p.name,
            )


def test_header_parsing():
    query = parse_query_file(
        "x",
        "# title: T\n# description: a: b\n"
        "# param country: iso3 required -- the country\n"
        "# param year: year optional default=latest\n"
        "# example: country=NGA\nSELECT * WHERE { ?s ?p ?o }\n",
    )
    assert query.title == "T" and query.description == "a: b"
    assert [(p.name, p.type, p.required, p.default) for p in query.params] == [
        ("country", "iso3", True, None),
        ("year", "year", False, "latest"),
    ]
    assert query.examples == ("country=NGA",)
    with pytest.raises(ValueError):
        parse_query_file("bad", "# title: T\n# param x: nosuchtype required\nSELECT * {}")


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_canned_query_runs_with_its_example(store, name):
    query = get_query(name)
    raw = parse_examples(query.examples[0]) if query.examples else {}
    bound, rows = run_named(name, raw, store)
    assert rows.rows, f"{name} answered nothing for {raw}"
    assert set(bound.bindings) >= set(raw)


@pytest.mark.parametrize(
    ("type_", "value", "term"),
    [
        ("iso3", "nga", URIRef(ID + "country/NGA")),
        ("function", "detect", URIRef(ID + "function/detect")),
        (
            "year",
            "2022",
            Literal("2022", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
        ),
        ("framework", "spar2", URIRef(ID + "framework/spar2")),
        ("region", "AFRO", URIRef(ID + "region/AFRO")),
        ("capacity", "spar2/C5", URIRef(ID + "spar2/C5")),
        ("capacity", ID + "jee3/PoE", URIRef(ID + "jee3/PoE")),
        ("level", "3", Literal(3)),
        ("iri", ID + "spar2/C5.1", URIRef(ID + "spar2/C5.1")),
    ],
)
def test_types_turn_values_into_terms(type_, value, term):
    assert TYPES[type_].parse("p", value) == term


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("iso3", "NGA> } ; DROP ALL ; #"),
        ("iso3", "NG"),
        ("function", "detekt"),
        ("function", "Detect"),  # exactly as the OpenAPI enum: case-sensitive
        ("region", "afro"),
        ("year", " 2022"),
        ("year", "٢٠٢٢"),
        ("capacity", "SPAR2/C5"),
        ("year", "22"),
        ("year", '2022" .'),
        ("framework", "spar3"),
        ("depth", "0"),
        ("depth", "4"),
        ("depth", "one"),
        ("disease", "measles"),
        ("region", "EUR"),
        ("capacity", "spar2/C5> ?p ?o"),
        ("capacity", "spar9/C5"),
        ("level", "6"),
        ("iri", "http://example.org/x"),
        ("iri", ID + "spar2/C5> } #"),
        ("iri", ID + "../../etc"),
    ],
)
def test_bad_values_are_refused(type_, value):
    with pytest.raises(ParamError) as err:
        TYPES[type_].parse("p", value)
    assert err.value.status == 400


def test_bad_function_lists_the_choices(store):
    with pytest.raises(ParamError) as err:
        bind(get_query("gaps"), {"country": "NGA", "function": "detekt"}, store)
    assert err.value.extensions["choices"] == ["prevent", "detect", "respond"]


def test_unknown_country_is_404_with_close_matches(store):
    with pytest.raises(NotFoundError) as err:
        bind(get_query("gaps"), {"country": "NGX", "function": "detect"}, store)
    assert err.value.status == 404
    assert "NGA" in err.value.extensions["suggestions"]


def test_unknown_parameter_is_refused(store):
    with pytest.raises(ParamError, match="unknown parameter"):
        bind(get_query("gaps"), {"country": "NGA", "function": "detect", "yaer": "2022"}, store)


def test_year_defaults_to_the_latest_and_unknown_years_are_404(store):
    bound = bind(get_query("gaps"), {"country": "NGA", "function": "detect"}, store)
    assert bound.resolved == {"year": "2022", "framework": "spar2"}
    with pytest.raises(NotFoundError) as err:
        bind(get_query("gaps"), {"country": "NGA", "function": "detect", "year": "2019"}, store)
    assert err.value.extensions["years"] == ["2018", "2022"]
    assert "2022" in err.value.detail
    with pytest.raises(NotFoundError, match="no jee3 scores"):
        bind(
            get_query("gaps"), {"country": "NGA", "function": "detect", "framework": "jee3"}, store
        )


class CountingRunner:
    """The store, counting the queries it is asked (to see what a request repeats)."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store, self.asked = store, 0

    def select(self, sparql, bindings=None):
        self.asked += 1
        return self.store.select(sparql, bindings)


def test_a_request_resolves_its_country_year_and_framework_once(store):
    """A later query takes the request's settled terms: no lookup, no check, no years read."""
    runner = CountingRunner(store)
    first = bind(get_query("action-plan"), {"country": "Nigeria"}, runner)
    asked = runner.asked
    later = bind(get_query("gaps"), {"function": "detect"}, runner, first.settled())
    assert runner.asked == asked
    explicit = bind(get_query("gaps"), {"country": "NGA", "function": "detect",
                                        **first.resolved}, store)
    assert later.bindings == explicit.bindings
    assert later.resolved == first.resolved == {"year": "2022", "framework": "spar2"}
    assert later.assumptions == first.assumptions
    assert any("'Nigeria' was read as NGA" in a for a in later.assumptions)
    # a profile of every year takes the country alone, and the year is not bound
    profile = bind(get_query("country-profile"), {}, runner, first.settled("country"))
    assert runner.asked == asked and set(profile.bindings) == {"country"}
    # a capacity the request has not checked is checked, its years read, as if the request
    # had begun there
    with pytest.raises(NotFoundError):
        bind(get_query("capacity-countries"), {"capacity": "spar2/C99"}, runner, first.settled())
    below = bind(get_query("capacity-countries"), {"capacity": "spar2/C5"}, runner,
                 first.settled("year"))
    assert str(below.bindings["year"]) == "2022" and runner.asked > asked


def test_gaps_match_the_hand_computation(store):
    answer = compute_gaps(store, {"country": "NGA", "function": "detect"})
    got = {g["code"]: {"relation": g["relation"], "score": g["score"], "level": g["level"]}
           for g in answer["gaps"]}
    assert got == expected_gaps("Nigeria", "detect")
    # checked by hand against the TSV row: C14 (Chemical events) 20 %, level 1; the other
    # Detect capacities (C4 60, C5 70, C6 70, C11 60, C15 80) and what they depend on for
    # detection (C4, C5, C6) are at level 3 or more
    assert got == {"C14": {"relation": "direct", "score": 20, "level": 1}}
    assert answer["gaps"][0]["path"] == ["C14"]
    assert answer["assumptions"] == [
        "No year was given: 2022 is the latest year with capacity scores for NGA."
    ]


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_indirect_gaps_follow_dependencies_that_serve_the_function(store, depth):
    answer = compute_gaps(store, {"country": "NGA", "function": "respond", "depth": str(depth)})
    got = {g["code"]: g["relation"] for g in answer["gaps"]}
    assert got == {k: v["relation"] for k, v in expected_gaps("Nigeria", "respond", depth=depth).items()}
    edges = spar2_dependencies("respond")
    for gap in answer["gaps"]:
        path = gap["path"]
        assert path[-1] == gap["code"] and len(path) <= depth + 1
        for a, b in zip(path, path[1:], strict=False):
            assert b in edges[a], (gap["code"], path)
    # depth 1: C3 financing through C7 health emergency management; depth 2 adds C1 legal
    # instruments through C7 > C2 (coordination needs a legal mandate)
    assert ("C1" in got) == (depth >= 2)


def test_a_dependency_scoped_to_respond_is_not_followed_for_detect(store):
    """C14 (chemical events) needs C7 (emergency management) to respond, not to detect."""
    answer = compute_gaps(store, {"country": "NGA", "function": "detect", "depth": "3"})
    assert "C7" not in {g["code"] for g in answer["gaps"]} | {g["code"] for g in answer["notScored"]}
    assert "C7" in spar2_dependencies("respond")["C14"]
    assert "C7" not in spar2_dependencies("detect").get("C14", set())


def test_a_capacity_without_a_published_average_is_scored_at_load(tmp_path, load_catalogue):
    """Two indicators at levels 2 and 3 (a tidy file, no capacity column): mean 50 %, level 3."""
    from hsfhs.build import build_into
    from hsfhs.loaders.load import load_files

    path = tmp_path / "two.csv"
    path.write_text("country,indicator,period,value,source\n"
                    "NGA,spar2:C5.1,2022,40,espar\nNGA,spar2:C5.2,2022,60,espar\n",
                    encoding="utf-8")
    target = EmbeddedStore(tmp_path / "store")
    build_into(target)
    assert load_files([path], target, load_catalogue).valid
    scores = {r["code"]: r for r in run_named(
        "capacity-scores", {"country": "NGA", "year": "2022"}, target)[1].values()}
    assert scores["C5"]["score"] == "50"
    assert scores["C5"]["level"] == "3"
    assert scores["C5"]["method"] == "meanOfIndicators"
    answer = compute_gaps(target, {"country": "NGA", "function": "detect", "target": "4"})
    assert [(g["code"], g["score"], g["level"]) for g in answer["gaps"]] == [("C5", 50, 3)]


def test_target_level_is_a_strict_bound(store):
    # Nigeria's C4 (Laboratory) is exactly 60 % in the TSV: level 3, met at target 3, unmet at 4
    assert espar_rows()["Nigeria"]["C.4"] == "60"
    at_3 = compute_gaps(store, {"country": "NGA", "function": "detect", "target": "3"})
    at_4 = compute_gaps(store, {"country": "NGA", "function": "detect", "target": "4"})
    assert "C4" not in {g["code"] for g in at_3["gaps"]}
    assert ("C4", 3) in {(g["code"], g["level"]) for g in at_4["gaps"]}


def test_cli_named_query_and_gaps():
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "query",
            "--store",
            str(query_store()),
            "--named",
            "gaps",
            "--param",
            "country=NGA",
            "--param",
            "function=detect",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "C14" in result.stdout
    result = runner.invoke(
        cli,
        [
            "gaps",
            "--store",
            str(query_store()),
            "--country",
            "NGA",
            "--function",
            "detect",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"C14"' in result.stdout
    result = runner.invoke(
        cli, ["gaps", "--store", str(query_store()), "--country", "NGX", "--function", "detect"]
    )
    assert result.exit_code == 1
    assert "NGA (Nigeria)" in result.output
    result = runner.invoke(
        cli, ["query", "--store", str(query_store()), "--named", "gaps", "--param", "country"]
    )
    assert result.exit_code == 2
