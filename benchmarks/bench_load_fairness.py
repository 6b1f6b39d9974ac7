"""Fairness under load: well-behaved clients while one client sends a runaway every 2 s.

``hsfhs serve`` runs as users run it (default settings unless ``--server-arg``), on the
catalogue and all bundled data (or ``--store``). ``--clients`` well-behaved clients, each
from its own address (127.0.0.10, .11, ...: the per-client limits tell clients apart by
address), each with a keep-alive connection, ask in a closed loop (no pause between
answers) a mix of what people ask (``--mix``): by default the cheap requests that must
stay answerable while workers are busy (the gaps API, the action plan, linked data, the
home page, a small SPARQL query); ``full`` adds a capacity page and a country dashboard.
Two phases of ``--seconds`` each:

* **steady**: the clients alone;
* **runaway**: the same, while one more client (127.0.0.250) sends a runaway query (a
  three-way cross join) every ``--runaway-every`` seconds on a new connection and hangs
  up after ``--abandon-after`` seconds without an answer (0: waits for it).

For each phase: requests, req/s, p50/p95/p99/max latency of the well-behaved clients,
their errors (any status but 200, or no answer), the server's resident memory (the
server process and its query workers, peak of samples every 0.5 s), and what became of
the runaways (429 refused, 400 stopped at the limit, abandoned). Then the runaway phase
per kind of request. Requests go to 127.0.0.1 only.

    python benchmarks/bench_load_fairness.py                      # 32 clients, 60 s a phase
    python benchmarks/bench_load_fairness.py --seconds 20 --clients 8
    python benchmarks/bench_load_fairness.py --store ~/.local/share/hsfhs/store
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench_common import HOST, free_port, prepare_store, start_server, versions

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = (
    "PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#> SELECT (COUNT(?c) AS ?n) "
    "WHERE { ?c a hsfhs:Capacity ; hsfhs:framework <https://w3id.org/hsfhs/id/framework/spar2> }"
)
# What the clients ask, in turn. "cheap" is the default: what must stay answerable while
# workers are busy. "full" adds the two heaviest pages (~250 ms of engine time each), which
# measures the machine's capacity more than fairness.
MIXES: dict[str, list[tuple[str, str]]] = {
    "cheap": [
        ("api-gaps", "/api/gaps?country=NGA&function=detect&year=2022"),
        ("linked-data", "/id/spar2/C5?format=turtle"),
        ("sparql", "/sparql?" + urllib.parse.urlencode({"query": SMALL})),
        ("page-home", "/"),
        ("api-plan", "/api/action-plan?country=NGA&year=2022&function=detect"),
    ],
}
MIXES["full"] = [
    *MIXES["cheap"],
    ("page-capacity", "/page/spar2/C5"),
    ("page-country", "/country/NGA"),
]

VERSIONS_OF = ["hsfhs", "pyoxigraph", "flask", "waitress"]


# --- the server -------------------------------------------------------------------------------------


def resident_mb(pid: int) -> float:
    """VmRSS of ``pid`` and all its descendants (Linux /proc), in MB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# --- the clients -------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    started: float = 0.0
    ended: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    peak_rss_mb: float = 0.0
    runaways: Counter[str] = field(default_factory=Counter)

    def all_latencies(self) -> list[float]:
        return sorted(x for values in self.latencies.values() for x in values)


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def client(
    port: int,
    index: int,
    mix: list[tuple[str, str]],
    phase_of: list[Phase | None],
    stop: threading.Event,
) -> None:
    """One well-behaved client: the mix in turn, from its own address, keep-alive."""
    source = f"127.0.0.{10 + index}"
    conn: http.client.HTTPConnection | None = None
    turn = index
    while not stop.is_set():
        kind, path = mix[turn % len(mix)]
        turn += 1
        phase = phase_of[0]
        started = time.perf_counter()
        status = "no answer"
        try:
            if conn is None:
                conn = http.client.HTTPConnection(
                    HOST, port, timeout=60, source_address=(source, 0)
                )
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            status = str(response.status)
            if response.status != 200 and b'"detail"' in body:  # say which refusal it was
                status += " " + json.loads(body)["detail"].split("(")[0][:60].strip()
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            if conn is not None:
                conn.close()
            conn = None
        elapsed = time.perf_counter() - started
        if phase is None or phase is not phase_of[0]:
            continue  # between phases: not counted
        if status == "200":
            phase.latencies.setdefault(kind, []).append(elapsed)
        else:
            phase.errors[f"{kind} {status}"] += 1


def runaway(port: int, phase: Phase, abandon_after: float) -> None:
    """One runaway query on a new connection; hangs up after ``abandon_after`` seconds."""
    try:
        sock = socket.create_connection((HOST, port), timeout=5, source_address=("127.0.0.250", 0))
    except OSError:
        phase.runaways["no connection"] += 1
        return
    path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
    with sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
        sock.settimeout(abandon_after if abandon_after > 0 else 120)
        try:
            head = sock.recv(64).decode("latin-1")
        except TimeoutError:
            phase.runaways["abandoned"] += 1
            return
        except OSError:
            phase.runaways["no answer"] += 1
            return
    status = head.split(" ", 2)[1] if head.startswith("HTTP/") else "no answer"
    phase.runaways[{"429": "refused 429", "400": "stopped 400"}.get(status, status)] += 1


def run_phase(
    phase: Phase,
    phase_of: list[Phase | None],
    pid: int,
    seconds: float,
    port: int,
    runaway_every: float,
    abandon_after: float,
) -> None:
    phase.started = time.perf_counter()
    phase_of[0] = phase
    deadline = phase.started + seconds
    next_runaway = phase.started
    runaways: list[threading.Thread] = []
    while (now := time.perf_counter()) < deadline:
        phase.peak_rss_mb = max(phase.peak_rss_mb, resident_mb(pid))
        if runaway_every > 0 and now >= next_runaway:
            phase.runaways["sent"] += 1
            thread = threading.Thread(target=runaway, args=(port, phase, abandon_after))
            thread.start()
            runaways.append(thread)
            next_runaway += runaway_every
        time.sleep(min(0.5, max(0.0, deadline - time.perf_counter())))
    phase_of[0] = None
    phase.ended = time.perf_counter()
    for thread in runaways:  # the last ones' answers, before the server is stopped
        thread.join(130)


# --- the report -------------------------------------------------------------------------------------


def report(phases: list[Phase], mix: list[tuple[str, str]], header: list[str]) -> str:
    lines = [f"# {h}" for h in header]
    cols = (
        f"{'phase':<8} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'errors':>6} {'RSS MB':>7}  runaways"
    )
    lines += [cols, "-" * len(cols)]
    for phase in phases:
        lat = phase.all_latencies()
        seconds = phase.ended - phase.started
        runaways = ", ".join(f"{k} {v}" for k, v in sorted(phase.runaways.items())) or "-"
        lines.append(
            f"{phase.name:<8} {len(lat):>8} {len(lat) / seconds:>7.1f} "
            f"{percentile(lat, 50) * 1e3:>8.0f} {percentile(lat, 95) * 1e3:>8.0f} "
            f"{percentile(lat, 99) * 1e3:>8.0f} {(lat[-1] if lat else 0) * 1e3:>8.0f} "
            f"{sum(phase.errors.values()):>6} {phase.peak_rss_mb:>7.0f}  {runaways}"
        )
    for phase in phases:
        for error, n in sorted(phase.errors.items()):
            lines.append(f"  {phase.name} error: {error} x{n}")
    last = phases[-1]
    lines += ["", f"{last.name} phase by kind of request:"]
    cols = f"{'kind':<14} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    lines += [cols, "-" * len(cols)]
    for kind, _ in mix:
        lat = sorted(last.latencies.get(kind, []))
        lines.append(
            f"{kind:<14} {len(lat):>8} {percentile(lat, 50) * 1e3:>8.0f} "
            f"{percentile(lat, 95) * 1e3:>8.0f} {percentile(lat, 99) * 1e3:>8.0f} "
            f"{(lat[-1] if lat else 0) * 1e3:>8.0f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="well-behaved clients")
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--runaway-every", type=float, default=2.0)
    parser.add_argument("--abandon-after", type=float, default=3.0, help="0: never hang up")
    parser.add_argument("--mix", choices=sorted(MIXES), default="cheap")
    parser.add_argument("--store", type=Path, help="a loaded store (default: build one)")
    parser.add_argument(
        "--server-arg", action="append", default=[], help="passed to hsfhs serve (repeatable)"
    )
    parser.add_argument("--log", type=Path, help="keep the server's log here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200:
        raise SystemExit("--clients must be 1 to 200 (one 127.0.0.x address each)")

    with tempfile.TemporaryDirectory(prefix="hsfhs-fairness-") as tmp:
        work = Path(tmp)
        store = prepare_store(work, args.store)
        port = free_port()
        server = start_server(store, port, args.server_arg, work / "serve.log")
        phases = [Phase("steady"), Phase("runaway")]
        phase_of: list[Phase | None] = [None]
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=client, args=(port, i, MIXES[args.mix], phase_of, stop), daemon=True
            )
            for i in range(args.clients)
        ]
        try:
            for t in threads:
                t.start()
            time.sleep(min(5.0, args.seconds / 4))  # warm-up: connections, caches
            run_phase(phases[0], phase_of, server.pid, args.seconds, port, 0, 0)
            run_phase(
                phases[1],
                phase_of,
                server.pid,
                args.seconds,
                port,
                args.runaway_every,
                args.abandon_after,
            )
        finally:
            stop.set()
            for t in threads:
                t.join(60)
            server.terminate()
            server.wait(15)
            log = (work / "serve.log").read_text(errors="replace").splitlines()
            if args.log:
                args.log.write_text("\n".join(log) + "\n")
        problems = [line for line in log if " ERROR " in line or "Traceback" in line]

    settings = " ".join(args.server_arg) or "defaults (2 workers, 16 threads, 10 s limit)"
    header = [
        f"{args.clients} well-behaved clients, {args.seconds:g} s per phase; runaway phase: a "
        f"runaway every {args.runaway_every:g} s, abandoned after {args.abandon_after:g} s",
        f"server: hsfhs serve, {settings}; mix {args.mix}: "
        + ", ".join(k for k, _ in MIXES[args.mix]),
        f"versions: {versions(VERSIONS_OF)}",
        f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
    ]
    print(report(phases, MIXES[args.mix], header))
    if problems:  # the server's own account of anything that went wrong
        print(f"\nserver log: {len(problems)} error line(s), the first:")
        print("\n".join(f"  {line[:200]}" for line in problems[:5]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
