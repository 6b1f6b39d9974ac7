"""Materialise the inferences queries rely on, with the SPARQL rules in hsfhs/rules/.

Queries run on a plain SPARQL store, with no reasoner at query time, so the facts
the ontology implies (inverse, symmetric, transitive and sub-properties, superclass
membership) are written once into the graph ``id:graph/inferred`` by ``hsfhs build``.
HermiT (``hsfhs check``) proves the ontology consistent; these rules only apply the
handful of axioms the queries need, which makes them fast and easy to read.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files

import pyoxigraph as ox

MAX_ROUNDS = 10
INFERRED = ox.NamedNode("urn:hsfhs:inferred")


def rule_files() -> list[tuple[str, str]]:
    """(name, SPARQL text) of every rule, in a fixed order."""
    folder = files("hsfhs") / "rules"
    return sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".rq"))


def materialise(*graphs: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples the rules add to the union of ``graphs``, repeated until nothing is new."""
    store = ox.Store()
    for number, triples in enumerate(graphs):
        g = ox.NamedNode(f"urn:hsfhs:input:{number}")
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
    rules = rule_files()
    if not rules:
        raise RuntimeError("no inference rules found in hsfhs/rules")
    for _ in range(MAX_ROUNDS):
        new: list[ox.Quad] = []
        for _name, text in rules:
            for triple in store.query(text, use_default_graph_as_union=True):
                s, p, o = triple.subject, triple.predicate, triple.object
                if next(iter(store.quads_for_pattern(s, p, o, None)), None) is None:
                    new.append(ox.Quad(s, p, o, INFERRED))
        if not new:
            break
        store.extend(new)
    return [q.triple for q in store.quads_for_pattern(None, None, None, INFERRED)]
