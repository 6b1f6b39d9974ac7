"""JEE score workbook: levels 1-5, mission years, editions, skipped rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from hsfhs.loaders.load import parse_file
from hsfhs.loaders.records import Kind, ParsedFile
from hsfhs.namespaces import ID


@pytest.fixture(scope="module")
def jee(data: Path, load_context) -> ParsedFile:
    return parse_file(data / "jee" / "jee_scores_mar2021.xlsx", load_context)


def find(parsed: ParsedFile, iso3: str, column: str):
    return next(r for r in parsed.records if r.country == iso3 and r.column == column)


def test_spot_checks_against_the_workbook(jee: ParsedFile) -> None:
    assert jee.errors == [] and jee.format == "jee"
    albania = find(jee, "ALB", "p11")  # row 4: p11 = 4, mission 2016-09-05
    assert (albania.row, albania.value, albania.period, albania.kind) == (4, 4, 2016, Kind.LEVEL)
    assert albania.indicator == ID["jee1/P1.1"]
    assert find(jee, "ALB", "p12").value == 3
    assert find(jee, "AFG", "p11").value == 1 and find(jee, "AFG", "p11").period == 2016
    nigeria = find(jee, "NGA", "d24")
    assert (nigeria.value, nigeria.period, nigeria.indicator) == (3, 2017, ID["jee1/D2.4"])
    brunei = find(jee, "BRN", "v2_p11")  # a JEE 2nd-edition mission, 2019-10-28
    assert (brunei.value, brunei.period, brunei.indicator) == (4, 2019, ID["jee2/P1.1"])
    assert find(jee, "BRN", "v2_re2").indicator == ID["jee2/RE2"]


def test_half_levels_are_kept_as_values_and_reported(jee: ParsedFile) -> None:
    mozambique = find(jee, "MOZ", "d24")  # the workbook says 2.5
    assert (mozambique.value, mozambique.kind) == (Decimal("2.5"), Kind.VALUE)
    halves = {(n.row, n.column) for n in jee.notices if n.type == "half-level"}
    assert (121, "d24") in halves and len(halves) == 6


def test_rows_without_scores_are_skipped_and_reported(jee: ParsedFile) -> None:
    skipped = [n for n in jee.notices if n.type == "no-scores"]
    assert len(skipped) == 93
    assert any(n.value == "AGO" and n.row == 3 for n in skipped)  # Angola: completed, unpublished
    assert len({r.row for r in jee.records}) + len(skipped) == jee.rows == 194
