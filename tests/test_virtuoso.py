"""OpenLink Virtuoso as the remote store: build, load, the gap API and updates through it.

A Virtuoso of its own (``virtuoso_server.py``) on 127.0.0.1, told about the way a user
tells hsfhs: ``$HSFHS_ENDPOINT`` (queries at /sparql), ``$HSFHS_UPDATE_ENDPOINT`` (updates
at /sparql-auth, digest authentication), ``$HSFHS_ENDPOINT_USER`` and
``$HSFHS_ENDPOINT_PASSWORD`` (a random password set when it started) and
``$HSFHS_UPDATE_CHUNK=1000`` (Virtuoso refuses larger update requests). ``hsfhs build``
and ``hsfhs load`` fill it with the same files as the embedded test store, and every
answer is compared with the embedded store's: the same graphs, the same gaps, the same
action plan, through the Python API and through ``hsfhs serve --endpoint``; the example of
every canned query; and the web pages word for word (the home page's picker and map, the
dashboard, a capacity page), where a query Virtuoso cannot compile or answers in its own
way would show as a missing section or a wrong number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from qs_data import query_store, query_store_files
from service_fixtures import LiveServer
from virtuoso_server import Virtuoso, available

from hsfhs import query_service
from hsfhs.cli import cli
from hsfhs.query_service.action_plan import action_plan
from hsfhs.query_service.gaps import gaps
from hsfhs.remote_store import RemoteStore, chunks
from hsfhs.sparql_http import Credentials, read_answer
from hsfhs.store import EmbeddedStore, StoreError

CASES = [("NGA", "detect"), ("NGA", "respond"), ("KEN", "prevent"), ("BEN", "respond"),
         ("LIE", "detect"), ("CIV", "respond")]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if available() is not None:
        pytest.skip(available())
    server = Virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def filled(virtuoso, tmp_path_factory, monkeypatch_module):
    """The Virtuoso filled by the CLI as a user would, with the environment variables."""
    for name, value in virtuoso.env().items():
        monkeypatch_module.setenv(name, value)
    work = tmp_path_factory.mktemp("virtuoso-load")
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--out", str(work / "catalogue.ttl")])
    assert built.exit_code == 0, built.output
    loaded = runner.invoke(cli, ["load", *map(str, query_store_files(work))])
    assert loaded.exit_code == 0, loaded.output
    return RemoteStore(virtuoso.query_url)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def embedded() -> EmbeddedStore:
    return EmbeddedStore(query_store())


def test_the_same_graphs_as_the_embedded_store(filled, embedded):
    ours = [g for g in embedded.named_graphs()]
    theirs = [g for g in filled.named_graphs() if g.startswith("https://w3id.org/hsfhs/")]
    assert theirs == ours
    assert not [g for g in theirs if "hsfhs-staging" in g]  # staging graphs moved away
    for graph in ours:
        assert filled.count(graph) == embedded.count(graph), graph


@pytest.mark.parametrize(("country", "function"), CASES)
def test_gaps_through_virtuoso_equal_the_embedded_stores(filled, embedded, country, function):
    raw = {"country": country, "function": function, "year": "2022"}
    assert gaps(filled, dict(raw)) == gaps(embedded, dict(raw))


def test_action_plan_and_2018_through_virtuoso(filled, embedded):
    for raw in ({"country": "NGA", "year": "2022"}, {"country": "KEN", "year": "2018"}):
        assert action_plan(filled, dict(raw)) == action_plan(embedded, dict(raw))


TOKEN = "test-token"


@pytest.fixture(scope="module")
def servers(filled, virtuoso, tmp_path_factory):
    """``hsfhs serve --endpoint`` on the Virtuoso (updates allowed) and ``--store`` on the
    embedded store: (remote, local)."""
    logs = tmp_path_factory.mktemp("virtuoso-serve")
    remote = LiveServer.start(None, logs / "remote.log", "--update-token", TOKEN,
                              endpoint=virtuoso.query_url, env=virtuoso.env())
    local = LiveServer.start(query_store(), logs / "local.log")
    yield remote, local
    remote.stop()
    local.stop()


def test_the_service_on_virtuoso_answers_as_on_the_embedded_store(filled, servers):
    remote, local = servers
    for path in ("/api/gaps?country=NGA&function=detect&year=2022",
                 "/api/action-plan?country=Nigeria&year=2022&function=respond",
                 "/api/region-blockers?region=AFRO&year=2022",
                 "/api/countries/KEN?year=2022",
                 "/api/countries/NGA/health-system",
                 "/api/trend?country=NGA&capacity=spar2/C5"):
        a, b = remote.request("GET", path), local.request("GET", path)
        assert (a.status, unordered(a.json())) == (b.status, unordered(b.json())), path
    ask = remote.request("GET", "/sparql", params={"query": "ASK { ?c a hsfhs:Capacity }"},
                         headers={"Accept": "application/sparql-results+json"})
    assert ask.json()["boolean"] is True
    # an update through /sparql reaches Virtuoso's authenticated endpoint
    insert = "INSERT DATA { GRAPH <urn:x-test:g> { <urn:x-test:a> <urn:x-test:b> 1 } }"
    reply = remote.request("POST", "/sparql", body=insert, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert reply.status == 204, reply.body
    assert filled.count("urn:x-test:g") == 1
    filled.drop_graphs(["urn:x-test:g"])
    assert '"GET /api/gaps?country=NGA&function=detect&year=2022" 200' in remote.log.read_text()


@pytest.mark.parametrize("path", [
    "/",  # the picker's Member States and the map's colours
    "/?capacity=spar2/C14",
    "/country/NGA",  # chart, regional medians, gaps, plan, trend, health system
    "/country/NER?year=2022",
    "/country/NGA?year=2018",
    "/country/NGA?trend=spar2/C5",
    "/page/spar2/C5",  # the countries below level 3
])
def test_the_pages_on_virtuoso_are_the_embedded_stores(servers, path):
    """Word for word: a query Virtuoso cannot compile, or answers in its own way (a boolean
    as 0, 8 / 10 as 0), shows as a missing section or a wrong number on a page."""
    remote, local = servers
    a, b = remote.request("GET", path), local.request("GET", path)
    assert (a.status, b.status) == (200, 200), path
    assert a.body.decode() == b.body.decode(), path


CANNED = sorted(
    (path.stem, example)
    for path in (Path(query_service.__file__).parent / "queries").glob("*.rq")
    for example in re.findall(r"^# example: (.*)$", path.read_text(encoding="utf-8"), re.M) or [""]
)


@pytest.mark.parametrize(("name", "example"), CANNED)
def test_each_canned_query_answers_on_virtuoso_as_on_the_embedded_store(servers, name, example):
    remote, local = servers
    path = f"/api/queries/{name}" + (f"?{example}" if example else "")
    a, b = remote.request("GET", path, timeout=60), local.request("GET", path, timeout=60)
    assert (a.status, b.status) == (200, 200), a.body[:500]
    assert unordered(a.json()) == unordered(b.json()), path


def unordered(answer: dict) -> dict:
    """GROUP_CONCAT has no defined order (SPARQL 1.1 §18.5.1.7): compare its parts as sets;
    and of no value at all Virtuoso makes "" (as §18.5.1.7 says), Oxigraph leaves it unbound."""
    rows = answer.get("rows")
    if not isinstance(rows, list):
        return answer
    fixed = []
    for row in rows:
        row = dict(row)
        for key, sep in (("countryCodes", " "), ("functionNames", ", "), ("via", " "),
                         ("kinds", " ")):
            if isinstance(row.get(key), str):
                row[key] = sorted(part for part in row[key].split(sep) if part)
            if row.get(key) == []:
                del row[key]
        fixed.append(row)
    return {**answer, "rows": fixed}


def test_updates_without_the_password_are_refused_with_a_hint(virtuoso):
    store = RemoteStore(virtuoso.query_url, virtuoso.update_url,
                        credentials=Credentials(virtuoso.user, "wrong"))
    with pytest.raises(StoreError, match=r"401.*HSFHS_ENDPOINT_PASSWORD"):
        store.update("INSERT DATA { GRAPH <urn:x-test:h> { <urn:x-test:a> <urn:x-test:b> 1 } }")


def test_one_big_request_is_refused_and_the_error_says_chunk(virtuoso, filled):
    store = RemoteStore(virtuoso.query_url, virtuoso.update_url,
                        credentials=Credentials(virtuoso.user, virtuoso.password), chunk=0)
    from hsfhs.build import build_graphs

    catalogue = {g: graph for g, graph in build_graphs().items() if g.endswith("/catalogue")}
    with pytest.raises(StoreError, match="--update-chunk 1000"):
        store.replace_graphs({"urn:x-test:big": next(iter(catalogue.values()))})
    assert store.count("urn:x-test:big") == 0


def test_a_failed_chunked_load_leaves_the_graph_as_it_was(virtuoso, filled, monkeypatch):
    from rdflib import Graph, Literal, URIRef

    from hsfhs.terms import graph_triples

    store = RemoteStore(virtuoso.query_url, virtuoso.update_url,
                        credentials=Credentials(virtuoso.user, virtuoso.password), chunk=2)
    old = Graph()
    old.add((URIRef("urn:x-test:s"), URIRef("urn:x-test:p"), Literal("old")))
    store.replace_graphs({"urn:x-test:keep": graph_triples(old)})
    new = Graph()
    for n in range(7):
        new.add((URIRef(f"urn:x-test:s{n}"), URIRef("urn:x-test:p"), Literal(n)))
    calls = {"n": 0}
    real = RemoteStore.update

    def failing(self, sparql):
        calls["n"] += 1
        if calls["n"] == 4:  # the third chunk
            raise StoreError("simulated failure")
        return real(self, sparql)

    monkeypatch.setattr(RemoteStore, "update", failing)
    with pytest.raises(StoreError, match="simulated"):
        store.replace_graphs({"urn:x-test:keep": graph_triples(new)})
    monkeypatch.setattr(RemoteStore, "update", real)
    assert store.count("urn:x-test:keep") == 1
    assert not [g for g in store.named_graphs() if "hsfhs-staging" in g]
    store.replace_graphs({"urn:x-test:keep": graph_triples(new)})
    assert store.count("urn:x-test:keep") == 7
    store.drop_graphs(["urn:x-test:keep"])


# --- without a Virtuoso: the pieces ---------------------------------------------------------


def test_chunks_keep_each_blank_nodes_triples_together():
    lines = [
        "<urn:a> <urn:p> _:r1 .",
        "_:r1 <urn:on> <urn:q> .",
        "_:r1 <urn:some> _:l1 .",
        "_:l1 <urn:first> <urn:x> .",
        "<urn:b> <urn:p> \"_:not a node\" .",
        "<urn:c> <urn:p> <urn:d> .",
        "_:other <urn:p> <urn:e> .",
    ]
    out = list(chunks(lines, 2))
    assert sum(len(text.splitlines()) for text, _ in out) == len(lines)
    blank = [text for text, has in out if has]
    assert any(all(n in text for n in ("_:r1 <urn:on>", "_:l1 <urn:first>")) for text in blank)
    assert [has for text, has in out if "<urn:b>" in text] == [False]


def test_virtuosos_ask_table_reads_as_a_boolean():
    true = b'{"head": {"link": [], "vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": {"type": "typed-literal", "value": "1"}}]}}'
    false = b'{"head": {"link": [], "vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}'
    assert bool(read_answer("application/sparql-results+json", true)) is True
    assert bool(read_answer("application/sparql-results+json", false)) is False
    assert json.loads(b'{"head": {}, "boolean": true}')["boolean"]
