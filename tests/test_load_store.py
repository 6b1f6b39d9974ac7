"""Loading into the stores: graphs per file, replacement, provenance, SPARQL over the result,
embedded and remote (a real ``oxigraph serve`` process)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from rdflib import URIRef

from hsfhs.loaders.load import load_files
from hsfhs.namespaces import ID, sparql_prefixes
from hsfhs.store import EmbeddedStore, RemoteStore

SAMPLE_GRAPH = ID["graph/espar-2022-sample-tsv"]


def test_every_state_party_of_each_espar_file_has_scores(bundled_load, data: Path) -> None:
    store, report = bundled_load
    assert report.valid and report.written, report.errors[:5]
    espar = [f for f in report.files if f.format == "espar"]
    assert len(espar) == 2
    for f in espar:
        found = store.select(
            sparql_prefixes()
            + """
            SELECT (COUNT(DISTINCT ?country) AS ?n) WHERE { GRAPH ?g {
              ?o a hsfhs:ScoreObservation ; sdmx-dimension:refArea ?country ;
                 hsfhs:scorePercent ?p } }""",
            {"g": URIRef(f.graph)},
        )
        with_scores = f.rows - sum(
            1 for n in report.notices if n.file == f.path.name and n.type == "no-data"
        )
        assert int(found.values()[0]["n"]) == with_scores
    # the 2022 file: 196 State Party rows, 11 of them "no data"
    tsv = next(f for f in espar if f.path.suffix == ".tsv")
    with open(tsv.path, encoding="utf-8", newline="") as fh:
        scored = sum(
            1 for r in csv.DictReader(fh, delimiter="\t") if r["total_average"] != "no data"
        )
    assert scored == 185


def test_algeria_2022_through_sparql(bundled_load) -> None:
    store, _ = bundled_load
    rows = store.select(
        sparql_prefixes()
        + """
        SELECT ?i ?percent ?level ?column WHERE {
          ?o sdmx-dimension:refArea id:country\\/DZA ; sdmx-dimension:refPeriod "2022"^^xsd:gYear ;
             hsfhs:refIndicator ?i ; hsfhs:scorePercent ?percent ; hsfhs:sourceColumn ?column .
          OPTIONAL { ?o hsfhs:levelScore ?level }
          FILTER (?i IN (id:spar2\\/C5.1, id:spar2\\/C5))
        } ORDER BY ?i"""
    ).values()
    assert rows == [
        {"i": str(ID["spar2/C5"]), "percent": "90", "column": "C.5"},
        {"i": str(ID["spar2/C5.1"]), "percent": "80", "level": "4", "column": "C.5.1"},
    ]


def test_provenance_of_a_loaded_file(tmp_path: Path, fixtures: Path, load_catalogue) -> None:
    import hashlib

    store = EmbeddedStore(tmp_path / "store")
    report = load_files([fixtures / "espar_2022_sample.tsv"], store, load_catalogue)
    sha = hashlib.sha256((fixtures / "espar_2022_sample.tsv").read_bytes()).hexdigest()
    rows = store.select(
        sparql_prefixes()
        + """
        SELECT ?name ?sha ?rows ?start ?row WHERE { GRAPH ?g {
          ?activity a prov:Activity ; prov:used ?file ; prov:startedAtTime ?start ;
                    prov:endedAtTime ?end .
          ?file dct:title ?name ; hsfhs:sha256 ?sha ; hsfhs:rowCount ?rows .
          ?dataset a qb:DataSet ; prov:wasGeneratedBy ?activity .
          ?obs qb:dataSet ?dataset ; prov:wasDerivedFrom ?row ; hsfhs:sourceColumn "C.5" ;
               sdmx-dimension:refArea id:country\\/DZA .
          ?row dct:isPartOf ?file } }""",
        {"g": SAMPLE_GRAPH},
    ).values()
    assert len(rows) == 1
    assert rows[0]["name"] == "espar_2022_sample.tsv" and rows[0]["sha"] == sha
    assert rows[0]["rows"] == "7" and rows[0]["row"].endswith(f"file/{sha[:16]}/row/2")
    assert report.files[0].triples == store.count(str(SAMPLE_GRAPH))


def test_loading_again_replaces_and_a_new_year_adds(
    tmp_path: Path, fixtures: Path, load_catalogue
) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load_files([fixtures / "espar_2022_sample.tsv"], store, load_catalogue)
    first = store.count(str(SAMPLE_GRAPH))
    load_files([fixtures / "espar_2022_sample.tsv"], store, load_catalogue)
    assert store.count(str(SAMPLE_GRAPH)) == first
    assert store.count() == first
    newer = tmp_path / "espar_2023_sample.tsv"
    shutil.copy(fixtures / "espar_2022_sample.tsv", newer)
    load_files([newer], store, load_catalogue)
    periods = store.select(
        sparql_prefixes()
        + """
        SELECT DISTINCT ?y WHERE { ?o sdmx-dimension:refPeriod ?y } ORDER BY ?y"""
    ).values()
    assert [p["y"] for p in periods] == ["2022", "2023"]
    assert store.count() == 2 * first


def test_remote_store_load_and_query(oxigraph_server: str, fixtures: Path, load_catalogue) -> None:
    store = RemoteStore(oxigraph_server)
    report = load_files(
        [fixtures / "espar_2022_sample.tsv", fixtures / "jee_sample.xlsx"], store, load_catalogue
    )
    assert report.valid and report.written
    rows = store.select(
        sparql_prefixes()
        + """
        SELECT ?level WHERE { ?o sdmx-dimension:refArea id:country\\/ALB ;
          hsfhs:refIndicator id:jee1\\/P1.1 ; hsfhs:levelScore ?level }"""
    ).values()
    assert rows == [{"level": "4"}]
    before = store.count()
    bad = load_files([fixtures / "espar_2022_score_120.tsv"], store, load_catalogue)
    assert not bad.written and store.count() == before
    load_files([fixtures / "espar_2022_sample.tsv"], store, load_catalogue)
    assert store.count() == before  # loading the same file again replaces its graph


def test_a_killed_load_leaves_the_store_as_it_was(tmp_path: Path, fixtures: Path, data: Path,
                                                  load_catalogue) -> None:
    import signal
    import subprocess
    import sys
    import time

    store = EmbeddedStore(tmp_path / "store")
    load_files([fixtures / "espar_2022_sample.tsv"], store, load_catalogue)
    before = sorted(store.named_graphs()), store.count()
    process = subprocess.Popen(
        [sys.executable, "-m", "hsfhs", "load", "--store", str(tmp_path / "store"),
         str(data / "espar"), str(data / "gho")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)  # reading and validating 20,000 observations takes longer than this
    assert process.poll() is None, "the load ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    reopened = EmbeddedStore(tmp_path / "store")
    assert (sorted(reopened.named_graphs()), reopened.count()) == before
