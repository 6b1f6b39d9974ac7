"""Canned-query answers are cached per store generation: fast, and never stale."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal

from hsfhs.query_service.trusted import TrustedQueries
from hsfhs.store import EmbeddedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def graph(*values: str) -> list[ox.Triple]:
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    return [ox.Triple(s, p, ox.Literal(value)) for value in values]


def count(rows) -> int:
    return int(rows.rows[0]["n"].value)


def test_an_answer_is_reused_until_a_write_makes_a_new_generation(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({"https://example.org/g1": graph("a")})
    trusted = TrustedQueries(str(tmp_path / "store"), None, 10, 100)
    first = trusted.select(COUNT)
    assert count(first) == 1
    assert trusted.select(COUNT) is first  # same generation: the same answer object
    store.replace_graphs({"https://example.org/g2": graph("b", "c")})
    after = trusted.select(COUNT)
    assert after is not first and count(after) == 3


def test_bindings_are_part_of_the_key(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({"https://example.org/g1": graph("a", "b")})
    trusted = TrustedQueries(str(tmp_path / "store"), None, 10, 100)
    query = "SELECT ?o WHERE { ?s ?p ?o }"
    a = trusted.select(query, {"o": Literal("a")})
    b = trusted.select(query, {"o": Literal("b")})
    assert [r["o"].value for r in a.rows] == ["a"] and [r["o"].value for r in b.rows] == ["b"]


def test_no_cache_when_turned_off(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({"https://example.org/g1": graph("a")})
    trusted = TrustedQueries(str(tmp_path / "store"), None, 10, 100, cache_entries=0)
    assert trusted.select(COUNT) is not trusted.select(COUNT)
