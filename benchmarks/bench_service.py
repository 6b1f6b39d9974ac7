"""Latency of the gap question: the API and the dashboard against the reference, and /sparql
beside `oxigraph serve` and rdflib.

**The reference workload** is the gaps query as it was before capacity scores were computed
at load time (``benchmarks/reference/gaps-2026-11.rq``: scores re-derived from the
observations in the query, dependencies followed transitively), sent to a bare
``oxigraph serve`` on the same files. Against it the script measures, over HTTP on the same
machine in one run:

* ``api-gaps`` - ``GET /api/gaps`` for one country, function and year (all its queries:
  parameter checks, the country's capacity scores, what the function needs);
* ``api-gaps-cold`` - the same on a second ``hsfhs serve`` with its answer cache off
  (``HSFHS_ANSWER_CACHE_ENTRIES=0``), so every request runs every query;
* ``page`` and ``page-cold`` - the country dashboard ``GET /country/{ISO3}``, the same two ways;

and prints the two ratios the service is held to: the reference over ``api-gaps`` (at least
5) and ``page`` over the reference (at most 2).

**The SPARQL comparison** sends today's ``query_service/queries/gaps.rq`` (its parameters
bound by a ``VALUES`` block) to:

* **hsfhs** - ``hsfhs serve`` (waitress, Flask, the worker-process executor), by HTTP;
* **oxigraph** - ``oxigraph serve-read-only --union-default-graph`` on a checkpoint of the
  very files the service reads, by HTTP: the same engine on the same files, so the ratio
  is the cost of the service itself (Flask, waitress, the worker pipe);
* **ox-fresh** - the same server on a fresh ``oxigraph load`` of an N-Quads dump: shows
  what the store's file layout costs (uncompacted generations read slower);
* **rdflib** - an in-memory ``Dataset`` (``default_union=True``) parsed from the same dump,
  called in-process (no HTTP): the pure-Python alternative.

Each system answers ``--warmup`` requests first, then up to ``--repeats`` timed ones (or
``--max-seconds`` of its own time: rdflib stops there), asked in interleaved rounds from
``--clients`` threads with keep-alive connections, so load from elsewhere on the machine
hits every system alike. The answers are compared, so a fast wrong answer cannot pass.
Requests go to 127.0.0.1 only.

    python benchmarks/bench_service.py --repeats 200
    python benchmarks/bench_service.py --store ~/.local/share/hsfhs/store --country KEN
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
from bench_common import (
    HOST,
    Answer,
    HttpGet,
    HttpSparql,
    answer_from_json,
    free_port,
    machine,
    prepare_store,
    versions,
    wait_for,
)
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from hsfhs.bindings import bind_values
from hsfhs.namespaces import ID
from hsfhs.store import EmbeddedStore

QUERIES = Path(__file__).resolve().parent.parent / "query_service" / "queries"
REFERENCE = Path(__file__).resolve().parent / "reference" / "gaps-2026-11.rq"

VERSIONS_OF = ["hsfhs", "pyoxigraph", "oxigraph", "rdflib", "flask", "waitress"]



# --- the query ---------------------------------------------------------------------------------


def gaps_query(country: str, function: str, year: str, framework: str, target: str) -> str:
    """gaps.rq with its parameters bound as RDF terms (never pasted into the text)."""
    text = (QUERIES / "gaps.rq").read_text(encoding="utf-8")
    bindings = {
        "country": URIRef(ID[f"country/{country}"]),
        "function": URIRef(ID[f"function/{function}"]),
        "year": Literal(year, datatype=XSD.gYear),
        "framework": URIRef(ID[f"framework/{framework}"]),
        "target": Literal(int(target), datatype=XSD.integer),
    }
    return bind_values(text, bindings)


def reference_query(country: str, function: str, year: str, framework: str) -> str:
    """The 2026-11 gaps query, threshold 60 %, as the reference workload."""
    text = REFERENCE.read_text(encoding="utf-8")
    bindings = {
        "country": URIRef(ID[f"country/{country}"]),
        "function": URIRef(ID[f"function/{function}"]),
        "year": Literal(year, datatype=XSD.gYear),
        "framework": URIRef(ID[f"framework/{framework}"]),
        "threshold": Literal("60", datatype=XSD.decimal),
    }
    return bind_values(text, bindings)


# --- the systems -------------------------------------------------------------------------------------


def patch_rdflib_distinct_aggregates() -> None:
    """Let rdflib skip unbound values in DISTINCT aggregates, as SPARQL 1.1 says.

    Unpatched, ``GROUP_CONCAT(DISTINCT ?x)`` over a group where ``?x`` is unbound raises
    ``NotBoundError`` (RDFLib issue #882, open since 2018), and gaps.rq has such groups.
    """
    from rdflib.plugins.sparql import aggregates
    from rdflib.plugins.sparql.sparql import NotBoundError

    original = aggregates.Accumulator.use_row

    def use_row(self: aggregates.Accumulator, row: Any) -> bool:
        try:
            return original(self, row)
        except NotBoundError:
            return False

    aggregates.Accumulator.use_row = use_row  # type: ignore[method-assign]


def rdflib_system(dump: Path, query: str, notes: list[str]) -> Callable[[str], Answer]:
    """rdflib in memory; patched (and said so in ``notes``) if it cannot run the query."""
    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    try:
        dataset.query(query).serialize(format="json")
    except Exception as exc:
        patch_rdflib_distinct_aggregates()
        notes.append(
            f"rdflib fails on this query unpatched ({type(exc).__name__}: {exc}); "
            "measured with the fix for RDFLib issue #882 applied"
        )
    lock = threading.Lock()  # rdflib's in-memory store is not safe for concurrent queries

    def run(query: str) -> Answer:
        with lock:
            result = dataset.query(query)
            doc = json.loads(result.serialize(format="json"))
        return answer_from_json(doc)

    return run


# --- measuring -------------------------------------------------------------------------------------


@dataclass
class Measure:
    system: str
    latencies_s: list[float]
    busy_s: float
    answer: Answer

    @property
    def n(self) -> int:
        return len(self.latencies_s)

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def rps(self) -> float:
        return self.n / self.busy_s


def measure(
    systems: list[tuple[str, Callable[[str], Answer]]],
    query: str,
    *,
    repeats: int,
    warmup: int,
    clients: int,
    max_seconds: float,
) -> list[Measure]:
    """Interleaved rounds: each client asks every system in turn, so a load spike on a
    shared machine hits all systems alike and the ratios stay fair.

    Each system gets ``warmup`` untimed calls (fewer if they would take over a tenth of
    its budget), then up to ``repeats`` timed ones or ``max_seconds`` of its own time.
    Requests per second are per system: requests / (its summed latency / clients).
    """
    answers: dict[str, Answer] = {}
    for name, run in systems:
        started = time.perf_counter()
        answers[name] = run(query)
        for _ in range(warmup - 1):
            if time.perf_counter() - started > max_seconds / 10:
                break
            run(query)
    latencies: dict[str, list[float]] = {name: [] for name, _ in systems}
    spent = dict.fromkeys(answers, 0.0)
    lock = threading.Lock()

    def client() -> None:
        while True:
            asked = False
            for name, run in systems:
                with lock:
                    if len(latencies[name]) >= repeats or spent[name] / clients > max_seconds:
                        continue
                    spent[name] += 1e-9  # claimed; the real time is added below
                started = time.perf_counter()
                got = run(query)
                elapsed = time.perf_counter() - started
                if got != answers[name]:
                    raise RuntimeError(f"{name}: the answer changed between requests")
                with lock:
                    latencies[name].append(elapsed)
                    spent[name] += elapsed
                asked = True
            if not asked:
                return

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [
        Measure(name, latencies[name], sum(latencies[name]) / clients, answers[name])
        for name, _ in systems
    ]


# --- report ----------------------------------------------------------------------------------------


def report(measures: list[Measure], header: list[str]) -> str:
    base = next(m for m in measures if m.system == "oxigraph")
    lines = [f"# {h}" for h in header]
    cols = f"{'system':<14} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9} {'req/s':>9}"
    cols += f" {'p50 / oxigraph':>15}"
    lines += [cols, "-" * len(cols)]
    for m in measures:
        mean = statistics.fmean(m.latencies_s)
        lines.append(
            f"{m.system:<14} {m.n:>5} {m.pct(50) * 1e3:>9.2f} {m.pct(95) * 1e3:>9.2f} "
            f"{mean * 1e3:>9.2f} {m.rps:>9.1f} {m.pct(50) / base.pct(50):>15.2f}"
        )
    by_name = {m.system: m for m in measures}
    ref = by_name["reference"].pct(50)
    lines += ["", f"{'ratio':<46} {'value':>8} {'target':>8}", "-" * 64]
    for label, value, target in (
        ("reference p50 / api-gaps p50", ref / by_name["api-gaps"].pct(50), ">= 5"),
        ("reference p50 / api-gaps-cold p50", ref / by_name["api-gaps-cold"].pct(50), ""),
        ("page p50 / reference p50", by_name["page"].pct(50) / ref, "<= 2"),
        ("page-cold p50 / reference p50", by_name["page-cold"].pct(50) / ref, ""),
    ):
        lines.append(f"{label:<46} {value:>8.2f} {target:>8}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200, help="timed requests per system")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--clients", type=int, default=1, help="concurrent client threads")
    parser.add_argument("--max-seconds", type=float, default=60, help="time cap per system")
    parser.add_argument("--store", type=Path, help="a loaded store (default: build one)")
    parser.add_argument("--country", default="NGA")
    parser.add_argument("--function", default="detect")
    parser.add_argument("--year", default="2022")
    parser.add_argument("--framework", default="spar2")
    parser.add_argument("--target", default="3")
    parser.add_argument("--no-rdflib", action="store_true", help="leave rdflib out (slow)")
    args = parser.parse_args(argv)
    oxigraph_bin = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if oxigraph_bin is None:
        raise SystemExit("the oxigraph binary is missing: pip install 'oxigraph>=0.5.6,<0.6'")

    query = gaps_query(args.country, args.function, args.year, args.framework, args.target)
    reference = reference_query(args.country, args.function, args.year, args.framework)
    gaps_path = (f"/api/gaps?country={args.country}&function={args.function}&year={args.year}"
                 f"&framework={args.framework}&target={args.target}")
    page_path = f"/country/{args.country}?year={args.year}"
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="hsfhs-bench-") as tmp:
        work = Path(tmp)
        try:
            store = prepare_store(work, args.store)
            dump = work / "dump.nq"
            EmbeddedStore(store).dump(dump)
            with open(dump, "rb") as fh:
                triples = sum(1 for _ in fh)
            # oxigraph on the very files the service reads (a checkpoint of the current
            # generation), so the ratio is the service's own cost; and on a fresh bulk load
            # of the dump, which shows what the store's file layout costs.
            same_files = work / "oxigraph-same"
            generation = (store / "CURRENT").read_text().strip()
            pyoxigraph.Store.read_only(str(store / "generations" / generation)).backup(
                str(same_files)
            )
            fresh = work / "oxigraph-fresh"
            subprocess.run(
                [oxigraph_bin, "load", "--location", str(fresh), "--file", str(dump)],
                check=True,
                capture_output=True,
            )

            ports = [free_port() for _ in range(4)]
            threads = str(max(16, args.clients * 2))
            commands = []
            environments = []
            for port, cache in ((ports[0], "512"), (ports[3], "0")):
                commands.append([sys.executable, "-m", "hsfhs", "serve", "--store", str(store),
                                 "--port", str(port), "--threads", threads,
                                 "--workers", str(max(2, args.clients))])
                environments.append({**os.environ, "HSFHS_ANSWER_CACHE_ENTRIES": cache})
            for location, port in ((same_files, ports[1]), (fresh, ports[2])):
                commands.append(
                    [oxigraph_bin, "serve-read-only", "--location", str(location)]
                    + ["--bind", f"{HOST}:{port}", "--union-default-graph"]
                )
                environments.append(dict(os.environ))
            for cmd, env in zip(commands, environments, strict=True):
                processes.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL, env=env))
            wait_for("/sparql", ports[0], processes[0], 60)
            wait_for("/sparql", ports[3], processes[1], 60)
            wait_for("/query", ports[1], processes[2], 60)
            wait_for("/query", ports[2], processes[3], 60)

            notes: list[str] = []
            ox_same = HttpSparql(ports[1], "/query")
            systems: list[tuple[str, Callable[[str], Answer]]] = [
                ("hsfhs", HttpSparql(ports[0], "/sparql")),
                ("oxigraph", ox_same),
                ("ox-fresh", HttpSparql(ports[2], "/query")),
            ]
            if not args.no_rdflib:
                systems.append(("rdflib", rdflib_system(dump, query, notes)))
            api: list[tuple[str, Callable[[str], Answer]]] = [
                ("reference", lambda _query: ox_same(reference)),
                ("api-gaps", HttpGet(ports[0], gaps_path)),
                ("api-gaps-cold", HttpGet(ports[3], gaps_path)),
                ("page", HttpGet(ports[0], page_path)),
                ("page-cold", HttpGet(ports[3], page_path)),
            ]
            options = {"repeats": args.repeats, "warmup": args.warmup, "clients": args.clients,
                       "max_seconds": args.max_seconds}
            measures = measure(systems, query, **options)
            measures += measure(api, query, **options)
        finally:
            for process in processes:
                process.terminate()
                process.wait(10)

    answers = {m.system: m.answer for m in measures if m.system in dict(systems)}
    agree = all(a == answers["oxigraph"] for a in answers.values())
    header = [
        f"gaps.rq: country={args.country} function={args.function} year={args.year} "
        f"framework={args.framework} target={args.target}; "
        f"{len(answers['oxigraph'])} rows; answers agree: {'yes' if agree else 'NO'}",
        f"reference: {REFERENCE.name} on oxigraph, {len(next(m for m in measures if m.system == 'reference').answer)} rows; "
        f"api-gaps: GET {gaps_path}; page: GET {page_path}",
        f"data: {triples} quads; {args.clients} client(s); warmup {args.warmup}; "
        f"up to {args.repeats} requests or {args.max_seconds:g} s per system",
        *notes,
        f"versions: {versions(VERSIONS_OF)}",
        f"machine: {machine()}",
    ]
    print(report(measures, header))
    if not agree:
        for name, answer in answers.items():
            print(f"{name}: {answer[:5]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
