"""Run SPARQL for /sparql, /api, the pages and the CLI: user queries under limits, ours directly.

Two paths, because a user's query and the service's own are not equally trusted:

* **User queries and updates** (``execute``, ``update``: what ``/sparql`` receives) are
  checked by the guard first (``guard.py``: no SERVICE, no remote LOAD, size, nesting
  and operator limits), pass admission (``admission.py``: a per-client limit and a
  bounded queue) and run in the worker pool (``workers.py``) under a time limit and a
  memory cap. A query whose client goes away is stopped.
* **Trusted queries** (``select_trusted``, ``execute_trusted``: the canned queries of
  ``queries/*.rq`` with parameters bound, the pages, ``/id``) run in the calling thread
  against a read-only handle on the current generation (pyoxigraph releases the GIL while
  it queries, so threads run in parallel). They never queue behind user queries, so
  pages and the API stay answerable while every worker is busy.

User text gets the project prefixes predeclared (``hsfhs:``, ``id:``, ``skos:``... as
``hsfhs query`` does), on its first line so that line numbers in errors stay the user's;
syntax errors are told in the user's terms (``syntax_help.py``).

Row cap: a user SELECT answer is **truncated**, not refused: the first ``row_limit`` rows
are returned, ``ExecResult.truncated`` is set, SPARQL JSON carries a top-level
``"warnings"`` list, and the HTTP layer adds ``X-HSFHS-Truncated: true``. CONSTRUCT and
DESCRIBE answers are capped at ``row_limit`` triples the same way.

For a remote store there is no process to kill: queries run in the calling thread and the
HTTP client's timeout enforces the limit.

Errors never carry a local path: a store problem is logged with its path and answered
with a ``StoreUnavailable`` that says what is wrong, not where.

``QueryExecutor`` is a plain class (no Flask), so the CLI can use it; the app keeps one
in ``app.extensions["hsfhs.executor"]`` (``current_executor()``).
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib.term import Node

from hsfhs.bindings import bind_values
from hsfhs.remote_store import RemoteStore
from hsfhs.sparql_http import RemoteRefused, RemoteTimeout
from hsfhs.store import Rows, StoreError

from .admission import Admission
from .errors import (
    BadRequest,
    FederationFailed,
    QueryFailed,
    QuerySyntaxError,
    QueryTooLarge,
    ServiceBusy,
    StoreUnavailable,
    WorkerCrashed,
    query_timeout,
)
from .guard import Limits, Shape, check_query, check_update
from .results import ExecResult, materialise
from .syntax_help import readable_syntax_error, with_prefixes
from .trusted import TrustedQueries
from .workers import Died, Job, Timeout, WorkerPool

log = logging.getLogger(__name__)

# A graph IRI no store holds: asking for it as the default graph gives an empty one, which
# the SPARQL Protocol requires when only named-graph-uri is given.
EMPTY_GRAPH = "urn:x-hsfhs:empty-default-graph"

Cancelled = Callable[[], bool]


class QueryExecutor:
    """Runs queries against one store (a directory or a remote endpoint) with limits.

    ``timeout_s`` and ``row_limit`` are the server's ceilings: a call may lower them,
    never raise them. Workers start on the first query, or on ``start()``.
    """

    def __init__(
        self,
        store_path: str | os.PathLike[str] | None = None,
        endpoint: str | None = None,
        *,
        workers: int = 2,
        timeout_s: float = 10.0,
        row_limit: int = 10000,
        allow_service: bool = False,
        memory_mb: int | None = 2048,
        limits: Limits | None = None,
        queue_size: int = 8,
        queue_wait_s: float = 5.0,
        client_queries: int = 1,
        load_allow: Iterable[str] = (),
        answer_cache: int = 512,
    ) -> None:
        if (store_path is None) == (endpoint is None):
            raise ValueError("give exactly one of store_path and endpoint")
        self.store_path = str(Path(store_path)) if store_path is not None else None
        self.endpoint = endpoint
        self.size = max(2, int(workers))
        self.timeout_s = float(timeout_s)
        self.row_limit = int(row_limit)
        self.allow_service = allow_service
        self.memory_mb = memory_mb
        self.limits = limits or Limits()
        self.queue_wait_s = float(queue_wait_s)
        self.load_allow = tuple(load_allow)
        self.admission = Admission(client_queries, queue_size)
        self.pool = WorkerPool(self.store_path, self.size, memory_mb) if self.store_path else None
        # a user's query runs as the engine plans it (no join-order hint: remote_store.py)
        self.remote = (
            RemoteStore(endpoint, timeout=self.timeout_s, keep_order=False) if endpoint else None
        )
        self.trusted = TrustedQueries(
            self.store_path, endpoint, self.timeout_s, self.row_limit, cache_entries=answer_cache
        )
        self._exit_hook = False

    @property
    def location(self) -> str:
        return self.endpoint or self.store_path or ""

    # lifecycle
    def start(self, wait: bool = False) -> None:
        """Start the worker processes (once); with ``wait``, until they can take queries."""
        if self.pool is None:
            return
        if not self._exit_hook:
            self._exit_hook = True
            atexit.register(self.close)
        self.pool.start(wait)

    def close(self) -> None:
        """Kill every worker (at exit, or when a test is done with the executor)."""
        if self.pool is not None:
            self.pool.close()

    # limits
    def effective_timeout(self, requested: float | None) -> float:
        """The request's limit if it is lower than the server's, else the server's."""
        if requested is None:
            return self.timeout_s
        if not math.isfinite(requested) or requested <= 0:
            raise BadRequest(f"timeout must be a positive number of seconds, not {requested}")
        return min(float(requested), self.timeout_s)

    def effective_row_limit(self, requested: int | None) -> int:
        if requested is None:
            return self.row_limit
        if requested < 0:
            raise BadRequest(f"row limit must be 0 or more, not {requested}")
        return min(int(requested), self.row_limit)

    # user queries
    def execute(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout: float | None = None,
        row_limit: int | None = None,
        results_format: str | None = None,
        graph_format: str | None = None,
        client: Sequence[str] = (),
        cancelled: Cancelled | None = None,
    ) -> ExecResult:
        """Run one user query; ``bindings`` are bound with ``VALUES``, never pasted in.

        ``client`` are the identities the per-client limit counts (``admission.client_keys``);
        ``cancelled`` says whether the client has gone away (then the query is stopped).
        Raises ``ServiceError`` subclasses: ``QuerySyntaxError``, ``QueryTooComplex``,
        ``FederationRefused``, ``QueryTimeout``, ``TooManyQueries``, ``ServiceBusy``,
        ``StoreUnavailable``, ``WorkerCrashed``, ``BadRequest``...
        """
        limit_s = self.effective_timeout(timeout)
        rows = self.effective_row_limit(row_limit)
        try:
            text = bind_values(sparql, bindings)
        except ValueError as exc:
            raise BadRequest(str(exc)) from exc
        shape = check_query(text, self.limits, allow_service=self.allow_service)
        if named_graphs and not default_graph:
            default_graph = [EMPTY_GRAPH]
        job = Job(
            with_prefixes(text),
            default_graph=default_graph,
            named_graphs=named_graphs,
            own_dataset=shape.has_dataset,
            row_limit=rows,
            results_format=results_format,
            graph_format=graph_format,
        )
        started = time.perf_counter()
        try:
            if self.endpoint:  # no worker to wait for; the per-client limit still holds
                with self.admission.client(client):
                    result = self._run_remote(job, limit_s)
            else:
                result = self._dispatch(job, limit_s, client, cancelled, shape)
        except QuerySyntaxError as exc:
            raise readable_syntax_error(exc, text) from None
        result.elapsed_s = time.perf_counter() - started
        return result

    def update(
        self,
        sparql: str,
        *,
        client: Sequence[str] = (),
        cancelled: Cancelled | None = None,
    ) -> None:
        """Apply a SPARQL Update under the same limits as queries. Callers authorise.

        Embedded: one atomic generation switch, in a worker. An update stopped at its
        time limit leaves the store as it was (unless it was stopped after its switch).
        """
        check_update(
            sparql, self.limits, allow_service=self.allow_service, allowed_loads=self.load_allow
        )
        text = with_prefixes(sparql)
        if not self.endpoint:
            try:
                self._dispatch(Job(text, update=True), self.timeout_s, client, cancelled, Shape())
            except QuerySyntaxError as exc:
                raise readable_syntax_error(exc, sparql) from None
            return
        assert self.remote is not None
        try:
            self.remote.update(text)
        except (StoreError, OSError) as exc:
            raise self._unavailable(exc) from exc

    def _dispatch(
        self,
        job: Job,
        limit_s: float,
        client: Sequence[str],
        cancelled: Cancelled | None,
        shape: Shape,
    ) -> Any:
        """Admit, wait for a worker, run; the reply's payload or the matching error."""
        assert self.pool is not None
        with self.admission.client(client):
            with self.admission.waiting():
                worker = self.pool.acquire(self.queue_wait_s, cancelled)
            try:
                status, payload = self.pool.run(worker, job, limit_s, cancelled)
            except Timeout:
                raise query_timeout(limit_s, self.timeout_s) from None
            except Died as exc:
                if self.pool.closed:  # the workers were stopped with the server
                    raise ServiceBusy("The server is stopping; try again shortly.") from exc
                if exc.out_of_memory:
                    raise self._too_large() from exc
                raise WorkerCrashed(
                    "The query worker stopped while running this query; a new worker has "
                    "been started."
                ) from exc
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "memory":
            raise self._too_large()
        if status == "store":
            public, private = payload
            log.error("store %s: %s", self.location, private)
            raise StoreUnavailable(public)
        if status == "io" and shape.uses_service:
            raise FederationFailed(f"A SERVICE request failed: {payload}")
        if status == "io":
            log.error("store %s: %s", self.location, payload)
            raise StoreUnavailable("The store could not be read.")
        if status == "evaluation":
            raise QueryFailed(payload)
        raise RuntimeError(f"query worker: {payload}")

    def _too_large(self) -> QueryTooLarge:
        return QueryTooLarge(
            f"The query needed more than the {self.memory_mb} MB a query worker may use "
            "(QUERY_MEMORY_MB, env HSFHS_QUERY_MEMORY_MB) and was stopped. "
            "Sort or group fewer rows.",
            memory_mb=self.memory_mb,
        )

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        log.error("store %s: %s", self.location, exc)
        return StoreUnavailable(getattr(exc, "public", "The store could not be read."))

    def _run_remote(self, job: Job, limit_s: float) -> ExecResult:
        assert self.remote is not None
        try:
            result = self.remote.query(
                job.text,
                default_graph=job.default_graph,
                named_graphs=job.named_graphs,
                own_dataset=job.own_dataset,
                timeout_s=limit_s,
            )
        except RemoteTimeout as exc:
            raise query_timeout(limit_s, self.timeout_s) from exc
        except RemoteRefused as exc:
            if exc.status == 400:  # the engine's own syntax message, without its URL
                raise QuerySyntaxError(exc.detail) from exc
            raise self._unavailable(exc) from exc
        except StoreError as exc:
            raise self._unavailable(exc) from exc
        return materialise(
            result,
            row_limit=job.row_limit,
            results_format=job.results_format,
            graph_format=job.graph_format,
        )

    # trusted queries
    def select_trusted(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows:
        """A SELECT of the service's own (a canned query) in this thread, as ``Rows``.

        No worker, no queue, no guard: only for query text the service ships, with
        parameters bound as RDF terms by ``VALUES`` (see ``trusted.py``).
        """
        return self.trusted.select(sparql, bindings)

    def execute_trusted(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        results_format: str | None = None,
        graph_format: str | None = None,
    ) -> ExecResult:
        """Like ``select_trusted`` for any query form, serialized as ``execute`` does."""
        return self.trusted.execute(
            sparql, bindings, results_format=results_format, graph_format=graph_format
        )


# --- Flask glue --------------------------------------------------------------------------------

EXTENSION_KEY = "hsfhs.executor"


def current_executor() -> QueryExecutor:
    """The executor of the running Flask app."""
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]

