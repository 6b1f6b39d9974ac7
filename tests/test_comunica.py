"""A SPARQL client outside Python: Comunica (npm ``@comunica/query-sparql``) on a live server.

``comunica-sparql`` (Node.js) runs the canned gap query (query_service/queries/gaps.rq,
its parameters written into the text as a VALUES block, as the service binds them) against
``hsfhs serve`` started here on 127.0.0.1 and a free port, and prints SPARQL JSON results.
Its bindings must be those of our own /sparql for the same text, of /api/gaps for the same
question, and of the hand computation from the e-SPAR 2022 TSV (Nigeria's C.14, C.9 and
C.3 scores).

Comunica is installed by .ci/run (``npm ci`` in tests/js, the version pinned by
tests/js/package.json and package-lock.json); ``$HSFHS_COMUNICA`` names another
``comunica-sparql``. Without Node.js or Comunica the tests skip, saying which is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from qs_data import espar_rows, expected_gaps, number, query_store
from rdflib import Literal, URIRef
from service_fixtures import LiveServer

from hsfhs import query_service
from hsfhs.bindings import bind_values

JS = Path(__file__).parent / "js"
GAPS = Path(query_service.__file__).parent / "queries" / "gaps.rq"
ID = "https://w3id.org/hsfhs/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def comunica() -> Path | str:
    """The comunica-sparql to run, or why there is none (a str)."""
    if not shutil.which("node"):
        return "Node.js is not installed (node not on PATH): Comunica cannot run"
    given = os.environ.get("HSFHS_COMUNICA")
    binary = Path(given) if given else JS / "node_modules" / ".bin" / "comunica-sparql"
    if not binary.exists():
        return (f"comunica-sparql not found at {binary}: run `npm ci` in tests/js "
                "(.ci/run does) or set $HSFHS_COMUNICA")
    return binary


BINARY = comunica()
pytestmark = pytest.mark.skipif(isinstance(BINARY, str), reason=str(BINARY))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    live = LiveServer.start(query_store(), tmp_path_factory.mktemp("comunica") / "serve.log")
    yield live
    live.stop()


def gap_query(function: str) -> str:
    """gaps.rq for Nigeria's 2022 SPAR scores (2nd edition), target level 3."""
    return bind_values(GAPS.read_text(encoding="utf-8"), {
        "country": URIRef(ID + "country/NGA"),
        "function": URIRef(ID + f"function/{function}"),
        "year": Literal("2022", datatype=URIRef(XSD + "gYear")),
        "framework": URIRef(ID + "framework/spar2"),
        "target": Literal(3, datatype=URIRef(XSD + "integer")),
    })


def run_comunica(server: LiveServer, query: str, tmp_path: Path) -> dict:
    text = tmp_path / "query.rq"
    text.write_text(query, encoding="utf-8")
    done = subprocess.run(
        [str(BINARY), f"sparql@{server.sparql}", "-f", str(text),
         "-t", "application/sparql-results+json"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def rows(results: dict) -> list[dict[str, str]]:
    """Bindings as variable -> lexical value (Comunica and /sparql write terms alike)."""
    return [{name: term["value"] for name, term in b.items()} for b in results["results"]["bindings"]]


@pytest.mark.parametrize("function", ["detect", "respond"])
def test_comunica_answers_the_gap_query_as_the_service_does(server, tmp_path, function):
    query = gap_query(function)
    by_comunica = run_comunica(server, query, tmp_path)
    ours = server.request("GET", "/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert ours.status == 200, ours.body[:300]
    assert by_comunica["head"]["vars"] == ours.json()["head"]["vars"]
    assert rows(by_comunica) == rows(ours.json())  # ORDER BY: the same rows in the same order

    # the same question through the API, and by hand from the TSV
    api = server.request("GET", "/api/gaps", params={
        "country": "NGA", "function": function, "year": "2022"}).json()
    got = {r["code"]: (r["relation"], float(r["score"]), int(r["level"])) for r in rows(by_comunica)}
    assert got == {g["code"]: (g["relation"], float(g["score"]), int(g["level"]))
                   for g in api["gaps"]}
    hand = expected_gaps("Nigeria", function)
    assert got == {c: (g["relation"], g["score"], g["level"]) for c, g in hand.items()}


def test_the_hand_values_are_nigerias_row(server, tmp_path):
    """Respond's gaps, read off the TSV row: C.14 = 20 (level 1), C.9 = 33 and C.3 = 30
    (level 2); C.3 is indirect, Respond needing it through C.7."""
    row = espar_rows()["Nigeria"]
    assert (number(row["C.14"]), number(row["C.9"]), number(row["C.3"])) == (20, 33, 30)
    got = rows(run_comunica(server, gap_query("respond"), tmp_path))
    assert [(r["relation"], r["code"], r["score"], r["level"], r.get("via", "")) for r in got] == [
        ("direct", "C14", "20", "1", ""),
        ("direct", "C9", "33", "2", ""),
        ("indirect", "C3", "30", "2", "C7"),
    ]
