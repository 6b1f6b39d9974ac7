"""Load time and gap latency: the embedded store beside OpenLink Virtuoso.

The same bundled files go into both stores by the same code (``hsfhs build``'s
``build_into`` and ``hsfhs load``'s ``load_files``), then the same gap questions are asked:

* **build**: ontology, catalogue and inferences written (about 40 000 triples);
* **load**: the bundled country data validated and written (``--data``, by default
  data/espar, data/jee and data/gho: about 360 000 triples); validation is the same CPU
  work for both, so the difference is the writing;
* **gaps()**: ``query_service.gaps.gaps`` called in this process, as ``hsfhs gaps`` does
  (embedded: pyoxigraph in process; Virtuoso: SPARQL over HTTP);
* **/api/gaps**: the same through ``hsfhs serve`` (``--store`` or ``--endpoint``), by HTTP.

The answers of the two stores are compared, so a fast wrong one cannot pass. Virtuoso
is started on 127.0.0.1 with its own ini and a random password (``tests/virtuoso_server.py``)
and stopped at the end; writes go to ``/sparql-auth`` in chunks of ``--chunk`` triples.

    python benchmarks/bench_engines.py --repeats 50
    python benchmarks/bench_engines.py --data data/espar --repeats 20
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the Virtuoso and server launchers the tests use

from service_fixtures import LiveServer  # noqa: E402
from virtuoso_server import Virtuoso, available  # noqa: E402

from hsfhs.build import build_into  # noqa: E402
from hsfhs.loaders import catalogue_slice  # noqa: E402
from hsfhs.loaders.load import load_files  # noqa: E402
from hsfhs.query_service.gaps import gaps  # noqa: E402
from hsfhs.remote_store import RemoteStore  # noqa: E402
from hsfhs.resources import data_dir  # noqa: E402
from hsfhs.sparql_http import Credentials  # noqa: E402
from hsfhs.store import EmbeddedStore, Store  # noqa: E402

CASES = [("NGA", "detect"), ("NGA", "respond"), ("KEN", "prevent"), ("BEN", "respond"),
         ("IND", "detect"), ("BRA", "respond"), ("FRA", "prevent"), ("CIV", "detect")]


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def fill(store: Store, data: list[Path]) -> dict[str, float]:
    build_s, _ = timed(lambda: build_into(store, Path(tempfile.mkdtemp()) / "catalogue.ttl"))
    catalogue = catalogue_slice.from_store(store)
    load_s, report = timed(lambda: load_files(data, store, catalogue))
    if not report.valid:
        raise SystemExit(f"load failed: {report.errors[:3]}")
    triples = sum(f.triples for f in report.files)
    return {"build_s": build_s, "load_s": load_s, "triples": triples}


def latencies(ask: Callable[[str, str], Any], repeats: int) -> tuple[list[float], dict]:
    answers = {case: ask(*case) for case in CASES}  # warm-up, and the answers to compare
    times = []
    for _ in range(repeats):
        for case in CASES:
            elapsed, _ = timed(lambda case=case: ask(*case))
            times.append(elapsed * 1000)
    return times, answers


def summary(times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=20)
    return f"{statistics.median(times):8.1f} {cuts[18]:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", nargs="*", type=Path,
                        default=[data_dir() / n for n in ("espar", "jee", "gho")])
    parser.add_argument("--repeats", type=int, default=30, help="rounds of the 8 gap questions")
    parser.add_argument("--chunk", type=int, default=1000, help="triples per Virtuoso update")
    args = parser.parse_args()
    if available() is not None:
        raise SystemExit(available())
    work = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    virtuoso = Virtuoso.start(work / "virtuoso")
    rows: list[tuple[str, dict[str, float], list[float], list[float]]] = []
    try:
        embedded = EmbeddedStore(work / "store")
        remote = RemoteStore(virtuoso.query_url, virtuoso.update_url, timeout=600,
                             credentials=Credentials(virtuoso.user, virtuoso.password),
                             chunk=args.chunk)
        answers: dict[str, dict] = {}
        for name, store, serve in (
            ("embedded", embedded, {"store": work / "store"}),
            ("virtuoso", remote, {"store": None, "endpoint": virtuoso.query_url}),
        ):
            print(f"{name}: building and loading ...", file=sys.stderr)
            sizes = fill(store, args.data)
            direct, answers[name] = latencies(
                lambda c, f, s=store: gaps(s, {"country": c, "function": f, "year": "2022"}),
                args.repeats,
            )
            env = virtuoso.env(args.chunk) if name == "virtuoso" else {}
            server = LiveServer.start(serve.pop("store"), work / f"{name}.log", env=env, **serve)
            try:
                def over_http(c: str, f: str, server: LiveServer = server) -> dict:
                    reply = server.request("GET", "/api/gaps", params={
                        "country": c, "function": f, "year": "2022"})
                    assert reply.status == 200, reply.body[:300]
                    return reply.json()

                http, _ = latencies(over_http, args.repeats)
            finally:
                server.stop()
            rows.append((name, sizes, direct, http))
    finally:
        virtuoso.stop()
    same = answers["embedded"] == answers["virtuoso"]
    print(f"{platform.node()} {platform.machine()} python {platform.python_version()}, "
          f"{os.cpu_count()} cpus; {len(CASES)} gap questions x {args.repeats} rounds; "
          f"answers identical: {same}")
    print(f"{'store':<10} {'build s':>8} {'load s':>8} {'triples':>9} "
          f"{'gaps() p50':>10} {'p95 ms':>8} {'/api p50':>9} {'p95 ms':>8}")
    for name, sizes, direct, http in rows:
        print(f"{name:<10} {sizes['build_s']:8.1f} {sizes['load_s']:8.1f} {sizes['triples']:9d} "
              f"  {summary(direct)}  {summary(http)}")
    if not same:
        raise SystemExit("the two stores answered differently")


if __name__ == "__main__":
    main()
