"""``hsfhs check``: the catalogue is logically consistent (HermiT) and well formed (SHACL).

The two checks catch different faults. HermiT proves the ontology plus the catalogue
has a model and no class is unsatisfiable: an individual typed into two disjoint classes
fails here. SHACL checks closed-world rules the reasoner cannot (every indicator belongs
to exactly one capacity, every action has a target level 2-5, every crosswalk link has a
status). When HermiT finds an inconsistency, the SPARQL diagnostics in hsfhs/checks/
name the individuals to blame, since the reasoner itself does not.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from hsfhs.namespaces import CATALOGUE_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from hsfhs.output import compact
from hsfhs.resources import shapes_dir
from hsfhs.store import Store
from hsfhs.terms import to_oxigraph

Triples = list[ox.Triple]

CATALOGUE_SHAPES = "catalogue.ttl"


@dataclass
class CheckReport:
    """What each check found; ``ok`` only if every check ran and passed."""

    reasoner_ran: bool = False
    consistent: bool = True
    unsatisfiable: list[str] = field(default_factory=list)
    culprits: list[str] = field(default_factory=list)
    shacl_conforms: bool = True
    shacl_results: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.errors
            and self.consistent
            and not self.unsatisfiable
            and self.shacl_conforms
        )

    def lines(self) -> list[str]:
        out = list(self.errors)
        if self.reasoner_ran:
            if self.consistent and not self.unsatisfiable:
                out.append(f"OWL (HermiT): consistent, no unsatisfiable class [{self.timings['reasoner']:.1f} s]")
            if not self.consistent:
                out.append("OWL (HermiT): INCONSISTENT")
                out += [f"  {c}" for c in self.culprits] or ["  (no diagnostic named the cause)"]
            if self.unsatisfiable:
                out.append("OWL (HermiT): unsatisfiable classes: " + ", ".join(self.unsatisfiable))
        else:
            out.append("OWL (HermiT): skipped")
        if self.shacl_conforms:
            out.append(f"SHACL: conforms [{self.timings.get('shacl', 0):.1f} s]")
        else:
            out.append(f"SHACL: {len(self.shacl_results)} violation(s)")
            out += [f"  {r}" for r in self.shacl_results]
        out.append("check: " + ("passed" if self.ok else "FAILED"))
        return out


def run_reasoner(ontology: Triples, catalogue: Triples, report: CheckReport) -> None:
    """Load ontology + asserted catalogue into owlready2 and run HermiT (Java)."""
    import owlready2

    started = time.perf_counter()
    world = owlready2.World()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hsfhs-check.nt"
        ox.serialize([*ontology, *catalogue], str(path), ox.RdfFormat.N_TRIPLES)
        # owlready2 warns on stderr about punned qb:DimensionProperty typing; harmless.
        with contextlib.redirect_stderr(io.StringIO()):
            onto = world.get_ontology(path.as_uri()).load()
        try:
            owlready2.sync_reasoner_hermit(
                [onto], infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            report.consistent = False
        else:
            report.unsatisfiable = sorted(
                c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing
            )
        finally:
            world.close()
    report.reasoner_ran = True
    report.timings["reasoner"] = time.perf_counter() - started


def _default_graph_store(*graphs: Triples) -> ox.Store:
    """The graphs together in the default graph of a throwaway store."""
    store = ox.Store()
    for triples in graphs:
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def diagnose(*graphs: Triples) -> list[str]:
    """Name the individuals behind an inconsistency, with the diagnostics in hsfhs/checks/."""
    store = _default_graph_store(*graphs)
    found = []
    for query in sorted(p for p in (files("hsfhs") / "checks").iterdir() if p.name.endswith(".rq")):
        for row in store.query(query.read_text(encoding="utf-8")):
            found.append(
                f"{compact(row['individual'])} is both {compact(row['class1'])} and "
                f"{compact(row['class2'])}, which are disjoint ({row['why'].value}) "
                f"[{query.name}]"
            )
    return found


def run_shacl(data: ox.Store, report: CheckReport) -> None:
    """pySHACL with shapes/catalogue.ttl; no shapes file is a failure, not a pass."""
    import pyshacl
    from rdflib.namespace import SH

    shapes_file = shapes_dir() / CATALOGUE_SHAPES
    if not shapes_file.is_file():
        report.errors.append(f"SHACL: shapes file {shapes_file} is missing")
        return
    shapes = Graph().parse(shapes_file, format="turtle")
    if not any(shapes.subjects(None, SH.NodeShape)) and not any(
        shapes.subjects(None, SH.PropertyShape)
    ):
        report.errors.append(f"SHACL: {shapes_file} holds no shapes")
        return
    started = time.perf_counter()
    conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, inplace=True
    )
    report.timings["shacl"] = time.perf_counter() - started
    report.shacl_conforms = bool(conforms)
    for result in results.subjects(SH.resultMessage, None):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        where = compact(to_oxigraph(focus)) if focus is not None else "?"
        if path is not None:
            where += f" {compact(to_oxigraph(path))}"
        report.shacl_results.append(f"{where}: {message}")
    report.shacl_results.sort()


def check_graphs(
    ontology: Triples, catalogue: Triples, inferred: Triples, reasoner: bool = True
) -> CheckReport:
    report = CheckReport()
    if reasoner:
        run_reasoner(ontology, catalogue, report)
        if not report.consistent:
            report.culprits = diagnose(ontology, catalogue, inferred)
    run_shacl(_default_graph_store(ontology, catalogue, inferred), report)
    return report


def check_store(store: Store, reasoner: bool = True) -> CheckReport:
    """Check the ontology, catalogue and inferred graphs the store holds."""
    graphs = [store.graph_triples(str(g)) for g in (ONTOLOGY_GRAPH, CATALOGUE_GRAPH, INFERRED_GRAPH)]
    if not graphs[1]:
        report = CheckReport()
        report.errors.append(f"the store {store.location} holds no catalogue: run `hsfhs build` first")
        return report
    return check_graphs(*graphs, reasoner=reasoner)
