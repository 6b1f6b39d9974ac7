"""SHACL validation of new data beside the catalogue slice, by stock pySHACL on Oxigraph.

The data of every file of a load and the catalogue slice (``catalogue_slice``) go into
one in-memory Oxigraph store, and pySHACL runs shapes/observations.ttl over it as they
are: each rule is one SPARQL query over the whole load, evaluated by Oxigraph. Cost
therefore grows with the files being loaded, never with what the store already holds.

Each SHACL result is turned back into a LoadError naming file, sheet, row, column,
value and rule, found through the observation's ``prov:wasDerivedFrom`` row and
``hsfhs:sourceColumn``, so people fix cells, not triples.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, SH

from hsfhs.namespaces import HSFHS, QB, SDMX_MEASURE
from hsfhs.resources import shapes_dir
from hsfhs.terms import to_oxigraph

from .errors import LoadError

ROW = re.compile(r"/row/(\d+)$")
OBSERVATION = re.compile(r"/obs/(\d+)/[^/]+$")
IRI = re.compile(r"https?://[^\s<>\"{}|\\^`(),]+")


@cache
def observation_shapes() -> Graph:
    """shapes/observations.ttl, parsed once per process."""
    return Graph().parse(shapes_dir() / "observations.ttl", format="turtle")


@dataclass
class Validation:
    conforms: bool
    errors: list[LoadError]
    report: Graph
    seconds: float


def validate_triples(data: Iterable[ox.Triple], catalogue: Iterable[ox.Triple]) -> Validation:
    """Validate the new triples (every file of a load) with the catalogue slice beside them."""
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in catalogue)
    conforms, report, _ = shacl_validate(
        store, shacl_graph=observation_shapes(), inference="none",
        abort_on_first=False, allow_warnings=True, inplace=True,
    )
    if not isinstance(report, Graph):  # pySHACL refused the shapes themselves
        raise RuntimeError(f"shapes/observations.ttl could not run: {report}")
    lookup = _Lookup(store)
    errors = [to_error(lookup, report, result)
              for result in report.subjects(RDF.type, SH.ValidationResult)]
    errors.sort(key=lambda e: (e.file, e.row or 0, e.column or "", e.type))
    return Validation(bool(conforms), errors, report, time.perf_counter() - started)


class _Lookup:
    """One value of a subject's property in the validated data, for naming a result's cell."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def value(self, subject: Node | None, prop: URIRef) -> Node | None:
        if subject is None or isinstance(subject, Literal):
            return None
        for quad in self.store.quads_for_pattern(to_oxigraph(subject), ox.NamedNode(prop), None):
            term = quad.object
            if isinstance(term, ox.Literal):
                return Literal(term.value, datatype=URIRef(term.datatype.value))
            return URIRef(term.value) if isinstance(term, ox.NamedNode) else None
        return None


def to_error(data: _Lookup, report: Graph, result: Node) -> LoadError:
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    observation = value if data.value(value, QB.dataSet) is not None else focus
    row_iri = data.value(observation, PROV.wasDerivedFrom)
    file_node = data.value(row_iri, DCTERMS.isPartOf)
    if file_node is None:  # a capacity score: derived from observations, in a file's data set
        file_node = data.value(data.value(observation, QB.dataSet), PROV.wasDerivedFrom)
    file_name = str(data.value(file_node, DCTERMS.title) or "")
    sheet = data.value(file_node, HSFHS.sheet)
    match = ROW.search(str(row_iri or ""))
    column = data.value(observation, HSFHS.sourceColumn)
    shown = value if value is not None and value != observation else _measure(data, observation)
    shape = report.value(result, SH.sourceShape)
    shapes = observation_shapes()
    constraint = report.value(result, SH.sourceConstraint)
    label = shapes.value(constraint, RDFS.label) if constraint is not None else None
    label = label or shapes.value(shape, RDFS.label)
    name = str(constraint if constraint is not None and label else shape or "shacl")
    message = str(report.value(result, SH.resultMessage) or label or "SHACL violation")
    return LoadError(
        type=_slug(name.rsplit("#", 1)[-1]),
        file=file_name,
        sheet=str(sheet) if sheet else None,
        row=int(match.group(1)) if match else None,
        column=str(column) if column is not None else None,
        value=_show(shown),
        message=IRI.sub(lambda m: _show(URIRef(m.group(0))) or "", message),
        rule=str(label) if label else None,
    )


def _measure(data: _Lookup, observation: Node | None) -> Node | None:
    for prop in (HSFHS.scorePercent, HSFHS.levelScore, SDMX_MEASURE.obsValue):
        found = data.value(observation, prop)
        if found is not None:
            return found
    return None


def _show(node: Node | None) -> str | None:
    """A term as people read it in an error: a value, ``row 4``, a code, a property name."""
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    observation = OBSERVATION.search(str(node))
    if observation:
        return f"row {observation.group(1)}"
    iri = str(node)
    if "#" in iri:
        return iri.rsplit("#", 1)[1]
    return "/".join(iri.rsplit("/", 2)[-2:]) if isinstance(node, URIRef) else iri


def _slug(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
