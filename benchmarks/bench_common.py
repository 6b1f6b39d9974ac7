"""What the benchmarks share: the bundled store, local servers, HTTP clients, the machine.

The scripts under benchmarks/ import this module (``python benchmarks/bench_x.py`` puts
this folder on the path), so each measures its own question with the same set-up.
"""

from __future__ import annotations

import http.client
import importlib.metadata
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from hsfhs.resources import data_dir
from hsfhs.store import EmbeddedStore

HOST = "127.0.0.1"
BUNDLED = ["espar", "jee", "gho"]  # every bundled country data folder
Answer = list[tuple[str, ...]]


def prepare_store(work: Path, store: Path | None) -> Path:
    """The store to benchmark: ``--store``, or the catalogue plus all bundled data built
    here (about a minute)."""
    if store is not None:
        return store
    from hsfhs.build import build_into
    from hsfhs.loaders import catalogue_slice
    from hsfhs.loaders.load import load_files

    target = work / "store"
    embedded = EmbeddedStore(target)
    build_into(embedded, work / "catalogue.ttl")
    catalogue = catalogue_slice.from_store(embedded)
    report = load_files([data_dir() / name for name in BUNDLED], embedded, catalogue)
    if not report.written:
        errors = "\n".join(f"  {e}" for e in report.errors[:10])
        raise SystemExit(f"could not load the bundled data; pass --store instead\n{errors}")
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url_path: str, port: int, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Until the server at ``port`` answers ``url_path``; exit if it dies or stays silent."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}: {process.args}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", url_path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"server did not answer in {timeout_s} s: {process.args}")


def start_server(store: Path, port: int, extra: list[str], log: Path) -> subprocess.Popen[bytes]:
    """``hsfhs serve`` on ``store`` at 127.0.0.1:``port``, its output in ``log``."""
    cmd = [sys.executable, "-m", "hsfhs", "serve", "--store", str(store), "--port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd + extra, stdout=out, stderr=subprocess.STDOUT)
    wait_for("/sparql", port, process, 60)
    return process


class KeepAlive:
    """One keep-alive connection per client thread to a local server's ``path``."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.local = threading.local()

    def send(self, method: str, body: str | None, headers: dict[str, str]) -> bytes:
        """The body of a 200 answer; anything else is an error naming the path."""
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        conn.request(method, self.path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{self.path} answered {response.status}: {data[:300]!r}")
        return data


class HttpSparql(KeepAlive):
    """POSTs the query as a form to a local SPARQL endpoint; the answer is its rows."""

    def __call__(self, query: str) -> Answer:
        data = self.send(
            "POST",
            urllib.parse.urlencode({"query": query}),
            {"Content-Type": "application/x-www-form-urlencoded",
             "Accept": "application/sparql-results+json"},
        )
        return answer_from_json(json.loads(data))


class HttpGet(KeepAlive):
    """GETs one path of a local server; the answer is its status and size."""

    def __call__(self, query: str) -> Answer:
        data = self.send("GET", None, {"Accept": "application/json, text/html"})
        return [("200", str(len(data)))]


def answer_from_json(doc: dict) -> Answer:
    """The answer as sorted tuples of lexical values, comparable across systems.

    GROUP_CONCAT's order is left to each engine, so space-separated lists are compared
    as sorted lists ("C15 C14 C11" equals "C11 C14 C15").
    """
    variables = doc["head"]["vars"]
    rows = doc["results"]["bindings"]
    return sorted(
        tuple(" ".join(sorted(row.get(v, {}).get("value", "").split(" "))) for v in variables)
        for row in rows
    )


def versions(names: list[str]) -> str:
    """The installed versions of ``names``, as a report header line."""
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
