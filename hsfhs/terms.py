"""Conversions between rdflib and pyoxigraph terms, and rdflib graphs as Oxigraph quads.

The loaders and the inference rules work on rdflib graphs; the stores and the checks run
on Oxigraph. (Imported from ``hsfhs.store`` by most callers, which re-exports them.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def graph_quads(graph: Graph, graph_iri: str | None = None) -> Iterator[ox.Quad]:
    """The triples of an rdflib graph as pyoxigraph quads in ``graph_iri`` (else the default graph).

    Each distinct term is converted once: a graph repeats its predicates, classes and
    countries thousands of times, and conversion dominates a large load.
    """
    g = ox.NamedNode(graph_iri) if graph_iri else ox.DefaultGraph()
    terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = terms.get(node)
        if found is None:
            found = terms[node] = to_oxigraph(node)
        return found

    for s, p, o in graph:
        yield ox.Quad(term(s), term(p), term(o), g)


def memory_store(*graphs: Graph) -> ox.Store:
    """An in-memory Oxigraph store holding each graph as a named graph of its own.

    For running SPARQL rules and checks over rdflib graphs at Oxigraph's speed; query it
    with ``use_default_graph_as_union=True`` to see them together.
    """
    store = ox.Store()
    for number, graph in enumerate(graphs):
        store.bulk_extend(graph_quads(graph, f"urn:hsfhs:memory:{number}"))
    return store


