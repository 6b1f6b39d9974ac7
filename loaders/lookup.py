"""What the catalogue knows, indexed once per load: countries, codes per framework, determinants.

Parsers ask "which IRI has notation C5.1 in framework spar2?" here instead of building
IRIs by string pattern, so a code the catalogue lacks is caught at the cell, with its
row and column, before any RDF is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, SKOS, Graph, URIRef

from hsfhs.namespaces import HSFHS, ID


@dataclass
class CatalogueIndex:
    """Lookups over the catalogue graph (code lists, countries, data sources)."""

    countries: dict[str, URIRef] = field(default_factory=dict)  # ISO3 -> IRI
    country_names: dict[str, str] = field(default_factory=dict)  # label -> ISO3
    codes: dict[tuple[str, str], URIRef] = field(default_factory=dict)  # (fw, notation)
    capacities: set[URIRef] = field(default_factory=set)
    determinants: set[URIRef] = field(default_factory=set)
    capacity_of: dict[URIRef, URIRef] = field(default_factory=dict)  # indicator -> capacity
    framework_of: dict[URIRef, str] = field(default_factory=dict)  # member -> framework slug
    gho_codes: dict[str, URIRef] = field(default_factory=dict)  # GHO code -> what it measures

    @classmethod
    def from_graph(cls, graph: Graph) -> CatalogueIndex:
        index = cls()
        for country in graph.subjects(RDF.type, HSFHS.Country):
            iso3 = graph.value(country, HSFHS.iso3166Alpha3)
            code = str(iso3) if iso3 is not None else str(country).rsplit("/", 1)[-1]
            index.countries[code] = URIRef(country)
            for label in graph.objects(country, SKOS.prefLabel):
                index.country_names[str(label)] = code
            for label in graph.objects(country, SKOS.altLabel):
                index.country_names[str(label)] = code
        fw_prefix = str(ID["framework/"])
        for member, framework in graph.subject_objects(HSFHS.framework):
            if not str(framework).startswith(fw_prefix):
                continue
            fw = str(framework)[len(fw_prefix):]
            index.framework_of[URIRef(member)] = fw
            for notation in graph.objects(member, SKOS.notation):
                index.codes[(fw, str(notation))] = URIRef(member)
            if (member, RDF.type, HSFHS.Capacity) in graph:
                index.capacities.add(URIRef(member))
        index.determinants = {URIRef(d) for d in graph.subjects(RDF.type, HSFHS.Determinant)}
        index.capacity_of = {URIRef(i): URIRef(c)
                             for i, c in graph.subject_objects(HSFHS.indicatorOf)}
        index.gho_codes = {str(code): URIRef(s) for s, code in graph.subject_objects(HSFHS.ghoCode)}
        return index

    def code(self, framework: str, notation: str) -> URIRef | None:
        return self.codes.get((framework, notation))

    def notations(self, framework: str) -> set[str]:
        return {n for fw, n in self.codes if fw == framework}

    def indicators(self, framework: str) -> dict[str, str]:
        """Each indicator notation of a framework -> its capacity's notation (C4.1 -> C4).

        What a reader needs to tell a missing indicator column from a complete file.
        """
        notation = {iri: n for (fw, n), iri in self.codes.items() if fw == framework}
        return {n: notation[self.capacity_of[iri]] for iri, n in notation.items()
                if self.capacity_of.get(iri) in notation}

    def known_indicator(self, iri: URIRef) -> bool:
        return iri in self.determinants or iri in set(self.codes.values())
