"""The crosswalks between code lists, from the reviewed CSVs in data/crosswalks/, and what follows from them.

Every alignment pair carries one SKOS mapping relation (exactMatch, closeMatch, broadMatch,
narrowMatch, relatedMatch), chosen per pair with its rationale. A crosswalk is not an
equivalence, so only the two relations that say "the same subject" carry anything across:

- a *carrying* step is one ``closeMatch``, or any number of ``exactMatch`` (SKOS makes
  exactMatch transitive), never a broad, narrow or related pivot, and never two closeMatch
  steps in a row;
- a derived link is computed from a *base* link (official or curated), never from another
  derived one, and names both the base and the alignment links it travelled through.

What is derived this way: the functions of SPAR capacities (and of the JEE areas of the
fourth group) from the JEE areas they match; dependencies, building blocks, EPHFs and
sectors of other frameworks from the curated JEE 3rd edition ones; and the benchmarks of
SPAR 2nd edition and JEE 3rd edition indicators from the WHO links of the JEE1, JEE2 and
SPAR 2018 indicators they match. Functions of JEE areas come from their own edition's
groups (official). Official benchmark links come from the WHO Benchmarks data as RTSL
publishes it; nothing derived or curated ever carries a source (see crosswalk_links.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from hsfhs.namespaces import HSFHS
from hsfhs.resources import data_dir
from hsfhs.vocabulary import FRAMEWORKS, SCORED

from .benchmark_sources import official_benchmark_links
from .codelist_io import CatalogueError, code_iri, node, read_csv, require
from .crosswalk_links import Link, LinkWriter, slug

RELATIONS = {
    "exact": SKOS.exactMatch,
    "close": SKOS.closeMatch,
    "broad": SKOS.broadMatch,
    "narrow": SKOS.narrowMatch,
    "related": SKOS.relatedMatch,
}
DEPENDENCY_KINDS = {
    "enabling": HSFHS.enablingDependency,
    "operational": HSFHS.operationalDependency,
}


@dataclass(frozen=True)
class Step:
    """A carrying path from one term to another: the alignment links it went through."""

    target: URIRef
    links: tuple[Link, ...]

    def wording(self, start: URIRef) -> str:
        relations = " and ".join(
            f"{slug(link.subject)} {link.prop.rsplit('#', 1)[-1]} {slug(link.obj)}"
            for link in self.links
        )
        return relations or f"{slug(start)} is {slug(self.target)}"


class Crosswalks:
    """Reads data/crosswalks/*.csv into a catalogue graph that already holds the code lists."""

    def __init__(self, graph: Graph, data: Path | None = None) -> None:
        self.graph = graph
        self.data = data or data_dir()
        self.folder = self.data / "crosswalks"
        self.writer = LinkWriter(graph)
        # term -> the exactMatch / closeMatch links it takes part in, either direction
        self.exact: dict[URIRef, list[tuple[URIRef, Link]]] = defaultdict(list)
        self.close: dict[URIRef, list[tuple[URIRef, Link]]] = defaultdict(list)

    # --- reading CSVs ---------------------------------------------------------------------
    def rows(self, filename: str):
        """The rows of one crosswalk CSV, each with a valid status, rationale and source rule."""
        path = self.folder / filename
        if not path.is_file():
            raise CatalogueError(f"crosswalk {path} is missing")
        for n, row in read_csv(path):
            status = require(row, "status", path, n)
            if status not in ("official", "curated"):
                raise CatalogueError(
                    f"{path.name}, row {n}, column 'status': {status!r} is not official or curated"
                )
            require(row, "rationale", path, n)
            if status == "official" and not row.get("source"):
                raise CatalogueError(f"{path.name}, row {n}, column 'source': an official row "
                                     "names the WHO or RTSL document it comes from")
            if status == "curated" and row.get("source"):
                raise CatalogueError(f"{path.name}, row {n}, column 'source': a curated row is "
                                     "our judgement and names no source")
            yield path, n, row

    def known(self, iri: URIRef, cls: URIRef, path: Path, n: int, column: str) -> URIRef:
        if (iri, RDF.type, cls) not in self.graph:
            raise CatalogueError(
                f"{path.name}, row {n}, column {column!r}: {slug(iri)} is not a known "
                f"{cls.split('#')[-1]}"
            )
        return iri

    def term(self, row: dict, fw_col: str, code_col: str, cls: URIRef, path: Path, n: int) -> URIRef:
        fw = require(row, fw_col, path, n)
        if fw not in FRAMEWORKS:
            raise CatalogueError(f"{path.name}, row {n}, column {fw_col!r}: unknown framework {fw!r}")
        return self.known(code_iri(fw, require(row, code_col, path, n)), cls, path, n, code_col)

    @staticmethod
    def base(row: dict) -> dict:
        """The status, rationale and (official only) source of a CSV row, as Link arguments."""
        sources = (row["source"],) if row.get("source") else ()
        return {"status": row["status"], "rationale": row["rationale"], "sources": sources}

    # --- alignments and carrying ------------------------------------------------------------
    def alignments(self) -> None:
        for filename, cls in (
            ("alignment_capacities.csv", HSFHS.Capacity),
            ("alignment_indicators.csv", HSFHS.Indicator),
        ):
            for path, n, row in self.rows(filename):
                subject = self.term(row, "framework", "code", cls, path, n)
                target = self.term(row, "target_framework", "target_code", cls, path, n)
                relation = require(row, "relation", path, n)
                if relation not in RELATIONS:
                    raise CatalogueError(f"{path.name}, row {n}, column 'relation': {relation!r} "
                                         f"is not one of {', '.join(RELATIONS)}")
                link = self.writer.add(Link("alignment", subject, RELATIONS[relation], target,
                                            **self.base(row)))
                if relation in ("exact", "close"):
                    table = self.exact if relation == "exact" else self.close
                    table[subject].append((target, link))
                    table[target].append((subject, link))

    def exact_class(self, start: URIRef) -> dict[URIRef, tuple[Link, ...]]:
        """Every term exactMatch-reachable from ``start``, with the links on the way."""
        found: dict[URIRef, tuple[Link, ...]] = {start: ()}
        todo = [start]
        while todo:
            here = todo.pop()
            for other, link in self.exact.get(here, ()):
                if other not in found:
                    found[other] = (*found[here], link)
                    todo.append(other)
        return found

    def carrying(self, start: URIRef) -> list[Step]:
        """The terms one carrying step from ``start``: exact matches, and one closeMatch."""
        steps: dict[URIRef, Step] = {}
        for member, path in self.exact_class(start).items():
            if member != start:
                steps.setdefault(member, Step(member, path))
            for other, link in self.close.get(member, ()):
                for far, far_path in self.exact_class(other).items():
                    if far != start:
                        steps.setdefault(far, Step(far, (*path, link, *far_path)))
        return sorted(steps.values(), key=lambda s: str(s.target))

    def derive(self, kind: str, subject: URIRef, prop: URIRef, obj: URIRef, base: Link,
               step: Step, for_function: URIRef | None = None) -> Link:
        """A link carried from ``base`` along ``step``; ``subject`` is the carried-to term."""
        rationale = (f"derived: {step.wording(subject)}; {base.label} is {base.status} "
                     f"({base.rationale})")
        return self.writer.add(Link(kind, subject, prop, obj, "derived", rationale,
                                    derived_from=(base.iri, *(s.iri for s in step.links)),
                                    for_function=for_function))

    def is_capacity(self, iri: URIRef) -> bool:
        return (iri, RDF.type, HSFHS.Capacity) in self.graph

    def framework_of(self, iri: URIRef) -> URIRef | None:
        return self.graph.value(iri, HSFHS.framework)

    # --- functions ------------------------------------------------------------------------------
    def functions(self) -> None:
        """Official from each JEE edition's groups, curated from the CSV, derived for the rest."""
        g = self.graph
        own: set[URIRef] = set()  # capacities whose edition's group names their function
        for capacity, group in g.subject_objects(HSFHS.inGroup):
            function = g.value(group, HSFHS.groupFunction)
            if function is None:
                continue
            own.add(capacity)
            fw = self.framework_of(capacity)
            scheme = str(g.value(fw, SKOS.prefLabel))
            self.writer.add(Link(
                "function", capacity, HSFHS.contributesTo, function, "official",
                f"{scheme} places {g.value(capacity, SKOS.notation)} in its "
                f"{g.value(group, SKOS.prefLabel)} group",
                sources=(f"{scheme}, {g.value(fw, DCTERMS.source)}: grouping of technical areas",),
            ))
        for path, n, row in self.rows("capacity_functions.csv"):
            capacity = self.term(row, "framework", "code", HSFHS.Capacity, path, n)
            function = self.known(node(f"function/{require(row, 'function', path, n)}"),
                                  HSFHS.PreparednessFunction, path, n, "function")
            self.writer.add(Link("function", capacity, HSFHS.contributesTo, function,
                                 **self.base(row)))
        bases = [link for link in self.writer.with_property(HSFHS.contributesTo)
                 if link.status != "derived"]
        for base in bases:
            for step in self.carrying(base.subject):
                if self.is_capacity(step.target) and step.target not in own:
                    self.derive("function", step.target, HSFHS.contributesTo, base.obj, base, step)

    # --- dependencies ----------------------------------------------------------------------------
    def dependencies(self) -> None:
        """Curated JEE3 dependencies, typed and scoped, and the same inside each other framework."""
        bases = []
        for path, n, row in self.rows("capacity_dependencies.csv"):
            a = self.known(code_iri("jee3", require(row, "jee3_code", path, n)), HSFHS.Capacity,
                           path, n, "jee3_code")
            b = self.known(code_iri("jee3", require(row, "depends_on", path, n)), HSFHS.Capacity,
                           path, n, "depends_on")
            kind = require(row, "kind", path, n)
            if kind not in DEPENDENCY_KINDS:
                raise CatalogueError(f"{path.name}, row {n}, column 'kind': {kind!r} is not "
                                     "enabling or operational")
            function = None
            if row.get("function"):
                function = self.known(node(f"function/{row['function']}"),
                                      HSFHS.PreparednessFunction, path, n, "function")
                if (a, HSFHS.contributesTo, function) not in self.graph:
                    raise CatalogueError(f"{path.name}, row {n}, column 'function': "
                                         f"{slug(a)} does not serve {row['function']}")
            bases.append(self.writer.add(Link("dependency", a, DEPENDENCY_KINDS[kind], b,
                                              **self.base(row), for_function=function)))
        for base in bases:
            for step_a in self.carrying(base.subject):
                x = step_a.target
                if not self.is_capacity(x):
                    continue
                for step_b in self.carrying(base.obj):
                    y = step_b.target
                    if y == x or self.framework_of(y) != self.framework_of(x):
                        continue
                    both = Step(y, (*step_a.links, *step_b.links))
                    self.derive("dependency", x, base.prop, y, base, both, base.for_function)

    # --- building blocks, EPHFs, sectors ------------------------------------------------------
    def capacity_links(self, filename: str, column: str, prop: URIRef, folder: str,
                       cls: URIRef) -> None:
        """JEE3 area -> building block / EPHF / sector (curated), carried one step."""
        for path, n, row in self.rows(filename):
            area = self.known(code_iri("jee3", require(row, "jee3_code", path, n)),
                              HSFHS.Capacity, path, n, "jee3_code")
            target = self.known(node(f"{folder}/{require(row, column, path, n)}"), cls, path, n,
                                column)
            base = self.writer.add(Link(folder, area, prop, target, **self.base(row)))
            for step in self.carrying(area):
                if self.is_capacity(step.target):
                    self.derive(folder, step.target, prop, target, base, step)

    # --- benchmarks ----------------------------------------------------------------------------
    def benchmark_links(self) -> None:
        """WHO's links (official), our links for indicators new since 2019 (curated), carried."""
        for benchmark, indicator, sources in official_benchmark_links(self.graph, self.data):
            self.writer.add(Link(
                "benchmark", benchmark, HSFHS.addressesIndicator, indicator, "official",
                "WHO Benchmarks for IHR capacities (2019) link this benchmark to the indicator",
                sources=sources,
            ))
        for path, n, row in self.rows("benchmark_indicators.csv"):
            benchmark = self.known(code_iri("benchmarks2019", require(row, "benchmark", path, n)),
                                   HSFHS.Benchmark, path, n, "benchmark")
            indicator = self.term(row, "framework", "code", HSFHS.Indicator, path, n)
            self.writer.add(Link("benchmark", benchmark, HSFHS.addressesIndicator, indicator,
                                 **self.base(row)))
        bases = [link for link in self.writer.with_property(HSFHS.addressesIndicator)
                 if link.status != "derived"]
        for base in bases:
            for step in self.carrying(base.obj):
                fw = str(self.framework_of(step.target) or "").rsplit("/", 1)[-1]
                later = fw in SCORED and not FRAMEWORKS[fw].benchmarked
                if later and not self.is_capacity(step.target):
                    self.derive("benchmark", base.subject, HSFHS.addressesIndicator, step.target,
                                base, step)

    # --- sectors and data sources (the project's own lists) -------------------------------------
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
        self.functions()
        self.capacity_links("capacity_building_blocks.csv", "building_block",
                            HSFHS.supportsBuildingBlock, "building-block",
                            HSFHS.HealthSystemBuildingBlock)
        self.capacity_links("capacity_ephf.csv", "ephf", HSFHS.supportsPublicHealthFunction,
                            "ephf", HSFHS.PublicHealthFunction)
        self.capacity_links("capacity_sectors.csv", "sector", HSFHS.involvesSector, "sector",
                            HSFHS.Sector)
        self.dependencies()
        self.benchmark_links()


def add_crosswalks(graph: Graph, data: Path | None = None) -> Graph:
    """Add every crosswalk to a graph that holds the code lists; returns the same graph."""
    Crosswalks(graph, data).build()
    return graph


__all__ = ["Crosswalks", "add_crosswalks"]
