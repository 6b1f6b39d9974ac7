"""``--skip-invalid``: the bad-input corpus loads its valid cells; each skipped cell is
listed with file, row, column, value and rule, and counted in the file's PROV record.
The strict default for the same files is tested in test_load_bad_inputs.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from hsfhs.loaders.load import load_files, parse_file
from hsfhs.namespaces import sparql_prefixes
from hsfhs.store import EmbeddedStore

CASES = [
    # file, the skipped cells (row, column, type), the rule they break
    ("espar_2022_score_120.tsv", {(2, "C.5.1", "percent-range")}, "percent 0-100"),
    ("jee_level_0.xlsx", {(4, "p11", "level-range")}, "level 1-5"),
    ("espar_2022_unknown_country.tsv", {(3, "Country", "unknown-country")}, "a known country"),
    ("espar_2022_formula.tsv", {(3, "Country", "formula-cell")}, "a value, not a formula"),
]


def keys(parsed) -> set[tuple[int, str]]:
    return {(r.row, r.column) for r in parsed.records}


@pytest.mark.parametrize(("name", "skipped", "rule"), CASES, ids=[c[0] for c in CASES])
def test_valid_cells_load_and_each_skipped_cell_is_listed_and_counted(
    name: str, skipped: set, rule: str, fixtures: Path, load_context, load_catalogue,
    tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "store")
    report = load_files([fixtures / name], store, load_catalogue, skip_invalid=True)
    assert report.valid and report.written, report.errors[:3]
    assert {(s.row, s.column, s.type) for s in report.skipped} == skipped
    assert {s.rule for s in report.skipped} == {rule}
    assert {s.file for s in report.skipped} == {name}
    # exactly the valid cells: every cell the strict parse read, minus the skipped ones
    # (a skipped country cell takes its row's values with it)
    strict = parse_file(fixtures / name, load_context)
    bad_rows = {row for row, column, _ in skipped if column == "Country"}
    expected = {k for k in keys(strict) if k[:2] not in {s[:2] for s in skipped}
                and k[0] not in bad_rows}
    found = store.select(sparql_prefixes() + """
        SELECT ?row ?column WHERE { ?o a hsfhs:ScoreObservation ; hsfhs:sourceColumn ?column ;
                                       prov:wasDerivedFrom ?r . BIND(STRAFTER(STR(?r), "/row/") AS ?row) }""")
    assert {(int(v["row"]), v["column"]) for v in found.values()} == expected
    assert report.files[0].skipped == len(skipped) and report.files[0].observations == len(expected)
    prov = store.select(sparql_prefixes() + "SELECT ?n WHERE { ?f hsfhs:skippedCells ?n }")
    assert prov.values() == [{"n": str(len(skipped))}]


def test_a_repeated_row_loads_once(fixtures: Path, load_catalogue, tmp_path: Path) -> None:
    """Rows 2 and 4 are both Algeria: the second occurrence's cells are the skipped ones."""
    store = EmbeddedStore(tmp_path / "store")
    path = fixtures / "espar_2022_duplicate_rows.tsv"
    report = load_files([path], store, load_catalogue, skip_invalid=True)
    assert report.valid and report.written
    header = path.read_text(encoding="utf-8").split("\n")[0].strip().split("\t")
    values = [h for h in header if h not in ("Region", "Country")]
    assert {(s.row, s.type) for s in report.skipped} == {(4, "one-value")}
    assert sorted(s.column for s in report.skipped) == sorted(values)
    assert report.files[0].skipped == len(values)


def test_strict_is_still_the_default(fixtures: Path, load_catalogue, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    report = load_files([fixtures / "espar_2022_score_120.tsv"], store, load_catalogue)
    assert not report.written and report.skipped == [] and not store.exists()
