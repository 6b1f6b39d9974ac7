"""``hsfhs build``: ontology + catalogue + inferences into the store, in one atomic write.

The code list builders make rdflib graphs (``hsfhs.catalogue.codelists``); they are turned
into Oxigraph triples once, here, and everything after (inference, the write, the
Turtle copy) works on those.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from hsfhs.catalogue import build_catalogue
from hsfhs.infer import materialise
from hsfhs.namespaces import CATALOGUE_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from hsfhs.resources import ontology_file
from hsfhs.store import EmbeddedStore, Store
from hsfhs.terms import graph_triples

Graphs = dict[str, list[ox.Triple]]


@dataclass
class BuildSummary:
    catalogue_triples: int
    inferred_triples: int
    ontology_triples: int
    turtle_path: Path


def load_ontology() -> list[ox.Triple]:
    """ontology/hsfhs.ttl as triples."""
    return [q.triple for q in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)]


def build_graphs() -> Graphs:
    """The three graphs a build writes: ontology, catalogue and what they imply together."""
    ontology = load_ontology()
    catalogue = graph_triples(build_catalogue())
    return {
        str(ONTOLOGY_GRAPH): ontology,
        str(CATALOGUE_GRAPH): catalogue,
        str(INFERRED_GRAPH): materialise(ontology, catalogue),
    }


def write_turtle(triples: list[ox.Triple], out: Path) -> None:
    """The triples as Turtle with the project's prefixes, grouped by subject."""
    out.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    ox.serialize(ordered, str(out), ox.RdfFormat.TURTLE,
                 prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()})


def build_into(store: Store, out: Path | None = None) -> BuildSummary:
    """Replace the ontology, catalogue and inferred graphs; write the catalogue as Turtle."""
    graphs = build_graphs()
    store.replace_graphs(graphs)
    catalogue = graphs[str(CATALOGUE_GRAPH)]
    if out is None:
        out = store.path / "catalogue.ttl" if isinstance(store, EmbeddedStore) else Path("catalogue.ttl")
    write_turtle(catalogue, out)
    return BuildSummary(
        catalogue_triples=len(catalogue),
        inferred_triples=len(graphs[str(INFERRED_GRAPH)]),
        ontology_triples=len(graphs[str(ONTOLOGY_GRAPH)]),
        turtle_path=out,
    )
