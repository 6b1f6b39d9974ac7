"""The crosswalks between code lists, from the reviewed CSVs in data/crosswalks/.

Every link is stated twice: as the plain triple queries use (``id:spar2/C5
hsfhs:alignedWith id:jee3/D2``) and as a ``hsfhs:CrosswalkLink`` that records whether it
is *official* (taken from a WHO document) or *curated* (our reviewed judgement) and why.

Links are reviewed once, against the JEE 3rd edition, and carried to the other
frameworks through the alignment: a SPAR2 capacity contributes to the functions of the
JEE3 area it aligns with, depends on the SPAR2 capacities aligned with the areas that
area depends on, and an indicator reaches the benchmarks WHO mapped to the JEE1, JEE2
and SPAR 2018 indicators that align with the same JEE3 indicator. Carried links are
always marked curated, since the alignment they pass through is.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from hsfhs.loaders.catalogue import CatalogueError, code_iri, node, read_csv, require
from hsfhs.namespaces import HSFHS, ID
from hsfhs.resources import data_dir

STATUSES = {"official": HSFHS.official, "curated": HSFHS.curated}
FRAMEWORKS = ("spar2018", "spar2", "jee1", "jee2", "jee3", "benchmarks2019")
BENCHMARKS_SOURCE = "WHO Benchmarks for IHR capacities (2019), ISBN 978-92-4-151542-9"


def slug(iri: URIRef) -> str:
    return str(iri).removeprefix(str(ID)).replace("/", "-")


class Crosswalks:
    """Reads data/crosswalks/*.csv into a catalogue graph that already holds the code lists."""

    def __init__(self, graph: Graph, data: Path | None = None) -> None:
        self.graph = graph
        self.folder = (data or data_dir()) / "crosswalks"
        # capacity or indicator IRI -> the JEE3 IRIs it aligns with
        self.to_jee3: dict[URIRef, set[URIRef]] = defaultdict(set)

    # --- writing links ------------------------------------------------------------------
    def link(
        self,
        kind: str,
        subject: URIRef,
        prop: URIRef,
        obj: URIRef,
        status: str,
        rationale: str,
        source: str = "",
    ) -> None:
        g = self.graph
        g.add((subject, prop, obj))
        iri = ID[f"link/{kind}/{slug(subject)}--{slug(obj)}"]
        if (iri, RDF.type, HSFHS.CrosswalkLink) in g:
            return  # the first statement of a link wins: official rows are read first
        g.add((iri, RDF.type, HSFHS.CrosswalkLink))
        g.add((iri, RDF.type, OWL.NamedIndividual))
        g.add((iri, RDFS.label, Literal(f"{kind}: {slug(subject)} -> {slug(obj)}", lang="en")))
        g.add((iri, HSFHS.linkSubject, subject))
        g.add((iri, HSFHS.linkProperty, prop))
        g.add((iri, HSFHS.linkObject, obj))
        g.add((iri, HSFHS.linkStatus, STATUSES[status]))
        g.add((iri, HSFHS.rationale, Literal(rationale)))
        if source:
            g.add((iri, DCTERMS.source, Literal(source)))

    # --- reading CSVs ---------------------------------------------------------------------
    def rows(self, filename: str):
        path = self.folder / filename
        if not path.is_file():
            raise CatalogueError(f"crosswalk {path} is missing")
        for n, row in read_csv(path):
            status = require(row, "status", path, n)
            if status not in STATUSES:
                raise CatalogueError(
                    f"{path.name}, row {n}, column 'status': {status!r} is not official or curated"
                )
            require(row, "rationale", path, n)
            yield path, n, row

    def known(self, iri: URIRef, cls: URIRef, path: Path, n: int, column: str) -> URIRef:
        if (iri, RDF.type, cls) not in self.graph:
            raise CatalogueError(
                f"{path.name}, row {n}, column {column!r}: {slug(iri)} is not a known "
                f"{cls.split('#')[-1]}"
            )
        return iri

    def alignments(self) -> None:
        for filename, cls in (
            ("alignment_capacities.csv", HSFHS.Capacity),
            ("alignment_indicators.csv", HSFHS.Indicator),
        ):
            for path, n, row in self.rows(filename):
                fw = require(row, "framework", path, n)
                if fw not in FRAMEWORKS:
                    raise CatalogueError(f"{path.name}, row {n}, column 'framework': unknown {fw!r}")
                subject = self.known(code_iri(fw, require(row, "code", path, n)), cls, path, n, "code")
                target = self.known(
                    code_iri("jee3", require(row, "jee3_code", path, n)), cls, path, n, "jee3_code"
                )
                self.to_jee3[subject].add(target)
                self.link(
                    "alignment",
                    subject,
                    HSFHS.alignedWith,
                    target,
                    row["status"],
                    row["rationale"],
                    row.get("source", ""),
                )
        for jee3 in self.graph.subjects(HSFHS.framework, code_iri("framework", "jee3")):
            self.to_jee3[jee3].add(jee3)

    def benchmark_areas(self) -> None:
        """Align each benchmark technical area through the indicators its benchmarks address."""
        g = self.graph
        for area in g.subjects(HSFHS.framework, node("framework/benchmarks2019")):
            if (area, RDF.type, HSFHS.Capacity) not in g:
                continue
            targets: dict[URIRef, set[str]] = defaultdict(set)
            for bench in g.subjects(HSFHS.benchmarkOf, area):
                for ind in g.objects(bench, HSFHS.addressesIndicator):
                    if (ind, HSFHS.framework, node("framework/jee2")) not in g:
                        continue
                    cap = g.value(ind, HSFHS.indicatorOf)
                    for jee3 in self.to_jee3.get(cap, ()):
                        targets[jee3].add(str(g.value(cap, SKOS.notation)))
            if not targets:
                raise CatalogueError(f"benchmark area {slug(area)} reaches no JEE2 indicator")
            # keep the JEE3 areas reached most often (ties kept): the area's main counterpart
            best = max(len(v) for v in targets.values())
            for jee3, via in sorted(targets.items()):
                if len(via) == best:
                    self.to_jee3[area].add(jee3)
                    self.link(
                        "alignment",
                        area,
                        HSFHS.alignedWith,
                        jee3,
                        "curated",
                        "its benchmarks address indicators of JEE2 area(s) "
                        f"{', '.join(sorted(via))}, aligned with JEE3 {slug(jee3)}",
                        BENCHMARKS_SOURCE,
                    )

    def capacity_links(self, filename: str, column: str, prop: URIRef, folder: str, cls: URIRef) -> None:
        """JEE3 area -> building block / EPHF / sector, carried to aligned capacities."""
        for path, n, row in self.rows(filename):
            area = self.known(
                code_iri("jee3", require(row, "jee3_code", path, n)),
                HSFHS.Capacity,
                path,
                n,
                "jee3_code",
            )
            target = self.known(node(f"{folder}/{require(row, column, path, n)}"), cls, path, n, column)
            self.link(folder, area, prop, target, row["status"], row["rationale"], row.get("source", ""))
            self.carry(folder, area, prop, target)

    def carry(self, kind: str, jee3_area: URIRef, prop: URIRef, target: URIRef) -> None:
        for capacity, areas in self.to_jee3.items():
            is_capacity = (capacity, RDF.type, HSFHS.Capacity) in self.graph
            if jee3_area in areas and capacity != jee3_area and is_capacity:
                self.link(
                    kind,
                    capacity,
                    prop,
                    target,
                    "curated",
                    f"carried from {slug(jee3_area)} through the alignment",
                )

    def functions(self) -> None:
        for path, n, row in self.rows("capacity_functions.csv"):
            fw = require(row, "framework", path, n)
            area = self.known(code_iri(fw, require(row, "code", path, n)), HSFHS.Capacity, path, n, "code")
            function = self.known(
                node(f"function/{require(row, 'function', path, n)}"),
                HSFHS.PreparednessFunction,
                path,
                n,
                "function",
            )
            self.link(
                "function",
                area,
                HSFHS.contributesTo,
                function,
                row["status"],
                row["rationale"],
                row.get("source", ""),
            )
            self.carry("function", area, HSFHS.contributesTo, function)

    def dependencies(self) -> None:
        """Curated JEE3 dependencies, and the same dependency inside each other framework."""
        g = self.graph
        for path, n, row in self.rows("capacity_dependencies.csv"):
            a = self.known(
                code_iri("jee3", require(row, "jee3_code", path, n)), HSFHS.Capacity, path, n, "jee3_code"
            )
            b = self.known(
                code_iri("jee3", require(row, "depends_on", path, n)),
                HSFHS.Capacity,
                path,
                n,
                "depends_on",
            )
            self.link("dependency", a, HSFHS.dependsOnDirectly, b, row["status"], row["rationale"])
            for x, xs in self.to_jee3.items():
                if a not in xs or x == a or (x, RDF.type, HSFHS.Capacity) not in g:
                    continue
                fw = g.value(x, HSFHS.framework)
                for y, ys in self.to_jee3.items():
                    if b in ys and y != x and g.value(y, HSFHS.framework) == fw:
                        self.link(
                            "dependency",
                            x,
                            HSFHS.dependsOnDirectly,
                            y,
                            "curated",
                            f"carried from {slug(a)} depends on {slug(b)} through the alignment",
                        )

    def benchmark_reach(self) -> None:
        """Extend WHO's benchmark -> indicator links to SPAR2 and JEE3 through the alignment."""
        g = self.graph
        official = list(g.subject_objects(HSFHS.addressesIndicator))
        for bench, ind in official:
            self.link(
                "benchmark",
                bench,
                HSFHS.addressesIndicator,
                ind,
                "official",
                "mapped by WHO in the Benchmarks document",
                BENCHMARKS_SOURCE,
            )
        by_jee3: dict[URIRef, set[URIRef]] = defaultdict(set)
        for bench, ind in official:
            for jee3 in self.to_jee3.get(ind, ()):
                by_jee3[jee3].add(bench)
        # JEE3 indicators new since 2019, which no WHO mapping reaches, linked by judgement
        for path, n, row in self.rows("benchmark_indicators.csv"):
            bench = self.known(
                code_iri("benchmarks2019", require(row, "benchmark", path, n)),
                HSFHS.Benchmark,
                path,
                n,
                "benchmark",
            )
            ind = self.known(
                code_iri("jee3", require(row, "jee3_code", path, n)), HSFHS.Indicator, path, n, "jee3_code"
            )
            self.link("benchmark", bench, HSFHS.addressesIndicator, ind, row["status"], row["rationale"])
            by_jee3[ind].add(bench)
        for fw in ("spar2", "jee3"):
            for ind in g.subjects(HSFHS.framework, node(f"framework/{fw}")):
                if (ind, RDF.type, HSFHS.Indicator) not in g:
                    continue
                for jee3 in self.to_jee3.get(ind, ()):
                    for bench in by_jee3.get(jee3, ()):
                        self.link(
                            "benchmark",
                            bench,
                            HSFHS.addressesIndicator,
                            ind,
                            "curated",
                            f"WHO maps it to indicators aligned with {slug(jee3)}",
                            BENCHMARKS_SOURCE,
                        )

    def sectors_and_sources(self) -> None:
        g = self.graph
        for filename, cls, folder, label in (
            ("sectors.csv", HSFHS.Sector, "sector", "Sectors"),
            ("data_sources.csv", HSFHS.DataSource, "source", "Data sources"),
        ):
            path = self.folder / filename
            if not path.is_file():
                raise CatalogueError(f"crosswalk {path} is missing")
            scheme = node(folder)
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            g.add((scheme, SKOS.prefLabel, Literal(label, lang="en")))
            g.add((scheme, RDFS.label, Literal(label, lang="en")))
            g.add((scheme, RDFS.comment, Literal(f"{label} named by the hsfhs project.", lang="en")))
            for n, row in read_csv(path):
                code = require(row, "slug", path, n)
                iri = node(f"{folder}/{code}")
                g.add((iri, RDF.type, cls))
                g.add((iri, RDF.type, OWL.NamedIndividual))
                g.add((iri, SKOS.prefLabel, Literal(require(row, "label", path, n), lang="en")))
                g.add((iri, RDFS.label, Literal(row["label"], lang="en")))
                g.add((iri, SKOS.notation, Literal(code)))
                g.add((iri, SKOS.inScheme, scheme))
                if row.get("comment"):
                    g.add((iri, RDFS.comment, Literal(row["comment"], lang="en")))
                if row.get("url"):
                    g.add((iri, DCTERMS.source, Literal(row["url"])))
                if row.get("publisher"):
                    g.add((iri, DCTERMS.publisher, Literal(row["publisher"])))

    def build(self) -> None:
        self.sectors_and_sources()
        self.alignments()
        self.benchmark_areas()
        self.functions()
        self.capacity_links(
            "capacity_building_blocks.csv",
            "building_block",
            HSFHS.supportsBuildingBlock,
            "building-block",
            HSFHS.HealthSystemBuildingBlock,
        )
        self.capacity_links(
            "capacity_ephf.csv", "ephf", HSFHS.supportsPublicHealthFunction, "ephf", HSFHS.PublicHealthFunction
        )
        self.capacity_links("capacity_sectors.csv", "sector", HSFHS.involvesSector, "sector", HSFHS.Sector)
        self.dependencies()
        self.benchmark_reach()


def add_crosswalks(graph: Graph, data: Path | None = None) -> Graph:
    """Add every crosswalk to a graph that holds the code lists; returns the same graph."""
    Crosswalks(graph, data).build()
    return graph
