"""Crosswalk links as RDF: the plain triple queries use, and the reified record of where it came from.

A link is *official* (taken from a named WHO or RTSL document, which ``dct:source``
names), *curated* (the project's judgement, with a rationale and no source) or *derived*
(computed by the builder from other links, which ``prov:wasDerivedFrom`` names; never a
source of its own). The three are kept apart here, in one place, so no code path can put
a WHO source on a link WHO did not make.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from hsfhs.namespaces import HSFHS, ID

STATUSES = {"official": HSFHS.official, "curated": HSFHS.curated, "derived": HSFHS.derived}
# When two sources state the same link, the stronger status is kept.
STRENGTH = {"official": 0, "curated": 1, "derived": 2}


def slug(iri: URIRef) -> str:
    """``id:spar2/C5`` -> ``spar2-C5``: the readable part of a link's IRI."""
    return str(iri).removeprefix(str(ID)).replace("/", "-")


@dataclass
class Link:
    """One crosswalk statement ``subject prop obj`` with its status and justification."""

    kind: str
    subject: URIRef
    prop: URIRef
    obj: URIRef
    status: str
    rationale: str
    sources: tuple[str, ...] = ()
    derived_from: tuple[URIRef, ...] = ()
    for_function: URIRef | None = None
    extra: dict[URIRef, URIRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown link status {self.status!r}")
        if self.status == "official" and not self.sources:
            raise ValueError(f"an official link needs a source: {self.label}")
        if self.status != "official" and self.sources:
            raise ValueError(f"only an official link names a source: {self.label}")
        if self.status == "derived" and not self.derived_from:
            raise ValueError(f"a derived link names the links it came from: {self.label}")

    @property
    def iri(self) -> URIRef:
        suffix = f"--for-{self.for_function.rsplit('/', 1)[-1]}" if self.for_function else ""
        return ID[f"link/{self.kind}/{slug(self.subject)}--{slug(self.obj)}{suffix}"]

    @property
    def label(self) -> str:
        return f"{self.kind}: {slug(self.subject)} -> {slug(self.obj)}"


class LinkWriter:
    """Writes links into the catalogue graph; a statement is recorded once, strongest status first."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.links: dict[URIRef, Link] = {}

    def add(self, link: Link) -> Link:
        """Record ``link`` unless a link of equal or stronger status already states it."""
        known = self.links.get(link.iri)
        if known is not None and STRENGTH[known.status] <= STRENGTH[link.status]:
            if known.status == link.status == "official":
                self._add_sources(known, link.sources)
            elif known.status == link.status == "derived":
                self._add_bases(known, link.derived_from)
            return known
        if known is not None:
            self._remove(known)
        self.links[link.iri] = link
        self._write(link)
        return link

    def with_property(self, *props: URIRef) -> Iterable[Link]:
        return [link for link in self.links.values() if link.prop in props]

    def _add_sources(self, link: Link, sources: tuple[str, ...]) -> None:
        new = tuple(s for s in sources if s not in link.sources)
        link.sources += new
        for source in new:
            self.graph.add((link.iri, DCTERMS.source, Literal(source)))

    def _add_bases(self, link: Link, bases: tuple[URIRef, ...]) -> None:
        new = tuple(b for b in bases if b not in link.derived_from)
        link.derived_from += new
        for base in new:
            self.graph.add((link.iri, PROV.wasDerivedFrom, base))

    def _write(self, link: Link) -> None:
        g = self.graph
        g.add((link.subject, link.prop, link.obj))
        iri = link.iri
        g.add((iri, RDF.type, HSFHS.CrosswalkLink))
        g.add((iri, RDF.type, OWL.NamedIndividual))
        g.add((iri, RDFS.label, Literal(link.label, lang="en")))
        g.add((iri, HSFHS.linkSubject, link.subject))
        g.add((iri, HSFHS.linkProperty, link.prop))
        g.add((iri, HSFHS.linkObject, link.obj))
        g.add((iri, HSFHS.linkStatus, STATUSES[link.status]))
        g.add((iri, HSFHS.rationale, Literal(link.rationale)))
        for source in link.sources:
            g.add((iri, DCTERMS.source, Literal(source)))
        for base in link.derived_from:
            g.add((iri, PROV.wasDerivedFrom, base))
        if link.for_function is not None:
            g.add((iri, HSFHS.dependencyFor, link.for_function))
        for prop, value in link.extra.items():
            g.add((iri, prop, value))

    def _remove(self, link: Link) -> None:
        self.graph.remove((link.iri, None, None))
        if not any(other.iri != link.iri and (other.subject, other.prop, other.obj)
                   == (link.subject, link.prop, link.obj) for other in self.links.values()):
            self.graph.remove((link.subject, link.prop, link.obj))
        del self.links[link.iri]
