"""SHACL validation of new data together with the catalogue only, never the whole store.

Cost therefore grows with the file being loaded, not with what is already stored.
Each SHACL result is turned back into a LoadError naming file, sheet, row, column,
value and rule, found through the observation's ``prov:wasDerivedFrom`` row and
``hsfhs:sourceColumn``, so people fix cells, not triples.

The Core shapes run in pySHACL. The SHACL-SPARQL constraints (``sh:select``) run on
Oxigraph with ``$this`` pre-bound to each focus node, exactly as SHACL-SPARQL defines
them: rdflib's SPARQL engine needed minutes for the duplicate and framework joins on a
10,000-row file, Oxigraph needs milliseconds. Both write the same ``sh:ValidationResult``
report, so ``--report`` shows one SHACL report either way.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, PROV, SH

from hsfhs.namespaces import HSFHS, SDMX_MEASURE
from hsfhs.resources import shapes_dir
from hsfhs.store import graph_quads, to_oxigraph, to_rdflib

from .errors import LoadError

ROW = re.compile(r"/row/(\d+)$")
OBSERVATION = re.compile(r"/obs/(\d+)/[^/]+$")


@lru_cache(maxsize=1)
def observation_shapes() -> Graph:
    """shapes/observations.ttl, parsed once per process."""
    return Graph().parse(shapes_dir() / "observations.ttl", format="turtle")


@lru_cache(maxsize=1)
def core_shapes() -> Graph:
    """The shapes without their SPARQL constraints (those run on Oxigraph)."""
    shapes = Graph()
    for triple in observation_shapes():
        if triple[1] != SH.sparql:
            shapes.add(triple)
    return shapes


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    constraint: URIRef
    target_class: URIRef
    select: str
    message: str


@lru_cache(maxsize=1)
def sparql_constraints() -> tuple[SparqlConstraint, ...]:
    shapes = observation_shapes()
    found = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        for target in shapes.objects(shape, SH.targetClass):
            found.append(SparqlConstraint(
                URIRef(shape), URIRef(constraint), URIRef(target),
                str(shapes.value(constraint, SH.select)),
                str(shapes.value(constraint, SH.message) or "")))
    return tuple(found)


def _prefixes(shapes: Graph) -> dict[str, str]:
    return {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
            for d in shapes.objects(None, SH.declare)}


def run_sparql_constraints(combined: Graph, report: Graph) -> int:
    """Evaluate every sh:select constraint on Oxigraph; add results to ``report``."""
    store = ox.Store()
    store.bulk_extend(graph_quads(combined))
    prefixes = _prefixes(observation_shapes())
    this = ox.Variable("this")
    count = 0
    for rule in sparql_constraints():
        for focus in combined.subjects(RDF.type, rule.target_class):
            answer = store.query(rule.select, prefixes=prefixes,
                                 substitutions={this: to_oxigraph(focus)})
            for solution in answer:
                _add_result(report, rule, focus, solution)
                count += 1
    return count


def _add_result(report: Graph, rule: SparqlConstraint, focus: Node,
                solution: ox.QuerySolution) -> None:
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, focus))
    report.add((result, SH.resultSeverity, SH.Violation))
    report.add((result, SH.sourceShape, rule.shape))
    report.add((result, SH.sourceConstraint, rule.constraint))
    report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    message = rule.message
    # {?name} in a message stands for any variable of the SELECT, as in SHACL-SPARQL
    names = {"value", "path", *re.findall(r"\{\?(\w+)\}", message)}
    for name in sorted(names):
        term = solution[name]
        if term is None:
            continue
        node = to_rdflib(term)
        if name == "value":
            report.add((result, SH.value, node))
        elif name == "path":
            report.add((result, SH.resultPath, node))
        message = message.replace(f"{{?{name}}}", _show(node) or "")
    report.add((result, SH.resultMessage, Literal(message)))


@dataclass
class Validation:
    conforms: bool
    errors: list[LoadError]
    report: Graph
    seconds: float


def validate_data(data: Graph, catalogue: Graph) -> Validation:
    """Validate ``data`` (new observations) against the shapes, with the catalogue beside it.

    Only the catalogue's ``rdf:type`` and ``hsfhs:framework`` triples are added: they are
    all the shapes read, and copying fewer triples keeps validation proportional to the
    file. ``data`` is a throwaway union the caller built; it is extended in place.
    """
    started = time.perf_counter()
    combined = data
    combined.addN((s, p, o, combined) for s, p, o in catalogue.triples((None, RDF.type, None)))
    combined.addN((s, p, o, combined)
                  for s, p, o in catalogue.triples((None, HSFHS.framework, None)))
    conforms, report, _ = shacl_validate(
        combined, shacl_graph=core_shapes(), inference="none",
        abort_on_first=False, allow_warnings=True, inplace=True,
    )
    if run_sparql_constraints(combined, report):
        conforms = False
        report.set((next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms,
                    Literal(False)))
    errors = [to_error(data, report, result)
              for result in report.subjects(RDF.type, SH.ValidationResult)]
    errors.sort(key=lambda e: (e.file, e.row or 0, e.column or "", e.type))
    return Validation(bool(conforms), errors, report, time.perf_counter() - started)


def to_error(data: Graph, report: Graph, result: Node) -> LoadError:
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    observation = value if value is not None and data.value(value, PROV.wasDerivedFrom) else focus
    row_iri = data.value(observation, PROV.wasDerivedFrom)
    file_node = data.value(row_iri, DCTERMS.isPartOf) if row_iri is not None else None
    if file_node is None:  # a data-set level result: the file is what the data set came from
        file_node = data.value(focus, PROV.wasDerivedFrom)
    file_name = str(data.value(file_node, DCTERMS.title) or "") if file_node else ""
    sheet = data.value(file_node, HSFHS.sheet) if file_node else None
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
        message=message,
        rule=str(label) if label else None,
    )


def _measure(data: Graph, observation: Node) -> Node | None:
    for prop in (HSFHS.scorePercent, HSFHS.levelScore, SDMX_MEASURE.obsValue):
        found = data.value(observation, prop)
        if found is not None:
            return found
    return None


def _show(node: Node | None) -> str | None:
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
