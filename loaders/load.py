"""Validate and load data files: parse all, validate all, then write all in one call.

``load_files`` touches the store exactly once, with ``store.replace_graphs`` holding
every file's graph, so a load is atomic: invalid data, a parse error in any file, or a
killed process leaves the store as it was. Loading a file again replaces its graph
(the graph is named from the file name); a newer report year, a new file, adds beside.

Strict is the default: any invalid cell and nothing is written. ``skip_invalid``
(``--skip-invalid``) loads the valid cells and lists every skipped one in the report
(``Report.skipped``) and counts it in the file's PROV record; ``period`` (``--period``)
gives the report year of files that state none (see loaders/espar.py).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from hsfhs.store import Store

from . import detect, lenient
from .catalogue_slice import CatalogueSlice
from .context import Context
from .errors import Issues, LoadError, LoadFailure
from .lookup import CatalogueIndex
from .records import ParsedFile
from .scores import capacity_scores
from .tables import read_tables
from .to_rdf import file_triples, graph_iri
from .validate import validate_triples

DATA_SUFFIXES = {".tsv", ".csv", ".txt", ".xlsx", ".xlsm", ".xls"}
Progress = Callable[[Path], None]
Graphs = dict[str, list[ox.Triple]]  # graph IRI -> the triples of one file


@dataclass
class FileResult:
    path: Path
    format: str | None
    graph: str
    rows: int = 0
    observations: int = 0
    triples: int = 0
    sha256: str = ""
    capacity_scores: int = 0
    # the load summary: what the reader recognised (loaders/records.py ParsedFile)
    layout: str = ""
    framework: str = ""
    period: str = ""
    period_source: str = ""
    countries: int = 0
    skipped: int = 0
    absent: int = 0


@dataclass
class Report:
    """What a validation or load did: per-file counts, errors, notices, timings."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    notices: list[LoadError] = field(default_factory=list)
    skipped: list[LoadError] = field(default_factory=list)  # --skip-invalid: cells not loaded
    shacl: Graph | None = None
    written: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "written": self.written,
            "files": [{"path": str(f.path), "format": f.format, "graph": f.graph,
                       "rows": f.rows, "observations": f.observations,
                       "capacityScores": f.capacity_scores, "triples": f.triples,
                       "sha256": f.sha256, "layout": f.layout, "framework": f.framework,
                       "period": f.period, "periodSource": f.period_source,
                       "countries": f.countries, "skippedCells": f.skipped,
                       "absentValues": f.absent} for f in self.files],
            "errors": [e.as_dict() for e in self.errors],
            "notices": [n.as_dict() for n in self.notices],
            "skipped": [s.as_dict() for s in self.skipped],
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the data files (by suffix) inside directories, sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file()
                            and f.suffix.lower() in DATA_SUFFIXES and not f.name.startswith("."))
        else:
            found.append(p)
    return found


def parse_file(path: Path, ctx: Context, fmt: str | None = None) -> ParsedFile:
    """One file read into records; every problem ends up in ``errors``, never raised."""
    issues = Issues(path.name, skip_invalid=ctx.skip_invalid)
    try:
        data = path.read_bytes()
    except OSError as exc:
        parsed = ParsedFile(path, fmt or "?", "")
        parsed.errors.append(LoadError("unreadable-file", path.name,
                                       message=f"cannot read: {exc.strerror or exc}"))
        return parsed
    parsed = ParsedFile(path, fmt or "?", hashlib.sha256(data).hexdigest())
    try:
        tables = read_tables(path.name, data, issues)
        found = fmt or detect.detect(tables)
        if found is None:
            raise issues.fail("unknown-format", "not a layout hsfhs knows (e-SPAR, JEE, GHO "
                              "or tidy CSV); name it with --format")
        parsed.format = found
        detect.PARSERS[found].parse(tables, parsed, ctx, issues)
        if parsed.rows == 0 and not issues.errors:
            issues.error("no-data-rows", "the file has a header but no data rows")
    except LoadFailure as failure:
        issues.errors.append(failure.error)
    parsed.errors += issues.errors
    parsed.notices += issues.notices
    parsed.skipped += issues.skipped
    return parsed


def prepare(paths: Iterable[str | Path], catalogue: CatalogueSlice, fmt: str | None = None,
            progress: Progress | None = None, period: int | None = None,
            skip_invalid: bool = False) -> tuple[Report, Graphs]:
    """Parse and validate every file; the triples to write (by graph), and the report."""
    report = Report()
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    ctx = Context.from_index(CatalogueIndex.from_triples(catalogue), period, skip_invalid)
    graphs: Graphs = {}
    files: list[tuple[ParsedFile, FileResult]] = []
    for path in expand(paths):
        parsed = parse_file(path, ctx, fmt)
        parsed.scores = capacity_scores(parsed.records, ctx.index)
        iri = str(graph_iri(path.name))
        if iri in graphs:
            parsed.errors.append(LoadError("duplicate-file-name", path.name, message=(
                "two files of this load have the same name, so the same graph; rename one")))
        report.errors += parsed.errors
        report.notices += parsed.notices
        result = FileResult(path, parsed.format if parsed.format != "?" else None, iri,
                            parsed.rows, len(parsed.records), sha256=parsed.sha256,
                            capacity_scores=len(parsed.scores))
        report.files.append(result)
        files.append((parsed, result))
        if not parsed.errors or parsed.records:
            graphs[iri] = file_triples(parsed, started)
        if progress:
            progress(path)
    report.seconds["parse"] = time.perf_counter() - t0
    if graphs:
        _validate(report, graphs, files, catalogue, started, skip_invalid, ctx)
    for parsed, result in files:
        _summarise(result, parsed, graphs.get(result.graph))
        report.skipped += parsed.skipped
    return report, graphs


def _validate(report: Report, graphs: Graphs, files: list[tuple[ParsedFile, FileResult]],
              catalogue: CatalogueSlice, started: datetime, skip_invalid: bool,
              ctx: Context) -> None:
    """SHACL over all new graphs; with --skip-invalid, rejected cells skipped and again."""
    validation = validate_triples(_all(graphs), catalogue)
    report.seconds["validate"] = validation.seconds
    errors = validation.errors
    if skip_invalid and errors:
        parsed_files = {result.graph: parsed for parsed, result in files
                        if result.graph in graphs}
        errors, changed = lenient.skip_rejected_cells(parsed_files, errors)
        for iri in changed:
            parsed = parsed_files[iri]
            parsed.scores = capacity_scores(parsed.records, ctx.index)  # from the cells kept
            graphs[iri] = file_triples(parsed, started)
        if changed:
            validation = validate_triples(_all(graphs), catalogue)
            report.seconds["validate"] += validation.seconds
            errors = validation.errors
    report.errors += errors
    report.shacl = validation.report


def _all(graphs: Graphs) -> Iterable[ox.Triple]:
    for triples in graphs.values():
        yield from triples


def _summarise(result: FileResult, parsed: ParsedFile, graph: list[ox.Triple] | None) -> None:
    """The per-file lines of the load summary, from what the reader recognised."""
    result.observations = len(parsed.records)
    result.capacity_scores = len(parsed.scores)
    result.triples = len(graph) if graph is not None else 0
    result.layout, result.framework = parsed.layout, parsed.framework
    years = sorted({r.period for r in parsed.records})
    result.period = parsed.period or (
        "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}")
    result.period_source = parsed.period_source
    result.countries = len({r.country for r in parsed.records})
    result.skipped, result.absent = parsed.skipped_cells, parsed.absent


def validate_files(paths: Iterable[str | Path], catalogue: CatalogueSlice, fmt: str | None = None,
                   progress: Progress | None = None, period: int | None = None,
                   skip_invalid: bool = False) -> Report:
    """Everything a load does except writing."""
    return prepare(paths, catalogue, fmt, progress, period, skip_invalid)[0]


def load_files(paths: Iterable[str | Path], store: Store, catalogue: CatalogueSlice,
               fmt: str | None = None, progress: Progress | None = None,
               period: int | None = None, skip_invalid: bool = False) -> Report:
    """Validate, then write every file's graph in one atomic ``replace_graphs`` call."""
    report, graphs = prepare(paths, catalogue, fmt, progress, period, skip_invalid)
    if report.valid and graphs:
        t0 = time.perf_counter()
        store.replace_graphs(graphs)
        report.seconds["write"] = time.perf_counter() - t0
        report.written = True
    return report


__all__ = ["FileResult", "Report", "expand", "load_files", "validate_files"]
