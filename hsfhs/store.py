"""One store interface, two backends: an embedded Oxigraph directory and a remote SPARQL store
(``hsfhs/remote_store.py``).

Both backends answer queries with pyoxigraph result objects, so results serialise the
same way (JSON, XML, CSV, TSV, Turtle...) whichever store holds the data, and both
replace whole named graphs atomically: a load either lands completely or not at all.

The default graph of every query is the union of the named graphs: the catalogue,
the materialised inferences and each loaded file live in graphs of their own, and
questions are asked across them.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from hsfhs.bindings import bind_values
from hsfhs.generations import Generations, Reader, StoreError

__all__ = ["StoreError", "bind_values"]  # defined with the generations, the bindings

ENV_STORE = "HSFHS_STORE"
ENV_ENDPOINT = "HSFHS_ENDPOINT"

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def default_store_dir() -> Path:
    """``$HSFHS_STORE``, else ``$XDG_DATA_HOME/hsfhs/store`` (``~/.local/share/hsfhs/store``)."""
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hsfhs" / "store"


@dataclass
class Rows:
    """A SELECT answer as plain rows: what the API and the CLI work with."""

    variables: list[str]
    rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]

    def values(self) -> list[dict[str, str]]:
        """Each row as variable -> lexical value (unbound variables left out)."""
        return [{k: v.value for k, v in row.items()} for row in self.rows]


def solutions_to_rows(result: ox.QuerySolutions) -> Rows:
    variables = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = {}
        for name in variables:
            term = solution[name]
            if term is not None:
                row[name] = term
        rows.append(row)
    return Rows(variables, rows)


# --- the interface ----------------------------------------------------------------------


class Store:
    """What every backend offers: query, replace graphs atomically, list and count graphs."""

    location: str

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        own_dataset: bool = False,
    ) -> QueryResult:
        """A query's answer; the default graph is the union of named graphs unless
        ``default_graph`` is given, or ``own_dataset`` says the query has FROM."""
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """Put each graph's triples in place of the named graph of that IRI, all or nothing."""
        raise NotImplementedError

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows:
        result = self.query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        return solutions_to_rows(result)

    def named_graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
        return [r["g"].value for r in rows.rows]

    def count(self, graph_iri: str | None = None) -> int:
        if graph_iri is None:
            rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            rows = self.select(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                {"g": URIRef(graph_iri)},
            )
        return int(rows.rows[0]["n"].value)

    def graph_triples(self, graph_iri: str) -> list[ox.Triple]:
        """The triples of one named graph (for the reasoner and the catalogue checks)."""
        result = self.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(graph_iri)}
        )
        return list(result)


def query_store(
    store: ox.Store,
    sparql: str,
    *,
    default_graph: list[str] | None = None,
    named_graphs: list[str] | None = None,
    own_dataset: bool = False,
) -> QueryResult:
    """Run a query on an open Oxigraph store with the dataset the Protocol describes.

    Given graphs (the Protocol's default-graph-uri / named-graph-uri) win over the
    query's FROM; without them the default graph is the union of the named graphs,
    unless the query names its own dataset (``own_dataset``: it has FROM / FROM NAMED).
    """
    options: dict = {}
    if default_graph:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
    elif not own_dataset:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    return store.query(sparql, **options)


# --- embedded ---------------------------------------------------------------------------


class EmbeddedStore(Store):
    """An Oxigraph store in a directory, kept as immutable generations (``generations.py``).

    ``DIR/CURRENT`` names the generation readers open (read-only, so any number of
    processes can read at once). A write copies the current generation, changes the copy,
    and only then switches ``CURRENT`` with an atomic rename. A write that fails or is
    killed leaves the store exactly as it was; readers see the new data at their next query.

    ``missing_ok``: a directory without ``CURRENT`` reads as an empty store (the command
    line on a store not built yet); the server passes False, so a store deleted under it
    is an error (``StoreError``), never an empty answer.
    """

    KEEP_GENERATIONS = 3

    def __init__(self, path: str | os.PathLike[str], *, missing_ok: bool = True) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self.missing_ok = missing_ok
        self.generations = Generations(self.path)
        self._reader: Reader | None = None
        self._lock = threading.Lock()

    def exists(self) -> bool:
        return self.generations.current() is not None

    def _current_reader(self, hold: bool = False) -> Reader:
        """The reader of the generation ``CURRENT`` names now (opened when it changed).

        With ``hold``, its user count is raised in the same step (see ``reading``).
        """
        for _ in range(3):  # CURRENT moved on while we opened the old one: read it again
            name = self.generations.current()
            if name is None:
                if not self.missing_ok:
                    raise StoreError(
                        f"store {self.path} has no CURRENT generation: it was deleted or "
                        "moved, or never built (hsfhs build)",
                        public="The store is missing: it was deleted or moved, or never built.",
                    )
                name = ""
            with self._lock:
                if self._reader is not None and self._reader.name == name:
                    self._reader.users += hold
                    return self._reader
            try:
                reader = (
                    Reader("", ox.Store(), None) if name == "" else self.generations.open_reader(name)
                )
            except StoreError:
                if name == self.generations.current():
                    raise
                continue
            with self._lock:
                old, self._reader = self._reader, reader
                if old is not None:
                    old.retired = True
                    if old.users == 0:
                        old.close()
                reader.users += hold
            return reader
        raise StoreError(f"store {self.path} changed generation three times while opening")

    def _read_store(self) -> ox.Store:
        return self._current_reader().store

    @contextlib.contextmanager
    def reading(self) -> Iterator[ox.Store]:
        """The current generation, held open (and safe from pruning) for the whole block.

        For callers in several threads that read results lazily: a generation switch in
        one thread does not release another's lock while it still iterates.
        """
        reader = self._current_reader(hold=True)
        try:
            yield reader.store
        finally:
            with self._lock:
                reader.users -= 1
                if reader.retired and reader.users == 0:
                    reader.close()

    def _writing(self) -> contextlib.AbstractContextManager[ox.Store]:
        return self.generations.writing(self.KEEP_GENERATIONS)

    # interface
    def query(
        self, sparql, bindings=None, *, default_graph=None, named_graphs=None, own_dataset=False
    ):
        """``own_dataset``: the query has FROM / FROM NAMED; let them stand (no union)."""
        return query_store(
            self._read_store(),
            bind_values(sparql, bindings),
            default_graph=default_graph,
            named_graphs=named_graphs,
            own_dataset=own_dataset,
        )

    def update(self, sparql: str) -> None:
        with self._writing() as store:
            store.update(sparql)

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        with self._writing() as store:
            for iri, triples in graphs.items():
                node = ox.NamedNode(iri)
                if store.contains_named_graph(node):
                    store.remove_graph(node)
                store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in triples)

    def dump(self, path: str | os.PathLike[str]) -> None:
        """Write the whole store as N-Quads (a backup people can read)."""
        self._read_store().dump(str(path), format=ox.RdfFormat.N_QUADS)


# --- remote: hsfhs/remote_store.py (imported when first asked for, to keep imports one-way) ---


def __getattr__(name: str):
    if name == "RemoteStore":
        from hsfhs.remote_store import RemoteStore

        return RemoteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(
    store_dir: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    *,
    update_endpoint: str | None = None,
    user: str | None = None,
    chunk: int | None = None,
) -> Store:
    """The store the user asked for: ``endpoint`` (or ``$HSFHS_ENDPOINT``) else a directory.

    A remote store's update endpoint, user and chunk size default to ``$HSFHS_UPDATE_ENDPOINT``,
    ``$HSFHS_ENDPOINT_USER`` and ``$HSFHS_UPDATE_CHUNK``; its password is only ever read
    from ``$HSFHS_ENDPOINT_PASSWORD`` (see ``sparql_http.py``).
    """
    endpoint = endpoint or os.environ.get(ENV_ENDPOINT)
    if endpoint:
        from hsfhs.remote_store import RemoteStore
        from hsfhs.sparql_http import Credentials

        return RemoteStore(
            endpoint, update_endpoint, credentials=Credentials.from_env(user), chunk=chunk
        )
    return EmbeddedStore(store_dir or default_store_dir())
