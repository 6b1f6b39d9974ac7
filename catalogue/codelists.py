"""The framework catalogue: WHO code lists (data/codelists, data/benchmarks2019, data/reference) as RDF.

Each code list becomes a ``skos:ConceptScheme`` of individuals under
``https://w3id.org/hsfhs/id/`` (see docs/model.md). The crosswalks between the lists are
added by ``hsfhs.catalogue.crosswalks``; this module only states what each list says.
A code list that does not read as expected raises ``CatalogueError`` naming the file and
row, because a silently short catalogue would make every later count wrong.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from hsfhs.namespaces import HSFHS, PREFIXES
from hsfhs.resources import data_dir
from hsfhs.vocabulary import FRAMEWORKS, FUNCTIONS, LEVEL, PERCENT, on_scale

from .codelist_io import (
    CatalogueError,
    code_iri,
    framework_iri,
    level_iri,
    node,
    normalise_code,
    read_csv,
    require,
)
from .countries import add_countries
from .diseases import add_disease_actions
from .groups import JEE3_PILLARS, add_groups

# The "tool" column of jee1_jee2_spar2018_indicators_rtsl.csv -> framework slug.
RTSL_TOOLS = {
    "JEE 1st ed. (2016)": "jee1",
    "JEE 2nd ed. (2018)": "jee2",
    "SPAR 1st ed. (2018)": "spar2018",
}

SCALES = {PERCENT: HSFHS.percentScale, LEVEL: HSFHS.levelScale}

CODELISTS = "codelists"


class CatalogueBuilder:
    """Collects the catalogue graph, one code list at a time."""

    def __init__(self, data: Path | None = None) -> None:
        self.data = data or data_dir()
        self.graph = Graph()
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns)
        self.indicator_by_rtsl_id: dict[str, URIRef] = {}
        self.jee3_pillars: dict[str, str] = {}  # JEE3 area code -> its pillar in the code list

    # small helpers ------------------------------------------------------------------
    def concept(
        self,
        iri: URIRef,
        cls: URIRef,
        label: str,
        scheme: URIRef,
        notation: str | None = None,
        top: bool = False,
    ) -> URIRef:
        g = self.graph
        g.add((iri, RDF.type, cls))
        g.add((iri, RDF.type, OWL.NamedIndividual))
        g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((iri, RDFS.label, Literal(label, lang="en")))
        g.add((iri, SKOS.inScheme, scheme))
        if notation is not None:
            g.add((iri, SKOS.notation, Literal(notation)))
        if top:
            g.add((iri, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, iri))
        return iri

    def scheme(self, iri: URIRef, label: str, comment: str, source: str | None = None) -> URIRef:
        g = self.graph
        g.add((iri, RDF.type, SKOS.ConceptScheme))
        g.add((iri, RDF.type, OWL.NamedIndividual))
        g.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((iri, RDFS.label, Literal(label, lang="en")))
        g.add((iri, RDFS.comment, Literal(comment, lang="en")))
        if source:
            g.add((iri, DCTERMS.source, Literal(source)))
        return iri

    def path(self, *parts: str) -> Path:
        p = self.data.joinpath(*parts)
        if not p.is_file():
            raise CatalogueError(f"code list {p} is missing")
        return p

    # code lists ---------------------------------------------------------------------
    def frameworks(self) -> None:
        for fw in FRAMEWORKS.values():
            iri = framework_iri(fw.slug)
            self.scheme(iri, fw.label, f"The code list of {fw.label}.", fw.source)
            self.graph.add((iri, RDF.type, HSFHS.AssessmentFramework))
            self.graph.add((iri, SKOS.notation, Literal(fw.slug)))
            if fw.scale is not None:
                self.graph.add((iri, HSFHS.scoreScale, SCALES[fw.scale]))
            if fw.reported_by is not None:
                self.graph.add((node(f"source/{fw.reported_by}"), HSFHS.reportsFramework, iri))

    def capacity(self, fw: str, code: str, label: str) -> URIRef:
        iri = code_iri(fw, code)
        self.concept(iri, HSFHS.Capacity, label, framework_iri(fw), normalise_code(code), top=True)
        self.graph.add((iri, HSFHS.framework, framework_iri(fw)))
        return iri

    def indicator(self, fw: str, code: str, label: str, capacity: URIRef) -> URIRef:
        iri = code_iri(fw, code)
        self.concept(iri, HSFHS.Indicator, label, framework_iri(fw), normalise_code(code))
        self.graph.add((iri, HSFHS.framework, framework_iri(fw)))
        self.graph.add((iri, HSFHS.indicatorOf, capacity))
        self.graph.add((iri, SKOS.broader, capacity))
        return iri

    def indicator_row(
        self, fw: str, row: dict[str, str], path: Path, n: int, capacity: URIRef
    ) -> URIRef:
        """The indicator of a code-list row (its ``indicator_code`` and ``indicator_name``)."""
        return self.indicator(
            fw,
            require(row, "indicator_code", path, n),
            require(row, "indicator_name", path, n),
            capacity,
        )

    def spar2(self) -> None:
        path = self.path(CODELISTS, "spar2_2021_capacities_indicators.csv")
        for n, row in read_csv(path):
            cap = self.capacity("spar2", require(row, "capacity_code", path, n), row["capacity_name"])
            self.indicator_row("spar2", row, path, n, cap)

    def jee3(self) -> None:
        path = self.path(CODELISTS, "jee3_2022_technical_areas_indicators.csv")
        for n, row in read_csv(path):
            area = require(row, "technical_area_code", path, n)
            pillar = require(row, "pillar", path, n)
            if pillar not in JEE3_PILLARS:
                raise CatalogueError(f"{path.name}, row {n}, column 'pillar': unknown {pillar!r}")
            self.jee3_pillars[normalise_code(area)] = pillar
            cap = self.capacity("jee3", area, require(row, "technical_area_name", path, n))
            self.indicator_row("jee3", row, path, n, cap)

    def rtsl_tools(self) -> None:
        """JEE 1st and 2nd editions and the SPAR 2018 tool, from the RTSL seed data."""
        path = self.path(CODELISTS, "jee1_jee2_spar2018_indicators_rtsl.csv")
        for n, row in read_csv(path):
            tool = require(row, "tool", path, n)
            if tool not in RTSL_TOOLS:
                raise CatalogueError(f"{path.name}, row {n}, column 'tool': unknown tool {tool!r}")
            fw = RTSL_TOOLS[tool]
            cap = self.capacity(
                fw,
                require(row, "technical_area_code", path, n),
                require(row, "technical_area_name", path, n),
            )
            ind = self.indicator_row(fw, row, path, n, cap)
            rtsl_id = require(row, "rtsl_named_id", path, n)
            self.graph.add((ind, DCTERMS.identifier, Literal(rtsl_id)))
            self.indicator_by_rtsl_id[rtsl_id] = ind

    def overall_scores(self) -> None:
        """``id:{fw}/total`` per SPAR edition: what a country's total average refers to.

        WHO publishes the mean of all capacity scores as SDG indicator 3.d.1; it is neither
        a capacity nor an indicator, so it is an ``hsfhs:OverallScore`` of its edition.
        """
        for fw in on_scale(PERCENT):  # the SPAR editions
            iri = node(f"{fw}/total")
            label = f"Total average of all capacities, {FRAMEWORKS[fw].label} (SDG 3.d.1)"
            self.concept(iri, HSFHS.OverallScore, label, framework_iri(fw), "total")
            self.graph.add((iri, HSFHS.framework, framework_iri(fw)))

    def benchmarks(self) -> None:
        """18 technical areas, 44 benchmarks and their objectives (WHO's links to indicators
        are crosswalk links: ``benchmark_sources``)."""
        fw = "benchmarks2019"
        path = self.path(CODELISTS, "who_ihr_benchmarks_2019.csv")
        g = self.graph
        for n, row in read_csv(path):
            area = self.capacity(
                fw,
                require(row, "technical_area_no", path, n),
                require(row, "technical_area_name", path, n),
            )
            code = require(row, "benchmark_code", path, n)
            bench = code_iri(fw, code)
            self.concept(
                bench, HSFHS.Benchmark, require(row, "benchmark_text", path, n), framework_iri(fw), code
            )
            g.add((bench, HSFHS.framework, framework_iri(fw)))
            g.add((bench, HSFHS.benchmarkOf, area))
            g.add((bench, SKOS.broader, area))
            g.add((bench, SKOS.definition, Literal(require(row, "objective", path, n), lang="en")))
            for rtsl_id in filter(None, row["mapped_assessment_indicators"].split(";")):
                if rtsl_id not in self.indicator_by_rtsl_id:
                    raise CatalogueError(
                        f"{path.name}, row {n}, column 'mapped_assessment_indicators': "
                        f"unknown indicator {rtsl_id!r}"
                    )

    def actions(self) -> None:
        path = self.path(CODELISTS, "who_ihr_benchmarks_2019_actions.csv")
        g = self.graph
        scheme = framework_iri("benchmarks2019")
        seen: set[str] = set()
        for n, row in read_csv(path):
            code = require(row, "benchmark_code", path, n)
            bench = code_iri("benchmarks2019", code)
            if (bench, RDF.type, HSFHS.Benchmark) not in g:
                raise CatalogueError(f"{path.name}, row {n}, column 'benchmark_code': unknown {code!r}")
            level = int(require(row, "target_level", path, n))
            seq = int(require(row, "sequence", path, n))
            # The source numbers two distinct rows 15.1 / level 3 / 2; the second keeps its
            # sequence number and gets the IRI suffix "b" so that both actions exist.
            local = f"benchmarks2019/{code}/level-{level}/action-{seq}"
            while local in seen:
                local += "b"
            seen.add(local)
            iri = node(local)
            text = require(row, "action_text", path, n)
            g.add((iri, RDF.type, HSFHS.BenchmarkAction))
            g.add((iri, RDF.type, OWL.NamedIndividual))
            g.add((iri, SKOS.prefLabel, Literal(text, lang="en")))
            g.add((iri, SKOS.inScheme, scheme))
            g.add((iri, SKOS.notation, Literal(local.split("/", 1)[1])))
            g.add((iri, HSFHS.framework, scheme))
            g.add((iri, HSFHS.actionOf, bench))
            g.add((iri, HSFHS.targetLevel, level_iri(level)))
            g.add((iri, HSFHS.sequence, Literal(seq)))
            for type_id in filter(None, row["rtsl_action_type_ids"].split(";")):
                g.add((iri, HSFHS.actionType, node(f"action-type/{type_id.strip()}")))

    def levels(self) -> None:
        path = self.path(CODELISTS, "capacity_levels_jee_benchmarks.csv")
        scheme = self.scheme(
            node("level"),
            "Capacity levels",
            "The five capacity levels of the JEE, SPAR and the WHO Benchmarks.",
            "JEE 3rd edition (2022)",
        )
        numbers = []
        for n, row in read_csv(path):
            level = int(require(row, "level", path, n))
            iri = self.concept(
                level_iri(level), HSFHS.CapacityLevel, require(row, "label", path, n), scheme, str(level)
            )
            self.graph.add((iri, HSFHS.levelNumber, Literal(level)))
            self.graph.add((iri, SKOS.note, Literal(f"JEE 3rd edition colour: {row['jee3_colour']}")))
            numbers.append(level)
        for low, high in zip(sorted(numbers), sorted(numbers)[1:], strict=False):
            self.graph.add((level_iri(low), HSFHS.nextLevel, level_iri(high)))

    def level_descriptors(self) -> None:
        """What each level 1-5 means for each JEE3, SPAR2 and JEE1 indicator."""
        path = self.path("reference", "level_descriptors_jee3_spar2_jee1_hepr.tsv")
        frameworks = {"JEE (3.0)": "jee3", "SPAR (2.0)": "spar2", "JEE (1.0)": "jee1"}
        g = self.graph
        for n, row in read_csv(path, delimiter="\t"):
            fw = frameworks.get(row["framework"])
            if fw is None:  # the HEPR framework has no capacity levels of this kind
                continue
            code = normalise_code(require(row, "metric_id", path, n).split(".", 1)[1])
            ind = code_iri(fw, code)
            if (ind, RDF.type, HSFHS.Indicator) not in g:
                raise CatalogueError(
                    f"{path.name}, row {n}, column 'metric_id': {row['metric_id']!r} is not an "
                    f"indicator of {fw}"
                )
            level = int(require(row, "score_numeric", path, n))
            iri = URIRef(f"{ind}/level-{level}")
            g.add((iri, RDF.type, HSFHS.LevelDescriptor))
            g.add((iri, RDF.type, OWL.NamedIndividual))
            g.add((iri, RDFS.label, Literal(f"{fw} {code} level {level}", lang="en")))
            g.add((iri, SKOS.definition, Literal(require(row, "attribute", path, n), lang="en")))
            g.add((iri, HSFHS.level, level_iri(level)))
            g.add((ind, HSFHS.levelDescriptor, iri))

    def simple_list(self, filename: str, cls: URIRef, folder: str, label: str, comment: str) -> None:
        """A two-column code list (code, name) as a scheme of individuals."""
        path = self.path(CODELISTS, filename)
        scheme = self.scheme(node(folder), label, comment)
        for n, row in read_csv(path):
            code = require(row, "code", path, n)
            self.concept(node(f"{folder}/{code}"), cls, require(row, "name", path, n), scheme, code)

    def action_types(self) -> None:
        path = self.path(CODELISTS, "rtsl_action_types.csv")
        scheme = self.scheme(
            node("action-type"),
            "Benchmark action types",
            "Types of benchmark actions, as tagged by the RTSL benchmarks planning tool.",
            "Resolve to Save Lives, benchmarks tool seed data",
        )
        for n, row in read_csv(path):
            code = require(row, "id", path, n)
            self.concept(
                node(f"action-type/{code}"), HSFHS.ActionType, require(row, "name", path, n), scheme, code
            )

    def functions(self) -> None:
        scheme = self.scheme(
            node("function"),
            "Preparedness functions",
            "Prevent, detect and respond: the pillars of the JEE 3rd edition.",
            "JEE 3rd edition (2022)",
        )
        for slug, (label, comment) in FUNCTIONS.items():
            iri = self.concept(node(f"function/{slug}"), HSFHS.PreparednessFunction, label, scheme, slug)
            self.graph.add((iri, RDFS.comment, Literal(comment, lang="en")))

    def determinants(self) -> None:
        """The determinant catalogue and the rest of the health-system side (determinants.py)."""
        from .determinants import add_health_system_catalogue

        add_health_system_catalogue(self)

    def build(self) -> Graph:
        self.frameworks()
        self.spar2()
        self.jee3()
        self.rtsl_tools()
        self.overall_scores()
        self.benchmarks()
        self.levels()
        self.actions()
        self.level_descriptors()
        self.simple_list(
            "who_health_system_building_blocks_2007.csv",
            HSFHS.HealthSystemBuildingBlock,
            "building-block",
            "Health system building blocks",
            "The six building blocks of a health system (WHO, Everybody's business, 2007).",
        )
        self.simple_list(
            "ephf_12_who_2022.csv",
            HSFHS.PublicHealthFunction,
            "ephf",
            "Essential public health functions",
            "The twelve essential public health functions (WHO, 2022).",
        )
        self.action_types()
        self.functions()
        add_groups(self, self.jee3_pillars)
        add_disease_actions(self)
        add_countries(self)
        self.determinants()
        return self.graph


def build_codelists(data: Path | None = None) -> Graph:
    """The code lists alone, without crosswalks (``build_catalogue`` adds them)."""
    return CatalogueBuilder(data).build()


def build_catalogue(data: Path | None = None) -> Graph:
    """The whole catalogue: code lists plus the reviewed crosswalks."""
    from .crosswalks import add_crosswalks

    graph = build_codelists(data)
    add_crosswalks(graph, data)
    return graph


__all__ = ["CatalogueError", "build_catalogue", "build_codelists", "code_iri", "normalise_code"]
