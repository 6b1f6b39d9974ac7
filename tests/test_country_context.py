"""Income group and NAPHS status, loaded as sourced observations, checked against the files."""

from __future__ import annotations

import csv
from datetime import date

import openpyxl
from qs_data import NAPHS, WORLDBANK

from hsfhs.loaders.load import parse_file, validate_files
from hsfhs.loaders.records import Kind
from hsfhs.namespaces import ID


def by_indicator(parsed, slug: str) -> dict[str, object]:
    return {r.country: r for r in parsed.records if r.indicator == ID[f"context/{slug}"]}


def test_income_groups_are_world_bank_observations(load_context):
    parsed = parse_file(WORLDBANK, load_context)
    assert parsed.errors == [] and parsed.format == "worldbank"
    sheet = openpyxl.load_workbook(WORLDBANK, read_only=True)["List of economies"]
    names = {"Low income": "LIC", "Lower middle income": "LMC", "Upper middle income": "UMC",
             "High income": "HIC"}
    expected = {code: names[group] for _, code, region, group, *_ in
                list(sheet.iter_rows(values_only=True))[1:]
                if region and group and code not in ("XKX", "CHI")}
    got = by_indicator(parsed, "income-group")
    assert {iso3: str(r.term).rsplit("/", 1)[-1] for iso3, r in got.items()} == expected
    assert got["NGA"].kind is Kind.CATEGORY and got["NGA"].period == 2023
    assert got["NGA"].source == ID["source/worldbank"]
    assert sorted(n.value for n in parsed.notices if n.type == "not-an-iso-country") == [
        "Channel Islands", "Kosovo"]
    assert parsed.absent == 1  # Venezuela: unclassified since 2021


def test_naphs_dates_and_flags_come_from_the_cghss_table(load_context):
    parsed = parse_file(NAPHS, load_context)
    assert parsed.errors == [] and parsed.format == "naphs"
    with open(NAPHS, encoding="utf-8", newline="") as fh:
        rows = {r["Country"]: r for r in csv.DictReader(fh, delimiter="\t")}
    completed = by_indicator(parsed, "naphs-completed")
    published = by_indicator(parsed, "naphs-published")
    costed = by_indicator(parsed, "naphs-costed")
    nigeria = rows["Nigeria"]
    assert (nigeria["NAPHS (first completion date)"], nigeria["NAPHS published"],
            nigeria["NAPHS line-item costs"]) == ("27-Jul-18", "TRUE", "TRUE")
    assert str(completed["NGA"].term) == date(2018, 7, 27).isoformat()
    assert completed["NGA"].period == 2018
    assert published["NGA"].term.toPython() is True and costed["NGA"].term.toPython() is True
    # a cell with two dates gives the earlier, with a notice
    assert rows["Lesotho"]["NAPHS (first completion date)"] == "17 Jun 2022/ 13 Sep 2019"
    assert str(completed["LSO"].term) == "2019-09-13"
    assert [n.value for n in parsed.notices if n.type == "two-dates"] == ["17 Jun 2022/ 13 Sep 2019"]
    # no completion date: no plan, so no published or costed flag either
    no_plan = {r["Country"] for r in rows.values() if r["NAPHS (first completion date)"] == "NA"}
    assert "Canada" in no_plan and "CAN" not in completed and "CAN" not in published
    assert len(completed) == len(rows) - len(no_plan) - 1  # Zanzibar is skipped
    assert [n.value for n in parsed.notices if n.type == "subnational-row"] == ["Tanzania (Zanzibar)"]
    # names resolved through the reviewed aliases ("Congo, Republic of the", "Brunei")
    assert {"COG", "COD", "BRN"} <= set(by_indicator(parsed, "jee-first-mission"))
    assert completed["NGA"].source == ID["source/cghss"]


def test_both_files_validate_against_the_shapes(load_catalogue):
    report = validate_files([WORLDBANK, NAPHS], load_catalogue)
    assert report.errors == []
    assert [f.format for f in report.files] == ["worldbank", "naphs"]
