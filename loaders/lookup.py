"""What the catalogue knows, indexed once per load: countries, codes per framework, determinants.

Parsers ask "which IRI has notation C5.1 in framework spar2?" here instead of building
IRIs by string pattern, so a code the catalogue lacks is caught at the cell, with its
row and column, before any RDF is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, SKOS, URIRef

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
    def from_triples(cls, catalogue: Iterable[ox.Triple]) -> CatalogueIndex:
        """The index of a catalogue slice (``catalogue_slice``), in one pass over it."""
        by_predicate: dict[str, list[tuple[str, ox.NamedNode | ox.Literal]]] = defaultdict(list)
        for t in catalogue:
            by_predicate[t.predicate.value].append((t.subject.value, t.object))
        types = defaultdict(set)
        for s, o in by_predicate[str(RDF.type)]:
            types[o.value].add(s)
        index = cls()
        iso3 = {s: o.value for s, o in by_predicate[str(HSFHS.iso3166Alpha3)]}
        for country in types[str(HSFHS.Country)]:
            code = iso3.get(country, country.rsplit("/", 1)[-1])
            index.countries[code] = URIRef(country)
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for s, o in by_predicate[str(prop)]:
                if s in types[str(HSFHS.Country)]:
                    index.country_names[o.value] = iso3.get(s, s.rsplit("/", 1)[-1])
        fw_prefix = str(ID["framework/"])
        notations = defaultdict(list)
        for s, o in by_predicate[str(SKOS.notation)]:
            notations[s].append(o.value)
        for member, framework in by_predicate[str(HSFHS.framework)]:
            if not framework.value.startswith(fw_prefix):
                continue
            fw = framework.value[len(fw_prefix):]
            index.framework_of[URIRef(member)] = fw
            for notation in notations[member]:
                index.codes[(fw, notation)] = URIRef(member)
            if member in types[str(HSFHS.Capacity)]:
                index.capacities.add(URIRef(member))
        index.determinants = {URIRef(d) for d in types[str(HSFHS.Determinant)]}
        index.capacity_of = {URIRef(i): URIRef(c.value)
                             for i, c in by_predicate[str(HSFHS.indicatorOf)]}
        index.gho_codes = {o.value: URIRef(s) for s, o in by_predicate[str(HSFHS.ghoCode)]}
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
