"""One client cannot starve the others (issue 10, finding 3), on a live ``hsfhs serve``.

Clients are told apart by address, so each "client" here connects from its own
127.0.0.x. The server has two workers, a 30 s limit, a queue of one and a 1.5 s
admission wait. With a runaway query from each of two clients holding both workers:

* the same client (or the same bearer token from elsewhere) gets 429 at once;
* pages, the API and linked data are answered all the same (they never queue);
* one more query waits in the queue and gets 503 with Retry-After when no worker frees
  up in time; a query past the queue gets 503 at once;
* when the runaways' clients hang up, their workers are stopped and replaced, and the
  next client is answered long before the runaways' 30 s limit.

How fast anything is answered is the fairness benchmark's business
(``benchmarks/bench_load_fairness.py``); this checks what is answered, and how.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from qs_data import query_store
from service_fixtures import LiveServer, Reply

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK = "ASK { ?s ?p ?o }"
QUEUE_WAIT_S = 1.5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("fairness") / "serve.log"
    env = {
        "HSFHS_QUERY_QUEUE": "1",
        "HSFHS_QUEUE_WAIT_S": str(QUEUE_WAIT_S),
        "HSFHS_CLIENT_QUERIES": "1",
    }
    live = LiveServer.start(query_store(), log, "--workers", "2", "--timeout", "30", env=env)
    yield live
    live.stop()


class Runaway:
    """A runaway query sent from ``source`` on a raw socket, so the test can hang up."""

    def __init__(self, server: LiveServer, source: str, token: str | None = None) -> None:
        self.sock = socket.create_connection(("127.0.0.1", server.port), source_address=(source, 0))
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n{auth}\r\n".encode())

    def answered(self) -> bool:
        self.sock.setblocking(False)
        try:
            return self.sock.recv(1, socket.MSG_PEEK) != b""
        except BlockingIOError:
            return False
        finally:
            self.sock.setblocking(True)

    def hang_up(self) -> None:
        self.sock.close()


def ask(server: LiveServer, source: str, **kwargs) -> Reply:
    return server.request("GET", "/sparql", params={"query": ASK}, source=source, **kwargs)


def wait_for_429(server: LiveServer, source: str, headers: dict | None = None) -> Reply:
    """The runaway is admitted once a second query from its client is refused."""
    deadline = time.monotonic() + 10
    while True:
        reply = ask(server, source, headers=headers or {})
        if reply.status == 429 or time.monotonic() > deadline:
            return reply
        time.sleep(0.05)


def test_one_client_cannot_starve_the_others(server):
    first = Runaway(server, "127.0.0.2")
    second = Runaway(server, "127.0.0.3", token="token-of-b")
    try:
        # the same client, or its token from another address: 429 at once, with Retry-After
        for source, headers in (
            ("127.0.0.2", None),
            ("127.0.0.7", {"Authorization": "Bearer token-of-b"}),
        ):
            reply = wait_for_429(server, source, headers)
            assert reply.status == 429, reply.body[:300]
            assert reply.json()["type"].endswith("/too-many-queries")
            assert int(reply.headers["Retry-After"]) > 0

        # both workers are busy: pages, the API and linked data are answered anyway
        cheap = [
            ("/api/gaps", {"country": "NGA", "function": "detect", "year": "2022"}),
            ("/id/spar2/C5", {"format": "turtle"}),
            ("/page/spar2/C5", None),
            ("/", None),
            ("/sparql", None),
        ]
        for path, params in cheap:
            reply = server.request("GET", path, params=params, source="127.0.0.4")
            assert reply.status == 200, (path, reply.body[:300])
        assert not first.answered() and not second.answered()  # still running

        # a queue of one: the next query waits, the one after is refused at once
        waiting: dict[str, Reply] = {}
        queued = threading.Thread(target=lambda: waiting.update(r=ask(server, "127.0.0.5")))
        queued.start()
        time.sleep(0.4)
        refused = ask(server, "127.0.0.6")
        assert refused.status == 503 and refused.json()["type"].endswith("/busy")
        assert "QUERY_QUEUE" in refused.json()["detail"] and refused.headers["Retry-After"]
        queued.join(QUEUE_WAIT_S + 10)
        assert waiting["r"].status == 503 and "QUEUE_WAIT_S" in waiting["r"].json()["detail"]
        assert waiting["r"].headers["Retry-After"]
        assert not first.answered() and not second.answered()
    finally:
        first.hang_up()
        second.hang_up()

    # the runaways' clients are gone: their workers are stopped and replaced
    reply = ask(server, "127.0.0.8", timeout=15)
    assert reply.status == 200 and reply.json()["boolean"] is True
    deadline = time.monotonic() + 5
    while server.log.read_text().count("client went away") < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.log.read_text().count("client went away") == 2
