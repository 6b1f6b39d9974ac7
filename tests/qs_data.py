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
import shutil
import tempfile
from pathlib import Path

from hsfhs.build import build_into
from hsfhs.namespaces import CATALOGUE_GRAPH
from hsfhs.resources import data_dir
from hsfhs.store import EmbeddedStore

DATA = data_dir()
ESPAR_2022 = DATA / "espar" / "espar_2022_IHRScoreperCapacity_202305051146.tsv"
ESPAR_2018 = DATA / "espar" / "espar_2018_SPAR_Data_2018_2019July9.xlsx"
GHO_DOCTORS = DATA / "gho" / "gho_HWF_0001_medical_doctors_per10000.csv"
GHO_COUNTRIES = ("NGA", "KEN")  # the GHO rows loaded: the whole file takes ~15 s to validate
ID = "https://w3id.org/hsfhs/id/"


@functools.cache
def query_store() -> Path:
    """The catalogue, the e-SPAR 2018 and 2022 files and GHO rows, loaded as ``hsfhs load`` does."""
    from hsfhs.loaders.load import load_files

    path = Path(tempfile.mkdtemp(prefix="hsfhs-query-service-"))
    atexit.register(shutil.rmtree, path, True)
    store = EmbeddedStore(path)
    build_into(store, path / "catalogue.ttl")
    files = [ESPAR_2022, ESPAR_2018, gho_subset(path / "gho_HWF_0001_two_countries.csv")]
    report = load_files(files, store, store.export_graph(str(CATALOGUE_GRAPH)))
    assert report.valid and report.written, report.errors[:5]
    return path


def gho_subset(target: Path) -> Path:
    """The real GHO export cut to the header and the rows of GHO_COUNTRIES, unchanged."""
    with open(GHO_DOCTORS, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("SpatialDimValueCode")
    with open(target, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([rows[0]] + [r for r in rows[1:] if r[column] in GHO_COUNTRIES])
    return target


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


def below(cell: str, threshold: float = 60) -> bool:
    """A TSV cell scoring below the threshold; "no data" is never below."""
    value = number(cell)
    return value is not None and value < threshold


def _crosswalk(name: str) -> list[dict[str, str]]:
    with open(DATA / "crosswalks" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def spar2_to_jee3() -> dict[str, str]:
    """SPAR2 capacity code -> its JEE3 area, from alignment_capacities.csv."""
    return {
        r["code"]: r["jee3_code"]
        for r in _crosswalk("alignment_capacities.csv")
        if r["framework"] == "spar2"
    }


def spar2_contributors(function: str) -> set[str]:
    """SPAR2 capacities serving a function: JEE3 pillars carried through the alignment."""
    areas = {
        r["code"]
        for r in _crosswalk("capacity_functions.csv")
        if r["framework"] == "jee3" and r["function"] == function
    }
    return {spar for spar, jee3 in spar2_to_jee3().items() if jee3 in areas}


def spar2_dependencies() -> dict[str, set[str]]:
    """SPAR2 capacity -> the SPAR2 capacities it depends on directly (JEE3 edges, carried)."""
    by_area: dict[str, set[str]] = {}
    for spar, jee3 in spar2_to_jee3().items():
        by_area.setdefault(jee3, set()).add(spar)
    edges: dict[str, set[str]] = {}
    for r in _crosswalk("capacity_dependencies.csv"):
        for a in by_area.get(r["jee3_code"], ()):
            for b in by_area.get(r["depends_on"], ()):
                if a != b:
                    edges.setdefault(a, set()).add(b)
    return edges


def expected_gaps(country: str, function: str, threshold: float = 60) -> dict[str, dict]:
    """The hand computation: code -> {relation, score} for the unmet capacities."""
    row = espar_rows()[country]
    score = {code: float(row[f"C.{code[1:]}"]) for code in spar2_to_jee3()}
    direct = spar2_contributors(function)
    edges = spar2_dependencies()
    reached: set[str] = set()
    todo = list(direct)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    out = {c: {"relation": "direct", "score": score[c]} for c in direct if score[c] < threshold}
    out.update(
        {
            c: {"relation": "indirect", "score": score[c]}
            for c in reached - direct
            if score[c] < threshold
        }
    )
    return out
