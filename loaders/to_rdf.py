"""Records -> one rdflib Graph per file, following docs/model.md.

Each record becomes an ``hsfhs:ScoreObservation`` (a ``qb:Observation``) named
``{graph}/obs/{row}/{column-slug}``, derived from its source row ``id:file/{sha}/row/{n}``.
The graph also carries the file as a ``prov:Entity``, the load as a ``prov:Activity``
and the ``qb:DataSet`` the observations belong to, so any value can be traced to the
file, row and column it came from, and the file to the moment it was loaded.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from hsfhs.namespaces import HSFHS, ID, QB, SDMX_DIM, SDMX_MEASURE

from .records import Kind, ParsedFile, Record

TWENTY = Decimal(20)


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens: ``C.5.1`` -> ``c-5-1``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def graph_iri(file_name: str) -> URIRef:
    return ID[f"graph/{slug(file_name)}"]


def file_iri(sha256: str) -> URIRef:
    return ID[f"file/{sha256[:16]}"]


def implied_level(record: Record) -> int | None:
    """The capacity level a value gives or implies: a JEE score, or SPAR percent / 20."""
    if record.kind is Kind.LEVEL:
        return int(record.value)
    if record.kind is Kind.PERCENT and record.value % TWENTY == 0 and 0 < record.value <= 100:
        return int(record.value / TWENTY)
    return None


def observations_graph(parsed: ParsedFile, started: datetime,
                       ended: datetime | None = None) -> Graph:
    """The named-graph content of one parsed file."""
    g = Graph(store="SimpleMemory")  # no contexts: a third faster than the default store
    base = graph_iri(parsed.path.name)
    source_file = file_iri(parsed.sha256)
    dataset = URIRef(f"{base}/dataset")
    activity = URIRef(f"{base}/activity")
    ended = ended or datetime.now(UTC)

    g.add((source_file, RDF.type, PROV.Entity))
    g.add((source_file, DCTERMS.title, Literal(parsed.path.name)))
    g.add((source_file, HSFHS.sha256, Literal(parsed.sha256)))
    g.add((source_file, HSFHS.rowCount, Literal(parsed.rows)))
    g.add((source_file, DCTERMS.format, Literal(parsed.format)))
    if parsed.sheet:
        g.add((source_file, HSFHS.sheet, Literal(parsed.sheet)))
    # --skip-invalid: what was not loaded, and why, is in the load report; here, how much
    g.add((source_file, HSFHS.skippedCells, Literal(parsed.skipped_cells)))
    g.add((source_file, HSFHS.absentValues, Literal(parsed.absent)))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.used, source_file))
    g.add((activity, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
    g.add((activity, PROV.endedAtTime, Literal(ended, datatype=XSD.dateTime)))
    g.add((dataset, RDF.type, QB.DataSet))
    g.add((dataset, PROV.wasDerivedFrom, source_file))
    g.add((dataset, PROV.wasGeneratedBy, activity))
    g.add((dataset, DCTERMS.title, Literal(f"Observations from {parsed.path.name}")))

    rows_seen: set[int] = set()
    for record in parsed.records:
        row = ID[f"file/{parsed.sha256[:16]}/row/{record.row}"]
        if record.row not in rows_seen:
            rows_seen.add(record.row)
            g.add((row, DCTERMS.isPartOf, source_file))
        _observation(g, URIRef(f"{base}/obs/{record.row}/{slug(record.column)}"), record,
                     dataset, row)
    # Data sources (id:source/espar ...) are catalogue individuals (data/crosswalks/data_sources.csv)
    g += parsed.extra
    return g


def _observation(g: Graph, obs: URIRef, record: Record, dataset: URIRef, row: URIRef) -> None:
    triples = [
        (obs, RDF.type, HSFHS.ScoreObservation),
        (obs, RDF.type, QB.Observation),
        (obs, QB.dataSet, dataset),
        (obs, SDMX_DIM.refArea, ID[f"country/{record.country}"]),
        (obs, SDMX_DIM.refPeriod, Literal(str(record.period), datatype=XSD.gYear)),
        (obs, HSFHS.refIndicator, record.indicator),
        (obs, HSFHS.dataSource, record.source),
        (obs, PROV.wasDerivedFrom, row),
        (obs, HSFHS.sourceColumn, Literal(record.column)),
    ]
    if record.kind in (Kind.PERCENT, Kind.CAPACITY_PERCENT, Kind.OVERALL_PERCENT):
        triples.append((obs, HSFHS.scorePercent, Literal(record.value, datatype=XSD.decimal)))
    elif record.kind is Kind.VALUE:
        triples.append((obs, SDMX_MEASURE.obsValue, Literal(record.value, datatype=XSD.decimal)))
    level = implied_level(record)
    if level is not None:
        triples.append((obs, HSFHS.levelScore, Literal(level, datatype=XSD.integer)))
        triples.append((obs, HSFHS.level, ID[f"level/{level}"]))
    g.addN((s, p, o, g) for s, p, o in triples)
