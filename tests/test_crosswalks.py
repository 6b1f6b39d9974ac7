"""Crosswalks and what is derived from them, asserted against the reviewed CSVs and WHO's files.

Every expectation is computed here from data/crosswalks, data/codelists and
data/benchmarks2019, never from the builder's output: the typed relations of each pair,
the three link statuses, the functions of each JEE edition's own groups, and the
benchmarks each SPAR2 hazard or sector indicator may reach.
"""

from __future__ import annotations

import csv
import json

import pytest
from rdflib import URIRef

ID = "https://w3id.org/hsfhs/id/"
PREFIXES = (
    "PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX dct: <http://purl.org/dc/terms/>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
)
SKOS = "http://www.w3.org/2004/02/skos/core#"
RELATIONS = {"exact": "exactMatch", "close": "closeMatch", "broad": "broadMatch",
             "narrow": "narrowMatch", "related": "relatedMatch"}


def rows_of(data, folder, name):
    with open(data / folder / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def select(store, query, **bindings):
    return store.select(PREFIXES + query, {k: URIRef(v) for k, v in bindings.items()}).values()


def test_every_alignment_pair_is_stored_with_its_own_relation(built_store, data):
    for name in ("alignment_capacities.csv", "alignment_indicators.csv"):
        for row in rows_of(data, "crosswalks", name):
            assert row["relation"] in RELATIONS, row
            subject = f"{ID}{row['framework']}/{row['code']}"
            target = f"{ID}{row['target_framework']}/{row['target_code']}"
            query = ("SELECT ?p WHERE { ?s ?p ?o . FILTER (STRSTARTS(STR(?p), "
                     f'"{SKOS}") && STRENDS(STR(?p), "Match")) }}')
            found = {r["p"] for r in select(built_store, query, s=subject, o=target)}
            assert SKOS + RELATIONS[row["relation"]] in found, row
            # the inverse is stated the other way: close/exact/related by symmetry,
            # broad by narrow and narrow by broad
            inverse = {"broad": "narrow", "narrow": "broad"}.get(row["relation"], row["relation"])
            back = {r["p"] for r in select(built_store, query, s=target, o=subject)}
            assert SKOS + RELATIONS[inverse] in back, row


def test_spar2_capacities_closely_match_their_jee3_counterpart(built_store):
    spar2_to_jee3 = {
        "C1": "P1", "C2": "P3", "C3": "P2", "C4": "D1", "C5": "D2", "C6": "D3", "C7": "R1",
        "C8": "R3", "C9": "R4", "C10": "R5", "C11": "PoE", "C12": "P5", "C13": "P6",
        "C14": "CE", "C15": "RE",
    }  # fmt: skip
    found = select(built_store, "SELECT ?code ?jee3 WHERE { ?c hsfhs:framework ?fw ; a hsfhs:Capacity ; "
                   "skos:notation ?code ; skos:closeMatch ?j . ?j hsfhs:framework ?f3 ; "
                   "skos:notation ?jee3 }", fw=ID + "framework/spar2", f3=ID + "framework/jee3")
    assert {(r["code"], r["jee3"]) for r in found} == set(spar2_to_jee3.items())


def test_no_curated_or_derived_link_carries_a_source(built_store):
    wrong = select(built_store, "SELECT ?link ?status ?source WHERE { ?link a hsfhs:CrosswalkLink ; "
                   "hsfhs:linkStatus ?status ; dct:source ?source . "
                   "FILTER (?status != hsfhs:official) }")
    assert wrong == []
    unsourced = select(built_store, "SELECT ?link WHERE { ?link hsfhs:linkStatus hsfhs:official . "
                       "FILTER NOT EXISTS { ?link dct:source ?s } }")
    assert unsourced == []
    statuses = select(built_store, "SELECT ?status (COUNT(?l) AS ?n) WHERE { ?l hsfhs:linkStatus "
                      "?status } GROUP BY ?status")
    assert {r["status"].rsplit("#", 1)[1] for r in statuses} == {"official", "curated", "derived"}


def test_derived_links_name_the_links_they_come_from(built_store):
    orphans = select(built_store, "SELECT ?link WHERE { ?link hsfhs:linkStatus hsfhs:derived . "
                     "FILTER NOT EXISTS { ?link prov:wasDerivedFrom ?base . ?base a hsfhs:CrosswalkLink } }")
    assert orphans == []
    # a derived link is never derived from another derived link
    chained = select(built_store, "SELECT ?link WHERE { ?link hsfhs:linkStatus hsfhs:derived ; "
                     "prov:wasDerivedFrom ?base . ?base hsfhs:linkStatus hsfhs:derived }")
    assert chained == []
    # and travels only through exact or close matches
    through = select(built_store, "SELECT DISTINCT ?p WHERE { ?link hsfhs:linkStatus hsfhs:derived ; "
                     "prov:wasDerivedFrom ?step . ?step hsfhs:linkProperty ?p . "
                     "FILTER (STRENDS(STR(?p), \"Match\")) }")
    assert {r["p"] for r in through} <= {SKOS + "exactMatch", SKOS + "closeMatch"}


def _benchmark_areas(data) -> dict[str, str]:
    """Benchmark code -> its technical area name, from the WHO Benchmarks code list."""
    return {r["benchmark_code"]: r["technical_area_name"]
            for r in rows_of(data, "codelists", "who_ihr_benchmarks_2019.csv")}


# A SPAR2 hazard or sector capacity and the word its WHO Benchmarks technical area is named by.
HAZARDS = {"C11": "points of entry", "C12": "zoonotic", "C13": "food safety",
           "C14": "chemical", "C15": "radiation"}


@pytest.mark.parametrize("capacity", sorted(HAZARDS))
def test_each_spar2_hazard_indicator_reaches_only_benchmarks_of_its_area(built_store, data, capacity):
    names = {r["capacity_code"]: r["capacity_name"]
             for r in rows_of(data, "codelists", "spar2_2021_capacities_indicators.csv")}
    key = HAZARDS[capacity]
    assert key in names[capacity].lower()
    own_area = {code for code, area in _benchmark_areas(data).items() if key in area.lower()}
    assert own_area
    indicators = [r["indicator_code"] for r in rows_of(data, "codelists",
                  "spar2_2021_capacities_indicators.csv") if r["capacity_code"] == capacity]
    for code in indicators:
        reached = {r["code"] for r in select(built_store, "SELECT ?code WHERE { ?b hsfhs:addressesIndicator "
                   "?i ; skos:notation ?code }", i=f"{ID}spar2/{code}")}
        assert reached and reached <= own_area, (code, reached, own_area)


def test_spar2_ipc_indicators_reach_only_the_ipc_benchmark(built_store, data):
    texts = {r["benchmark_code"]: r["benchmark_text"]
             for r in rows_of(data, "codelists", "who_ihr_benchmarks_2019.csv")}
    ipc = {code for code, text in texts.items() if "infection prevention" in text.lower()}
    assert ipc == {"3.3"}
    for code in ("C9.1", "C9.2", "C9.3"):
        reached = {r["code"] for r in select(built_store, "SELECT ?code WHERE { ?b hsfhs:addressesIndicator "
                   "?i ; skos:notation ?code }", i=f"{ID}spar2/{code}")}
        assert reached == ipc, code


def test_spar2018_c92_keeps_whos_own_three_links(built_store, data):
    """WHO links IPC-and-decontamination (SPAR 2018 C9.2) to 3.3, 17.1 and 18.1 itself."""
    links = json.loads((data / "benchmarks2019" / "benchmark_indicators_assessment_indicators.json")
                       .read_text(encoding="utf-8"))
    expected = {link["benchmark_indicator_display_abbreviation"] for link in links
                if link["named_id"] == "spar_2018_ind_c92"}
    assert expected == {"3.3", "17.1", "18.1"}
    found = select(built_store, "SELECT ?code ?status WHERE { ?link hsfhs:linkSubject ?b ; "
                   "hsfhs:linkProperty hsfhs:addressesIndicator ; hsfhs:linkObject ?i ; "
                   "hsfhs:linkStatus ?status . ?b skos:notation ?code }", i=f"{ID}spar2018/C9.2")
    assert {(r["code"], r["status"].rsplit("#", 1)[1]) for r in found} == {
        (code, "official") for code in expected}


@pytest.mark.parametrize("fw", ["jee1", "jee2"])
def test_jee1_and_jee2_functions_are_their_own_groups(built_store, data, fw):
    tool = {"jee1": "JEE 1st ed. (2016)", "jee2": "JEE 2nd ed. (2018)"}[fw]
    areas = {r["technical_area_code"] for r in rows_of(data, "codelists",
             "jee1_jee2_spar2018_indicators_rtsl.csv") if r["tool"] == tool}
    found = select(built_store, "SELECT ?code ?f ?status WHERE { ?c hsfhs:framework ?fw ; a hsfhs:Capacity ; "
                   "skos:notation ?code ; hsfhs:contributesTo ?f . ?l hsfhs:linkSubject ?c ; "
                   "hsfhs:linkProperty hsfhs:contributesTo ; hsfhs:linkObject ?f ; "
                   "hsfhs:linkStatus ?status }", fw=f"{ID}framework/{fw}")
    got = {(r["code"], r["f"].rsplit("/", 1)[1], r["status"].rsplit("#", 1)[1]) for r in found}
    pillar = {"P": "prevent", "D": "detect", "R": "respond"}
    fourth = {"PoE", "CE", "RE"}  # the area codes of the fourth group
    own = {(a, pillar[a[0]], "official") for a in areas - fourth}
    assert {g for g in got if g[0] in {a for a, _, _ in own}} == own
    # D3 (Reporting) is Detect in the 1st and 2nd editions, whatever JEE3 did with it
    assert ("D3", "detect", "official") in got
    assert not any(code == "D3" and f == "prevent" for code, f, _ in got)
    # the fourth group's areas serve functions only as carried from JEE3's curated links
    assert {s for c, _, s in got if c in fourth} == {"derived"}


def test_jee3_functions_follow_its_pillars(built_store, data):
    pillars = {r["technical_area_code"]: r["pillar"]
               for r in rows_of(data, "codelists", "jee3_2022_technical_areas_indicators.csv")}
    found = select(built_store, "SELECT ?code ?f ?status WHERE { ?c hsfhs:framework ?fw ; a hsfhs:Capacity ; "
                   "skos:notation ?code ; hsfhs:contributesTo ?f . ?l hsfhs:linkSubject ?c ; "
                   "hsfhs:linkProperty hsfhs:contributesTo ; hsfhs:linkObject ?f ; "
                   "hsfhs:linkStatus ?status }", fw=f"{ID}framework/jee3")
    got = {(r["code"], r["f"].rsplit("/", 1)[1], r["status"].rsplit("#", 1)[1]) for r in found}
    expected = {(a, p.lower(), "official") for a, p in pillars.items()
                if p in ("Prevent", "Detect", "Respond")}
    expected |= {(r["code"], r["function"], "curated")
                 for r in rows_of(data, "crosswalks", "capacity_functions.csv") if r["framework"] == "jee3"}
    assert got == expected
    fourth = {a for a, p in pillars.items() if p.startswith("IHR Related")}
    assert fourth == {"PoE", "CE", "RE"}


def test_every_assessed_capacity_reaches_a_function(built_store):
    missing = select(built_store, "SELECT ?c WHERE { ?c a hsfhs:Capacity . ?i hsfhs:indicatorOf ?c . "
                     "FILTER NOT EXISTS { ?c hsfhs:contributesTo ?f } }")
    assert missing == []


def test_dependencies_are_typed_scoped_and_carried_one_step(built_store, data):
    rows = rows_of(data, "crosswalks", "capacity_dependencies.csv")
    assert {r["kind"] for r in rows} == {"enabling", "operational"}
    assert {r["depends_on"] for r in rows if r["kind"] == "enabling"} <= {"P1", "P2", "P3"}
    scoped = [r for r in rows if r["function"]]
    assert scoped and {r["jee3_code"] for r in scoped} <= {"PoE", "CE", "RE"}
    # the JEE3 CE -> R1 dependency serves response only, and so does its SPAR2 copy C14 -> C7
    found = select(built_store, "SELECT ?f ?status WHERE { ?l hsfhs:linkSubject ?a ; hsfhs:linkObject ?b ; "
                   "hsfhs:linkProperty hsfhs:operationalDependency ; hsfhs:dependencyFor ?f ; "
                   "hsfhs:linkStatus ?status }", a=f"{ID}spar2/C14", b=f"{ID}spar2/C7")
    assert [(r["f"].rsplit("/", 1)[1], r["status"].rsplit("#", 1)[1]) for r in found] == [
        ("respond", "derived")]


def test_dependencies_are_materialised_transitively(built_store, data):
    deps = {(r["jee3_code"], r["depends_on"]) for r in rows_of(data, "crosswalks",
            "capacity_dependencies.csv")}
    chains = {(a, c) for a, b in deps for b2, c in deps if b == b2 and c != a and (a, c) not in deps}
    assert chains, "the dependency CSV has no chain to test transitivity on"
    for a, c in sorted(chains):
        found = select(built_store, "SELECT ?c WHERE { ?a hsfhs:dependsOn ?c }", a=ID + "jee3/" + a)
        assert ID + "jee3/" + c in {r["c"] for r in found}, (a, c)


def test_inverse_properties_are_materialised(built_store, data):
    rows = [r for r in rows_of(data, "codelists", "spar2_2021_capacities_indicators.csv")
            if r["capacity_code"] == "C4"]
    found = select(built_store, "SELECT ?i WHERE { ?c hsfhs:hasIndicator ?i }", c=ID + "spar2/C4")
    assert {r["i"].rsplit("/", 1)[1] for r in found} == {r["indicator_code"] for r in rows}


def test_every_capacity_is_a_skos_concept_in_its_scheme(built_store):
    found = select(built_store, "SELECT ?c WHERE { ?c a hsfhs:Capacity . FILTER NOT EXISTS { ?c a "
                   "skos:Concept ; skos:inScheme ?s . ?s a skos:ConceptScheme } }")
    assert found == []


def test_disease_actions_are_tied_to_their_benchmark(built_store, data):
    for disease in ("influenza", "cholera", "ebola"):
        items = json.loads((data / "benchmarks2019" / f"{disease}_actions.json").read_text())
        found = select(built_store, "SELECT ?a ?code WHERE { ?a hsfhs:disease ?d ; hsfhs:diseaseActionOf ?b . "
                       "?b skos:notation ?code }", d=f"{ID}disease/{disease}")
        by_benchmark: dict[str, int] = {}
        for item in items:
            code = str(item["benchmark_indicator_display_abbreviation"])
            by_benchmark[code] = by_benchmark.get(code, 0) + 1
        got: dict[str, int] = {}
        for r in found:
            got[r["code"]] = got.get(r["code"], 0) + 1
        assert got == by_benchmark, disease
