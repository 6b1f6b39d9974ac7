"""WHO's own links from benchmarks to assessment indicators, read from the two RTSL files.

Two published forms of the WHO Benchmarks for IHR capacities (2019) mapping:

- ``benchmark_indicators_assessment_indicators.json``: 137 benchmark -> indicator links
  (JEE 1st and 2nd edition and SPAR 2018 indicators), for all 44 benchmarks;
- ``assessment_to_benchmark_action_crosswalk.xlsx``, sheet MasterTable: 1,053 rows
  JEE1 / JEE2 / SPAR 2018 indicator -> benchmark -> level -> action, for the benchmarks of
  technical areas 1-12 and 14 (each row one action; every action of a benchmark is listed).

A link either file states is official, and names the file(s) that state it; the two agree
on every pair but one (benchmark 10.2: JEE1 P4.2 in the JSON, JEE1 D4.2 in the MasterTable),
and both pairs are kept, each with the file that states it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from hsfhs.namespaces import HSFHS

from .codelist_io import CatalogueError, code_iri

BENCHMARKS = "WHO Benchmarks for IHR capacities (2019), ISBN 978-92-4-151542-9"
JSON_SOURCE = f"{BENCHMARKS}, as published in the RTSL benchmarks tool seed data (benchmark_indicators_assessment_indicators.json)"
XLSX_SOURCE = f"{BENCHMARKS}, RTSL Assessment-to-Benchmark-Action crosswalk (assessment_to_benchmark_action_crosswalk.xlsx, sheet MasterTable)"
# MasterTable column pairs (technical area, indicator number) of each assessment tool.
TOOLS = (("jee1", "JEE1CAP", "JEE1IND"), ("jee2", "JEE2CAP", "JEE2IND"), ("spar2018", "SPARCAP", "SPARIND"))


def _indicator_by_rtsl_id(graph: Graph) -> dict[str, URIRef]:
    return {str(rid): URIRef(ind) for ind, rid in graph.subject_objects(DCTERMS.identifier)
            if (ind, RDF.type, HSFHS.Indicator) in graph}


def _json_links(graph: Graph, folder: Path) -> Iterator[tuple[URIRef, URIRef]]:
    path = folder / "benchmark_indicators_assessment_indicators.json"
    if not path.is_file():
        raise CatalogueError(f"benchmark links {path} are missing")
    by_id = _indicator_by_rtsl_id(graph)
    for number, link in enumerate(json.loads(path.read_text(encoding="utf-8")), start=1):
        indicator = by_id.get(link["named_id"])
        if indicator is None:
            raise CatalogueError(f"{path.name}, item {number}: unknown indicator {link['named_id']!r}")
        benchmark = code_iri("benchmarks2019", link["benchmark_indicator_display_abbreviation"])
        if (benchmark, RDF.type, HSFHS.Benchmark) not in graph:
            raise CatalogueError(f"{path.name}, item {number}: unknown benchmark {benchmark}")
        yield benchmark, indicator


def master_table(folder: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """The rows of the action-level crosswalk that name a benchmark, with their row number."""
    import openpyxl

    path = folder / "assessment_to_benchmark_action_crosswalk.xlsx"
    if not path.is_file():
        raise CatalogueError(f"benchmark crosswalk {path} is missing")
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    try:
        rows = book["MasterTable"].iter_rows(values_only=True)
        heads = [str(h or "") for h in next(rows)]
        for number, cells in enumerate(rows, start=2):
            row = dict(zip(heads, cells, strict=False))
            if row.get("BENCHCAP") is not None:  # else no benchmark (SPAR 2018 C9.3), or empty
                yield number, row
    finally:
        book.close()


def _xlsx_links(graph: Graph, folder: Path) -> Iterator[tuple[URIRef, URIRef]]:
    path = folder / "assessment_to_benchmark_action_crosswalk.xlsx"
    for number, row in master_table(folder):
        benchmark = code_iri("benchmarks2019", f"{row['BENCHCAP']}.{row['BENCHIND']}")
        if (benchmark, RDF.type, HSFHS.Benchmark) not in graph:
            raise CatalogueError(f"{path.name}, MasterTable row {number}: unknown benchmark {benchmark}")
        for fw, area_col, number_col in TOOLS:
            area, indicator_number = row[area_col], row[number_col]
            if area is None:
                continue
            indicator = code_iri(fw, f"{area}.{indicator_number}")
            if (indicator, RDF.type, HSFHS.Indicator) not in graph:
                raise CatalogueError(f"{path.name}, MasterTable row {number}, column {area_col}: "
                                     f"unknown {fw} indicator {area}.{indicator_number}")
            yield benchmark, indicator


def official_benchmark_links(graph: Graph, data: Path) -> list[tuple[URIRef, URIRef, tuple[str, ...]]]:
    """Every (benchmark, indicator) pair WHO's published mapping states, with the files stating it."""
    folder = data / "benchmarks2019"
    sources: dict[tuple[URIRef, URIRef], list[str]] = {}
    for pair in _json_links(graph, folder):
        sources.setdefault(pair, [JSON_SOURCE])
    for pair in _xlsx_links(graph, folder):
        found = sources.setdefault(pair, [])
        if XLSX_SOURCE not in found:
            found.append(XLSX_SOURCE)
    return sorted(((b, i, tuple(s)) for (b, i), s in sources.items()), key=lambda t: (str(t[0]), str(t[1])))

