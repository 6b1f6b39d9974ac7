"""Time ``hsfhs build`` and ``hsfhs check`` stages on the bundled code lists; print a table.

    python benchmarks/bench_build.py [--repeats 3] [--no-reasoner] [--csv out.csv]

Each stage runs ``--repeats`` times in this process; the table shows median, min and max
seconds and the number of triples the stage produced.
"""

from __future__ import annotations

import argparse
import csv
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import rdflib

from hsfhs.build import ONTOLOGY_GRAPH, build_graphs, load_ontology
from hsfhs.catalogue import build_catalogue
from hsfhs.check import CheckReport, run_reasoner, run_shacl
from hsfhs.infer import materialise
from hsfhs.namespaces import CATALOGUE_GRAPH, INFERRED_GRAPH
from hsfhs.store import EmbeddedStore


def timed(func: Callable[[], object], repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return times, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-reasoner", action="store_true")
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args(argv)

    graphs = build_graphs()
    ontology, catalogue = graphs[str(ONTOLOGY_GRAPH)], graphs[str(CATALOGUE_GRAPH)]
    inferred = graphs[str(INFERRED_GRAPH)]
    data = rdflib.Graph()
    for g in (ontology, catalogue, inferred):
        for t in g:
            data.add(t)

    def store_write() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(tmp)
            store.replace_graphs(graphs)
            return store.count()

    stages: list[tuple[str, Callable[[], object], Callable[[object], int]]] = [
        ("parse ontology", load_ontology, len),
        ("code lists + crosswalks -> RDF", build_catalogue, len),
        ("materialise inferences", lambda: materialise(ontology, catalogue), len),
        ("write store (embedded)", store_write, int),
        ("whole build (no store)", build_graphs, lambda g: sum(len(x) for x in g.values())),
        ("SHACL (pySHACL)", lambda: run_shacl(ontology, data, CheckReport()), lambda _: len(data)),
    ]
    if not args.no_reasoner:
        stages.append(
            ("OWL reasoner (HermiT)", lambda: run_reasoner(ontology, catalogue, CheckReport()), lambda _: len(ontology) + len(catalogue))
        )

    print(f"# hsfhs build benchmark — Python {platform.python_version()}, rdflib {rdflib.__version__}, "
          f"pyoxigraph {pyoxigraph.__version__}, {platform.machine()}, repeats={args.repeats}")
    header = f"{'stage':34} {'median s':>9} {'min s':>8} {'max s':>8} {'triples':>9}"
    print(header)
    print("-" * len(header))
    rows = []
    for name, func, size in stages:
        times, result = timed(func, args.repeats)
        row = (name, statistics.median(times), min(times), max(times), size(result))
        rows.append(row)
        print(f"{row[0]:34} {row[1]:9.2f} {row[2]:8.2f} {row[3]:8.2f} {row[4]:9d}")
        sys.stdout.flush()
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["stage", "median_s", "min_s", "max_s", "triples"])
            writer.writerows(rows)


if __name__ == "__main__":
    main()
