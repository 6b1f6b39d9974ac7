"""The ontology file: every hsfhs term documented, versioned, and rendered to HTML."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from hsfhs.resources import ontology_dir, ontology_file

HSFHS = "https://w3id.org/hsfhs/ontology#"
CORE_TERMS = [
    "Capacity", "Indicator", "indicatorOf", "hasIndicator", "AssessmentFramework", "framework",
    "PreparednessFunction", "contributesTo", "dependsOn", "CapacityLevel", "Benchmark",
    "BenchmarkAction", "targetLevel", "HealthSystemBuildingBlock", "PublicHealthFunction",
    "Sector", "DataSource", "Determinant", "Country",
]  # fmt: skip


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


def terms(graph: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        s
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(HSFHS)
    }


def test_core_terms_of_the_issue_exist(ontology):
    assert {URIRef(HSFHS + t) for t in CORE_TERMS} <= terms(ontology)


def test_every_term_has_an_english_label_and_comment(ontology):
    for term in terms(ontology):
        labels = [o for o in ontology.objects(term, RDFS.label) if o.language == "en"]
        comments = [o for o in ontology.objects(term, RDFS.comment) if o.language == "en"]
        assert labels and comments, term


def test_ontology_is_versioned(ontology):
    header = URIRef("https://w3id.org/hsfhs/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) is not None


def test_dependson_is_transitive_and_indicatorof_functional(ontology):
    assert (URIRef(HSFHS + "dependsOn"), RDF.type, OWL.TransitiveProperty) in ontology
    assert (URIRef(HSFHS + "indicatorOf"), RDF.type, OWL.FunctionalProperty) in ontology
    assert (URIRef(HSFHS + "indicatorOf"), OWL.inverseOf, URIRef(HSFHS + "hasIndicator")) in ontology


def test_html_documentation_names_every_class(ontology, tmp_path):
    pytest.importorskip("pylode")
    from hsfhs.ontology_docs import write_ontology_html

    out = tmp_path / "hsfhs.html"
    write_ontology_html(out)
    html = out.read_text(encoding="utf-8")
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(HSFHS):
            assert str(ontology.value(cls, RDFS.label)) in html, cls
    # the committed copy is there for the service to serve
    assert (ontology_dir() / "hsfhs.html").stat().st_size > 10_000
