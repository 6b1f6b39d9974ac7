"""``hsfhs query``: text or .rq file in, table / JSON / CSV / TSV out, clear errors."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from hsfhs.cli import cli

SPAR2_CAPACITIES = (
    "SELECT ?code ?label WHERE { ?c a hsfhs:Capacity ; hsfhs:framework id:framework\\/spar2 ; "
    "skos:notation ?code ; skos:prefLabel ?label } ORDER BY ?code"
)


def expected_spar2(data) -> dict[str, str]:
    with open(data / "codelists" / "spar2_2021_capacities_indicators.csv", encoding="utf-8") as fh:
        return {r["capacity_code"]: r["capacity_name"] for r in csv.DictReader(fh)}


def run(store, *args: str):
    return CliRunner().invoke(cli, ["query", "--store", str(store.path), *args])


def test_csv_output_matches_the_code_list(built_store, data):
    result = run(built_store, "--format", "csv", SPAR2_CAPACITIES)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["code"]: r["label"] for r in rows} == expected_spar2(data)


def test_json_output_is_sparql_results_json(built_store, data):
    result = run(built_store, "--format", "json", SPAR2_CAPACITIES)
    doc = json.loads(result.stdout)
    assert doc["head"]["vars"] == ["code", "label"]
    assert len(doc["results"]["bindings"]) == len(expected_spar2(data))


def test_tsv_and_table(built_store):
    tsv = run(built_store, "--format", "tsv", SPAR2_CAPACITIES).stdout.splitlines()
    assert tsv[0] == "?code\t?label" and len(tsv) == 16
    table = run(built_store, SPAR2_CAPACITIES).stdout
    assert "Surveillance" in table and table.rstrip().endswith("(15 rows)")


def test_query_from_an_rq_file(built_store, tmp_path):
    rq = tmp_path / "levels.rq"
    rq.write_text("SELECT ?n WHERE { ?l a hsfhs:CapacityLevel ; hsfhs:levelNumber ?n } ORDER BY ?n\n")
    result = run(built_store, "--format", "csv", str(rq))
    assert result.stdout.split() == ["n", "1", "2", "3", "4", "5"]


def test_syntax_error_is_a_clear_message_not_a_traceback(built_store):
    result = run(built_store, "SELECT ?x WHERE { ?x ")
    assert result.exit_code == 1
    assert "SPARQL syntax error" in result.output
    assert "Traceback" not in result.output
