"""The service's own queries, run in the calling thread: canned queries, pages, ``/id``.

User queries queue for the worker pool (``workers.py``); the service's own must not queue
behind them, or one client's runaway would take the pages and the API down with it. So
these run in the request thread against a read-only handle on the current generation
(an ``EmbeddedStore`` shared by the threads; a generation stays open, and safe from
clean-up, while any thread reads it), or on the remote endpoint. pyoxigraph releases the
GIL while it evaluates, so request threads run in parallel.

Only for text the service ships (``queries/*.rq``, the pages' queries), with parameters
bound as RDF terms by ``VALUES``: no guard, no time limit but the remote store's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from rdflib.term import Node

from hsfhs.store import EmbeddedStore, Rows, StoreError, bind_values, query_store, solutions_to_rows

from .errors import QuerySyntaxError, StoreUnavailable, query_timeout
from .remote import RemoteTimeout, remote_query
from .results import ExecResult, materialise

log = logging.getLogger(__name__)


class TrustedQueries:
    """Runs trusted queries on one store directory or remote endpoint."""

    def __init__(
        self, store_path: str | None, endpoint: str | None, timeout_s: float, row_limit: int
    ) -> None:
        self.store_path = store_path
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.row_limit = row_limit
        self._store: EmbeddedStore | None = None
        self._lock = threading.Lock()

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows:
        """A SELECT answer as ``Rows``."""
        return self._run(sparql, bindings, solutions_to_rows)

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
            if self.endpoint:
                answer = remote_query(
                    self.endpoint,
                    text,
                    default_graph=None,
                    named_graphs=None,
                    timeout_s=self.timeout_s,
                )
                return read(answer)
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
