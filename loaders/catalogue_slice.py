"""The part of the catalogue a load reads, taken from the store once per load.

Parsers look codes and countries up in it (``lookup.CatalogueIndex``) and the load
shapes see it beside the new data, so a load never copies the whole catalogue and
never reads any other graph: its cost follows the files, not the store.
``catalogue-for-load.rq`` says which triples these are.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from hsfhs.namespaces import CATALOGUE_GRAPH
from hsfhs.store import Store
from hsfhs.terms import graph_triples

CatalogueSlice = tuple[ox.Triple, ...]


@cache
def _query() -> str:
    return (files("hsfhs.loaders") / "catalogue-for-load.rq").read_text(encoding="utf-8")


def from_store(store: Store) -> CatalogueSlice:
    """The slice of the store's catalogue graph (empty when the store has none yet)."""
    return tuple(store.query(_query(), default_graph=[str(CATALOGUE_GRAPH)]))


def from_triples(catalogue: Iterable[ox.Triple]) -> CatalogueSlice:
    """The slice of a catalogue built in memory (``hsfhs validate`` without a store)."""
    memory = ox.Store()
    memory.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in catalogue)
    return tuple(memory.query(_query()))


def bundled() -> CatalogueSlice:
    """The slice of the catalogue built from the bundled code lists (no store needed)."""
    from hsfhs.catalogue import build_catalogue

    return from_triples(graph_triples(build_catalogue()))
