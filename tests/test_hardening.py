"""Safe to put on the internet: complexity limits, errors without paths, headers, CORS.

Issue 10, findings 2 (deep nesting crashed a worker: now a 400 naming the limit), 7 (a
SERVICE error named the store's path) and 8 (nosniff, a Content-Security-Policy that
fits the vendored assets, frame protection, configurable CORS without credentials).
Checked against a live ``hsfhs serve`` on a copy of the built catalogue; the CORS
settings through the Flask test client.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_fixtures import LiveServer, Reply, free_port

from hsfhs.query_service.app import create_app
from hsfhs.store import EmbeddedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def store_dir(built_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("hardening") / "store"
    shutil.copytree(built_store.path, target)
    return target


@pytest.fixture(scope="module")
def server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("hardening-log") / "serve.log"
    live = LiveServer.start(store_dir, log, "--timeout", "5")
    yield live
    live.stop()


def post(server: LiveServer, query: str) -> Reply:
    headers = {"Content-Type": "application/sparql-query"}
    return server.request("POST", "/sparql", body=query, headers=headers)


def count(reply: Reply) -> int:
    assert reply.status == 200, reply.body[:300]
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


# --- finding 2: complexity limits ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "setting"),
    [
        ("SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, "QUERY_MAX_DEPTH"),
        ("SELECT * WHERE { " + "UNION".join(["{}"] * 10000) + " }", "QUERY_MAX_OPERATORS"),
        ("SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }", "QUERY_MAX_DEPTH"),
        ("SELECT * WHERE { FILTER(" + "+".join(["1"] * 10000) + ") }", "QUERY_MAX_OPERATORS"),
        ("SELECT * WHERE { ?s ?p ?o } # " + "x" * 200_000, "QUERY_MAX_CHARS"),
    ],
    ids=["3000-groups", "10000-unions", "10000-parentheses", "10000-additions", "200k-chars"],
)
def test_a_query_past_a_limit_is_400_naming_it(server, store_dir, query, setting):
    reply = post(server, query)
    assert reply.status == 400, reply.body[:300]
    doc = reply.json()
    assert doc["type"].endswith("/query-too-complex")
    assert doc["limit"] == setting and setting in doc["detail"]
    assert count(post(server, COUNT)) > 0  # no worker died: the next query is answered


def test_long_lists_within_the_limits_are_answered(server):
    """45,000 objects overflow an 8 MB stack in the engine's parser; workers have more."""
    objects = "SELECT * WHERE { FILTER(false) ?s ?p " + ",".join(["1"] * 45000) + " }"
    reply = post(server, objects)
    assert reply.status == 200, reply.body[:300]
    assert reply.json()["results"]["bindings"] == []
    nested = "SELECT (COUNT(*) AS ?n) WHERE " + "{" * 100 + " ?s ?p ?o " + "}" * 100
    assert count(post(server, nested)) == count(post(server, COUNT))


# --- finding 7: errors never name local paths ---------------------------------------------------


def test_a_failed_service_request_names_no_path(store_dir, tmp_path):
    """On a server that allows SERVICE, a failing endpoint is a 502 about that endpoint."""
    live = LiveServer.start(store_dir, tmp_path / "serve.log", env={"HSFHS_ALLOW_SERVICE": "true"})
    try:
        closed = f"http://127.0.0.1:{free_port()}/sparql"
        reply = post(live, f"SELECT * WHERE {{ SERVICE <{closed}> {{ ?s ?p ?o }} }}")
    finally:
        live.stop()
    assert reply.status == 502 and reply.content_type == "application/problem+json"
    doc = reply.json()
    assert doc["type"].endswith("/service-failed")
    assert str(store_dir) not in reply.body.decode() and "store" not in doc


# --- finding 8: headers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "accept"),
    [("/sparql", None), ("/sparql", HTML), ("/api/queries", None), ("/", HTML), ("/editor", HTML)],
)
def test_nosniff_everywhere(server, path, accept):
    reply = server.request("GET", path, headers={"Accept": accept} if accept else {})
    assert reply.status == 200
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Credentials" not in reply.headers


@pytest.mark.parametrize("path", ["/", "/editor", "/page/spar2/C5", "/sparql", "/no-such-page"])
def test_pages_have_a_policy_that_fits_their_assets(server, path):
    reply = server.request("GET", path, headers={"Accept": HTML})
    assert reply.content_type == "text/html"
    policy = dict(
        part.strip().split(" ", 1) for part in reply.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert reply.headers["X-Frame-Options"] == "DENY"
    page = reply.body.decode()
    # everything a page loads comes from this server's /static; no inline code runs
    for url in re.findall(r'<(?:script|link|img)[^>]*\b(?:src|href)="([^"]+)"', page):
        assert url.startswith("/static/") or url == "data:,", url
    for script in re.findall(r"<script\b([^>]*)>", page):
        assert "src=" in script or 'type="application/json"' in script, script
    assert not re.search(r"\son[a-z]+\s*=", page), "inline event handler"


def test_data_answers_cannot_be_framed_or_run(server):
    reply = post(server, COUNT)
    assert reply.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


# --- finding 8: CORS -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "origin", "allowed"),
    [
        ("*", "https://any.example", "*"),
        ("*", None, "*"),
        (
            "https://dash.example https://other.example",
            "https://dash.example",
            "https://dash.example",
        ),
        ("https://dash.example", "https://evil.example", None),
        ("https://dash.example", None, None),
        ("", "https://dash.example", None),
    ],
)
def test_cors_follows_the_setting_and_never_allows_credentials(store_dir, setting, origin, allowed):
    app = create_app({"STORE_PATH": str(store_dir), "CORS_ORIGINS": setting})
    client = app.test_client()
    headers = {"Origin": origin} if origin else {}
    for reply in (
        client.get("/sparql", headers=headers),
        client.options("/sparql", headers={**headers, "Access-Control-Request-Method": "POST"}),
    ):
        assert reply.headers.get("Access-Control-Allow-Origin") == allowed
        assert "Access-Control-Allow-Credentials" not in reply.headers
        assert "Access-Control-Allow-Private-Network" not in reply.headers
        if setting != "*":
            assert "Origin" in reply.headers.get("Vary", "")
