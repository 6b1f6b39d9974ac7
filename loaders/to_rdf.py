"""Records -> the triples of one file's named graph, as Oxigraph terms, following docs/model.md.

Each record becomes an ``hsfhs:ScoreObservation`` (a ``qb:Observation``) named
``{graph}/obs/{row}/{column-slug}``, derived from its source row ``id:file/{sha}/row/{n}``.
The graph also carries the file as a ``prov:Entity``, the load as a ``prov:Activity``
and the ``qb:DataSet`` the observations belong to, so any value can be traced to the
file, row and column it came from, and the file to the moment it was loaded.

The capacity scores computed from the records (``scores.py``) become
``hsfhs:CapacityScore`` observations in a second data set of the same graph,
``{graph}/capacity-scores``, each ``prov:wasDerivedFrom`` the observations it was computed
from, so a reload replaces both together.

The triples are made here once, as the pyoxigraph terms that validation and the store
use as they are: a bundled load makes half a million of them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from hsfhs.namespaces import HSFHS, ID, QB, SDMX_DIM, SDMX_MEASURE
from hsfhs.terms import graph_triples, to_oxigraph

from .records import Kind, ParsedFile, Record
from .scores import MEAN, MEAN_OF_SCORED, PUBLISHED, ZERO, CapacityScore, indicator_level, status_of


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


TYPE = _n(RDF.type)
OBSERVATION, SCORE_OBSERVATION, CAPACITY_SCORE = (
    _n(QB.Observation), _n(HSFHS.ScoreObservation), _n(HSFHS.CapacityScore))
DATA_SET, IN_DATA_SET = _n(QB.DataSet), _n(QB.dataSet)
AREA, PERIOD = _n(SDMX_DIM.refArea), _n(SDMX_DIM.refPeriod)
INDICATOR, CAPACITY, SOURCE = _n(HSFHS.refIndicator), _n(HSFHS.refCapacity), _n(HSFHS.dataSource)
DERIVED_FROM, COLUMN, STATUS_OF = (
    _n(PROV.wasDerivedFrom), _n(HSFHS.sourceColumn), _n(HSFHS.observationStatus))
PERCENT, LEVEL_SCORE, LEVEL, VALUE = (
    _n(HSFHS.scorePercent), _n(HSFHS.levelScore), _n(HSFHS.level), _n(SDMX_MEASURE.obsValue))
SCORED, OBSERVED, METHOD_OF, PUBLISHED_SCORE = (
    _n(HSFHS.indicatorsScored), _n(HSFHS.indicatorsObserved), _n(HSFHS.scoreMethod),
    _n(HSFHS.publishedScore))
CATEGORY, DATE, BOOLEAN = (
    _n(HSFHS.categoryValue), _n(HSFHS.dateValue), _n(HSFHS.booleanValue))
PART_OF, TITLE, COMMENT = _n(DCTERMS.isPartOf), _n(DCTERMS.title), _n(RDFS.comment)
DECIMAL, INTEGER, G_YEAR, DATE_TIME = _n(XSD.decimal), _n(XSD.integer), _n(XSD.gYear), _n(XSD.dateTime)

STATUS = {"reported": _n(HSFHS.reported), ZERO: _n(HSFHS.zero)}
METHOD = {PUBLISHED: _n(HSFHS.publishedAverage), MEAN: _n(HSFHS.meanOfIndicators),
          MEAN_OF_SCORED: _n(HSFHS.meanOfScoredIndicators)}
PERCENT_KINDS = (Kind.PERCENT, Kind.CAPACITY_PERCENT, Kind.OVERALL_PERCENT)


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens: ``C.5.1`` -> ``c-5-1``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def graph_iri(file_name: str) -> URIRef:
    return ID[f"graph/{slug(file_name)}"]


def file_iri(sha256: str) -> URIRef:
    return ID[f"file/{sha256[:16]}"]


def observation_iri(base: str, record: Record) -> str:
    return f"{base}/obs/{record.row}/{slug(record.column)}"


class _Terms:
    """Oxigraph terms made once per file: a file repeats its countries, years and codes."""

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}
        self.literals: dict[tuple[str, ox.NamedNode], ox.Literal] = {}

    def iri(self, value: str) -> ox.NamedNode:
        found = self.iris.get(value)
        if found is None:
            found = self.iris[value] = ox.NamedNode(value)
        return found

    def typed(self, value: object, datatype: ox.NamedNode) -> ox.Literal:
        key = (str(value), datatype)
        found = self.literals.get(key)
        if found is None:
            found = self.literals[key] = ox.Literal(key[0], datatype=datatype)
        return found


def file_triples(parsed: ParsedFile, started: datetime,
                 ended: datetime | None = None) -> list[ox.Triple]:
    """The named-graph content of one parsed file."""
    t = _Terms()
    base = str(graph_iri(parsed.path.name))
    source_file = _n(file_iri(parsed.sha256))
    dataset, activity = ox.NamedNode(f"{base}/dataset"), ox.NamedNode(f"{base}/activity")
    ended = ended or datetime.now(UTC)
    out = [
        ox.Triple(source_file, TYPE, _n(PROV.Entity)),
        ox.Triple(source_file, TITLE, ox.Literal(parsed.path.name)),
        ox.Triple(source_file, _n(HSFHS.sha256), ox.Literal(parsed.sha256)),
        ox.Triple(source_file, _n(HSFHS.rowCount), t.typed(parsed.rows, INTEGER)),
        ox.Triple(source_file, _n(DCTERMS.format), ox.Literal(parsed.format)),
        # --skip-invalid: what was not loaded, and why, is in the load report; here, how much
        ox.Triple(source_file, _n(HSFHS.skippedCells), t.typed(parsed.skipped_cells, INTEGER)),
        ox.Triple(source_file, _n(HSFHS.absentValues), t.typed(parsed.absent, INTEGER)),
        ox.Triple(activity, TYPE, _n(PROV.Activity)),
        ox.Triple(activity, _n(PROV.used), source_file),
        ox.Triple(activity, _n(PROV.startedAtTime), _timestamp(started)),
        ox.Triple(activity, _n(PROV.endedAtTime), _timestamp(ended)),
        ox.Triple(dataset, TYPE, DATA_SET),
        ox.Triple(dataset, DERIVED_FROM, source_file),
        ox.Triple(dataset, _n(PROV.wasGeneratedBy), activity),
        ox.Triple(dataset, TITLE, ox.Literal(f"Observations from {parsed.path.name}")),
    ]
    if parsed.sheet:
        out.append(ox.Triple(source_file, _n(HSFHS.sheet), ox.Literal(parsed.sheet)))
    rows: dict[int, ox.NamedNode] = {}
    for record in parsed.records:
        row = rows.get(record.row)
        if row is None:
            row = rows[record.row] = ox.NamedNode(f"{source_file.value}/row/{record.row}")
            out.append(ox.Triple(row, PART_OF, source_file))
        _observation(out, t, ox.NamedNode(observation_iri(base, record)), record, dataset, row)
    if parsed.scores:
        scores = ox.NamedNode(f"{base}/capacity-scores")
        out += [
            ox.Triple(scores, TYPE, DATA_SET),
            ox.Triple(scores, DERIVED_FROM, source_file),
            ox.Triple(scores, _n(PROV.wasGeneratedBy), activity),
            ox.Triple(scores, TITLE, ox.Literal(f"Capacity scores computed from {parsed.path.name}")),
        ]
        for score in parsed.scores:
            _capacity_score(out, t, base, score, scores)
    # Data sources (id:source/espar ...) are catalogue individuals (data/crosswalks/data_sources.csv)
    out += graph_triples(parsed.extra)
    return out


def _timestamp(moment: datetime) -> ox.Literal:
    return ox.Literal(moment.isoformat(), datatype=DATE_TIME)


def _decimal(t: _Terms, value: Decimal) -> ox.Literal:
    return t.typed(format(value, "f"), DECIMAL)


def _cube_observation(t: _Terms, iri: ox.NamedNode, cls: ox.NamedNode, dataset: ox.NamedNode,
                      country: str, period: int, source: str) -> tuple[ox.Triple, ...]:
    """What every observation states, a file's or a computed capacity score."""
    return (
        ox.Triple(iri, TYPE, cls),
        ox.Triple(iri, TYPE, OBSERVATION),
        ox.Triple(iri, IN_DATA_SET, dataset),
        ox.Triple(iri, AREA, t.iri(f"{ID}country/{country}")),
        ox.Triple(iri, PERIOD, t.typed(period, G_YEAR)),
        ox.Triple(iri, SOURCE, t.iri(source)),
    )


def _observation(out: list[ox.Triple], t: _Terms, obs: ox.NamedNode, record: Record,
                 dataset: ox.NamedNode, row: ox.NamedNode) -> None:
    out += _cube_observation(t, obs, SCORE_OBSERVATION, dataset, record.country, record.period,
                             record.source)
    out += (
        ox.Triple(obs, INDICATOR, t.iri(record.indicator)),
        ox.Triple(obs, DERIVED_FROM, row),
        ox.Triple(obs, COLUMN, ox.Literal(record.column)),
        ox.Triple(obs, STATUS_OF, STATUS[status_of(record)]),
    )
    if record.kind in PERCENT_KINDS:
        out.append(ox.Triple(obs, PERCENT, _decimal(t, record.value)))
    elif record.kind is Kind.VALUE:
        out.append(ox.Triple(obs, VALUE, _decimal(t, record.value)))
    elif record.term is not None:  # country context: a category, a date or a yes/no
        measure = {Kind.CATEGORY: CATEGORY, Kind.DATE: DATE, Kind.BOOLEAN: BOOLEAN}[record.kind]
        out.append(ox.Triple(obs, measure, to_oxigraph(record.term)))
    if record.note:
        out.append(ox.Triple(obs, COMMENT, ox.Literal(record.note)))
    level = indicator_level(record)
    if level is not None:
        out.append(ox.Triple(obs, LEVEL_SCORE, t.typed(level, INTEGER)))
        out.append(ox.Triple(obs, LEVEL, t.iri(f"{ID}level/{level}")))  # 1-5, or a bad level SHACL names


def _capacity_score(out: list[ox.Triple], t: _Terms, base: str, score: CapacityScore,
                    dataset: ox.NamedNode) -> None:
    capacity = str(score.capacity).removeprefix(str(ID)).replace("/", "-")
    source = str(score.source).rsplit("/", 1)[-1]
    iri = ox.NamedNode(f"{base}/capacity-score/{source}/{score.country}/{score.period}/{capacity}")
    out += _cube_observation(t, iri, CAPACITY_SCORE, dataset, score.country, score.period,
                             score.source)
    out += (
        ox.Triple(iri, CAPACITY, t.iri(score.capacity)),
        ox.Triple(iri, STATUS_OF, STATUS[score.status]),
        ox.Triple(iri, SCORED, t.typed(score.scored, INTEGER)),
        ox.Triple(iri, OBSERVED, t.typed(score.observed, INTEGER)),
    )
    if score.percent is not None:
        out.append(ox.Triple(iri, PERCENT, _decimal(t, score.percent)))
    if score.level is not None:
        out.append(ox.Triple(iri, LEVEL_SCORE, t.typed(score.level, INTEGER)))
        out.append(ox.Triple(iri, LEVEL, t.iri(f"{ID}level/{score.level}")))
    if score.method is not None:
        out.append(ox.Triple(iri, METHOD_OF, METHOD[score.method]))
    if score.published is not None:
        out.append(ox.Triple(iri, PUBLISHED_SCORE, _decimal(t, score.published)))
    for record in score.derived_from:
        out.append(ox.Triple(iri, DERIVED_FROM, ox.NamedNode(observation_iri(base, record))))
