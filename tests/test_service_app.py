"""The service without a live server: the app factory, the error shape, the executor, the guard.

The Flask tutorial's ``test_factory`` and Datasette's ``test_error_shape``: configuration
precedence (defaults < ``HSFHS_*`` env < test_config), one problem+json shape under /api
and /sparql and HTML elsewhere, and the executor used directly, as the CLI does.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from hsfhs.query_service.app import create_app
from hsfhs.query_service.errors import QuerySyntaxError
from hsfhs.query_service.executor import QueryExecutor
from hsfhs.query_service.guard import uses_service
from hsfhs.query_service.results import CSV, SPARQL_XML, TURTLE, serialize
from hsfhs.store import EmbeddedStore

C5 = "https://w3id.org/hsfhs/id/spar2/C5"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"


def test_config_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("HSFHS_QUERY_TIMEOUT_S", "3")
    monkeypatch.setenv("HSFHS_UPDATE_TOKEN", "12345")  # JSON-parsed to an int by Flask
    app = create_app({"STORE_PATH": str(tmp_path)})
    assert app.config["QUERY_TIMEOUT_S"] == 3.0
    assert app.config["UPDATE_TOKEN"] == "12345"
    assert app.config["ROW_LIMIT"] == 10000
    app = create_app({"STORE_PATH": str(tmp_path), "QUERY_TIMEOUT_S": 2})
    assert app.config["QUERY_TIMEOUT_S"] == 2.0


def test_read_only_by_default(tmp_path):
    assert create_app({"STORE_PATH": str(tmp_path)}).config["UPDATE_TOKEN"] is None


@pytest.fixture
def client(tmp_path):
    app = create_app({"STORE_PATH": str(tmp_path)})

    @app.route("/api/boom")
    @app.route("/boom")
    def boom():
        raise RuntimeError("a bug, with a secret in its message")

    return app.test_client()


@pytest.mark.parametrize("path", ["/sparql/nope", "/api/no-such-thing"])
def test_machine_paths_answer_problem_json(client, path):
    reply = client.get(path)
    assert reply.status_code == 404
    assert reply.mimetype == "application/problem+json"
    assert set(reply.json) >= {"type", "title", "status", "detail"}
    assert reply.json["status"] == 404


def test_other_paths_answer_html(client):
    reply = client.get("/no-such-page")
    assert reply.status_code == 404 and reply.mimetype == "text/html"


@pytest.mark.parametrize(
    ("path", "mimetype"), [("/api/boom", "application/problem+json"), ("/boom", "text/html")]
)
def test_bugs_are_500_without_details(client, path, mimetype):
    reply = client.get(path)
    assert reply.status_code == 500 and reply.mimetype == mimetype
    assert b"secret" not in reply.data


def test_update_on_a_read_only_app_is_403(client):
    reply = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert reply.status_code == 403 and reply.mimetype == "application/problem+json"


# --- the executor without Flask -----------------------------------------------------------------


@pytest.fixture(scope="module")
def executor(built_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory):
    target = tmp_path_factory.mktemp("executor") / "store"
    shutil.copytree(built_store.path, target)
    ex = QueryExecutor(Path(target), workers=2, timeout_s=5, row_limit=50)
    ex.start(wait=True)
    yield ex
    ex.close()


def test_bindings_are_values_not_text(executor):
    query = "SELECT ?s WHERE { ?s " + LABEL + " ?label }"
    rows = executor.execute(query, {"label": Literal("Surveillance", lang="en")}).rows()
    assert URIRef(C5) in {URIRef(r["s"].value) for r in rows.rows}
    hostile = Literal('x"@en } ?s ?p ?o . } #', lang="en")
    assert executor.execute(query, {"label": hostile}).rows().rows == []


def test_row_cap_and_conversions(executor):
    result = executor.execute("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert (result.truncated, result.count) == (True, 50)
    assert len(result.rows().rows) == 50
    assert serialize(result, CSV).count(b"\r\n") == 51
    assert serialize(result, SPARQL_XML).count(b"<result>") == 50
    with pytest.raises(ValueError):
        serialize(result, TURTLE)


def test_graph_answers(executor):
    result = executor.execute(
        f"CONSTRUCT {{ ?s {LABEL} ?l }} WHERE {{ ?s {LABEL} ?l }}",
        {"s": URIRef(C5)},
        graph_format=TURTLE,
    )
    assert result.kind == "graph" and result.media_type == TURTLE
    assert [t.object.value for t in result.triples()] == ["Surveillance"]


def test_a_query_past_the_memory_cap_is_stopped(executor):
    """Sorting a cross join grows ~100 MB/s; a 1.1 GB worker stops it in seconds."""
    from hsfhs.query_service.errors import QueryTooLarge

    small = QueryExecutor(executor.store_path, workers=2, timeout_s=30, memory_mb=1100)
    try:
        started = time.monotonic()
        with pytest.raises(QueryTooLarge, match="QUERY_MEMORY_MB"):
            small.execute("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1")
        assert time.monotonic() - started < 30
        # the worker was replaced: the executor still answers
        assert small.execute("ASK { ?s ?p ?o }").boolean is True
    finally:
        small.close()


def test_an_update_past_the_memory_cap_is_stopped(executor):
    """Updates have the queries' memory cap (issue 10, finding 6): a sorted cross join."""
    from hsfhs.query_service.errors import QueryTooLarge

    small = QueryExecutor(executor.store_path, workers=2, timeout_s=30, memory_mb=1100)
    try:
        before = small.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows().values()
        with pytest.raises(QueryTooLarge, match="QUERY_MEMORY_MB"):
            small.update(
                "INSERT { GRAPH <urn:x> { ?a ?b ?f } } WHERE { SELECT * WHERE "
                "{ GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } } ORDER BY ?c ?f }"
            )
        after = small.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows().values()
        assert after == before
    finally:
        small.close()


def test_syntax_errors_carry_the_parsers_message(executor):
    with pytest.raises(QuerySyntaxError, match="line 1, column 17"):
        executor.execute("SELECT * WHERE {")


# --- the SERVICE guard ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "uses"),
    [
        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("select * where { service silent <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * WHERE {SERVICE ?x {}}", True),
        ("SELECT ?service WHERE { ?service a ex:service }", False),
        ('SELECT * WHERE { ?s ?p "SERVICE <x>" }', False),
        ("SELECT * WHERE { ?s ?p '''a SERVICE''' } # SERVICE", False),
        # the engine reads "service:x{...}" as SERVICE :x {...}: a prefix named service counts
        ("PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }", True),
        ("PREFIX myservice: <http://x/> SELECT * WHERE { ?s myservice:p ?o }", False),
        ("SELECT * WHERE { ?s <http://x/SERVICE> ?o }", False),
    ],
)
def test_service_guard(query, uses):
    assert uses_service(query) is uses


def test_large_data_in_an_update_is_not_an_operator():
    """Limits count what nests in the engine, not data: typed and negative literals pass."""
    from hsfhs.query_service.guard import Limits, check_update

    rows = "\n".join(
        f'<urn:s{i}> <urn:p> -{i}, "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .'
        for i in range(5000)
    )
    check_update(f"INSERT DATA {{ GRAPH <urn:g> {{ {rows} }} }}", Limits())


def test_resource_page_fallback_without_the_ui(executor):
    """A browser gets our own page for an IRI when the UI has no resource page."""
    app = create_app({"STORE_PATH": executor.store_path})
    app.view_functions.pop("ui.resource", None)
    try:
        reply = app.test_client().get("/id/spar2/C5", headers={"Accept": "text/html"})
        assert reply.status_code == 200 and reply.mimetype == "text/html"
        page = reply.get_data(as_text=True)
        assert "<h1>Surveillance</h1>" in page
        assert 'href="/id/function/detect"' in page
    finally:
        app.extensions["hsfhs.executor"].close()
