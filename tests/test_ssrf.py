"""No server-side fetches: SERVICE and LOAD refused, whatever the spelling (issue 10, finding 1).

A live ``hsfhs serve`` (read-only for anonymous clients, updates with the token) gets the
bypass corpus of ``ssrf_corpus.py``: spelling, case, whitespace and comment tricks,
glued tokens, codepoint escapes, nested positions, query forms, variables, prefixed
names and BASE. A TCP listener on 127.0.0.1 stands where every query points; the test
fails if anything ever connects to it. Each attempt must be a 400 that says why.

So that the corpus cannot rot into text that would be harmless anyway, each entry marked
``engine_fetches`` is also given to pyoxigraph directly, against a second listener, and
must reach it. Queries that only mention "service" (variables, strings, IRIs, comments,
local names) are still answered, and a LOAD of what the operator allowed still loads.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from service_fixtures import LiveServer, Reply
from ssrf_corpus import HARMLESS, QUERIES, UPDATES

from hsfhs.store import EmbeddedStore

TOKEN = "ssrf-test-token-0123456789"
ALLOWED_DOC = '<urn:hsfhs-test:loaded> <urn:hsfhs-test:says> "allowed" .\n'


class Listener:
    """A TCP socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.contacts: list[bytes] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.contacts.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.contacts.append(b"(connected)")

    def close(self) -> None:
        self.sock.close()


class _Document(http.server.BaseHTTPRequestHandler):
    """Serves the one document the server is allowed to LOAD."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        body = ALLOWED_DOC.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    trap = Listener()
    yield trap
    trap.close()
    assert trap.contacts == [], f"the server fetched from the listener: {trap.contacts}"


@pytest.fixture(scope="module")
def allowed_document() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Document)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/allowed.nt"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server(
    built_store: EmbeddedStore,
    tmp_path_factory: pytest.TempPathFactory,
    listener: Listener,
    allowed_document: str,
) -> Iterator[LiveServer]:
    work = tmp_path_factory.mktemp("ssrf")
    shutil.copytree(built_store.path, work / "store")
    live = LiveServer.start(
        work / "store",
        work / "serve.log",
        "--update-token",
        TOKEN,
        "--timeout",
        "5",
        env={"HSFHS_LOAD_ALLOW": allowed_document},
    )
    yield live
    live.stop()


def _problem(reply: Reply) -> dict:
    assert reply.status == 400, reply.body[:300]
    assert reply.content_type == "application/problem+json"
    return reply.json()


def _query(server: LiveServer, text: str, i: int) -> Reply:
    if i % 2:  # half by GET, half as a direct POST body
        return server.request("GET", "/sparql", params={"query": text})
    return server.request(
        "POST", "/sparql", body=text, headers={"Content-Type": "application/sparql-query"}
    )


def _update(server: LiveServer, text: str) -> Reply:
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    return server.request("POST", "/sparql", body=text, headers=headers)


def test_the_corpus_is_large_and_its_names_unique():
    names = [name for name, _, _ in QUERIES + UPDATES]
    assert len(QUERIES) >= 60 and len(UPDATES) >= 10
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("i", "name", "template"), [(i, n, t) for i, (n, t, _) in enumerate(QUERIES)]
)
def test_service_in_a_query_is_refused(server, listener, i, name, template):
    doc = _problem(_query(server, template.format(u=listener.url), i))
    assert doc["type"].endswith("/service-disabled")
    assert "SERVICE" in doc["detail"]
    assert listener.contacts == []


@pytest.mark.parametrize(("name", "template"), [(n, t) for n, t, _ in UPDATES])
def test_service_and_load_in_an_update_are_refused(server, listener, name, template):
    doc = _problem(_update(server, template.format(u=listener.url)))
    assert doc["type"].rsplit("/", 1)[1] in ("service-disabled", "load-refused")
    assert listener.contacts == []


@pytest.mark.parametrize(("name", "template"), HARMLESS)
def test_mentions_of_service_are_answered(server, listener, name, template):
    reply = _query(server, template.format(u=listener.url), 0)
    assert reply.status == 200, reply.body[:300]
    assert "results" in reply.json()
    assert listener.contacts == []


def test_an_allowed_load_is_fetched_and_loaded(server, allowed_document, listener):
    _Document.hits.clear()
    reply = _update(server, f"LOAD <{allowed_document}> INTO GRAPH <urn:hsfhs-test:graph>")
    assert reply.status == 204, reply.body[:300]
    assert _Document.hits == ["/allowed.nt"]
    ask = 'ASK { GRAPH <urn:hsfhs-test:graph> { <urn:hsfhs-test:loaded> ?p "allowed" } }'
    assert server.request("GET", "/sparql", params={"query": ask}).json()["boolean"] is True
    # the same host, another document: refused, never fetched
    other = allowed_document.replace("allowed.nt", "other.nt")
    assert _problem(_update(server, f"LOAD <{other}>"))["type"].endswith("/load-refused")
    assert _Document.hits == ["/allowed.nt"] and listener.contacts == []


def test_the_engine_really_fetches_what_the_corpus_says(tmp_path: Path):
    """The control: given straight to pyoxigraph, the attempts marked so reach a listener."""
    control = Listener()
    try:
        fetched = set()
        for name, template, _ in QUERIES + UPDATES:
            store = ox.Store()
            store.add(
                ox.Quad(
                    ox.NamedNode("urn:s"),
                    ox.NamedNode("urn:p"),
                    ox.Literal("x"),
                    ox.NamedNode("urn:g"),
                )
            )
            before = len(control.contacts)
            text = template.format(u=control.url)
            try:
                if (name, template, _) in UPDATES:
                    store.update(text)
                else:
                    result = store.query(text, use_default_graph_as_union=True)
                    if not isinstance(result, ox.QueryBoolean):
                        list(result)
            except (OSError, SyntaxError, RuntimeError):
                pass  # the listener hangs up; or the text is refused by the parser
            for _ in range(50):  # the listener thread records the connection
                if len(control.contacts) > before:
                    fetched.add(name)
                    break
                threading.Event().wait(0.01)
    finally:
        control.close()
    marked = {name for name, _, fetches in QUERIES + UPDATES if fetches}
    assert fetched == marked
