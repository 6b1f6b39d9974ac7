"""The documented tidy CSV."""

from __future__ import annotations

from pathlib import Path

from hsfhs.loaders.load import parse_file
from hsfhs.namespaces import ID


def test_tidy_sample(fixtures: Path, load_context) -> None:
    parsed = parse_file(fixtures / "tidy_sample.csv", load_context)
    assert parsed.errors == [] and parsed.format == "tidy"
    got = {(r.country, r.indicator, r.period, float(r.value)) for r in parsed.records}
    assert got == {
        ("NGA", ID["spar2/C5.1"], 2021, 60.0),
        ("TUR", ID["gho/HWF_0001"], 2020, 19.3),
        ("BOL", ID["jee3/D2.1"], 2023, 3.0),
    }
    assert {r.source for r in parsed.records} == {ID["source/national-review"]}


def test_tidy_errors_name_row_and_column(tmp_path: Path, load_context) -> None:
    path = tmp_path / "tidy.csv"
    path.write_text(
        "country,indicator,period,value,source\n"
        "NGA,spar2:C99.1,2021,60,x\n"
        "NGA,spar2:C.5.1,twenty,60,x\n"
        "NGA,spar2:C.5.1,2021,sixty,x\n",
        encoding="utf-8",
    )
    parsed = parse_file(path, load_context)
    assert [e.flat() for e in parsed.errors] == [
        (2, "indicator", "unknown-indicator"),
        (3, "period", "type-error"),
        (4, "value", "type-error"),
    ]


def test_tidy_spar_and_jee_values_are_scores_with_their_ranges(tmp_path: Path, load_catalogue) -> None:
    """A SPAR value is a percent (0-100, steps of 20), a JEE value a level 1-5, as in WHO's files."""
    from hsfhs.loaders.load import validate_files
    from hsfhs.loaders.records import Kind
    from hsfhs.loaders.tidy import kind_of

    assert kind_of(ID["spar2/C5.1"], 60) is Kind.PERCENT
    assert kind_of(ID["spar2/C5"], 70) is Kind.CAPACITY_PERCENT
    assert kind_of(ID["jee3/D2.1"], 3) is Kind.LEVEL
    assert kind_of(ID["gho/HWF_0001"], 19.3) is Kind.VALUE
    path = tmp_path / "out-of-range.csv"
    path.write_text(
        "country,indicator,period,value,source\n"
        "NGA,spar2:C5.1,2022,150,espar\n"
        "NGA,jee3:D2.1,2022,0,jee\n",
        encoding="utf-8",
    )
    report = validate_files([path], load_catalogue)
    assert not report.valid
    found = {(e.row, e.column, e.type) for e in report.errors}
    assert (2, "value", "percent-range") in found and (3, "value", "level-range") in found


def test_tidy_spar_scores_count_as_gaps(tmp_path: Path, load_catalogue, data: Path) -> None:
    """Nigeria's real 2022 C.14.1 score, given as a tidy row, is a Detect gap like the e-SPAR one."""
    import csv

    from hsfhs.build import build_into
    from hsfhs.loaders.load import load_files
    from hsfhs.query_service.gaps import gaps
    from hsfhs.store import EmbeddedStore

    with open(next((data / "espar").glob("espar_2022_*.tsv")), encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh, delimiter="\t") if r["Country"].strip() == "Nigeria")
    path = tmp_path / "nga.csv"
    path.write_text(
        f"country,indicator,period,value,source\nNGA,spar2:C14.1,2022,{row['C.14.1']},espar\n",
        encoding="utf-8",
    )
    store = EmbeddedStore(tmp_path / "store")
    build_into(store)
    assert load_files([path], store, load_catalogue).valid
    answer = gaps(store, {"country": "NGA", "function": "detect", "year": "2022"})
    scores = {g["code"]: (float(g["score"]), g["level"]) for g in answer["gaps"]}
    value = float(row["C.14.1"])
    # C14 has one indicator: its score is the indicator's, its level the 20-point band
    assert scores == {"C14": (value, int(value // 20))} and value <= 40
