"""Each observation shape catches what it is for: a valid file graph, broken one way at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, namespace
from rdflib.namespace import PROV

from hsfhs.loaders.load import parse_file
from hsfhs.loaders.scores import capacity_scores
from hsfhs.loaders.to_rdf import file_triples
from hsfhs.loaders.validate import validate_triples
from hsfhs.namespaces import HSFHS, ID, SDMX_DIM, SDMX_MEASURE
from hsfhs.terms import graph_triples, to_rdflib

OBS = ID["graph/espar-2022-sample-tsv/obs/2/c-5-1"]  # Algeria, C.5.1 = 80
SCORE = ID["graph/espar-2022-sample-tsv/capacity-score/espar/BEN/2022/spar2-C1"]
JEE_OBS = ID["graph/jee-sample-xlsx/obs/4/p11"]  # Albania, P.1.1 = 4


@pytest.fixture(scope="module")
def sample(fixtures: Path, load_context) -> Graph:
    graph = Graph()  # rdflib, to break one triple at a time below
    for name in ("espar_2022_sample.tsv", "jee_sample.xlsx"):
        parsed = parse_file(fixtures / name, load_context)
        parsed.scores = capacity_scores(parsed.records, load_context.index)
        for t in file_triples(parsed, datetime.now(UTC)):
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def errors_after(
    sample: Graph, catalogue: Graph, change
) -> set[tuple[int | None, str | None, str]]:
    graph = Graph()
    graph += sample
    change(graph)
    return {e.flat() for e in validate_triples(graph_triples(graph), catalogue).errors}


def test_the_sample_conforms(sample: Graph, load_catalogue: Graph) -> None:
    graph = Graph()
    graph += sample
    assert validate_triples(graph_triples(graph), load_catalogue).errors == []


CHANGES = {
    "known-country": lambda g: g.set((OBS, SDMX_DIM.refArea, ID["country/XXX"])),
    "period-present": lambda g: g.remove((OBS, SDMX_DIM.refPeriod, None)),
    "percent-range": lambda g: g.set(
        (OBS, HSFHS.scorePercent, Literal(Decimal(-20), datatype=namespace.XSD.decimal))
    ),
    "percent-steps": lambda g: g.set(
        (OBS, HSFHS.scorePercent, Literal(Decimal(50), datatype=namespace.XSD.decimal))
    ),
    "level-range": lambda g: g.set((JEE_OBS, HSFHS.levelScore, Literal(6))),
    "value-datatype": lambda g: g.add((OBS, SDMX_MEASURE.obsValue, Literal("eighty"))),
    "traceable": lambda g: g.remove((OBS, HSFHS.sourceColumn, None)),
    "has-value": lambda g: [
        g.remove((OBS, p, None)) for p in (HSFHS.scorePercent, HSFHS.levelScore)
    ],
    "indicator-known": lambda g: g.set((OBS, HSFHS.refIndicator, ID["spar2/C99.9"])),
    "right-framework": lambda g: g.set((OBS, HSFHS.refIndicator, ID["jee1/P1.1"])),
    "jee-score-range": lambda g: [
        g.remove((JEE_OBS, HSFHS.levelScore, None)),
        g.add((JEE_OBS, SDMX_MEASURE.obsValue, Literal(Decimal("7.5"), datatype=namespace.XSD.decimal))),
    ],
    "one-value": lambda g: g.set(
        (ID["graph/espar-2022-sample-tsv/obs/2/c-5-2"], HSFHS.refIndicator, ID["spar2/C5.1"])
    ),
}


@pytest.mark.parametrize("rule", list(CHANGES))
def test_each_rule_catches_its_violation(rule: str, sample: Graph, load_catalogue: Graph) -> None:
    found = errors_after(sample, load_catalogue, CHANGES[rule])
    assert rule in {kind for _, _, kind in found}, found
    assert all(row is not None for row, _, _ in found)  # every error points at a row


SCORE_CHANGES = {
    "score-capacity": lambda g: g.set((SCORE, HSFHS.refCapacity, ID["spar2/C1.1"])),
    "score-status": lambda g: g.set((SCORE, HSFHS.observationStatus, HSFHS.notApplicable)),
    "score-derived-from": lambda g: g.remove((SCORE, PROV.wasDerivedFrom, None)),
    "level-range": lambda g: g.set((SCORE, HSFHS.levelScore, Literal(0))),
    "percent-range": lambda g: g.set(
        (SCORE, HSFHS.scorePercent, Literal(Decimal(101), datatype=namespace.XSD.decimal))
    ),
}


@pytest.mark.parametrize("rule", list(SCORE_CHANGES))
def test_each_capacity_score_rule_catches_its_violation(
    rule: str, sample: Graph, load_catalogue: Graph
) -> None:
    """A computed score breaks only by a loader bug; the rule still names its file."""
    assert (SCORE, HSFHS.refCapacity, ID["spar2/C1"]) in sample
    graph = Graph()
    graph += sample
    SCORE_CHANGES[rule](graph)
    errors = validate_triples(graph_triples(graph), load_catalogue).errors
    assert {(e.type, e.file) for e in errors} == {(rule, "espar_2022_sample.tsv")}
