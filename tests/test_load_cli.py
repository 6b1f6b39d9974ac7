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
    # built first, as the README does: queries refuse a store without the catalogue (issue 13)
    built = runner.invoke(cli, ["build", "--store", str(store)])
    assert built.exit_code == 0, built.output
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


def test_period_and_the_load_summary(fixtures: Path, tmp_path: Path) -> None:
    """WHO's export name states no year: --period gives it, and the summary says so."""
    import shutil

    path = tmp_path / "IHRScoreperCapacity_202305051146.tsv"
    shutil.copy(fixtures / "espar_2022_sample.tsv", path)
    runner = CliRunner()
    refused = runner.invoke(cli, ["validate", str(path)])
    assert refused.exit_code == 1 and "missing-period" in refused.stdout
    result = runner.invoke(cli, ["validate", "--period", "2022", str(path)])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "layout: e-SPAR country table, header row 1" in lines
    assert ("framework: spar2 = SPAR 2nd edition (2021 tool), from the indicator columns"
            in lines)
    assert "report year: 2022 (from --period)" in lines
    assert any(line.startswith("6 countries, ") and "0 skipped cells, 16 absent values" in line
               for line in lines)


def test_skip_invalid_prints_the_skipped_cells(fixtures: Path) -> None:
    name = "espar_2022_score_120.tsv"
    strict = CliRunner().invoke(cli, ["validate", str(fixtures / name)])
    assert strict.exit_code == 1
    result = CliRunner().invoke(cli, ["validate", "--skip-invalid", str(fixtures / name)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("skipped cells (--skip-invalid), 1:")
    assert lines[at + 1].split() == ["File", "Row", "Column", "Type", "Value", "Rule"]
    assert lines[at + 2].split() == [name, "2", "C.5.1", "percent-range", "120", "percent",
                                     "0-100"]
    body = json.loads(CliRunner().invoke(
        cli, ["validate", "--skip-invalid", "--json", str(fixtures / name)]).stdout)
    assert body["valid"] and body["files"][0]["skippedCells"] == 1
    assert [(s["row"], s["column"], s["value"], s["rule"]) for s in body["skipped"]] == [
        (2, "C.5.1", "120", "percent 0-100")]


def test_period_against_the_title_exits_1(data: Path) -> None:
    path = data / "espar" / "espar_2018_SPAR_Data_2018_2019July9.xlsx"
    result = CliRunner().invoke(cli, ["validate", "--period", "2019", str(path)])
    assert result.exit_code == 1
    assert "period-conflict" in result.stdout and "title row 2" in result.stdout
