"""The RDF namespaces of the project, in one place so every module names terms alike.

``HSFHS`` is closed over the terms ontology/hsfhs.ttl defines, read from the file at
import: ``HSFHS.scorePercnt`` raises AttributeError where it is written (at import for
module-level constants), instead of minting an IRI no query or shape will ever match.
``tests/test_vocabulary.py`` holds the SPARQL files and shapes to the same list.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

from hsfhs.resources import ontology_file

HSFHS_IRI = "https://w3id.org/hsfhs/ontology#"


@cache
def ontology_terms() -> frozenset[str]:
    """The local names of every ``hsfhs:`` term ontology/hsfhs.ttl describes."""
    names = set()
    for quad in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(HSFHS_IRI):
            names.add(subject.value[len(HSFHS_IRI) :])
    return frozenset(names)


HSFHS = ClosedNamespace(HSFHS_IRI, sorted(ontology_terms()))
ID = Namespace("https://w3id.org/hsfhs/id/")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")

CATALOGUE_GRAPH = ID["graph/catalogue"]
INFERRED_GRAPH = ID["graph/inferred"]
ONTOLOGY_GRAPH = ID["graph/ontology"]

PREFIXES: dict[str, Namespace] = {
    "hsfhs": Namespace(HSFHS_IRI),
    "id": ID,
    "skos": Namespace(str(SKOS)),
    "dct": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "qb": QB,
    "sdmx-dimension": SDMX_DIM,
    "sdmx-measure": SDMX_MEASURE,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every project namespace, prepended to queries typed by people."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
