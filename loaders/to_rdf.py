"""Records -> one rdflib Graph per file, following docs/model.md.

Each record becomes an ``hsfhs:ScoreObservation`` (a ``qb:Observation``) named
``{graph}/obs/{row}/{column-slug}``, derived from its source row ``id:file/{sha}/row/{n}``.
The graph also carries the file as a ``prov:Entity``, the load as a ``prov:Activity``
and the ``qb:DataSet`` the observations belong to, so any value can be traced to the
file, row and column it came from, and the file to the moment it was loaded.

The capacity scores computed from the records (``scores.py``) become
``hsfhs:CapacityScore`` observations in a second data set of the same graph,
``{graph}/capacity-scores``, each ``prov:wasDerivedFrom`` the observations it was computed
from, so a reload replaces both together.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS, XSD

from hsfhs.namespaces import HSFHS, ID, QB, SDMX_DIM, SDMX_MEASURE

from .records import Kind, ParsedFile, Record
from .scores import MEAN, MEAN_OF_SCORED, PUBLISHED, ZERO, CapacityScore, indicator_level, status_of

STATUS = {"reported": HSFHS.reported, ZERO: HSFHS.zero}
METHOD = {PUBLISHED: HSFHS.publishedAverage, MEAN: HSFHS.meanOfIndicators,
          MEAN_OF_SCORED: HSFHS.meanOfScoredIndicators}


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens: ``C.5.1`` -> ``c-5-1``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def graph_iri(file_name: str) -> URIRef:
    return ID[f"graph/{slug(file_name)}"]


def file_iri(sha256: str) -> URIRef:
    return ID[f"file/{sha256[:16]}"]


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
        _observation(g, observation_iri(base, record), record, dataset, row)
    if parsed.scores:
        scores = URIRef(f"{base}/capacity-scores")
        g.add((scores, RDF.type, QB.DataSet))
        g.add((scores, PROV.wasDerivedFrom, source_file))
        g.add((scores, PROV.wasGeneratedBy, activity))
        g.add((scores, DCTERMS.title, Literal(f"Capacity scores computed from {parsed.path.name}")))
        for score in parsed.scores:
            _capacity_score(g, base, score, scores)
    # Data sources (id:source/espar ...) are catalogue individuals (data/crosswalks/data_sources.csv)
    g += parsed.extra
    return g


def observation_iri(base: URIRef, record: Record) -> URIRef:
    return URIRef(f"{base}/obs/{record.row}/{slug(record.column)}")


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
        (obs, HSFHS.observationStatus, STATUS[status_of(record)]),
    ]
    if record.kind in (Kind.PERCENT, Kind.CAPACITY_PERCENT, Kind.OVERALL_PERCENT):
        triples.append((obs, HSFHS.scorePercent, Literal(record.value, datatype=XSD.decimal)))
    elif record.kind is Kind.VALUE:
        triples.append((obs, SDMX_MEASURE.obsValue, Literal(record.value, datatype=XSD.decimal)))
    elif record.term is not None:  # country context: a category, a date or a yes/no
        measure = {Kind.CATEGORY: HSFHS.categoryValue, Kind.DATE: HSFHS.dateValue,
                   Kind.BOOLEAN: HSFHS.booleanValue}[record.kind]
        triples.append((obs, measure, record.term))
    if record.note:
        triples.append((obs, RDFS.comment, Literal(record.note)))
    level = indicator_level(record)
    if level is not None:
        triples.append((obs, HSFHS.levelScore, Literal(level, datatype=XSD.integer)))
        triples.append((obs, HSFHS.level, ID[f"level/{level}"]))
    g.addN((s, p, o, g) for s, p, o in triples)


def _capacity_score(g: Graph, base: URIRef, score: CapacityScore, dataset: URIRef) -> None:
    capacity = str(score.capacity).removeprefix(str(ID)).replace("/", "-")
    source = str(score.source).rsplit("/", 1)[-1]
    iri = URIRef(f"{base}/capacity-score/{source}/{score.country}/{score.period}/{capacity}")
    triples = [
        (iri, RDF.type, HSFHS.CapacityScore),
        (iri, RDF.type, QB.Observation),
        (iri, QB.dataSet, dataset),
        (iri, SDMX_DIM.refArea, ID[f"country/{score.country}"]),
        (iri, SDMX_DIM.refPeriod, Literal(str(score.period), datatype=XSD.gYear)),
        (iri, HSFHS.refCapacity, score.capacity),
        (iri, HSFHS.dataSource, score.source),
        (iri, HSFHS.observationStatus, STATUS[score.status]),
        (iri, HSFHS.indicatorsScored, Literal(score.scored, datatype=XSD.integer)),
        (iri, HSFHS.indicatorsObserved, Literal(score.observed, datatype=XSD.integer)),
    ]
    if score.percent is not None:
        triples.append((iri, HSFHS.scorePercent, Literal(score.percent, datatype=XSD.decimal)))
    if score.level is not None:
        triples.append((iri, HSFHS.levelScore, Literal(score.level, datatype=XSD.integer)))
        triples.append((iri, HSFHS.level, ID[f"level/{score.level}"]))
    if score.method is not None:
        triples.append((iri, HSFHS.scoreMethod, METHOD[score.method]))
    if score.published is not None:
        triples.append((iri, HSFHS.publishedScore, Literal(score.published, datatype=XSD.decimal)))
    for record in score.derived_from:
        triples.append((iri, PROV.wasDerivedFrom, observation_iri(base, record)))
    g.addN((s, p, o, g) for s, p, o in triples)
