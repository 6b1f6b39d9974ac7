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
