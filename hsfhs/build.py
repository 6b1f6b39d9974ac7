"""``hsfhs build``: ontology + catalogue + inferences into the store, in one atomic write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from hsfhs.infer import materialise
from hsfhs.loaders.catalogue import build_catalogue
from hsfhs.namespaces import CATALOGUE_GRAPH, ID, INFERRED_GRAPH, PREFIXES
from hsfhs.resources import ontology_file
from hsfhs.store import EmbeddedStore, Store

ONTOLOGY_GRAPH = ID["graph/ontology"]


@dataclass
class BuildSummary:
    catalogue_triples: int
    inferred_triples: int
    ontology_triples: int
    turtle_path: Path


def load_ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_file(), format="turtle")
    return graph


def build_graphs() -> dict[str, Graph]:
    """The three graphs a build writes: ontology, catalogue and what they imply together."""
    ontology = load_ontology()
    catalogue = build_catalogue()
    inferred = materialise(ontology, catalogue)
    return {
        str(ONTOLOGY_GRAPH): ontology,
        str(CATALOGUE_GRAPH): catalogue,
        str(INFERRED_GRAPH): inferred,
    }


def build_into(store: Store, out: Path | None = None) -> BuildSummary:
    """Replace the ontology, catalogue and inferred graphs; write the catalogue as Turtle."""
    graphs = build_graphs()
    store.replace_graphs(graphs)
    catalogue = graphs[str(CATALOGUE_GRAPH)]
    if out is None:
        out = store.path / "catalogue.ttl" if isinstance(store, EmbeddedStore) else Path("catalogue.ttl")
    out.parent.mkdir(parents=True, exist_ok=True)
    for prefix, ns in PREFIXES.items():
        catalogue.bind(prefix, ns)
    catalogue.serialize(out, format="turtle")
    return BuildSummary(
        catalogue_triples=len(catalogue),
        inferred_triples=len(graphs[str(INFERRED_GRAPH)]),
        ontology_triples=len(graphs[str(ONTOLOGY_GRAPH)]),
        turtle_path=out,
    )
