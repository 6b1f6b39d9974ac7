"""Capacity scores and levels: the banding at every boundary, the rule on real rows, and
that no level outside 1-5 exists anywhere in a store loaded with all the bundled data."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import openpyxl
import pytest
from qs_data import DATA, espar_rows, query_store

from hsfhs.loaders.scores import band, whole_percent
from hsfhs.query_service.action_plan import action_plan
from hsfhs.store import EmbeddedStore

PREFIXES = (
    "PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>\n"
    "PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>\n"
)


@pytest.mark.parametrize(
    ("percent", "level"),
    [
        ("0", None), ("0.4", 1), ("1", 1), ("7", 1), ("20", 1), ("20.01", 2), ("21", 2),
        ("40", 2), ("40.5", 3), ("41", 3), ("53", 3), ("60", 3), ("61", 4), ("80", 4),
        ("81", 5), ("100", 5), ("100.5", None), ("-1", None),
    ],
)  # fmt: skip
def test_level_bands_at_every_boundary(percent, level):
    assert band(Decimal(percent)) == level


def test_every_indicator_score_falls_in_its_own_level():
    """A SPAR indicator at level l is published as l x 20 %: the band gives l back."""
    for level in range(1, 6):
        assert band(Decimal(level * 20)) == level


def test_whole_percent_rounds_half_up_as_who_does():
    assert [whole_percent(Decimal(x)) for x in ("66.67", "53.33", "46.5", "6.67")] == [
        Decimal(67), Decimal(53), Decimal(47), Decimal(7)]
    # every published capacity average of the 2022 export is that rounding of its mean
    for row in espar_rows().values():
        for key, value in row.items():
            if key and key.count(".") == 1 and key.startswith("C.") and value.strip().isdigit():
                parts = [float(row[k]) for k in row if k and k.startswith(key + ".")]
                assert whole_percent(Decimal(str(sum(parts) / len(parts)))) == Decimal(value)


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore(query_store())


def test_no_level_outside_1_to_5_for_any_country(bundled_load):
    store, report = bundled_load
    assert report.written
    rows = store.select(PREFIXES + "SELECT ?kind (MIN(?l) AS ?low) (MAX(?l) AS ?high) (COUNT(?l) AS ?n) "
                        "WHERE { ?o hsfhs:levelScore ?l ; a ?kind . "
                        "VALUES ?kind { hsfhs:ScoreObservation hsfhs:CapacityScore } } GROUP BY ?kind")
    found = {r["kind"].rsplit("#", 1)[1]: (int(r["low"]), int(r["high"]), int(r["n"]))
             for r in rows.values()}
    assert set(found) == {"ScoreObservation", "CapacityScore"}
    for low, high, n in found.values():
        assert 1 <= low <= high <= 5 and n > 1000
    levels = store.select(PREFIXES + "SELECT DISTINCT ?l WHERE { ?o hsfhs:level ?l }").values()
    assert {r["l"] for r in levels} <= {f"https://w3id.org/hsfhs/id/level/{n}" for n in range(1, 6)}


def test_capacity_scores_of_real_rows(store):
    rows = {r["code"]: r for r in store.select(
        PREFIXES + "SELECT ?code ?score ?level ?method ?published ?status WHERE { "
        "?s hsfhs:refCapacity ?c ; sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?y ; "
        "hsfhs:observationStatus ?status . ?c <http://www.w3.org/2004/02/skos/core#notation> ?code . "
        "OPTIONAL { ?s hsfhs:scorePercent ?score } OPTIONAL { ?s hsfhs:levelScore ?level } "
        "OPTIONAL { ?s hsfhs:scoreMethod ?method } OPTIONAL { ?s hsfhs:publishedScore ?published } "
        "VALUES (?area ?y) { (<https://w3id.org/hsfhs/id/country/LIE> "
        '"2022"^^<http://www.w3.org/2001/XMLSchema#gYear>) } }').values()}
    # Liechtenstein's C11 is 0 % throughout: no score, no level, status zero
    assert espar_rows()["Liechtenstein"]["C.11"] == "0"
    assert rows["C11"]["status"].endswith("#zero") and "level" not in rows["C11"]
    assert "score" not in rows["C11"] and rows["C11"]["published"] == "0"
    assert rows["C1"]["method"].endswith("#publishedAverage")


def _spar2018_rows() -> dict[str, dict[str, object]]:
    """The 2018 workbook as country -> {heading: value}, below its header row."""
    book = openpyxl.load_workbook(DATA / "espar" / "espar_2018_SPAR_Data_2018_2019July9.xlsx",
                                  read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if "State Party of IHR" in r)
    heads = rows[header]
    return {r[heads.index("State Party of IHR")].strip(): dict(zip(heads, r, strict=False))
            for r in rows[header + 1:] if r and r[heads.index("State Party of IHR")]}


def _rtsl_actions(indicator: str, level: int) -> set[tuple[str, int, int]]:
    """(benchmark, level, action number) the RTSL crosswalk gives a SPAR 2018 indicator to
    reach ``level``: the benchmarks of its MasterTable rows and of WHO's JSON links (for the
    technical areas the MasterTable does not cover: 13, 15-18, benchmark 3.4), with their
    actions of that level in the WHO Benchmarks action list (the MasterTable's own level
    column is wrong in four blocks: tests/test_catalogue_counts.py)."""
    book = openpyxl.load_workbook(DATA / "benchmarks2019" / "assessment_to_benchmark_action_crosswalk.xlsx",
                                  read_only=True)
    rows = book["MasterTable"].iter_rows(values_only=True)
    heads = list(next(rows))
    table = [dict(zip(heads, r, strict=False)) for r in rows if r[heads.index("BENCHCAP")]]
    area, number = indicator.split(".")
    benchmarks = {f"{r['BENCHCAP']}.{r['BENCHIND']}" for r in table
                  if r["SPARCAP"] == area and r["SPARIND"] == int(number)}
    links = json.loads((DATA / "benchmarks2019" / "benchmark_indicators_assessment_indicators.json")
                       .read_text(encoding="utf-8"))
    benchmarks |= {link["benchmark_indicator_display_abbreviation"] for link in links
                   if link["named_id"] == f"spar_2018_ind_{area.lower()}{number}"}
    with open(DATA / "codelists" / "who_ihr_benchmarks_2019_actions.csv", encoding="utf-8") as fh:
        return {(r["benchmark_code"], level, int(r["sequence"])) for r in csv.DictReader(fh)
                if r["benchmark_code"] in benchmarks and int(r["target_level"]) == level}


@pytest.mark.parametrize(("iso3", "name"), [("PNG", "Papua New Guinea"), ("NGA", "Nigeria")])
def test_a_spar2018_plan_is_the_rtsl_crosswalk_for_its_unmet_indicators(store, iso3, name):
    row = _spar2018_rows()[name]
    answer = action_plan(store, {"country": iso3, "year": "2018"})
    assert answer["framework"] == "spar2018"
    expected: set[tuple[str, int, int]] = set()
    unmet_capacities = set()
    for capacity in {h.split(" ")[-1] for h in row if isinstance(h, str) and h.startswith("Level C")}:
        published = row[f"Level {capacity}"]
        indicators = {h: v for h, v in row.items() if isinstance(h, str)
                      and h.startswith(f"C.{capacity[1:]}.") and isinstance(v, int | float)}
        if not indicators or any(v == 0 for v in indicators.values()):
            continue  # none in these two rows; the zero rule has its own tests
        if band(Decimal(str(published))) >= 3:
            continue
        unmet_capacities.add(capacity)
        for heading, value in indicators.items():
            if 0 < value < 60:
                expected |= _rtsl_actions(heading.replace("C.", "C"), int(value // 20) + 1)
    assert {c["code"] for c in answer["capacities"]} == unmet_capacities
    got = {(b["code"], a["targetLevel"], a["sequence"]) for b in answer["benchmarks"]
           for a in b["actions"]}
    assert got == expected and expected
