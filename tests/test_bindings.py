"""Parameters land at the top of the query's own WHERE group, whatever the text around it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from hsfhs.bindings import bind_values

STORE = ox.Store()
STORE.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("WHERE {")))
STORE.add(ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.Literal("other")))


def answer(query: str, **bindings) -> list[str]:
    rows = STORE.query(bind_values(query, bindings))
    return sorted(row["s"].value for row in rows)


@pytest.mark.parametrize("query", [
    # a trailing comment that reads WHERE {, before the real one
    "SELECT ?s # WHERE { (old placement: inside this comment)\nWHERE { ?s <urn:p> ?o }",
    # a comment line before the query
    "# SELECT ?s WHERE {\nSELECT ?s WHERE { ?s <urn:p> ?o }",
    # a string holding WHERE {, before the real one
    'SELECT ?s ("WHERE {" AS ?t) WHERE { ?s <urn:p> ?o }',
    # a subquery's WHERE comes after the outer one opens; a long string before it
    'SELECT ?s WHERE { { SELECT ?s WHERE { ?s <urn:p> ?o } } FILTER ("""WHERE {""" != "") }',
])
def test_the_binding_reaches_the_outer_where_group(query: str) -> None:
    assert answer(query, s=URIRef("urn:a")) == ["urn:a"]


def test_a_construct_template_is_not_the_where_group() -> None:
    query = "CONSTRUCT { ?s <urn:q> ?o } WHERE { ?s <urn:p> ?o }"
    triples = list(STORE.query(bind_values(query, {"s": URIRef("urn:b")})))
    assert [(t.subject.value, t.object.value) for t in triples] == [("urn:b", "other")]


def test_a_literal_is_written_escaped_not_pasted() -> None:
    query = "SELECT ?s WHERE { ?s <urn:p> ?o }"
    assert answer(query, o=Literal('WHERE {" } ; DROP ALL #')) == []
    assert answer(query, o=Literal("WHERE {")) == ["urn:a"]


def test_a_query_without_where_is_refused() -> None:
    with pytest.raises(ValueError, match="explicit 'WHERE"):
        bind_values("SELECT ?s { ?s ?p ?o }", {"s": URIRef("urn:a")})
