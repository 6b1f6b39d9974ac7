"""The pool of query worker processes: where user queries and updates run, under limits.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed, so user
queries (and updates) run in a small pool of worker processes (spawn context: no forked
RocksDB or lock state). Each worker opens the store read-only through
``EmbeddedStore``, which looks at ``CURRENT`` before each query, so a load that lands a
new generation is seen by the next query with no restart.

A job that passes its time limit, or whose client goes away, has its worker killed and
a fresh one started; the other workers keep answering meanwhile. Each worker's
data segment is capped (``memory_mb``): the engine aborts on a failed allocation and the pool
reports it as ``memory``. Jobs run in a thread with a large stack (``JOB_STACK_MB``), so
deep but admitted queries (see ``guard.Limits``) parse instead of overflowing the stack,
and at a lower CPU priority than the server process (``WORKER_NICE``).

Workers send back serialized bytes, never Python term objects, so little crosses the pipe.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from hsfhs.store import EmbeddedStore, StoreError

from .errors import ClientGone, ServiceBusy
from .results import materialise

log = logging.getLogger(__name__)

STARTUP_GRACE_S = 30.0
"""How long a job may wait for workers that are still starting (imports take ~1 s)."""
JOB_STACK_MB = 128
"""Stack of the thread that runs jobs: 16x the default, so the engine's recursion fits."""
POLL_S = 0.1
"""How often a waiting request looks at its deadline and at its client."""
WORKER_NICE = 5
"""Workers yield the CPU to the server process (pages, API: the service's own queries),
so a runaway slows its own kind, not everyone."""


@dataclass
class Job:
    """One query (``update`` False) or update for a worker."""

    text: str
    update: bool = False
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    own_dataset: bool = False
    row_limit: int = 0
    results_format: str | None = None
    graph_format: str | None = None


class Timeout(Exception):
    """The job ran past its time limit; its worker was killed."""


class Died(Exception):
    """The worker died while running the job (``out_of_memory``: by the memory cap)."""

    def __init__(self, message: str, out_of_memory: bool) -> None:
        super().__init__(message)
        self.out_of_memory = out_of_memory


# --- the worker process --------------------------------------------------------------------


def _watch_parent(parent_pid: int) -> None:
    """Exit when the server process is gone (pyoxigraph releases the GIL while querying)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_memory(memory_mb: int | None) -> None:
    """Cap the worker's data segment (heap and private writable mappings), so a query
    that sorts a cross join (it grows ~100 MB/s) cannot take the machine's memory in the
    seconds before its time limit.

    RLIMIT_DATA, not RLIMIT_AS: an idle worker already reserves ~800 MB of address space
    (thread stacks, malloc arenas, the store's mappings) that it never uses, and how much
    varies with the machine, so an address-space cap stopped fresh workers from starting
    their threads on some machines. Reservations are not data; what a query allocates is.
    """
    if not memory_mb:
        return
    try:
        import resource
    except ImportError:  # not on Windows
        return
    limit = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _worker_main(
    conn: Connection, store_path: str, parent_pid: int, memory_mb: int | None = None
) -> None:
    """The worker process: answer jobs from the pipe in a big-stack thread until it closes."""
    _watch_parent(parent_pid)
    _limit_memory(memory_mb)
    with contextlib.suppress(OSError, AttributeError):  # not on Windows
        os.nice(WORKER_NICE)
    threading.stack_size(JOB_STACK_MB * 1024 * 1024)
    runner = threading.Thread(target=_serve, args=(conn, store_path), name="hsfhs-job")
    runner.start()
    runner.join()


def _serve(conn: Connection, store_path: str) -> None:
    store = EmbeddedStore(store_path, missing_ok=False)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_run(store, job))


def _run(store: EmbeddedStore, job: Job) -> tuple[str, Any]:
    """(status, payload): ok, syntax, memory, store, io, evaluation or internal."""
    try:
        if job.update:
            store.update(job.text)
            return ("ok", None)
        result = store.query(
            job.text,
            default_graph=job.default_graph,
            named_graphs=job.named_graphs,
            own_dataset=job.own_dataset,
        )
        return (
            "ok",
            materialise(
                result,
                row_limit=job.row_limit,
                results_format=job.results_format,
                graph_format=job.graph_format,
            ),
        )
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except MemoryError as exc:
        return ("memory", str(exc))
    except StoreError as exc:
        return ("store", (exc.public, str(exc)))
    except OSError as exc:  # a SERVICE request that failed, or the store's files
        return ("io", f"{type(exc).__name__}: {exc}")
    except (RuntimeError, ValueError) as exc:  # the engine could not evaluate it
        return ("evaluation", str(exc))
    except Exception as exc:  # a bug: report it rather than kill the worker
        return ("internal", f"{type(exc).__name__}: {exc}")


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


# --- the pool ---------------------------------------------------------------------------------


class WorkerPool:
    """``size`` workers on one store directory; ``run`` gives a job to the next idle one."""

    def __init__(self, store_path: str, size: int, memory_mb: int | None) -> None:
        self.store_path = store_path
        self.size = size
        self.memory_mb = memory_mb
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._starting = 0
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    def start(self, wait: bool = False) -> None:
        """Start the workers (once); with ``wait``, until they can take jobs."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
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
            worker = _Worker(self._ctx, self.store_path, self.memory_mb)
            ready = worker.wait_ready(STARTUP_GRACE_S)
        except Exception:  # logged and retried by the next job's wait
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
        """Kill every worker (at exit, or when a test is done with the pool)."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    @property
    def closed(self) -> bool:
        """Whether ``close`` was called: the server is stopping."""
        return self._closed

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid)

    def _replace(self, worker: _Worker, wait: bool = False) -> None:
        """Kill ``worker`` and start another; with ``wait``, until it is up.

        ``run`` waits, so the client whose query cost a worker keeps its place in the
        per-client count until the replacement is ready: killing runaways one after
        another cannot take the other workers too.
        """
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            thread = self._spawn()
            if wait:
                thread.join(STARTUP_GRACE_S)

    def acquire(self, wait_s: float, cancelled: Callable[[], bool] | None = None) -> _Worker:
        """An idle worker within ``wait_s`` (longer while no worker is up yet).

        Raises ``ServiceBusy`` when none frees up in time and ``ClientGone`` as soon as
        the client has closed its connection.
        """
        self.start()
        with self._lock:
            booting = self._starting > 0 and not self._all
        deadline = time.monotonic() + wait_s + (STARTUP_GRACE_S if booting else 0.0)
        while True:
            remaining = deadline - time.monotonic()
            try:
                return self._idle.get(timeout=max(0.0, min(POLL_S, remaining)))
            except queue.Empty:
                pass
            if cancelled is not None and cancelled():
                raise ClientGone("The client closed the connection while its query waited.")
            if remaining <= 0:
                raise ServiceBusy(
                    f"All {self.size} query workers stayed busy for {wait_s:g} s "
                    "(QUEUE_WAIT_S); try again shortly.",
                    workers=self.size,
                )

    def run(
        self,
        worker: _Worker,
        job: Job,
        limit_s: float,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[str, Any]:
        """Run ``job`` on ``worker`` (from ``acquire``): its (status, payload) reply.

        Raises ``Timeout`` past ``limit_s``, ``Died`` if the worker died, or
        ``ClientGone`` (the worker killed: nobody waits for the answer any more).
        """
        try:
            worker.conn.send(job)
            deadline = time.monotonic() + limit_s
            while not worker.conn.poll(max(0.0, min(POLL_S, deadline - time.monotonic()))):
                if cancelled is not None and cancelled():
                    log.info("client went away; stopping its query (worker %s)", worker.process.pid)
                    self._replace(worker, wait=True)
                    raise ClientGone("The client closed the connection; its query was stopped.")
                if time.monotonic() >= deadline:
                    log.warning(
                        "query passed %.1f s; killing worker pid %s", limit_s, worker.process.pid
                    )
                    self._replace(worker, wait=True)
                    raise Timeout()
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            out_of_memory = self.memory_mb is not None and worker.died_of_memory()
            self._replace(worker, wait=True)
            raise Died(str(exc) or "pipe closed", out_of_memory) from exc
        self._idle.put(worker)
        return reply
