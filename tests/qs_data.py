"""Test data for the query service: the real catalogue and real e-SPAR and GHO files.

``query_store()`` builds the store once per test session (whichever query-service test
module asks first) and every module reuses it. The hand computations the tests compare
against read the source files themselves with the csv module: the e-SPAR TSV for the
scores, data/crosswalks for which capacity serves which function and depends on which.
"""

from __future__ import annotations

import atexit
import csv
import functools
import math
import shutil
import tempfile
from pathlib import Path

from hsfhs.build import build_into
from hsfhs.loaders import catalogue_slice
from hsfhs.resources import data_dir
from hsfhs.store import EmbeddedStore

DATA = data_dir()
ESPAR_2022 = DATA / "espar" / "espar_2022_IHRScoreperCapacity_202305051146.tsv"
ESPAR_2018 = DATA / "espar" / "espar_2018_SPAR_Data_2018_2019July9.xlsx"
GHO_DOCTORS = DATA / "gho" / "gho_HWF_0001_medical_doctors_per10000.csv"
GHO_DENTISTS = DATA / "gho" / "gho_HWF_0010_dentists_per10000.csv"
GHO_COUNTRIES = ("NGA", "KEN")  # the GHO rows loaded: the whole file takes ~15 s to validate
# ... and the per-10 000 densities of every country, which percentiles need
GHO_DENSITIES = ("HWF_0001", "HWF_0010")
WORLDBANK = DATA / "reference" / "worldbank_CLASS_2023.xlsx"
NAPHS = DATA / "reference" / "naphs_dates_cghss.tsv"
ID = "https://w3id.org/hsfhs/id/"


@functools.cache
def query_store() -> Path:
    """The catalogue, the e-SPAR 2018 and 2022 files and GHO rows, loaded as ``hsfhs load`` does."""
    from hsfhs.loaders.load import load_files

    path = Path(tempfile.mkdtemp(prefix="hsfhs-query-service-"))
    atexit.register(shutil.rmtree, path, True)
    store = EmbeddedStore(path)
    build_into(store, path / "catalogue.ttl")
    report = load_files(query_store_files(path), store, catalogue_slice.from_store(store))
    assert report.valid and report.written, report.errors[:5]
    return path


def query_store_files(folder: Path) -> list[Path]:
    """The files ``query_store()`` loads (the GHO cuts written into ``folder``): what any
    other store compared with it (Virtuoso's) loads too."""
    return [ESPAR_2022, ESPAR_2018, gho_subset(folder / "gho_HWF_0001_two_countries.csv"),
            gho_subset(folder / "gho_HWF_0010_densities.csv", GHO_DENTISTS), WORLDBANK, NAPHS]


def query_app():
    """The service (Flask app) on the query-service test store, as the API tests use it."""
    from hsfhs.query_service.app import create_app

    return create_app({"STORE_PATH": str(query_store()), "TESTING": True, "QUERY_WORKERS": 2})


def query_client():
    """A test client of ``query_app()``, for a module fixture: its query workers stop after."""
    app = query_app()
    yield app.test_client()
    app.extensions["hsfhs.executor"].close()


def gho_subset(target: Path, source: Path = GHO_DOCTORS) -> Path:
    """A real GHO export cut to the header, the rows of GHO_COUNTRIES and the rows of the
    densities (GHO_DENSITIES) of every country, unchanged."""
    with open(source, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("SpatialDimValueCode")
    code = rows[0].index("IndicatorCode")
    keep = [r for r in rows[1:] if r[column] in GHO_COUNTRIES or r[code] in GHO_DENSITIES]
    with open(target, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([rows[0]] + keep)
    return target


def gho_latest(source: Path, indicator: str) -> dict[str, tuple[int, float]]:
    """ISO3 -> (year, value) of each country's latest value in a GHO export (no breakdown)."""
    out: dict[str, tuple[int, float]] = {}
    with open(source, encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["IndicatorCode"] != indicator or r["Location type"] != "Country" or r["Dim1"]:
                continue
            year, value = int(r["Period"]), float(r["FactValueNumeric"])
            if r["SpatialDimValueCode"] not in out or year > out[r["SpatialDimValueCode"]][0]:
                out[r["SpatialDimValueCode"]] = (year, value)
    return out


REGIONS = {"African Region": "AFRO", "Region of the Americas": "AMRO",
           "South-East Asia Region": "SEARO", "European Region": "EURO",
           "Eastern Mediterranean Region": "EMRO", "Western Pacific Region": "WPRO"}


@functools.cache
def member_states() -> dict[str, str]:
    """ISO3 -> WHO region code of every WHO Member State, from who_member_states.tsv."""
    with open(DATA / "reference" / "who_member_states.tsv", encoding="utf-8", newline="") as fh:
        return {r["iso_3166"].split("|")[1].strip() if "|" in r["iso_3166"] else r["iso_3166"]:
                REGIONS.get(r["who_region"], "")
                for r in csv.DictReader(fh, delimiter="\t") if r["who_member_state"] == "TRUE"}


def gho_values(iso3: str, indicator: str = "HWF_0001") -> dict[str, float]:
    """Year -> FactValueNumeric of one country and GHO indicator, read from the export."""
    with open(GHO_DOCTORS, encoding="utf-8-sig", newline="") as fh:
        return {
            r["Period"]: float(r["FactValueNumeric"])
            for r in csv.DictReader(fh)
            if r["SpatialDimValueCode"] == iso3 and r["IndicatorCode"] == indicator
        }


@functools.cache
def espar_rows() -> dict[str, dict[str, str]]:
    """The 2022 e-SPAR TSV as country name (stripped) -> row."""
    with open(ESPAR_2022, encoding="utf-8", newline="") as fh:
        return {row["Country"].strip(): row for row in csv.DictReader(fh, delimiter="\t")}


def number(cell: str) -> float | None:
    """A TSV cell as a number; "no data" (countries that did not report) is None."""
    try:
        return float(cell)
    except ValueError:
        return None


def _crosswalk(name: str) -> list[dict[str, str]]:
    with open(DATA / "crosswalks" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _codelist(name: str) -> list[dict[str, str]]:
    with open(DATA / "codelists" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the rules of docs/model.md, written again here from the CSVs, independently ------------


def band(percent: float) -> int | None:
    """The capacity level of a score: 1-20 % -> 1, ..., 81-100 % -> 5; 0 % -> none."""
    if percent <= 0:
        return None
    return math.ceil(percent / 20)


def spar2_capacity_codes() -> list[str]:
    return sorted({r["capacity_code"] for r in _codelist("spar2_2021_capacities_indicators.csv")},
                  key=lambda c: int(c[1:]))


def spar2_indicators() -> dict[str, list[str]]:
    """SPAR2 capacity -> its indicator codes, from the code list."""
    out: dict[str, list[str]] = {}
    for r in _codelist("spar2_2021_capacities_indicators.csv"):
        out.setdefault(r["capacity_code"], []).append(r["indicator_code"])
    return out


@functools.cache
def spar2_close_jee3() -> dict[str, str]:
    """SPAR2 capacity -> the JEE3 area it is an exact or close match of."""
    return {
        r["code"]: r["target_code"]
        for r in _crosswalk("alignment_capacities.csv")
        if r["framework"] == "spar2" and r["target_framework"] == "jee3"
        and r["relation"] in ("exact", "close")
    }


def jee3_functions() -> dict[str, set[str]]:
    """JEE3 area -> functions: its pillar (code list), else the curated rows."""
    out: dict[str, set[str]] = {}
    for r in _codelist("jee3_2022_technical_areas_indicators.csv"):
        if r["pillar"] in ("Prevent", "Detect", "Respond"):
            out.setdefault(r["technical_area_code"], set()).add(r["pillar"].lower())
    for r in _crosswalk("capacity_functions.csv"):
        if r["framework"] == "jee3":
            out.setdefault(r["code"], set()).add(r["function"])
    return out


def spar2_contributors(function: str) -> set[str]:
    """SPAR2 capacities serving a function: the function of the JEE3 area they closely match."""
    functions = jee3_functions()
    return {spar for spar, jee3 in spar2_close_jee3().items()
            if function in functions.get(jee3, set())}


def spar2_dependencies(function: str) -> dict[str, set[str]]:
    """SPAR2 capacity -> SPAR2 capacities it depends on for ``function`` (JEE3 rows, carried)."""
    by_area: dict[str, set[str]] = {}
    for spar, jee3 in spar2_close_jee3().items():
        by_area.setdefault(jee3, set()).add(spar)
    edges: dict[str, set[str]] = {}
    for r in _crosswalk("capacity_dependencies.csv"):
        if r["function"] and r["function"] != function:
            continue
        for a in by_area.get(r["jee3_code"], ()):
            for b in by_area.get(r["depends_on"], ()):
                if a != b:
                    edges.setdefault(a, set()).add(b)
    return edges


def capacity_score(row: dict[str, str], capacity: str) -> tuple[float | None, int | None]:
    """(score, level) of a SPAR2 capacity from its TSV row, by the rule of docs/model.md."""
    values = [number(row[f"C.{code[1:]}"]) for code in spar2_indicators()[capacity]]
    values = [v for v in values if v is not None]
    scored = [v for v in values if v > 0]
    published = number(row[f"C.{capacity[1:]}"])
    if published is not None and published > 0 and len(scored) == len(values):
        score = published
    elif scored:
        score = math.floor(sum(scored) / len(scored) + 0.5)
    else:
        return None, None
    return score, band(score)


def expected_gaps(country: str, function: str, target: int = 3, depth: int = 1) -> dict[str, dict]:
    """The hand computation: code -> {relation, score, level} for the unmet capacities."""
    row = espar_rows()[country]
    direct = spar2_contributors(function)
    edges = spar2_dependencies(function)
    needed = {c: "direct" for c in direct}
    frontier = sorted(direct)
    for _ in range(depth):
        frontier = sorted({n for c in frontier for n in edges.get(c, ()) if n not in needed})
        needed.update({c: "indirect" for c in frontier})
    out = {}
    for code, relation in needed.items():
        score, level = capacity_score(row, code)
        if level is not None and level < target:
            out[code] = {"relation": relation, "score": score, "level": level}
    return out


def not_scored(country: str, function: str, depth: int = 1) -> set[str]:
    """The needed capacities of a country with no scored indicator (SPAR 0 %)."""
    row = espar_rows()[country]
    needed = set(spar2_contributors(function))
    frontier = set(needed)
    edges = spar2_dependencies(function)
    for _ in range(depth):
        frontier = {n for c in frontier for n in edges.get(c, ())} - needed
        needed |= frontier
    return {c for c in needed if capacity_score(row, c) == (None, None)
            and number(row[f"C.{c[1:]}"]) is not None}
