"""Crosswalks and materialised inferences, asserted against the reviewed CSVs in data/crosswalks."""

from __future__ import annotations

import csv

from rdflib import URIRef

ID = "https://w3id.org/hsfhs/id/"
PREFIXES = (
    "PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)

# The SPAR 2nd edition <-> JEE 3rd edition capacity alignment as issue 2 states it.
SPAR2_TO_JEE3 = {
    "C1": "P1", "C2": "P3", "C3": "P2", "C4": "D1", "C5": "D2", "C6": "D3", "C7": "R1",
    "C8": "R3", "C9": "R4", "C10": "R5", "C11": "PoE", "C12": "P5", "C13": "P6",
    "C14": "CE", "C15": "RE",
}  # fmt: skip


def rows_of(data, name):
    with open(data / "crosswalks" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_spar2_capacities_align_with_their_jee3_counterpart(built_store):
    result = built_store.select(
        PREFIXES + "SELECT ?code ?jee3 WHERE { ?c hsfhs:framework ?fw ; a hsfhs:Capacity ; "
        "skos:notation ?code ; hsfhs:alignedWith ?j . ?j hsfhs:framework ?f3 ; skos:notation ?jee3 }",
        {"fw": URIRef(ID + "framework/spar2"), "f3": URIRef(ID + "framework/jee3")},
    )
    assert {(r["code"], r["jee3"]) for r in result.values()} == set(SPAR2_TO_JEE3.items())


def test_alignment_is_symmetric_in_the_store(built_store):
    result = built_store.select(
        PREFIXES + "SELECT ?x WHERE { ?j hsfhs:alignedWith ?x }", {"j": URIRef(ID + "jee3/D2")}
    )
    assert URIRef(ID + "spar2/C5") in {URIRef(r["x"]) for r in result.values()}


def test_jee3_functions_follow_the_pillars(built_store, data):
    """P* -> prevent, D* -> detect, R* -> respond are official; the rest curated."""
    for row in rows_of(data, "capacity_functions.csv"):
        pillar = {"P": "prevent", "D": "detect", "R": "respond"}.get(row["code"][0])
        if row["code"][:3] in ("PoE",) or row["code"] in ("CE", "RE"):
            assert row["status"] == "curated"
        else:
            assert (row["function"], row["status"]) == (pillar, "official")
    detect = built_store.select(
        PREFIXES + "SELECT ?code WHERE { ?c hsfhs:contributesTo ?f ; hsfhs:framework ?fw ; "
        "skos:notation ?code }",
        {"f": URIRef(ID + "function/detect"), "fw": URIRef(ID + "framework/jee3")},
    )
    expected = {r["code"] for r in rows_of(data, "capacity_functions.csv") if r["function"] == "detect"}
    assert {r["code"] for r in detect.values()} == expected
    assert {"D1", "D2", "D3"} <= expected


def test_functions_carry_to_spar2_through_the_alignment(built_store):
    detect = built_store.select(
        PREFIXES + "SELECT ?code WHERE { ?c hsfhs:contributesTo ?f ; hsfhs:framework ?fw ; "
        "skos:notation ?code }",
        {"f": URIRef(ID + "function/detect"), "fw": URIRef(ID + "framework/spar2")},
    )
    codes = {r["code"] for r in detect.values()}
    # C4 laboratory, C5 surveillance, C6 human resources align with D1, D2, D3
    assert {"C4", "C5", "C6"} <= codes
    assert "C1" not in codes


def test_every_capacity_of_every_framework_reaches_a_function(built_store):
    missing = built_store.select(
        PREFIXES + "SELECT ?c WHERE { ?c a hsfhs:Capacity . "
        "FILTER NOT EXISTS { ?c hsfhs:contributesTo ?f } }"
    )
    assert missing.rows == []


def test_dependencies_are_materialised_transitively(built_store, data):
    deps = {(r["jee3_code"], r["depends_on"]) for r in rows_of(data, "capacity_dependencies.csv")}
    # every chain a -> b -> c of the CSV whose a -> c is not itself asserted
    chains = {
        (a, c) for a, b in deps for b2, c in deps if b == b2 and c != a and (a, c) not in deps
    }
    assert chains, "the dependency CSV has no chain to test transitivity on"
    for a, c in sorted(chains):
        result = built_store.select(
            PREFIXES + "SELECT ?c WHERE { ?a hsfhs:dependsOn ?c }", {"a": URIRef(ID + "jee3/" + a)}
        )
        assert URIRef(ID + "jee3/" + c) in {URIRef(r["c"]) for r in result.values()}, (a, c)


def test_inverse_properties_are_materialised(built_store, data):
    with open(data / "codelists" / "spar2_2021_capacities_indicators.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["capacity_code"] == "C4"]
    result = built_store.select(
        PREFIXES + "SELECT ?i WHERE { ?c hsfhs:hasIndicator ?i }", {"c": URIRef(ID + "spar2/C4")}
    )
    assert {str(r["i"]).rsplit("/", 1)[1] for r in result.values()} == {r["indicator_code"] for r in rows}


def test_every_capacity_is_a_skos_concept_in_its_scheme(built_store):
    result = built_store.select(
        PREFIXES + "SELECT ?c WHERE { ?c a hsfhs:Capacity . FILTER NOT EXISTS { ?c a skos:Concept ; "
        "skos:inScheme ?s . ?s a skos:ConceptScheme } }"
    )
    assert result.rows == []
