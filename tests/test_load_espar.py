"""e-SPAR loaders against the real exports: values checked by hand against the source cells."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from hsfhs.loaders.load import parse_file
from hsfhs.loaders.records import Kind, ParsedFile

TSV_2022 = "espar/espar_2022_IHRScoreperCapacity_202305051146.tsv"
XLSX_2018 = "espar/espar_2018_SPAR_Data_2018_2019July9.xlsx"


def values(parsed: ParsedFile) -> dict[tuple[str, str], Decimal]:
    """(ISO3, source column) -> value, for spot checks."""
    return {(r.country, r.column): r.value for r in parsed.records}


@pytest.fixture(scope="module")
def tsv_2022(data: Path, load_context) -> ParsedFile:
    return parse_file(data / TSV_2022, load_context)


@pytest.fixture(scope="module")
def xlsx_2018(data: Path, load_context) -> ParsedFile:
    return parse_file(data / XLSX_2018, load_context)


def test_2022_tsv_spot_checks(tsv_2022: ParsedFile) -> None:
    v = values(tsv_2022)
    assert tsv_2022.errors == []
    assert tsv_2022.format == "espar"
    # Algeria row: C.5.1 = 80, C.5.2 = 100, published capacity average C.5 = 90
    assert v[("DZA", "C.5.1")] == 80 and v[("DZA", "C.5.2")] == 100 and v[("DZA", "C.5")] == 90
    assert v[("CIV", "C.1.1")] == 20  # "Cote dIvoire"
    assert v[("TUR", "C.5")] == 100  # "Turkey (Turkiye)"
    assert v[("NLD", "C.1.1")] == 60  # "Netherlands (Kingdom of the)"
    assert v[("KOR", "C.1.1")] == 100  # "Republic of Korea " (trailing space), not PRK
    assert v[("BOL", "C.5")] == 80  # "Bolivia (Plurinational State of)"
    assert {r.period for r in tsv_2022.records} == {2022}
    assert {str(r.indicator).rsplit("/", 2)[1] for r in tsv_2022.records} == {"spar2"}


def test_2022_every_state_party_row_with_scores_is_read(data: Path, tsv_2022: ParsedFile) -> None:
    with open(data / TSV_2022, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    scored = [n for n, r in enumerate(rows, start=2) if r["total_average"] != "no data"]
    assert len(rows) == 196 and len(scored) == 185
    assert sorted({r.row for r in tsv_2022.records}) == scored
    assert len({r.country for r in tsv_2022.records}) == 185
    no_data = [n.row for n in tsv_2022.notices if n.type == "no-data"]
    assert sorted(no_data) == [n for n in range(2, 198) if n not in scored]


@pytest.mark.parametrize("which", ["tsv_2022", "xlsx_2018"])
def test_capacity_averages_are_means_of_indicator_scores(which: str, request) -> None:
    """Over the whole file: each published capacity percent = mean of its indicators +- 0.5,
    and the total average (SDG 3.d.1) = mean of the capacity averages +- 0.5."""
    parsed: ParsedFile = request.getfixturevalue(which)
    scores: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    averages: dict[tuple[int, str], Decimal] = {}
    totals: dict[int, Decimal] = {}
    for r in parsed.records:
        code = str(r.indicator).rsplit("/", 1)[1]
        if r.kind is Kind.PERCENT:
            scores[(r.row, code.split(".")[0])].append(r.value)
        elif r.kind is Kind.OVERALL_PERCENT:
            assert code == "total"
            totals[r.row] = r.value
        else:
            assert r.kind is Kind.CAPACITY_PERCENT
            averages[(r.row, code)] = r.value
    assert len(averages) > 2000
    for key, published in averages.items():
        mean = sum(scores[key]) / len(scores[key])
        assert abs(mean - published) <= Decimal("0.5"), (key, published, mean)
    assert sorted(totals) == sorted({row for row, _ in averages})
    for row, total in totals.items():
        capacities = [v for (r, _), v in averages.items() if r == row]
        assert abs(sum(capacities) / len(capacities) - total) <= Decimal("0.5"), (row, total)


def test_2018_workbook_found_by_content(xlsx_2018: ParsedFile) -> None:
    v = values(xlsx_2018)
    assert xlsx_2018.errors == []
    assert xlsx_2018.sheet == "Score by capacity & indicator"
    assert {r.period for r in xlsx_2018.records} == {2018}  # from the title "... Year 2018"
    assert {str(r.indicator).rsplit("/", 2)[1] for r in xlsx_2018.records} == {"spar2018"}
    # row 7, Algeria: C.1.1 = 100, "Level C8" = 53; row 19 "Côte d'Ivoire ": C.1.2 = 60
    assert v[("DZA", "C.1.1")] == 100 and v[("DZA", "Level C8")] == 53
    assert v[("CIV", "C.1.2")] == 60 and v[("CIV", "Level C1")] == 33
    assert v[("VCT", "C.1.1")] == 20  # "Saint Vicent and the Grenadines" (sic)
    assert v[("TUR", "C.1.1")] == 100  # "Turkey"
    rows_of = {r.country: r.row for r in xlsx_2018.records}
    assert rows_of["DZA"] == 7 and rows_of["VNM"] == 202


def test_2018_aggregates_and_no_data_rows_are_skipped_and_reported(xlsx_2018: ParsedFile) -> None:
    kinds = {(n.type, n.row) for n in xlsx_2018.notices}
    assert {("aggregate-row", r) for r in range(206, 213)} <= kinds
    assert ("repeated-header", 205) in kinds
    assert ("no-data", 57) in kinds  # Barbados: "no data"
    assert ("no-data", 59) in kinds  # Bolivia: "Other"
    assert "GLOBAL" not in {r.country for r in xlsx_2018.records}


def test_other_layout_of_the_same_workbook(
    tmp_path: Path, data: Path, load_context, xlsx_2018: ParsedFile
) -> None:
    """Another year's layout: more title rows, a column offset, "Score" instead of "Level"."""
    sheet = openpyxl.load_workbook(data / XLSX_2018, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(min_row=1, values_only=True)]
    moved = openpyxl.Workbook()
    out = moved.active
    out.append(["WHO e-SPAR"])
    out.append([])
    for row in rows:
        row = [c.replace("Level C", "Score C") if isinstance(c, str) else c for c in row]
        out.append([None, None, *row])
    path = tmp_path / "spar_other_layout.xlsx"
    moved.save(path)
    parsed = parse_file(path, load_context)
    assert parsed.errors == []
    expected = {(k[0], k[1].replace("Level C", "Score C")): v for k, v in values(xlsx_2018).items()}
    assert values(parsed) == expected
    assert {r.row for r in parsed.records} == {r.row + 2 for r in xlsx_2018.records}


def test_same_export_as_csv_with_lf(tmp_path: Path, fixtures: Path, load_context) -> None:
    tsv = (fixtures / "espar_2022_sample.tsv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(tsv), delimiter="\t"))
    path = tmp_path / "espar_2022_sample.csv"
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    as_csv = parse_file(path, load_context)
    as_tsv = parse_file(fixtures / "espar_2022_sample.tsv", load_context)
    assert as_csv.errors == [] and values(as_csv) == values(as_tsv)
    assert values(as_tsv)[("DZA", "C.5")] == 90


def test_format_override_beats_detection(fixtures: Path, load_context) -> None:
    forced = parse_file(fixtures / "espar_2022_sample.tsv", load_context, fmt="gho")
    assert [e.type for e in forced.errors] == ["missing-column"]
