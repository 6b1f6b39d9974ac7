"""Benchmark ``load_files``: all bundled country data, and a 10x synthetic scale-up,
into the embedded store and into a remote store (a real ``oxigraph serve`` process).

    python benchmarks/bench_load.py [--scale 10] [--skip-remote] [--ratio-only] [--repeats 3]

Last, the ratio the data path is held to: ``hsfhs load --bundled`` (validation
included) against ``oxigraph load`` of the same quads, at most 4x.

Each measurement runs in a child process of its own, so "peak MB" is that load's peak
resident memory (ru_maxrss), not the benchmark's. The scale-up makes N distinct copies
of every bundled file (e-SPAR report years 2030+k, JEE missions k years later, GHO codes
suffixed _Sk) and loads them one copy-set per ``load_files`` call into one store that
grows to N times the data: validation reads the new data and the catalogue only, so each
load should cost the same however full the store already is.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
BUNDLED = [DATA / "espar", DATA / "jee", DATA / "gho"]


# --- synthetic copies ------------------------------------------------------------------


def make_copies(target: Path, scale: int) -> list[list[Path]]:
    """``scale`` copy-sets of the bundled files, each distinct in period or code."""
    import openpyxl

    sets = []
    tsv = DATA / "espar" / "espar_2022_IHRScoreperCapacity_202305051146.tsv"
    xlsx = DATA / "espar" / "espar_2018_SPAR_Data_2018_2019July9.xlsx"
    jee = DATA / "jee" / "jee_scores_mar2021.xlsx"
    gho = DATA / "gho" / "gho_HWF_0001_medical_doctors_per10000.csv"
    spar_book = openpyxl.load_workbook(xlsx)
    with open(gho, encoding="utf-8", newline="") as fh:
        gho_rows = list(csv.reader(fh))
    for k in range(scale):
        folder = target / f"copy{k:02d}"
        folder.mkdir(parents=True)
        files = [folder / f"espar_{2030 + k}_IHRScoreperCapacity.tsv"]
        shutil.copy(tsv, files[0])
        sheet = spar_book.worksheets[0]
        sheet["B2"] = f"IHR (2005) - Scores per Capacities & Indicators - Year {2050 + k}"
        files.append(folder / f"espar_{2050 + k}_SPAR_Data.xlsx")
        spar_book.save(files[-1])
        jee_book = openpyxl.load_workbook(jee)
        sheet = jee_book.worksheets[0]
        column = [c.value for c in sheet[1]].index("jee_date1") + 1
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row, column)
            if cell.value is not None:  # k years later (29 February becomes the 28th)
                when = cell.value
                cell.value = when.replace(year=when.year + k, day=min(when.day, 28))
        files.append(folder / f"jee_scores_copy{k:02d}.xlsx")
        jee_book.save(files[-1])
        files.append(folder / f"gho_copy{k:02d}.csv")
        with open(files[-1], "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(gho_rows[0])
            for row in gho_rows[1:]:
                writer.writerow([f"{row[0]}_S{k}", f"{row[1]} (synthetic copy {k})", *row[2:]])
        sets.append(files)
    return sets


# --- one measured run (child process) --------------------------------------------------


def run(batches: list[list[str]], store_spec: str) -> dict:
    from hsfhs.loaders import catalogue_slice
    from hsfhs.loaders.load import load_files
    from hsfhs.store import EmbeddedStore, RemoteStore

    store = RemoteStore(store_spec) if store_spec.startswith("http") else EmbeddedStore(store_spec)
    catalogue = catalogue_slice.bundled()
    totals = {"files": 0, "rows": 0, "observations": 0, "triples": 0, "validate": 0.0,
              "errors": 0}
    started = time.perf_counter()
    for batch in batches:
        report = load_files(batch, store, catalogue)
        totals["errors"] += len(report.errors)
        totals["validate"] += report.seconds.get("validate", 0.0)
        for f in report.files:
            totals["files"] += 1
            totals["rows"] += f.rows
            totals["observations"] += f.observations
            totals["triples"] += f.triples
    totals["seconds"] = time.perf_counter() - started
    totals["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    totals["store_triples"] = store.count()
    return totals


def measure(batches: list[list[Path]], store_spec: str) -> dict:
    spec = json.dumps({"batches": [[str(p) for p in b] for b in batches], "store": store_spec})
    done = subprocess.run([sys.executable, __file__, "--child", spec], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the remote store ------------------------------------------------------------------


class OxigraphServer:
    """``oxigraph serve`` on 127.0.0.1 and a free port, stopped on exit."""

    def __init__(self, location: Path) -> None:
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}/query"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit("oxigraph serve did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- against `oxigraph load` -------------------------------------------------------------


def timed(command: list[str]) -> float:
    """Wall-clock seconds of a command, which must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def data_quads(store_dir: Path, target: Path) -> int:
    """The quads a bundled load wrote (every graph but the build's three), as N-Quads."""
    import pyoxigraph as ox

    from hsfhs.namespaces import ID

    current = (store_dir / "CURRENT").read_text().strip()
    store = ox.Store.read_only(str(store_dir / "generations" / current))
    built = {str(ID[f"graph/{name}"]) for name in ("ontology", "catalogue", "inferred")}
    quads = [q for q in store if isinstance(q.graph_name, ox.NamedNode)
             and q.graph_name.value not in built]
    ox.serialize(quads, str(target), ox.RdfFormat.N_QUADS)
    return len(quads)


def load_ratio(work: Path, repeats: int) -> None:
    """``hsfhs load --bundled`` (validation included, from the command line) against
    ``oxigraph load`` of the same quads into a new store: the best of ``repeats`` runs each."""
    bin_dir = Path(sys.executable).parent
    hsfhs = str(bin_dir / "hsfhs")
    oxigraph = shutil.which("oxigraph") or str(bin_dir / "oxigraph")
    base = work / "ratio-built"
    timed([hsfhs, "build", "--store", str(base)])
    ours, theirs, quads = [], [], 0
    for k in range(repeats):
        store = work / f"ratio-{k}"
        shutil.copytree(base, store)
        ours.append(timed([hsfhs, "load", "--store", str(store), "--bundled"]))
        dump = work / "bundled.nq"
        quads = data_quads(store, dump)
        theirs.append(timed([oxigraph, "load", "--location", str(work / f"ox-{k}"),
                             "--file", str(dump)]))
        shutil.rmtree(store, ignore_errors=True)
    best_ours, best_theirs = min(ours), min(theirs)
    print(f"\nhsfhs load --bundled: {best_ours:.1f} s (validation included); "
          f"oxigraph load of the same {quads} quads: {best_theirs:.1f} s; "
          f"ratio {best_ours / best_theirs:.1f}x (target <= 4x; best of {repeats})")


# --- the table -------------------------------------------------------------------------

COLUMNS = [("scenario", 13, "s"), ("store", 8, "s"), ("files", 5, "d"), ("rows", 8, "d"),
           ("obs", 8, "d"), ("triples", 9, "d"), ("total s", 8, ".1f"), ("rows/s", 8, ".0f"),
           ("triples/s", 9, ".0f"), ("valid. s", 8, ".1f"), ("peak MB", 8, ".0f")]


def line(values: list) -> str:
    """One fixed-width row; text left-aligned, numbers right-aligned."""
    cells = []
    for (_, width, fmt), value in zip(COLUMNS, values, strict=True):
        text = str(value) if fmt == "s" or isinstance(value, str) else format(value, fmt)
        cells.append(text.ljust(width) if fmt == "s" else text.rjust(width))
    return "  ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--skip-remote", action="store_true")
    parser.add_argument("--ratio-only", action="store_true",
                        help="only the hsfhs load / oxigraph load ratio")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the ratio (best kept)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(run(spec["batches"], spec["store"])))
        return
    work = Path(tempfile.mkdtemp(prefix="hsfhs-bench-"))
    try:
        if args.ratio_only:
            load_ratio(work, args.repeats)
            return
        copies = make_copies(work / "synthetic", args.scale)
        scenarios = [("bundled 1x", [BUNDLED]), (f"synthetic {args.scale}x", copies)]
        header = line([c[0] for c in COLUMNS])
        print(header)
        print("-" * len(header))
        for name, batches in scenarios:
            for kind in ("embedded", "remote"):
                if kind == "remote" and args.skip_remote:
                    continue
                location = work / f"{name.replace(' ', '-')}-{kind}"
                server = OxigraphServer(location) if kind == "remote" else None
                try:
                    r = measure(batches, server.url if server else str(location))
                finally:
                    if server:
                        server.stop()
                if r["errors"]:
                    raise SystemExit(f"{name} {kind}: {r['errors']} load errors")
                print(line([name, kind, r["files"], r["rows"], r["observations"], r["triples"],
                            r["seconds"], r["rows"] / r["seconds"],
                            r["triples"] / r["seconds"], r["validate"], r["peak_mb"]]),
                      flush=True)
        print(f"\nmachine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}; "
              "rows = data rows read (incl. skipped); obs = observations stored")
        load_ratio(work, args.repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
