"""e-SPAR files as WHO publishes them in other years and forms, built from the bundled files.

Each variant is made in the test from the real 2018 workbook or the real 2022 export, by
moving rows and columns as other report years do (aggregate block above the table, a
title row with the year, a "Total Average" column) or by saving the same table as the
portal does (xlsx, WHO's file name without a year). Expected values are read from the
source cells here, never typed in.
"""

from __future__ import annotations

import csv
import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from hsfhs.loaders.load import load_files, parse_file
from hsfhs.loaders.records import Kind, ParsedFile
from hsfhs.namespaces import ID, sparql_prefixes
from hsfhs.store import EmbeddedStore

XLSX_2018 = "espar/espar_2018_SPAR_Data_2018_2019July9.xlsx"
TSV_2022 = "espar/espar_2022_IHRScoreperCapacity_202305051146.tsv"
WHO_NAME = "IHRScoreperCapacity_202305051146"  # the e-SPAR portal's name: no report year
TITLE = "IHR (2005) - Scores per Capacities & Indicators - Year 2018 (Updated on 9 July 2019)"
KEPT = [7, 8, 9, 19, 57, 59, 202]  # Algeria, Angola, Benin, Côte d'Ivoire, Barbados ("no
# data", Data Received "no"), Bolivia ("Other"), Viet Nam: rows of the 2018 workbook


def sheet_rows(path: Path) -> list[list]:
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def save(path: Path, rows: list[list], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def is_score_heading(heading: object) -> bool:
    text = str(heading or "")
    return text.startswith(("C.", "Level C")) or text == "Total Average"


def expected_cells(rows: list[list], header: int) -> dict[tuple[int, str], Decimal]:
    """(row, heading) -> the number in every score cell below the header, from the sheet."""
    heads = rows[header - 1]
    found = {}
    for number, cells in enumerate(rows[header:], start=header + 1):
        for col, heading in enumerate(heads):
            value = cells[col] if col < len(cells) else None
            if is_score_heading(heading) and isinstance(value, int | float):
                found[(number, str(heading))] = Decimal(str(value))
    return found


def cells_of(parsed: ParsedFile) -> dict[tuple[int, str], Decimal]:
    return {(r.row, r.column): r.value for r in parsed.records}


def record_keys(parsed: ParsedFile) -> set[tuple]:
    return {(r.row, r.column, r.country, r.indicator, r.period, r.value, r.kind)
            for r in parsed.records}


@pytest.fixture(scope="module")
def workbook_2018(data: Path) -> list[list]:
    return sheet_rows(data / XLSX_2018)


def total_first(row: list) -> list:
    """The row with the total-average column (last, col 56) moved right after the country."""
    row = list(row) + [None] * (56 - len(row))
    return row[:3] + [row[55]] + row[3:55]


def test_aggregate_block_above_the_table_and_the_year_in_the_title(
    tmp_path: Path, workbook_2018: list[list], load_context
) -> None:
    """The layout of other report years: global and regional averages, with their own row
    of indicator codes, above the country table; the year in a title with an update date;
    "Data Received" and "Total Average" columns in the header."""
    src = workbook_2018
    header = total_first(src[5])
    header[3] = "Total Average"
    block_header = [None, None, None, *header[3:]]
    aggregates = [total_first(src[n - 1]) for n in range(206, 213)]  # AVG Global, AFRO ...
    headings = [total_first(src[n - 1]) for n in (3, 4, 5)]
    rows = [[None, TITLE], [], block_header, *aggregates, [], *headings, header,
            *(total_first(src[n - 1]) for n in KEPT)]
    table_header = rows.index(header) + 1
    assert (rows.index(block_header) + 1, table_header) == (3, 15)
    path = save(tmp_path / "spar_2018_other_year_layout.xlsx", rows, "Score by capacity")

    parsed = parse_file(path, load_context)
    assert parsed.errors == []
    expected = expected_cells(rows, table_header)
    assert cells_of(parsed) == expected
    assert len(expected) == 5 * (24 + 13 + 1)  # 5 reporting countries: indicators, capacities, total
    assert {r.period for r in parsed.records} == {2018}  # "Year 2018", not the update's 2019
    assert (parsed.period, parsed.period_source) == ("2018", "title row 1")
    assert parsed.framework.startswith("spar2018 = SPAR 1st edition (2018 tool)")
    assert "aggregate block above (rows 4-10)" in parsed.layout
    assert "'Data Received' column" in parsed.layout
    aggregate_rows = sorted(n.row for n in parsed.notices if n.type == "aggregate-row")
    assert aggregate_rows == list(range(4, 11))
    assert {n.row for n in parsed.notices if n.type == "no-data"} == {20, 21}  # Barbados, Bolivia
    totals = {r.country: r for r in parsed.records if r.column == "Total Average"}
    assert set(totals) == {"DZA", "AGO", "BEN", "CIV", "VNM"}
    algeria = totals["DZA"]
    assert (algeria.indicator, algeria.kind) == (ID["spar2018/total"], Kind.OVERALL_PERCENT)
    assert algeria.value == Decimal(str(src[6][55]))  # the workbook's "ALL CAPACITIES" cell


def test_the_real_2018_workbook_total_column_has_no_heading_of_its_own(
    workbook_2018: list[list], data: Path, load_context
) -> None:
    """Its total average sits under "ALL CAPACITIES / AVERAGE / ALL INDICATORS", header blank."""
    parsed = parse_file(data / XLSX_2018, load_context)
    column = "ALL CAPACITIES / AVERAGE / ALL INDICATORS"
    totals = {r.row: r.value for r in parsed.records if r.column == column}
    source = {n: Decimal(str(r[55])) for n, r in enumerate(workbook_2018[6:202], start=7)
              if isinstance(r[55], int | float)}
    assert totals == source and len(source) == 182
    assert parsed.absent == sum(
        1 for r in workbook_2018[6:202] for h, c in zip(workbook_2018[5], r, strict=False)
        if is_score_heading(h) and str(c).casefold() in ("no data", "other")
    ) + sum(1 for r in workbook_2018[6:202] if str(r[55]).casefold() in ("no data", "other"))


def portal_export(data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The 2022 export under WHO's own name, as TSV and as the portal's xlsx of the table."""
    tsv = tmp_path / f"{WHO_NAME}.tsv"
    shutil.copy(data / TSV_2022, tsv)
    with open(tsv, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    typed = [[int(c) if c.isdigit() else c for c in row] for row in rows]  # numbers as numbers
    return tsv, save(tmp_path / f"{WHO_NAME}.xlsx", typed, "IHRScoreperCapacity")


def test_who_file_name_needs_period_and_xlsx_export_equals_the_tsv(
    tmp_path: Path, data: Path, load_context
) -> None:
    tsv, xlsx = portal_export(data, tmp_path)
    for path in (tsv, xlsx):
        refused = parse_file(path, load_context)
        assert [e.type for e in refused.errors] == ["missing-period"]
        assert "--period" in refused.errors[0].message
    ctx = dataclasses.replace(load_context, period=2022)
    as_tsv, as_xlsx = parse_file(tsv, ctx), parse_file(xlsx, ctx)
    assert as_tsv.errors == as_xlsx.errors == []
    assert (as_tsv.period, as_tsv.period_source) == ("2022", "--period")
    assert record_keys(as_xlsx) == record_keys(as_tsv)
    bundled = parse_file(data / TSV_2022, load_context)  # its year from the file name
    assert bundled.period_source == "file name"
    assert record_keys(as_tsv) == record_keys(bundled) and len(bundled.records) > 9000
    assert as_xlsx.absent == as_tsv.absent == bundled.absent > 0


def test_period_conflicting_with_the_title_is_an_error(data: Path, load_context) -> None:
    parsed = parse_file(data / XLSX_2018, dataclasses.replace(load_context, period=2019))
    assert [e.flat() for e in parsed.errors] == [(2, None, "period-conflict")]
    assert "title row 2 says the report year is 2018" in parsed.errors[0].message
    assert parsed.records == []
    agreeing = parse_file(data / XLSX_2018, dataclasses.replace(load_context, period=2018))
    assert agreeing.errors == [] and agreeing.period_source == "--period (title row 2 agrees)"


def test_period_wins_over_the_file_name_with_a_notice(fixtures: Path, load_context) -> None:
    parsed = parse_file(fixtures / "espar_2022_sample.tsv",
                        dataclasses.replace(load_context, period=2021))
    assert parsed.errors == [] and {r.period for r in parsed.records} == {2021}
    assert [n.type for n in parsed.notices if n.type.startswith("period")] == [
        "period-overrides-name"]
    # a 2nd-edition table in a year of the 1st edition: the columns decide, with a notice
    old = parse_file(fixtures / "espar_2022_sample.tsv",
                     dataclasses.replace(load_context, period=2019))
    assert {str(r.indicator).rsplit("/", 2)[1] for r in old.records} == {"spar2"}
    assert "edition-year" in {n.type for n in old.notices}


def test_who_name_with_period_loads_and_writes_the_total_average(
    tmp_path: Path, fixtures: Path, load_catalogue
) -> None:
    path = tmp_path / f"{WHO_NAME}.tsv"
    shutil.copy(fixtures / "espar_2022_sample.tsv", path)  # 7 rows cut from the real export
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    algeria = next(r for r in rows if r["Country"] == "Algeria")
    reporting = sum(1 for r in rows if r["total_average"] != "no data")
    store = EmbeddedStore(tmp_path / "store")
    assert not load_files([path], store, load_catalogue).written  # no year: refused
    report = load_files([path], store, load_catalogue, period=2022)
    assert report.valid and report.written, report.errors[:3]
    f = report.files[0]
    assert (f.period, f.period_source, f.countries, f.skipped) == ("2022", "--period", reporting, 0)
    assert reporting == 6  # Kiribati: "no data"
    found = store.select(sparql_prefixes() + """
        SELECT ?percent ?skipped ?absent WHERE {
          ?o hsfhs:refIndicator id:spar2\\/total ; sdmx-dimension:refArea id:country\\/DZA ;
             sdmx-dimension:refPeriod "2022"^^xsd:gYear ; hsfhs:scorePercent ?percent ;
             prov:wasDerivedFrom/dct:isPartOf ?file .
          ?file hsfhs:skippedCells ?skipped ; hsfhs:absentValues ?absent }""").values()
    absent = sum(1 for r in rows for k, v in r.items() if k not in ("Region", "Country")
                 and v == "no data")
    assert found == [{"percent": algeria["total_average"], "skipped": "0", "absent": str(absent)}]
    assert absent == 16  # Kiribati's row: "no data" in each of its 16 capacity and total cells


def drop_columns(source: Path, target: Path, names: set[str]) -> Path:
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    keep = [i for i, h in enumerate(rows[0]) if h not in names]
    with open(target, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t", lineterminator="\r\n").writerows(
            [[r[i] for i in keep] for r in rows])
    return target


def test_a_missing_indicator_column_is_never_silent(
    tmp_path: Path, fixtures: Path, load_context
) -> None:
    sample = fixtures / "espar_2022_sample.tsv"
    full = parse_file(sample, load_context)
    # C.4.1 gone, C.4 still there: the published average of C.4 cannot be checked
    path = drop_columns(sample, tmp_path / "espar_2022_no_c41.tsv", {"C.4.1"})
    strict = parse_file(path, load_context)
    assert [e.flat() for e in strict.errors] == [(1, "C.4.1", "missing-column")]
    assert "C.4 cannot be checked" in strict.errors[0].message
    lenient = parse_file(path, dataclasses.replace(load_context, skip_invalid=True))
    assert lenient.errors == []
    assert [(n.row, n.column) for n in lenient.notices if n.type == "missing-column"] == [
        (1, "C.4.1")]
    skipped = {(s.row, s.column, s.type) for s in lenient.skipped}
    assert skipped == {(r.row, "C.4", "unverifiable-average") for r in full.records
                       if r.column == "C.4"} and len(skipped) == 6
    assert record_keys(lenient) == {k for k in record_keys(full) if k[1] not in ("C.4.1", "C.4")}
    # the whole capacity gone: nothing to check, a notice per missing indicator column
    capacity = {"C.4", "C.4.1", "C.4.2", "C.4.3", "C.4.4", "C.4.5"}
    path = drop_columns(sample, tmp_path / "espar_2022_no_c4.tsv", capacity)
    without = parse_file(path, load_context)
    assert without.errors == []
    assert sorted(n.column for n in without.notices if n.type == "missing-column") == sorted(
        capacity - {"C.4"})


def test_ihr_monitoring_questionnaire_is_refused_by_name(
    tmp_path: Path, workbook_2018: list[list], load_context
) -> None:
    """The 2010-2017 instrument: 13 core capacities as headings, no indicator codes."""
    capacities = ["Legislation", "Coordination", "Surveillance", "Response", "Preparedness",
                  "Risk communication", "Human resources", "Laboratory", "Points of entry",
                  "Zoonotic events", "Food safety", "Chemical events", "Radiation emergencies"]
    countries = [[r[2]] for r in workbook_2018[6:12]]  # real names; no scores are made up
    path = save(tmp_path / "ihr_monitoring_2016.xlsx",
                [["Country", *(f"{c} (%)" for c in capacities)], *countries])
    for fmt in (None, "espar"):
        parsed = parse_file(path, load_context, fmt)
        assert [e.type for e in parsed.errors] == ["unsupported-instrument"]
        assert "not supported yet: IHR monitoring questionnaire 2010-2017" in (
            parsed.errors[0].message)
