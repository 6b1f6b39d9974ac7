"""The service's own queries, run in the calling thread: canned queries, pages, ``/id``.

User queries queue for the worker pool (``workers.py``); the service's own must not queue
behind them, or one client's runaway would take the pages and the API down with it. So
these run in the request thread against a read-only handle on the current generation
(an ``EmbeddedStore`` shared by the threads; a generation stays open, and safe from
clean-up, while any thread reads it), or on the remote endpoint. pyoxigraph releases the
GIL while it evaluates, so request threads run in parallel.

Only for text the service ships (``queries/*.rq``, the pages' queries), with parameters
bound as RDF terms by ``VALUES``: no guard, no time limit but the remote store's.

On an embedded store, SELECT answers are kept in a small cache keyed by the generation
they were read from: a generation never changes once written, so an answer stays true
for as long as ``CURRENT`` names it, and a load (a new generation) is seen at once. A
dashboard asks the same catalogue questions (what a function needs, which years a
country has) many times; the cache answers them from memory. A remote store is never
cached: its data can change behind the service's back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from rdflib.term import Node

from hsfhs.bindings import bind_values
from hsfhs.remote_store import RemoteStore
from hsfhs.sparql_http import RemoteTimeout
from hsfhs.store import EmbeddedStore, Rows, StoreError, query_store, solutions_to_rows

from .errors import QuerySyntaxError, StoreUnavailable, query_timeout
from .results import ExecResult, materialise

log = logging.getLogger(__name__)

CACHE_ENTRIES = 512


class AnswerCache:
    """A bounded least-recently-used map, safe across request threads."""

    def __init__(self, size: int = CACHE_ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, Rows] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Rows | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple, rows: Rows) -> None:
        with self._lock:
            self._entries[key] = rows
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class TrustedQueries:
    """Runs trusted queries on one store directory or remote endpoint."""

    def __init__(
        self,
        store_path: str | None,
        endpoint: str | None,
        timeout_s: float,
        row_limit: int,
        cache_entries: int = CACHE_ENTRIES,
    ) -> None:
        self.store_path = store_path
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.row_limit = row_limit
        self._store: EmbeddedStore | None = None
        self._remote = RemoteStore(endpoint, timeout=timeout_s) if endpoint else None
        self._lock = threading.Lock()
        self.cache = AnswerCache(cache_entries) if cache_entries > 0 else None

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows:
        """A SELECT answer as ``Rows`` (shared with other callers: read it, do not change it)."""
        if self.endpoint or self.cache is None:
            return self._run(sparql, bindings, solutions_to_rows)
        generation = self._embedded().generations.current()
        key = (generation, sparql, tuple(sorted((k, v.n3()) for k, v in (bindings or {}).items())))
        rows = self.cache.get(key) if generation else None
        if rows is None:
            rows = self._run(sparql, bindings, solutions_to_rows)
            if generation:
                self.cache.put(key, rows)
        return rows

    def execute(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        results_format: str | None = None,
        graph_format: str | None = None,
    ) -> ExecResult:
        """Any query form, serialized in the negotiated format (capped at the row limit)."""

        def serialized(answer: Any) -> ExecResult:
            return materialise(
                answer,
                row_limit=self.row_limit,
                results_format=results_format,
                graph_format=graph_format,
            )

        started = time.perf_counter()
        result: ExecResult = self._run(sparql, bindings, serialized)
        result.elapsed_s = time.perf_counter() - started
        return result

    def _run(
        self, sparql: str, bindings: Mapping[str, Node] | None, read: Callable[[Any], Any]
    ) -> Any:
        """``read`` the answer while the generation is held (answers are read lazily)."""
        text = bind_values(sparql, bindings)
        try:
            if self._remote is not None:
                return read(self._remote.query(text))
            with self._embedded().reading() as store:
                return read(query_store(store, text))
        except RemoteTimeout as exc:
            raise query_timeout(self.timeout_s, self.timeout_s) from exc
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except (StoreError, OSError) as exc:
            log.error("store %s: %s", self.endpoint or self.store_path, exc)
            raise StoreUnavailable(getattr(exc, "public", "The store could not be read.")) from exc

    def _embedded(self) -> EmbeddedStore:
        with self._lock:
            if self._store is None:
                assert self.store_path is not None
                self._store = EmbeddedStore(self.store_path, missing_ok=False)
            return self._store
