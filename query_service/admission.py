"""Who may have a user query waiting or running: per-client limits and a bounded queue.

Only ``/sparql`` queries and updates go through here (the API's canned queries and the
pages run in the request thread, see ``QueryExecutor.select_trusted``). Two limits keep
one client from starving the others:

* **per client** (``CLIENT_QUERIES``): a client may have that many queries waiting or
  running at once; one more is answered ``429`` at once. A client is its address (an
  IPv6 address by its /64, which one host usually holds whole) and, when the request
  carries ``Authorization: Bearer``, that token too: both counts must be under the limit,
  so neither many tokens from one address nor one token from many addresses gets more.
* **queue** (``QUERY_QUEUE``): at most that many queries wait for a worker; one more is
  answered ``503`` at once, and a waiting query that gets no worker within
  ``QUEUE_WAIT_S`` is answered ``503`` too, both with ``Retry-After``.

Waiting requests hold a waitress thread each, so the queue is kept well under the
thread count: the threads left over answer the cheap requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import threading
from collections import Counter
from collections.abc import Iterator, Sequence

from .errors import ServiceBusy, TooManyQueries


def client_keys(remote_addr: str | None, authorization: str | None = None) -> tuple[str, ...]:
    """The identities a request counts against: its address and its bearer token, if any."""
    keys = [f"addr:{_address_key(remote_addr or '')}"]
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        digest = hashlib.sha256(token.strip().encode("utf-8")).hexdigest()[:16]
        keys.append(f"token:{digest}")
    return tuple(keys)


def _address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


class Admission:
    """Counts of queries in flight per client and waiting overall, under one lock."""

    def __init__(self, per_client: int, max_waiting: int, retry_after_s: int = 2) -> None:
        self.per_client = max(1, int(per_client))
        self.max_waiting = max(0, int(max_waiting))
        self.retry_after_s = retry_after_s
        self._lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()
        self._waiting = 0

    @contextlib.contextmanager
    def client(self, keys: Sequence[str]) -> Iterator[None]:
        """Count one query (waiting or running) against each of ``keys`` for the block."""
        with self._lock:
            full = [k for k in keys if self._in_flight[k] >= self.per_client]
            if full:
                raise TooManyQueries(
                    f"This client already has {self.per_client} quer"
                    f"{'y' if self.per_client == 1 else 'ies'} running or waiting "
                    "(CLIENT_QUERIES); wait for an answer before sending another.",
                    limit=self.per_client,
                    retry_after=self.retry_after_s,
                )
            self._in_flight.update(keys)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight.subtract(keys)
                for k in keys:
                    if self._in_flight[k] <= 0:
                        del self._in_flight[k]

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        """Hold one place in the queue while the block waits for a worker."""
        with self._lock:
            if self._waiting >= self.max_waiting:
                raise ServiceBusy(
                    f"{self._waiting} queries are already waiting for a worker (QUERY_QUEUE); "
                    "try again shortly.",
                    queued=self._waiting,
                    retry_after=self.retry_after_s,
                )
            self._waiting += 1
        try:
            yield
        finally:
            with self._lock:
                self._waiting -= 1
