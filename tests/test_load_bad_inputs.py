"""The bad-input corpus: each file gets its own clear error naming row and column, no
traceback, and nothing reaches the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from hsfhs.loaders.load import load_files, validate_files
from hsfhs.store import EmbeddedStore

CASES = [
    # file, (row, column, type) of the first error, words the message must contain
    ("empty.tsv", (None, None, "empty-file"), "empty"),
    ("espar_2022_header_only.tsv", (None, None, "no-data-rows"), "no data rows"),
    ("truncated.xlsx", (None, None, "unreadable-workbook"), "truncated"),
    ("not_a_workbook.xlsx", (None, None, "not-a-workbook"), "not one"),
    ("espar_2022_latin1.tsv", (3, "Country", "encoding-error"), "UTF-8"),
    ("espar_2022_unknown_country.tsv", (3, "Country", "unknown-country"), "Atlantis"),
    ("espar_2022_score_120.tsv", (2, "C.5.1", "percent-range"), "0 to 100"),
    ("jee_level_0.xlsx", (4, "p11", "level-range"), "1 to 5"),
    ("espar_2022_duplicate_rows.tsv", (4, "C.1", "one-value"), "row 2"),
    ("espar_2022_missing_column.tsv", (1, "Country", "missing-column"), "Country"),
    ("espar_2022_formula.tsv", (3, "Country", "formula-cell"), "formula"),
    ("jee_formula.xlsx", (4, "p12", "formula-cell"), "formula"),
]


@pytest.mark.parametrize(("name", "first", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_nothing_is_written(
    name: str, first: tuple, words: str, fixtures: Path, load_catalogue, tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "store")
    report = load_files([fixtures / name], store, load_catalogue)
    assert not report.valid and not report.written
    assert report.errors[0].flat() == first
    assert report.errors[0].file == name
    assert words in report.errors[0].message
    assert not store.exists()  # not even an empty generation


def test_each_error_of_a_file_is_listed(fixtures: Path, load_catalogue) -> None:
    report = validate_files([fixtures / "espar_2022_score_120.tsv"], load_catalogue)
    assert [e.flat() for e in report.errors] == [(2, "C.5.1", "percent-range")]
    assert report.errors[0].value == "120" and report.errors[0].rule == "percent 0-100"
    duplicates = validate_files([fixtures / "espar_2022_duplicate_rows.tsv"], load_catalogue)
    assert {e.row for e in duplicates.errors} == {4}
    header = (fixtures / "espar_2022_duplicate_rows.tsv").read_text(encoding="utf-8").split("\n")[0]
    values = [h for h in header.strip().split("\t") if h not in ("Region", "Country")]
    assert len(duplicates.errors) == len(values) == 51  # every value of the repeated row


def test_unknown_country_names_the_closest_names(
    tmp_path: Path, fixtures: Path, load_catalogue
) -> None:
    text = (fixtures / "espar_2022_sample.tsv").read_text(encoding="utf-8")
    path = tmp_path / "espar_2022_typo.tsv"
    path.write_text(text.replace("Algeria", "Algerai"), encoding="utf-8", newline="")
    error = validate_files([path], load_catalogue).errors[0]
    assert error.flat() == (2, "Country", "unknown-country")
    assert "Algeria" in error.message


def test_one_bad_file_stops_the_whole_load(fixtures: Path, load_catalogue, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load_files([fixtures / "espar_2022_sample.tsv"], store, load_catalogue)
    before = sorted(store.named_graphs()), store.count()
    report = load_files(
        [fixtures / "gho_sample.csv", fixtures / "espar_2022_score_120.tsv"], store, load_catalogue
    )
    assert not report.valid and not report.written
    assert (sorted(store.named_graphs()), store.count()) == before
