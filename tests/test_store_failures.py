"""A store that is gone or cannot be written is said so, never served as empty (finding 4).

A live ``hsfhs serve`` on a private copy of the catalogue has its store directory deleted
under it: every kind of request (SPARQL, the API, linked data, pages) must answer 502
``store-unavailable`` without naming a local path, and answer again once the store is
back. ``hsfhs build`` and ``hsfhs load`` on a read-only store must print a clear error
and exit 1, no traceback. Read-only is a read-only bind mount when the tests run as root
(root ignores file modes), else the directory's mode.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_fixtures import LiveServer

from hsfhs.store import EmbeddedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def copy(built_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("failures") / "store"
    shutil.copytree(built_store.path, target)
    return target


@pytest.fixture(scope="module")
def server(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer.start(copy, tmp_path_factory.mktemp("failures-log") / "serve.log")
    yield live
    live.stop()


REQUESTS = [
    ("/sparql", {"query": COUNT}, "application/problem+json"),
    ("/api/gaps", {"country": "NGA", "function": "detect", "year": "2022"}, "application/problem+json"),
    ("/id/spar2/C5", {"format": "turtle"}, "text/html"),  # errors outside /api, /sparql
    ("/page/spar2/C5", None, "text/html"),
]


def test_a_deleted_store_is_502_not_an_empty_answer(server, copy, tmp_path):
    before = server.request("GET", "/sparql", params={"query": COUNT})
    assert before.status == 200
    triples = int(before.json()["results"]["bindings"][0]["n"]["value"])
    assert triples > 0
    moved = tmp_path / "moved-away"
    shutil.move(copy, moved)  # as `rm -rf` does to the server; kept to put it back
    try:
        for path, params, media in REQUESTS:
            reply = server.request("GET", path, params=params)
            assert reply.status == 502, (path, reply.body[:300])
            assert reply.content_type == media
            assert str(copy).encode() not in reply.body and b"/tmp" not in reply.body
            if media == "application/problem+json":
                doc = reply.json()
                assert doc["type"].endswith("/store-unavailable")
                assert "store" in doc["detail"] and "missing" in doc["detail"]
        # the server logs where it looked
        assert str(copy) in server.log.read_text()
    finally:
        shutil.move(moved, copy)
    after = server.request("GET", "/sparql", params={"query": COUNT})
    assert int(after.json()["results"]["bindings"][0]["n"]["value"]) == triples


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """``path`` seen read-only: a read-only bind mount as root, else a mode without w."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [path, *path.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield path
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    view = path.parent / (path.name + "-read-only")
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(path), str(view)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount as root here: {mounted.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)
        view.rmdir()


@pytest.mark.parametrize(
    "command",
    [["build"], ["load", "tests/fixtures/espar_2022_sample.tsv"]],
    ids=["build", "load"],
)
def test_a_read_only_store_is_a_clear_error(copy, tmp_path, command):
    root = Path(__file__).resolve().parent.parent
    with read_only(copy) as store:
        done = subprocess.run(
            [sys.executable, "-m", "hsfhs", command[0], "--store", str(store), *command[1:]],
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "HSFHS_ENDPOINT": ""},
        )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"Error: cannot write to store {store}" in done.stderr
