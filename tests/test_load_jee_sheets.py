"""JEE scores in an analyst's own sheet: code-and-title headings, ISO3, year and edition
columns, other institutions' country names, and the mess of hand-kept sheets.

The sheet is built here from the real RTSL workbook (data/jee/jee_scores_mar2021.xlsx):
each mission row's scores are copied under "P.1.1 Legislation, ..." headings, then a few
named cells are spoiled the way hand-kept sheets are. Expected values are the source
cells, read here.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from hsfhs.loaders.load import load_files, parse_file
from hsfhs.loaders.records import Kind, ParsedFile
from hsfhs.namespaces import ID, sparql_prefixes
from hsfhs.store import EmbeddedStore

JEE = "jee/jee_scores_mar2021.xlsx"
# ISO3 -> the name the sheet gives; None: the ISO3 column holds the code, the name is WHO's
NAMES = {
    "ALB": None, "BRN": None, "MOZ": None, "AGO": None,
    "CIV": "Cote d'Ivoire", "VNM": "Viet Nam",  # with their ISO3 code
    "COD": "Congo, Dem. Rep.", "COG": "Congo, Rep.", "LAO": "Lao PDR", "TZA": "Tanzania",
    "KOR": "Korea, Rep.", "GMB": "Gambia, The",  # ISO3 left blank: the name must resolve
}  # fmt: skip
WITH_ISO = {"ALB", "BRN", "MOZ", "AGO", "CIV", "VNM"}
EDITIONS = {1: [1, "JEE 1", "v1", "1st edition"], 2: ["2", "2nd edition", "JEE2", 2.0]}
SECTIONS = ["P", "D", "R", "PoE", "CE", "RE"]


def source_column(edition: int, code: str) -> str:
    """The RTSL workbook's column of an indicator: P1.1 -> p11 (jee1), v2_p11 (jee2)."""
    return ("v2_" if edition == 2 else "") + code.replace(".", "").lower()


def dotted(code: str) -> str:
    """The heading's spelling: P1.1 -> P.1.1, PoE1 -> PoE.1."""
    return re.sub(r"^([A-Za-z]+)(\d)", r"\1.\2", code)


@pytest.fixture(scope="module")
def indicators(data: Path) -> dict[str, str]:
    """Every JEE 1st/2nd-edition indicator code -> a title (2nd edition's where both)."""
    with open(data / "codelists" / "jee1_jee2_spar2018_indicators_rtsl.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["tool"].startswith("JEE")]
    titles = {r["indicator_code"]: r["indicator_name"] for r in rows if "1st" in r["tool"]}
    titles.update({r["indicator_code"]: r["indicator_name"] for r in rows if "2nd" in r["tool"]})

    def order(code: str) -> tuple:
        section = re.match(r"[A-Za-z]+", code).group(0)
        return (SECTIONS.index(section), *map(int, re.findall(r"\d+", code)))

    return dict(sorted(titles.items(), key=lambda kv: order(kv[0])))


@pytest.fixture(scope="module")
def source(data: Path) -> dict[str, dict]:
    """ISO3 -> the RTSL row as a dict, for the countries of the sheet."""
    sheet = openpyxl.load_workbook(data / JEE, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    by_iso = {r[3]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    return {iso: by_iso[iso] for iso in NAMES}


def edition_of(row: dict, indicators: dict[str, str]) -> int | None:
    for edition in (2, 1):
        if any(row.get(source_column(edition, c)) is not None for c in indicators):
            return edition
    return None


def build(tmp_path: Path, source: dict, indicators: dict, drop: tuple[str, ...] = ()) -> tuple:
    """The analyst's sheet: (path, ISO3 -> its row, expected {(row, column): record})."""
    codes = [c for c in indicators if c not in drop]
    header = ["Country", "ISO3", "JEE status", "Mission year", "JEE edition",
              *(f"{dotted(c)} {indicators[c]}" for c in codes)]
    lines, where, expected = [header], {}, {}
    for n, (iso, row) in enumerate(source.items()):
        edition = edition_of(row, indicators)
        date = row["jee_date1"]
        year = date if n % 3 == 0 else date.year if n % 3 == 1 else str(date.year)  # all valid
        line = [NAMES[iso] or row["country"], iso if iso in WITH_ISO else None, row["status"],
                year, EDITIONS[edition][n % 4] if edition else None]
        where[iso] = len(lines) + 1
        for code in codes:
            value = row.get(source_column(edition, code)) if edition else None
            line.append(value)
            if value is not None:
                kind = Kind.LEVEL if value == int(value) else Kind.VALUE
                expected[(where[iso], dotted(code))] = (
                    iso, ID[f"jee{edition}/{code}"], date.year, Decimal(str(value)), kind)
        lines.append(line)
    book = openpyxl.Workbook()
    book.active.title = "JEE scores"
    for line in lines:
        book.active.append(line)
    path = tmp_path / "jee_scores_analyst.xlsx"
    book.save(path)
    return path, where, expected


def spoil(path: Path, where: dict[str, int], cells: dict[tuple[str, str], object]) -> None:
    """Overwrite (ISO3, column) cells as a hand-kept sheet does ("P.1.2": its heading's code)."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for (iso, label), value in cells.items():
        col = next(i for i, h in enumerate(header, start=1)
                   if h == label or h.split(" ")[0] == label)
        sheet.cell(where[iso], col).value = value
    book.save(path)


def records(parsed: ParsedFile) -> dict[tuple[int, str], tuple]:
    return {(r.row, r.column): (r.country, r.indicator, r.period, r.value, r.kind)
            for r in parsed.records}


def test_clean_sheet_loads_every_source_score(tmp_path, source, indicators, load_context):
    path, where, expected = build(tmp_path, source, indicators)
    parsed = parse_file(path, load_context)
    assert parsed.errors == [] and parsed.format == "jee"
    assert records(parsed) == expected
    assert {v[0] for v in expected.values()} == set(NAMES) - {"AGO"}
    assert parsed.framework.startswith("jee1, jee2 (JEE edition per row")
    assert parsed.layout.startswith("JEE code-and-title sheet, header row 1 of sheet 'JEE scores'")
    assert [n.row for n in parsed.notices if n.type == "no-scores"] == [where["AGO"]]
    half = [(n.row, n.column) for n in parsed.notices if n.type == "half-level"]
    assert (where["MOZ"], "D.2.4") in half  # the workbook's 2.5
    # the edition on the row decides: Brunei's P.1.1 is JEE 2nd edition, Albania's 1st
    assert expected[(where["BRN"], "P.1.1")][1] == ID["jee2/P1.1"]
    assert expected[(where["ALB"], "P.1.1")][1] == ID["jee1/P1.1"]


def mess(source: dict, indicators: dict) -> dict[tuple[str, str], object]:
    """Spoiled cells, each replacing a real score of the source (or the year of a row)."""
    def score(iso: str, code: str) -> int:
        value = source[iso][source_column(edition_of(source[iso], indicators), code)]
        assert value is not None, (iso, code)
        return int(value)

    for iso, code in (("ALB", "P1.1"), ("BRN", "D1.1"), ("CIV", "P1.2")):
        score(iso, code)  # each spoiled cell held a real score
    vnm, lao = score("VNM", "D2.1"), score("LAO", "R1.1")
    return {
        ("ALB", "P.1.1"): "NA",
        ("BRN", "D.1.1"): "not assessed",
        ("CIV", "P.1.2"): "=ROUND(AVERAGE(F5:G5),0)",
        ("VNM", "D.2.1"): f"{vnm}; {max(vnm - 1, 1)}",  # two scores typed in one cell
        ("LAO", "R.1.1"): datetime(2017, lao, 1),  # "3-1" typed, turned into a date
        ("TZA", "Mission year"): f"Mission {source['TZA']['jee_date1'].year}, report pending",
    }


def test_messy_sheet_fails_strictly_naming_row_and_column(
    tmp_path, source, indicators, load_context, load_catalogue
):
    path, where, _ = build(tmp_path, source, indicators)
    spoil(path, where, mess(source, indicators))
    parsed = parse_file(path, load_context)
    assert sorted(e.flat() for e in parsed.errors) == sorted([
        (where["CIV"], "P.1.2", "formula-cell"),
        (where["VNM"], "D.2.1", "two-values"),
        (where["LAO"], "R.1.1", "date-cell"),
        (where["TZA"], "Mission year", "not-a-year"),
    ])
    assert all(e.sheet == "JEE scores" for e in parsed.errors)
    assert parsed.absent == 2  # "NA" and "not assessed": absent, not errors
    store = EmbeddedStore(tmp_path / "store")
    report = load_files([path], store, load_catalogue)
    assert not report.valid and not report.written and not store.exists()


def test_skip_invalid_loads_exactly_the_valid_cells(
    tmp_path, source, indicators, load_context, load_catalogue
):
    path, where, expected = build(tmp_path, source, indicators)
    spoiled = mess(source, indicators)
    spoil(path, where, spoiled)
    tanzania = where["TZA"]
    cells = {(where[iso], column) for iso, column in spoiled}
    valid = {k: v for k, v in expected.items() if k[0] != tanzania and k not in cells}
    parsed = parse_file(path, dataclasses.replace(load_context, skip_invalid=True))
    assert parsed.errors == []
    assert records(parsed) == valid
    assert len(expected) - len(valid) == 5 + sum(1 for k in expected if k[0] == tanzania)
    assert sorted((s.row, s.column, s.type, s.rule) for s in parsed.skipped) == sorted([
        (where["CIV"], "P.1.2", "formula-cell", "a value, not a formula"),
        (where["VNM"], "D.2.1", "two-values", "one value per cell"),
        (where["LAO"], "R.1.1", "date-cell", "a score, not a date"),
        (tanzania, "Mission year", "not-a-year", "a year"),
    ])
    store = EmbeddedStore(tmp_path / "store")
    report = load_files([path], store, load_catalogue, skip_invalid=True)
    assert report.valid and report.written, report.errors[:3]
    assert (report.files[0].skipped, report.files[0].absent) == (4, 2)
    assert report.files[0].observations == len(valid)
    assert [(s.file, s.sheet) for s in report.skipped] == [(path.name, "JEE scores")] * 4
    prov = store.select(sparql_prefixes() + """
        SELECT ?skipped ?absent WHERE { ?f a prov:Entity ; hsfhs:skippedCells ?skipped ;
                                           hsfhs:absentValues ?absent }""").values()
    assert prov == [{"skipped": "4", "absent": "2"}]


def test_a_missing_indicator_column_is_a_notice(tmp_path, source, indicators, load_context):
    path, _, expected = build(tmp_path, source, indicators, drop=("CE2",))
    parsed = parse_file(path, load_context)
    assert parsed.errors == [] and records(parsed) == expected
    notices = [(n.column, n.message) for n in parsed.notices if n.type == "missing-column"]
    assert [c for c, _ in notices] == ["CE2", "CE2"]  # for each edition the sheet has
    assert "1st" in notices[0][1] and "2nd" in notices[1][1]


def test_period_for_a_sheet_without_a_year_column_and_against_row_years(
    tmp_path, source, indicators, load_context, fixtures
):
    path, where, expected = build(tmp_path, source, indicators)
    book = openpyxl.load_workbook(path)
    book.active.delete_cols(4)  # "Mission year"
    book.save(path)
    refused = parse_file(path, load_context)
    assert [e.flat() for e in refused.errors] == [(1, "Year", "missing-column")]
    given = parse_file(path, dataclasses.replace(load_context, period=2017))
    assert given.errors == [] and given.period_source == "--period"
    assert {r.period for r in given.records} == {2017}
    assert len(given.records) == len(expected)
    # a row stating another year than --period is a bad cell (RTSL workbook, jee_date1)
    rtsl = parse_file(fixtures / "jee_sample.xlsx", dataclasses.replace(load_context, period=2016))
    conflicts = {(e.row, e.column, e.type) for e in rtsl.errors}
    assert conflicts and {c for _, c, t in conflicts} == {"jee_date1"}
    assert {t for _, _, t in conflicts} == {"period-conflict"}
    assert {r.period for r in rtsl.records} == {2016}
