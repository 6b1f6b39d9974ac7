"""Shared fixtures: the real catalogue built once per test session into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

from hsfhs.build import build_graphs, build_into
from hsfhs.resources import data_dir
from hsfhs.store import EmbeddedStore

DATA = data_dir()


@pytest.fixture(scope="session")
def catalogue_graphs() -> dict:
    """ontology, catalogue and inferred graphs, by graph IRI, from the bundled code lists."""
    return build_graphs()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """A store with the catalogue built by ``hsfhs build`` (read it; copy it to change it)."""
    store = EmbeddedStore(tmp_path_factory.mktemp("catalogue-store"))
    build_into(store)
    return store


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


# --- loader fixtures (issue 3) ---------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """tests/fixtures: a few rows cut from the real files, and the bad-input corpus."""
    return FIXTURES


@pytest.fixture(scope="session")
def load_catalogue(catalogue_graphs: dict):
    """What loads read of the catalogue (of the one ``hsfhs build`` writes)."""
    from hsfhs.loaders import catalogue_slice
    from hsfhs.namespaces import CATALOGUE_GRAPH

    return catalogue_slice.from_triples(catalogue_graphs[str(CATALOGUE_GRAPH)])


@pytest.fixture(scope="session")
def catalogue_graph(catalogue_graphs: dict):
    """The catalogue ``hsfhs build`` writes, as an rdflib graph, for tests that read it."""
    from rdflib import Graph

    from hsfhs.namespaces import CATALOGUE_GRAPH
    from hsfhs.terms import to_rdflib

    graph = Graph()
    for t in catalogue_graphs[str(CATALOGUE_GRAPH)]:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


@pytest.fixture(scope="session")
def load_context(load_catalogue):
    """Catalogue index and country resolver, for parser-level tests (no SHACL, fast)."""
    from hsfhs.loaders.context import Context
    from hsfhs.loaders.lookup import CatalogueIndex

    return Context.from_index(CatalogueIndex.from_triples(load_catalogue))


@pytest.fixture(scope="session")
def bundled_load(tmp_path_factory: pytest.TempPathFactory, load_catalogue):
    """All bundled country data (e-SPAR, JEE, GHO) loaded once into an embedded store."""
    from hsfhs.loaders.load import load_files

    store = EmbeddedStore(tmp_path_factory.mktemp("bundled-data-store"))
    report = load_files([DATA / "espar", DATA / "jee", DATA / "gho"], store, load_catalogue)
    return store, report


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    """A real ``oxigraph serve`` process on 127.0.0.1 and a free port; its query URL."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    from service_fixtures import free_port, stop_process

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.skip("the oxigraph server binary (PyPI package 'oxigraph') is not installed")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                message = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"oxigraph serve did not start: {message}")
            time.sleep(0.1)
    yield f"{url}/query"
    stop_process(process)
