"""The RDF namespaces of the project, in one place so every module names terms alike."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

HSFHS = Namespace("https://w3id.org/hsfhs/ontology#")
ID = Namespace("https://w3id.org/hsfhs/id/")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")

CATALOGUE_GRAPH = ID["graph/catalogue"]
INFERRED_GRAPH = ID["graph/inferred"]

PREFIXES: dict[str, Namespace] = {
    "hsfhs": HSFHS,
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
