"""The SPARQL 1.1 Protocol at /sparql, checked against a live ``hsfhs serve``.

A checklist after the W3C SPARQL 1.1 Protocol test suite (query-get, query-post-form,
query-post-direct, the dataset cases, bad-*), Oxigraph's server tests (Accept handling,
read-only updates), and real clients: SPARQLWrapper and rdflib's SPARQLStore. Expected
catalogue facts come from the bundled code lists, not typed-in numbers.

The server runs with a 1.5 s query limit and a 1000-row cap so the limits are tested
quickly; a runaway query must be stopped while another client is answered.
"""

from __future__ import annotations

import csv
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from service_fixtures import LiveServer, Reply

from hsfhs.resources import data_dir
from hsfhs.store import EmbeddedStore
from hsfhs.terms import to_oxigraph

TOKEN = "test-token-0123456789"
TIMEOUT_S = 1.5
ROW_LIMIT = 1000

ID = Namespace("https://w3id.org/hsfhs/id/")
HSFHS = Namespace("https://w3id.org/hsfhs/ontology#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
CATALOGUE = str(ID["graph/catalogue"])
ONTOLOGY = str(ID["graph/ontology"])

C5 = "<https://w3id.org/hsfhs/id/spar2/C5>"
SPAR2 = "<https://w3id.org/hsfhs/id/framework/spar2>"
PREFIXES = """PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>
PREFIX id: <https://w3id.org/hsfhs/id/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SPAR2_CAPACITIES = PREFIXES + (
    f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a hsfhs:Capacity ; hsfhs:framework {SPAR2} }}"
)
ACTIONS = PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a hsfhs:BenchmarkAction }"
C5_LABEL = PREFIXES + f"SELECT ?label WHERE {{ {C5} skos:prefLabel ?label }}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON_RESULTS = "application/sparql-results+json"


# --- expectations from the source files -------------------------------------------------------


def _csv(name: str) -> list[dict[str, str]]:
    with open(data_dir() / "codelists" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def expected() -> dict[str, object]:
    spar2 = _csv("spar2_2021_capacities_indicators.csv")
    return {
        "spar2_capacities": len({r["capacity_code"] for r in spar2}),
        "c5_label": next(r["capacity_name"] for r in spar2 if r["capacity_code"] == "C5"),
        "actions": len(_csv("who_ihr_benchmarks_2019_actions.csv")),
    }


def test_expectations_match_the_issue(expected):
    """The issue's figures, read from the code lists (so the live checks below mean it)."""
    assert expected == {"spar2_capacities": 15, "c5_label": "Surveillance", "actions": 876}


# --- the live server ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_dir(built_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the session's built catalogue: these tests write to it."""
    target = tmp_path_factory.mktemp("protocol") / "store"
    shutil.copytree(built_store.path, target)
    return target


@pytest.fixture(scope="module")
def server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("protocol-log") / "serve.log"
    live = LiveServer.start(
        store_dir,
        log,
        "--timeout",
        str(TIMEOUT_S),
        "--row-limit",
        str(ROW_LIMIT),
        "--update-token",
        TOKEN,
        "--workers",
        "2",
    )
    yield live
    live.stop()


def get(
    server: LiveServer,
    query: str,
    accept: str | None = None,
    source: str | None = None,
    **params: str,
) -> Reply:
    headers = {"Accept": accept} if accept else {}
    return server.request(
        "GET", "/sparql", params={"query": query, **params}, headers=headers, source=source
    )


def count(reply: Reply) -> int:
    assert reply.status == 200, reply.body
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


def assert_problem(reply: Reply, status: int, type_suffix: str | None = None) -> dict:
    """Every error of /sparql has one shape: RFC 9457 problem+json."""
    assert reply.status == status, reply.body[:500]
    assert reply.content_type == "application/problem+json"
    doc = reply.json()
    assert doc["status"] == status and doc["title"] and doc["detail"]
    if type_suffix:
        assert doc["type"].endswith("/" + type_suffix)
    return doc


# --- W3C protocol tests: queries ---------------------------------------------------------------


def test_query_get(server, expected):
    reply = get(server, SPAR2_CAPACITIES)
    assert reply.content_type == JSON_RESULTS
    assert count(reply) == expected["spar2_capacities"]


def test_query_post_form(server, expected):
    reply = server.request("POST", "/sparql", form={"query": ACTIONS})
    assert count(reply) == expected["actions"]


def test_query_post_direct(server, expected):
    reply = server.request(
        "POST",
        "/sparql",
        body=C5_LABEL,
        headers={"Content-Type": "application/sparql-query; charset=utf-8"},
    )
    assert reply.status == 200
    labels = [b["label"]["value"] for b in reply.json()["results"]["bindings"]]
    assert labels == [expected["c5_label"]]


def test_query_dataset_default_graphs(server):
    ask = PREFIXES + f"ASK {{ {C5} ?p ?o . hsfhs:Capacity ?q ?r }}"
    both = [("query", ask), ("default-graph-uri", CATALOGUE), ("default-graph-uri", ONTOLOGY)]
    assert server.request("GET", "/sparql", params=both).json()["boolean"] is True
    # the ontology alone does not describe the capacity C5
    only = [("query", ask), ("default-graph-uri", ONTOLOGY)]
    assert server.request("GET", "/sparql", params=only).json()["boolean"] is False


def test_query_dataset_named_graphs(server):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    params = [("query", query), ("named-graph-uri", CATALOGUE), ("named-graph-uri", ONTOLOGY)]
    reply = server.request("POST", "/sparql", form=params)
    graphs = [b["g"]["value"] for b in reply.json()["results"]["bindings"]]
    assert graphs == sorted([CATALOGUE, ONTOLOGY])
    # with named graphs only, the default graph is empty (SPARQL 1.1 Protocol 2.1.4)
    params = [("query", "ASK { ?s ?p ?o }"), ("named-graph-uri", CATALOGUE)]
    assert server.request("POST", "/sparql", form=params).json()["boolean"] is False


def test_query_dataset_full(server):
    query = PREFIXES + f"ASK {{ hsfhs:Capacity ?p ?o . GRAPH ?g {{ {C5} ?q ?r }} }}"
    params = [("query", query), ("default-graph-uri", ONTOLOGY), ("named-graph-uri", CATALOGUE)]
    assert server.request("GET", "/sparql", params=params).json()["boolean"] is True


def test_query_without_dataset_uses_the_union_of_graphs(server):
    query = PREFIXES + f"ASK {{ {C5} skos:prefLabel ?l . hsfhs:Capacity ?p ?o }}"
    assert get(server, query).json()["boolean"] is True


def test_from_in_the_query_is_honoured(server):
    """FROM / FROM NAMED name the query's dataset (issue 10, finding 7), as the Protocol's
    default-graph-uri does; the union is only the default when neither is given."""
    ask = f"ASK FROM <{{}}> {{{{ {C5} ?p ?o }}}}"
    assert get(server, ask.format(CATALOGUE)).json()["boolean"] is True
    assert get(server, ask.format(ONTOLOGY)).json()["boolean"] is False
    named = f"SELECT DISTINCT ?g FROM NAMED <{ONTOLOGY}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    graphs = [b["g"]["value"] for b in get(server, named).json()["results"]["bindings"]]
    assert graphs == [ONTOLOGY]
    # only FROM NAMED: the default graph is empty
    only_named = f"ASK FROM NAMED <{CATALOGUE}> {{ ?s ?p ?o }}"
    assert get(server, only_named).json()["boolean"] is False
    # the Protocol's default-graph-uri wins over FROM
    params = [("query", ask.format(ONTOLOGY)), ("default-graph-uri", CATALOGUE)]
    assert server.request("GET", "/sparql", params=params).json()["boolean"] is True


def test_head_answers_as_get(server):
    for params in (None, {"query": "ASK { ?s ?p ?o }"}):
        got = server.request("GET", "/sparql", params=params)
        head = server.request("HEAD", "/sparql", params=params)
        assert (head.status, head.content_type) == (200, got.content_type)
        assert head.body == b""


# --- W3C protocol tests: bad requests ------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_bad_query_method(server, method):
    reply = server.request(method, "/sparql?query=ASK%7B%7D")
    assert_problem(reply, 405)
    assert "POST" in reply.headers["Allow"]


def test_bad_multiple_queries(server):
    reply = server.request("GET", "/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert_problem(reply, 400)


def test_bad_query_and_update_together(server):
    reply = server.request("POST", "/sparql", form={"query": "ASK {}", "update": "CLEAR ALL"})
    assert_problem(reply, 400)


def test_bad_query_wrong_media_type(server):
    reply = server.request("POST", "/sparql", body="ASK {}", headers={"Content-Type": "text/plain"})
    assert_problem(reply, 415)


@pytest.mark.parametrize("body", ["query=ASK%20%7B%7D", "ASK {}"])
def test_bad_query_missing_content_type(server, body):
    reply = server.request("POST", "/sparql", body=body)
    assert "Content-Type" in assert_problem(reply, 400)["detail"]


def test_bad_query_non_utf8(server):
    reply = server.request(
        "POST",
        "/sparql",
        body=b"SELECT * WHERE { ?s ?p '\xff\xfe' }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert_problem(reply, 400)


def test_bad_query_syntax_gives_the_parsers_message(server):
    doc = assert_problem(get(server, "SELECT * WHERE { ?s ?p "), 400, "query-syntax")
    assert doc["detail"].startswith("line 1, column 24, at the end of the query: expected")
    assert (doc["line"], doc["column"]) == (1, 24)


def test_bad_graph_iri(server):
    params = [("query", "ASK {}"), ("default-graph-uri", "not an iri")]
    assert_problem(server.request("GET", "/sparql", params=params), 400)


def test_body_over_the_cap_is_413(server):
    big = "ASK {}" + " " * (1024 * 1024 + 10)
    reply = server.request(
        "POST", "/sparql", body=big, headers={"Content-Type": "application/sparql-query"}
    )
    assert_problem(reply, 413)


def test_federation_is_refused(server):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    assert "SERVICE" in assert_problem(get(server, query), 400)["detail"]


MALFORMED = [
    {"params": {"query": "\x00\x01garbage"}},
    {"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "format": "pdf"}},
    {"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "timeout": "-1"}},
    {"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "timeout": "nan"}},
    {"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "timeout": "soon"}},
    {"params": {"query": "ASK {}"}, "headers": {"Accept": ";;;q=abc,/"}},
    {"params": {"query": "ASK {}"}, "headers": {"Accept": "text/html;q=2"}},
    {"params": {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"}},
    {"params": {"query": "PREFIX : <> SELECT * { :a :b :c }"}},
    {"params": {"query": "SELECT * { BIND(1/0 AS ?x) }"}},
    {"params": {"query": "SELECT (xsd:integer('a') AS ?x) {}"}},
    {"params": {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999"}},
    {"params": {"query": "DESCRIBE <" + "a" * 5000 + ">"}},
    {"params": {"update": "CLEAR ALL"}},
    {"body": "update=%ZZ", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    {"body": "query=ASK%7B%7D", "headers": {"Content-Type": "multipart/form-data"}},
    {"body": b"\x89PNG", "headers": {"Content-Type": "application/sparql-update"}},
    {"body": "", "headers": {"Content-Type": "application/sparql-query"}},
    {"body": "ASK {}", "headers": {"Content-Type": "application/sparql-query; charset=nope"}},
]


@pytest.mark.parametrize("case", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_input_is_never_a_500(server, case):
    method = "POST" if "body" in case else "GET"
    reply = server.request(method, "/sparql", **case)
    assert reply.status < 500, reply.body[:300]


# --- content negotiation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, JSON_RESULTS),
        ("*/*", JSON_RESULTS),
        ("application/sparql-results+json", JSON_RESULTS),
        ("application/json", JSON_RESULTS),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/csv, text/*;q=0.5", "text/csv"),
        # HTML first: a person with a browser gets a results page (sparql_html.py)
        ("text/html, text/*;q=0.5", "text/html"),
    ],
)
def test_select_accept(server, accept, media_type):
    reply = get(server, C5_LABEL, accept)
    assert (reply.status, reply.content_type) == (200, media_type)
    assert b"Surveillance" in reply.body
    assert "Accept" in reply.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/rdf+xml;q=0.1, text/turtle;q=0.2", "text/turtle"),
    ],
)
def test_construct_accept(server, accept, media_type):
    query = PREFIXES + f"CONSTRUCT {{ {C5} skos:prefLabel ?l }} WHERE {{ {C5} skos:prefLabel ?l }}"
    reply = get(server, query, accept)
    assert (reply.status, reply.content_type) == (200, media_type)
    rdflib_format = {"text/turtle": "turtle", "application/n-triples": "nt"}.get(
        media_type, {"application/ld+json": "json-ld", "application/rdf+xml": "xml"}.get(media_type)
    )
    graph = Graph().parse(data=reply.body, format=rdflib_format)
    assert graph.value(ID["spar2/C5"], SKOS.prefLabel) == Literal("Surveillance", lang="en")


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", JSON_RESULTS),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("text/csv", "text/csv"),
    ],
)
def test_format_parameter_beats_accept(server, fmt, media_type):
    reply = get(server, C5_LABEL, "application/sparql-results+json", format=fmt)
    assert (reply.status, reply.content_type) == (200, media_type)


def test_ask_as_xml(server):
    reply = get(server, "ASK { ?s ?p ?o }", "application/sparql-results+xml")
    assert reply.status == 200 and b"<boolean>true</boolean>" in reply.body


def test_unacceptable_is_406(server):
    assert_problem(get(server, C5_LABEL, "image/png"), 406, "not-acceptable")
    # turtle cannot carry a SELECT answer
    assert_problem(get(server, C5_LABEL, "text/turtle"), 406)


# --- limits --------------------------------------------------------------------------------------


def test_row_cap_truncates_and_says_so(server):
    reply = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert reply.status == 200
    assert reply.headers["X-HSFHS-Truncated"] == "true"
    assert reply.headers["X-HSFHS-Row-Limit"] == str(ROW_LIMIT)
    doc = reply.json()
    assert len(doc["results"]["bindings"]) == ROW_LIMIT
    assert "ROW_LIMIT" in doc["warnings"][0]
    csv_reply = get(server, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert csv_reply.headers["X-HSFHS-Truncated"] == "true"
    assert len(csv_reply.body.decode().strip().splitlines()) == ROW_LIMIT + 1


def test_short_answers_are_not_marked_truncated(server):
    reply = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert "X-HSFHS-Truncated" not in reply.headers and "warnings" not in reply.json()


def test_runaway_query_is_stopped_while_others_are_answered(server, expected):
    outcome: dict[str, object] = {}

    def runaway() -> None:  # from another client: one address has one query at a time
        started = time.monotonic()
        outcome["reply"] = get(server, RUNAWAY, source="127.0.0.2")
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    answered = []
    while thread.is_alive() and len(answered) < 5:
        started = time.monotonic()
        answered.append((count(get(server, SPAR2_CAPACITIES)), time.monotonic() - started))
    thread.join(30)
    assert answered, "the runaway query finished before a second client could ask"
    assert all(n == expected["spar2_capacities"] for n, _ in answered)
    assert all(seconds < TIMEOUT_S for _, seconds in answered)
    doc = assert_problem(outcome["reply"], 400, "query-timeout")  # type: ignore[arg-type]
    assert "QUERY_TIMEOUT_S" in doc["detail"] and doc["timeout_s"] == TIMEOUT_S
    assert TIMEOUT_S <= outcome["elapsed"] < TIMEOUT_S + 3  # type: ignore[operator]
    # the killed worker is replaced: the service still answers
    assert count(get(server, SPAR2_CAPACITIES)) == expected["spar2_capacities"]


def test_request_may_lower_the_timeout_but_not_raise_it(server):
    started = time.monotonic()
    doc = assert_problem(get(server, RUNAWAY, timeout="0.5"), 400, "query-timeout")
    assert doc["timeout_s"] == 0.5 and time.monotonic() - started < TIMEOUT_S
    doc = assert_problem(get(server, RUNAWAY, timeout="60"), 400, "query-timeout")
    assert doc["timeout_s"] == TIMEOUT_S


# --- updates ------------------------------------------------------------------------------------

EX = "http://example.org/protocol-test/"


def _update(server: LiveServer, text: str, token: str | None = TOKEN, form: bool = False) -> Reply:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if form:
        return server.request("POST", "/sparql", form={"update": text}, headers=headers)
    headers["Content-Type"] = "application/sparql-update"
    return server.request("POST", "/sparql", body=text, headers=headers)


def test_bad_update_get(server):
    reply = server.request(
        "GET", "/sparql", params={"update": f"INSERT DATA {{ <{EX}a> <{EX}b> 1 }}"}
    )
    assert_problem(reply, 400)


@pytest.mark.parametrize("token", [None, "wrong", TOKEN + "x", ""])
def test_update_without_the_token_is_403(server, token):
    reply = _update(server, f"INSERT DATA {{ <{EX}no> <{EX}p> 1 }}", token)
    assert_problem(reply, 403)
    assert get(server, f"ASK {{ <{EX}no> ?p ?o }}").json()["boolean"] is False


@pytest.mark.parametrize("form", [False, True])
def test_update_with_the_token_is_visible_to_the_next_query(server, form):
    subject = f"{EX}{'form' if form else 'direct'}"
    text = f'INSERT DATA {{ GRAPH <{EX}graph> {{ <{subject}> <{EX}says> "hello" }} }}'
    assert _update(server, text, form=form).status == 204
    reply = get(server, f"SELECT ?o WHERE {{ <{subject}> <{EX}says> ?o }}")
    assert [b["o"]["value"] for b in reply.json()["results"]["bindings"]] == ["hello"]


def test_bad_update_syntax_is_400(server):
    assert_problem(_update(server, "INSERT NOTHING"), 400, "query-syntax")


def test_an_update_past_the_time_limit_is_stopped(server, expected):
    """Updates run in a worker under the query limit (issue 10, finding 6)."""
    subject = f"{EX}counted"
    slow = (
        f"INSERT {{ GRAPH <{EX}graph> {{ <{subject}> <{EX}n> ?n }} }} "
        "WHERE { SELECT (COUNT(*) AS ?n) WHERE "  # (an update's default graph is its own)
        "{ GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } } }"
    )
    started = time.monotonic()
    doc = assert_problem(_update(server, slow), 400, "query-timeout")
    assert doc["timeout_s"] == TIMEOUT_S
    assert TIMEOUT_S <= time.monotonic() - started < TIMEOUT_S + 3
    assert get(server, f"ASK {{ <{subject}> ?p ?o }}").json()["boolean"] is False
    assert count(get(server, SPAR2_CAPACITIES)) == expected["spar2_capacities"]


def test_data_loaded_while_serving_is_answered_without_restart(server, store_dir):
    subject = URIRef(f"{EX}loaded-{time.time_ns()}")
    graph = [ox.Triple(to_oxigraph(subject), to_oxigraph(RDF.type), to_oxigraph(HSFHS.Capacity)),
             ox.Triple(to_oxigraph(subject), to_oxigraph(SKOS.prefLabel),
                       ox.Literal("Loaded while serving", language="en"))]
    query = f"SELECT ?l WHERE {{ <{subject}> <{SKOS.prefLabel}> ?l }}"
    assert get(server, query).json()["results"]["bindings"] == []
    EmbeddedStore(store_dir).replace_graphs({f"{EX}loaded": graph})
    for _ in range(2):  # each worker sees it on its next query
        bindings = get(server, query).json()["results"]["bindings"]
        assert [b["l"]["value"] for b in bindings] == ["Loaded while serving"]


# --- service description, CORS -------------------------------------------------------------------


def test_service_description(server):
    reply = server.request("GET", "/sparql")
    assert reply.content_type == "text/turtle"
    graph = Graph().parse(data=reply.body, format="turtle")
    service = URIRef(server.sparql)
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert set(graph.objects(service, SD.supportedLanguage)) == {
        SD.SPARQL11Query,
        SD.SPARQL11Update,
    }
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "JSON-LD"} <= formats
    assert URIRef(CATALOGUE) in set(graph.objects(None, SD.name))


def test_service_description_for_a_browser_is_a_page(server):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    reply = server.request("GET", "/sparql", headers={"Accept": accept})
    assert reply.status == 200 and reply.content_type == "text/html"
    assert b"<form" in reply.body


def test_cors(server):
    reply = get(server, "ASK {}")
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    preflight = server.request(
        "OPTIONS",
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()


# --- real clients ---------------------------------------------------------------------------------


def _wrapper(server: LiveServer, query: str, fmt: str):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query()


def test_sparqlwrapper_json(server, expected):
    from SPARQLWrapper import JSON

    result = _wrapper(server, SPAR2_CAPACITIES, JSON).convert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == expected["spar2_capacities"]


def test_sparqlwrapper_xml(server, expected):
    from SPARQLWrapper import XML

    document = _wrapper(server, ACTIONS, XML).convert()
    literal = document.getElementsByTagName("literal")[0]
    assert int(literal.firstChild.data) == expected["actions"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_sparqlwrapper_csv_tsv(server, expected, fmt):
    from SPARQLWrapper import CSV, TSV

    text = _wrapper(server, C5_LABEL, CSV if fmt == "csv" else TSV).convert().decode("utf-8")
    lines = text.strip().splitlines()
    if fmt == "csv":
        assert lines == ["label", expected["c5_label"]]
    else:  # TSV writes terms in SPARQL syntax
        assert lines == ["?label", f'"{expected["c5_label"]}"@en']


def test_sparqlwrapper_construct_turtle(server, expected):
    from SPARQLWrapper import TURTLE

    query = PREFIXES + (
        "CONSTRUCT { ?c skos:prefLabel ?l } "
        f"WHERE {{ ?c a hsfhs:Capacity ; hsfhs:framework {SPAR2} ; skos:prefLabel ?l }}"
    )
    data = _wrapper(server, query, TURTLE).convert()
    graph = Graph().parse(data=data, format="turtle")
    assert len(set(graph.subjects(SKOS.prefLabel, None))) == expected["spar2_capacities"]
    assert graph.value(ID["spar2/C5"], SKOS.prefLabel) == Literal(expected["c5_label"], lang="en")


def test_sparqlwrapper_sees_errors_as_errors(server):
    from SPARQLWrapper import JSON
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed):
        _wrapper(server, "SELECT * WHERE {", JSON)


def test_rdflib_sparqlstore(server, expected):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server.sparql, returnFormat="json"))
    (row,) = graph.query(SPAR2_CAPACITIES)
    assert int(row.n) == expected["spar2_capacities"]
    (row,) = graph.query(C5_LABEL)
    assert row.label == Literal(expected["c5_label"], lang="en")
    assert graph.value(ID["spar2/C5"], SKOS.prefLabel) == Literal(expected["c5_label"], lang="en")
    actions = set(graph.subjects(RDF.type, HSFHS.BenchmarkAction))
    assert len(actions) == expected["actions"]


def test_rdflib_sparqlstore_construct(server, expected):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server.sparql))
    result = graph.query(PREFIXES + f"CONSTRUCT {{ {C5} ?p ?o }} WHERE {{ {C5} ?p ?o }}")
    assert (
        ID["spar2/C5"],
        SKOS.prefLabel,
        Literal(expected["c5_label"], lang="en"),
    ) in result.graph


# --- linked data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_resource_as_rdf(server, expected, accept, rdflib_format):
    reply = server.request("GET", "/id/spar2/C5", headers={"Accept": accept})
    assert (reply.status, reply.content_type) == (200, accept)
    graph = Graph().parse(data=reply.body, format=rdflib_format)
    c5 = ID["spar2/C5"]
    assert graph.value(c5, SKOS.prefLabel) == Literal(expected["c5_label"], lang="en")
    assert (c5, HSFHS.contributesTo, ID["function/detect"]) in graph
    # objects come with their labels, so a client can show them
    assert graph.value(ID["function/detect"], SKOS.prefLabel) is not None


def test_resource_for_a_browser_is_html(server, expected):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    reply = server.request("GET", "/id/spar2/C5", headers={"Accept": accept})
    if reply.status == 303:  # the UI's page for it
        assert reply.headers["Location"].endswith("/page/spar2/C5")
    else:
        assert reply.status == 200 and reply.content_type == "text/html"
        assert expected["c5_label"].encode() in reply.body


@pytest.mark.parametrize("path", ["/id/spar2/C999", "/id/no/such/thing", "/id/a%20b", "/id/x/../y"])
def test_unknown_resource_is_404(server, path):
    reply = server.request("GET", path, headers={"Accept": "text/turtle"})
    assert reply.status == 404


def test_ontology(server):
    reply = server.request("GET", "/ontology", headers={"Accept": "text/turtle"})
    assert reply.status == 200
    graph = Graph().parse(data=reply.body, format="turtle")
    assert (HSFHS.Capacity, None, None) in graph
    reply = server.request("GET", "/ontology", params={"format": "jsonld"})
    assert reply.content_type == "application/ld+json" and json.loads(reply.body)


# --- the executor on a remote store (here: this very server) ----------------------------------------


def test_executor_on_a_remote_store(server, expected):
    from hsfhs.query_service.errors import QuerySyntaxError
    from hsfhs.query_service.executor import QueryExecutor

    executor = QueryExecutor(endpoint=server.sparql, timeout_s=5, row_limit=10)
    rows = executor.execute(SPAR2_CAPACITIES).rows()
    assert int(rows.rows[0]["n"].value) == expected["spar2_capacities"]
    truncated = executor.execute("SELECT * WHERE { ?s ?p ?o } LIMIT 20")
    assert (truncated.truncated, truncated.count) == (True, 10)
    with pytest.raises(QuerySyntaxError):
        executor.execute("SELECT * WHERE {")


# --- shutting down ----------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(fields["Pid"]))
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_stopping_the_server_ends_its_query_workers(store_dir, tmp_path):
    live = LiveServer.start(store_dir, tmp_path / "serve.log", "--workers", "2")
    try:
        assert get(live, "ASK { ?s ?p ?o }").json()["boolean"] is True
        workers = _children(live.process.pid)
        assert len(workers) >= 2  # the query workers (and multiprocessing's tracker)
    finally:
        live.stop()
    assert live.process.returncode == 0  # SIGTERM is a clean stop
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.1)
    assert not [p for p in workers if Path(f"/proc/{p}").exists()]
