"""Run SPARQL queries under a real time limit and a row cap: for /sparql, /api and the CLI.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed, so embedded
queries run in a small pool of worker processes (spawn context: no forked RocksDB or
lock state). Each worker opens the store read-only through ``EmbeddedStore``, which
looks at ``CURRENT`` before each query, so a load that lands a new generation is seen by
the next query with no restart. When a query passes its time limit its worker is killed
and a fresh one started; the client gets a ``QueryTimeout`` naming the setting, and the
other workers keep answering other clients meanwhile.

Workers send back serialized bytes (SPARQL results in the negotiated format, or graphs
in the negotiated RDF syntax), never Python term objects, so little crosses the pipe.

Row cap: a SELECT answer is **truncated**, not refused: the first ``row_limit`` rows are
returned, ``ExecResult.truncated`` is set, the SPARQL JSON format carries a top-level
``"warnings"`` list, and the HTTP layer adds ``X-HSFHS-Truncated: true``. CONSTRUCT and
DESCRIBE answers are capped at ``row_limit`` triples the same way.

Memory: each worker's address space is capped (``memory_mb``, default 2 GB), because a
query that sorts a cross join grows by ~100 MB/s; the engine aborts on a failed
allocation and the client gets a ``QueryTooLarge``.

For a remote store there is no process to kill: the query runs in the calling thread and
the HTTP client's timeout enforces the limit.

``QueryExecutor`` is a plain class (no Flask), so the CLI can use it; the app keeps one
in ``app.extensions["hsfhs.executor"]`` and the module function ``execute`` uses it.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib.term import Node

from hsfhs.store import EmbeddedStore, RemoteStore, StoreError, bind_values

from .errors import (
    BadRequest,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    ServiceBusy,
    StoreUnavailable,
    WorkerCrashed,
)
from .guard import uses_service
from .remote import RemoteTimeout, remote_query
from .results import (  # re-exported: the API and the CLI import them from here
    CSV,
    GRAPH_FORMATS,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    RESULT_FORMATS,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    ExecResult,
    materialise,
    serialize,
    truncation_warning,
)

__all__ = [
    "CSV",
    "GRAPH_FORMATS",
    "JSON_LD",
    "N_TRIPLES",
    "RDF_XML",
    "RESULT_FORMATS",
    "SPARQL_JSON",
    "SPARQL_XML",
    "TSV",
    "TURTLE",
    "ExecResult",
    "QueryExecutor",
    "current_executor",
    "execute",
    "materialise",
    "serialize",
    "truncation_warning",
]

log = logging.getLogger(__name__)

# A graph IRI no store holds: asking for it as the default graph gives an empty one, which
# the SPARQL Protocol requires when only named-graph-uri is given.
EMPTY_GRAPH = "urn:x-hsfhs:empty-default-graph"

STARTUP_GRACE_S = 30.0
"""How long a query may wait for workers that are still starting (imports take ~1 s)."""


# --- the worker process --------------------------------------------------------------------


@dataclass
class _Job:
    query: str
    default_graph: list[str] | None
    named_graphs: list[str] | None
    row_limit: int
    results_format: str | None
    graph_format: str | None


def _watch_parent(parent_pid: int) -> None:
    """Exit when the server process is gone (pyoxigraph releases the GIL while querying)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_memory(memory_mb: int | None) -> None:
    """Cap the worker's address space, so a query that sorts a cross join cannot take the
    machine's memory in the seconds before its time limit (it grows ~100 MB/s).
    The engine aborts on a failed allocation; the executor reports that as QueryTooLarge.
    """
    if not memory_mb:
        return
    try:
        import resource
    except ImportError:  # not on Windows
        return
    limit = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_main(
    conn: Connection, store_path: str, parent_pid: int, memory_mb: int | None = None
) -> None:
    """Answer jobs from the pipe, one at a time, until the pipe closes."""
    _watch_parent(parent_pid)
    _limit_memory(memory_mb)
    store = EmbeddedStore(store_path)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job: _Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = store.query(
                job.query, default_graph=job.default_graph, named_graphs=job.named_graphs
            )
            reply: tuple[str, Any] = (
                "ok",
                materialise(
                    result,
                    row_limit=job.row_limit,
                    results_format=job.results_format,
                    graph_format=job.graph_format,
                ),
            )
        except SyntaxError as exc:
            reply = ("syntax", str(exc))
        except MemoryError as exc:
            reply = ("memory", str(exc))
        except (StoreError, OSError) as exc:
            reply = ("store", str(exc))
        except Exception as exc:  # a bug: report it rather than kill the worker
            reply = ("internal", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any, store_path: str, memory_mb: int | None = None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main,
            args=(child, store_path, os.getpid(), memory_mb),
            name="hsfhs-query-worker",
            daemon=True,
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def died_of_memory(self) -> bool:
        """Whether the process ended by the engine's abort on a failed allocation."""
        self.process.join(1)
        return self.process.exitcode == -signal.SIGABRT

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


# --- the executor ---------------------------------------------------------------------------


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
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._starting = 0
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    @property
    def location(self) -> str:
        return self.endpoint or self.store_path or ""

    # lifecycle
    def start(self, wait: bool = False) -> None:
        """Start the worker processes (once); with ``wait``, until they can take queries."""
        if self.endpoint is not None:
            return
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            atexit.register(self.close)
        threads = [self._spawn() for _ in range(self.size)]
        if wait:
            for t in threads:
                t.join(STARTUP_GRACE_S)

    def _spawn(self) -> threading.Thread:
        """Start one worker; a thread puts it in the idle queue once it is ready."""
        with self._lock:
            self._starting += 1
        thread = threading.Thread(target=self._bring_up, name="hsfhs-worker-start", daemon=True)
        thread.start()
        return thread

    def _bring_up(self) -> None:
        worker: _Worker | None = None
        try:
            assert self.store_path is not None
            worker = _Worker(self._ctx, self.store_path, self.memory_mb)
            ready = worker.wait_ready(STARTUP_GRACE_S)
        except Exception:  # logged and retried by the next query's wait
            log.exception("could not start a query worker")
            ready = False
        with self._lock:
            self._starting -= 1
            if worker is not None and ready and not self._closed:
                self._all.add(worker)
                self._idle.put(worker)
                return
        if worker is not None:
            worker.kill()
        if not self._closed:
            log.error("a query worker did not start; queries may wait")

    def close(self) -> None:
        """Kill every worker (at exit, or when a test is done with the executor)."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    def _acquire(self) -> _Worker:
        """An idle worker; waits up to the server's time limit (longer while workers start)."""
        self.start()
        wait = self.timeout_s + (STARTUP_GRACE_S if self._starting else 0.0)
        try:
            return self._idle.get(timeout=wait)
        except queue.Empty:
            raise ServiceBusy(
                f"All {self.size} query workers stayed busy for {wait:.0f} s; try again shortly.",
                workers=self.size,
            ) from None

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            self._spawn()

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

    # queries
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
    ) -> ExecResult:
        """Run one query; ``bindings`` are bound with ``VALUES``, never pasted into the text.

        Raises ``QuerySyntaxError``, ``QueryTimeout``, ``ServiceBusy``,
        ``StoreUnavailable``, ``WorkerCrashed`` or ``BadRequest`` (all ``ServiceError``).
        """
        limit_s = self.effective_timeout(timeout)
        rows = self.effective_row_limit(row_limit)
        try:
            text = bind_values(sparql, bindings)
        except ValueError as exc:
            raise BadRequest(str(exc)) from exc
        if not self.allow_service and uses_service(text):
            raise BadRequest(
                "SERVICE (federated query) is disabled on this server: it would make the "
                "server send requests on the caller's behalf.",
            )
        if named_graphs and not default_graph:
            default_graph = [EMPTY_GRAPH]
        job = _Job(text, default_graph, named_graphs, rows, results_format, graph_format)
        started = time.perf_counter()
        result = self._run_remote(job, limit_s) if self.endpoint else self._run_local(job, limit_s)
        result.elapsed_s = time.perf_counter() - started
        return result

    def _run_local(self, job: _Job, limit_s: float) -> ExecResult:
        worker = self._acquire()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(limit_s):
                log.warning(
                    "query passed %.1f s; killing worker pid %s", limit_s, worker.process.pid
                )
                self._replace(worker)
                raise _timeout(limit_s, self.timeout_s)
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            out_of_memory = self.memory_mb is not None and worker.died_of_memory()
            self._replace(worker)
            if out_of_memory:
                raise self._too_large() from exc
            raise WorkerCrashed(
                f"The query worker stopped while running this query ({exc or 'pipe closed'}); "
                "a new worker has been started."
            ) from exc
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "memory":
            raise self._too_large()
        if status == "store":
            raise StoreUnavailable(payload, store=self.location)
        raise RuntimeError(f"query worker: {payload}")

    def _too_large(self) -> QueryTooLarge:
        return QueryTooLarge(
            f"The query needed more than the {self.memory_mb} MB a query worker may use "
            "(QUERY_MEMORY_MB, env HSFHS_QUERY_MEMORY_MB) and was stopped. "
            "Sort or group fewer rows.",
            memory_mb=self.memory_mb,
        )

    def _run_remote(self, job: _Job, limit_s: float) -> ExecResult:
        try:
            result = remote_query(
                self.endpoint,  # type: ignore[arg-type]
                job.query,
                default_graph=job.default_graph,
                named_graphs=job.named_graphs,
                timeout_s=limit_s,
            )
        except RemoteTimeout as exc:
            raise _timeout(limit_s, self.timeout_s) from exc
        return materialise(
            result,
            row_limit=job.row_limit,
            results_format=job.results_format,
            graph_format=job.graph_format,
        )

    # updates
    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update (embedded: one atomic generation switch). Callers authorise."""
        store = RemoteStore(self.endpoint) if self.endpoint else EmbeddedStore(self.store_path)  # type: ignore[arg-type]
        try:
            store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except (StoreError, OSError) as exc:
            raise StoreUnavailable(str(exc), store=self.location) from exc


def _timeout(limit_s: float, server_s: float) -> QueryTimeout:
    if limit_s < server_s:
        setting = "the limit this request asked for with its timeout parameter"
    else:
        setting = (
            "the server's limit, QUERY_TIMEOUT_S: env HSFHS_QUERY_TIMEOUT_S "
            "or hsfhs serve --timeout"
        )
    return QueryTimeout(
        f"The query ran longer than {limit_s:g} s ({setting}) and was stopped. "
        "Narrow it (fewer unbound patterns, a LIMIT) and try again.",
        timeout_s=limit_s,
        server_timeout_s=server_s,
    )


# --- Flask glue --------------------------------------------------------------------------------

EXTENSION_KEY = "hsfhs.executor"


def current_executor() -> QueryExecutor:
    """The executor of the running Flask app."""
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]


def execute(
    sparql: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    default_graph: list[str] | None = None,
    named_graphs: list[str] | None = None,
    timeout: float | None = None,
    row_limit: int | None = None,
    results_format: str | None = None,
    graph_format: str | None = None,
) -> ExecResult:
    """``QueryExecutor.execute`` on the current app's executor (for view functions)."""
    return current_executor().execute(
        sparql,
        bindings,
        default_graph=default_graph,
        named_graphs=named_graphs,
        timeout=timeout,
        row_limit=row_limit,
        results_format=results_format,
        graph_format=graph_format,
    )
