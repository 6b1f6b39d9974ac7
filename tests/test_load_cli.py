"""``hsfhs load`` and ``hsfhs validate``: exit codes, the error table, JSON, the SHACL report."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SH

from hsfhs.cli import cli


def test_validate_bad_file_prints_a_table_and_exits_1(fixtures: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.ttl"
    result = CliRunner().invoke(
        cli, ["validate", "--report", str(report), str(fixtures / "espar_2022_score_120.tsv")]
    )
    assert result.exit_code == 1, result.output
    header, line = result.stdout.splitlines()[-2:]
    assert header.split() == ["File", "Row", "Column", "Type", "Value", "Message"]
    assert line.split()[:5] == ["espar_2022_score_120.tsv", "2", "C.5.1", "percent-range", "120"]
    shacl = Graph().parse(report)
    assert len(list(shacl.subjects(SH.resultSeverity, SH.Violation))) == 1


def test_json_output(fixtures: Path) -> None:
    result = CliRunner().invoke(
        cli, ["validate", "--json", str(fixtures / "empty.tsv"), str(fixtures / "tidy_sample.csv")]
    )
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["valid"] is False and body["written"] is False
    assert [(e["file"], e["type"]) for e in body["errors"]] == [("empty.tsv", "empty-file")]


def test_load_then_query(fixtures: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    result = runner.invoke(cli, ["load", "--store", str(store), str(fixtures / "jee_sample.xlsx")])
    assert result.exit_code == 0, result.output
    assert "1 file(s) loaded" in result.stdout
    answer = runner.invoke(
        cli,
        [
            "query",
            "--store",
            str(store),
            "--format",
            "json",
            "SELECT (COUNT(*) AS ?n) WHERE { ?o a hsfhs:ScoreObservation }",
        ],
    )
    assert '"193"' in answer.stdout or '"value": "193"' in answer.stdout


def test_usage_errors_exit_2(fixtures: Path) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["load", "--format", "pdf", str(fixtures / "empty.tsv")]).exit_code == 2
    )
    assert runner.invoke(cli, ["validate", "no/such/file.tsv"]).exit_code == 2
    assert runner.invoke(cli, ["validate"]).exit_code == 2
