"""The JSON API on the real 2022 e-SPAR data, against hand computations from the sources.

The gaps answers are compared with what tests/qs_data.py computes from the TSV row of
the country and the crosswalk CSVs, for several countries and functions. Errors are
checked for their RFC 9457 shape and for naming the valid choices.
"""

from __future__ import annotations

import csv
import io

import pytest
from qs_data import (
    DATA,
    capacity_score,
    espar_rows,
    expected_gaps,
    gho_values,
    not_scored,
    number,
    query_client,
    spar2_capacity_codes,
    spar2_indicators,
)

from hsfhs.query_service.query_files import load_queries

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client():
    yield from query_client()


def assert_problem(response, status: int) -> dict:
    """One shape for every error: RFC 9457 fields, the right status, a useful detail."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"].startswith("https://w3id.org/hsfhs/problems/")
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("iso3", "name", "function"),
    [
        ("NGA", "Nigeria", "detect"),
        ("NGA", "Nigeria", "respond"),
        ("DZA", "Algeria", "prevent"),
        ("KEN", "Kenya", "detect"),
        ("KEN", "Kenya", "respond"),
        ("BEN", "Benin", "respond"),
        ("LIE", "Liechtenstein", "respond"),
        ("DEU", "Germany", "prevent"),
    ],
)
def test_gaps_match_the_espar_file(client, iso3, name, function):
    response = client.get(f"/api/gaps?country={iso3}&function={function}&year=2022")
    assert response.status_code == 200
    answer = response.get_json()
    got = {g["code"]: {"relation": g["relation"], "score": g["score"], "level": g["level"]}
           for g in answer["gaps"]}
    assert got == expected_gaps(name, function)
    assert {g["code"] for g in answer["notScored"]} == not_scored(name, function)
    for gap in answer["gaps"]:
        assert gap["fileName"] == "espar_2022_IHRScoreperCapacity_202305051146.tsv"
        assert gap["source"].endswith("/source/espar")
        assert 1 <= gap["level"] <= 5


def test_gaps_by_hand_for_nigeria_benin_and_liechtenstein(client):
    """Read off the 2022 TSV rows, the levels in 20-point bands (docs/model.md)."""
    nigeria = client.get("/api/gaps?country=NGA&function=detect&year=2022").get_json()
    # Detect needs C4 60, C5 70, C6 70, C11 60, C14 20, C15 80: only C14 is below level 3
    assert [(g["code"], g["score"], g["level"], g["relation"]) for g in nigeria["gaps"]] == [
        ("C14", 20, 1, "direct")]
    benin = client.get("/api/gaps?country=BEN&function=respond&year=2022").get_json()
    c11 = next(g for g in benin["gaps"] if g["code"] == "C11")
    # Benin's C11 is published as 7 % from C11.1 = 0, C11.2 = 0, C11.3 = 20: the two zeros
    # are no level, so the score is the scored indicator's 20 %, level 1, not a level 0
    row = espar_rows()["Benin"]
    assert (row["C.11.1"], row["C.11.2"], row["C.11.3"], row["C.11"]) == ("0", "0", "20", "7")
    assert (c11["score"], c11["level"], c11["publishedScore"]) == (20, 1, 7)
    assert (c11["indicatorsScored"], c11["indicatorsObserved"]) == (1, 3)
    assert c11["scoreMethod"] == "meanOfScoredIndicators"
    # C2 (coordination) 40 % is needed through C7 emergency management: an enabling dependency
    c2 = next(g for g in benin["gaps"] if g["code"] == "C2")
    assert (c2["relation"], c2["path"], c2["dependencyKind"]) == ("indirect", ["C7", "C2"], "enabling")
    liechtenstein = client.get("/api/gaps?country=LIE&function=respond&year=2022").get_json()
    # all of C11 is 0 %: not a gap at "level 0", but not scored (no designated point of entry)
    row = espar_rows()["Liechtenstein"]
    assert {row[f"C.11.{n}"] for n in (1, 2, 3)} == {"0"}
    assert liechtenstein["gaps"] == []
    assert [g["code"] for g in liechtenstein["notScored"]] == ["C11"]


def test_no_year_given_says_which_year_and_edition_was_used(client):
    answer = client.get("/api/gaps?country=KEN&function=detect").get_json()
    assert answer["year"] == "2022" and answer["framework"] == "spar2" and answer["target"] == 3
    assert answer["assumptions"] == [
        "No year was given: 2022 is the latest year with capacity scores for KEN."]
    # Papua New Guinea reported no 2022 scores: its latest are the 2018 tool's, and it says so
    assert number(espar_rows()["Papua New Guinea"]["C.5"]) is None
    png = client.get("/api/gaps?country=PNG&function=detect").get_json()
    assert (png["year"], png["framework"]) == ("2018", "spar2018")
    assert "2018 is the latest year" in png["assumptions"][0]
    assert "1st edition" in png["assumptions"][1] and "2nd edition" in png["assumptions"][1]


def test_gaps_csv(client):
    response = client.get("/api/gaps?country=NGA&function=respond&year=2022&_format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["relation"], r["code"], r["path"], r["dependencyKind"]) for r in rows] == [
        ("direct", "C14", "C14", ""),
        ("direct", "C9", "C9", ""),
        ("indirect", "C3", "C7 > C3", "enabling"),
    ]


def test_unknown_country_is_404_with_close_matches(client):
    body = assert_problem(client.get("/api/gaps?country=NGX&function=detect"), 404)
    assert "NGA" in body["suggestions"] and "Nigeria" in body["detail"]


def test_unknown_function_is_400_with_the_choices(client):
    body = assert_problem(client.get("/api/gaps?country=NGA&function=detekt"), 400)
    assert body["choices"] == ["prevent", "detect", "respond"]
    assert body["parameter"] == "function"


def test_missing_function_is_400(client):
    body = assert_problem(client.get("/api/gaps?country=NGA"), 400)
    assert body["parameter"] == "function"


def test_unknown_year_is_404_naming_the_years(client):
    body = assert_problem(client.get("/api/gaps?country=NGA&function=detect&year=2019"), 404)
    assert body["years"] == ["2018", "2022"]
    assert "2022" in body["detail"]


def test_a_country_without_scores_is_404_not_an_empty_answer(client):
    # Brunei is a WHO member state; its 2022 e-SPAR row says "no data", and the 2018 file
    # has no row for it
    assert number(espar_rows()["Brunei Darussalam"]["C.5"]) is None
    body = assert_problem(client.get("/api/gaps?country=BRN&function=detect"), 404)
    assert "no scores" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/gaps?country=NGA&function=detect&target=6",
        "/api/gaps?country=NGA&function=detect&depth=4",
        "/api/action-plan?country=NGA&disease=measles",
        "/api/action-plan?country=NGA&indirect=maybe",
        "/api/gaps?country=NGA%3E%20%7D&function=detect",
        "/api/gaps?country=NGA&function=detect&_format=xml",
        "/api/region-blockers?region=EUROPE",
        "/api/capacities/spar2/C5%3E",
    ],
)
def test_bad_values_are_400_or_404(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert response.mimetype == PROBLEM


def _actions(benchmark: str, level: int) -> list[str]:
    with open(DATA / "codelists" / "who_ihr_benchmarks_2019_actions.csv", encoding="utf-8") as fh:
        return sorted(r["action_text"].strip() for r in csv.DictReader(fh)
                      if r["benchmark_code"] == benchmark and r["target_level"] == str(level))


def test_action_plan_starts_from_the_same_unmet_capacities(client):
    answer = client.get("/api/action-plan?country=NGA&year=2022&function=detect").get_json()
    gaps = client.get("/api/gaps?country=NGA&function=detect&year=2022").get_json()
    assert [c["code"] for c in answer["capacities"]] == [g["code"] for g in gaps["gaps"]] == ["C14"]
    # C4 is met (60 %, level 3): its indicators below level 3 (C4.1, C4.2 at 40 %) are not in it
    row = espar_rows()["Nigeria"]
    assert (row["C.4"], row["C.4.1"], row["C.4.2"]) == ("60", "40", "40")
    assert [i["indicatorCode"] for i in answer["indicators"]] == ["C14.1"]
    chem = answer["indicators"][0]
    assert (chem["level"], chem["nextLevel"], chem["benchmarks"]) == (1, 2, ["17.1"])
    # benchmark 17.1 chemical events (WHO maps SPAR 2018 C12.1, which SPAR2 C14.1 closely
    # matches), its level-2 actions from the WHO Benchmarks actions file; no radiation actions
    (bench,) = answer["benchmarks"]
    assert bench["code"] == "17.1" and bench["links"][0]["status"] == "derived"
    assert sorted(a["text"] for a in bench["actions"]) == _actions("17.1", 2)
    assert all(a["for"] == ["C14.1 from level 1 to 2"] for a in bench["actions"])


def test_action_plan_with_indirect_blockers_and_without_repeats(client):
    answer = client.get("/api/action-plan?country=NGA&year=2022&function=respond&indirect=true").get_json()
    assert {c["code"] for c in answer["capacities"]} == {"C14", "C9", "C3"}
    row = espar_rows()["Nigeria"]
    expected = {code for cap in ("C14", "C9", "C3") for code in spar2_indicators()[cap]
                if number(row["C." + code[1:]]) is not None and 0 < number(row["C." + code[1:]]) < 60}
    assert {i["indicatorCode"] for i in answer["indicators"]} == expected
    seen = [a["action"] for b in answer["benchmarks"] for a in b["actions"]]
    assert len(seen) == len(set(seen)) == answer["actionCount"]
    for bench in answer["benchmarks"]:  # each action once, saying which indicators it serves
        for action in bench["actions"]:
            assert action["for"] and all("from level" in why for why in action["for"])
        assert bench["why"].startswith("addresses ")


@pytest.mark.parametrize(("iso3", "name"), [("KEN", "Kenya"), ("BEN", "Benin")])
def test_action_plan_without_a_function_covers_every_unmet_capacity(client, iso3, name):
    answer = client.get(f"/api/action-plan?country={iso3}").get_json()
    row = espar_rows()[name]
    unmet = {c for c in spar2_capacity_codes()
             if (level := capacity_score(row, c)[1]) is not None and level < 3}
    assert {c["code"] for c in answer["capacities"]} == unmet
    expected = {code: number(row["C." + code[1:]]) for cap in unmet for code in spar2_indicators()[cap]
                if number(row["C." + code[1:]]) is not None and number(row["C." + code[1:]]) < 60}
    assert {i["indicatorCode"]: i["score"] for i in answer["indicators"]} == expected
    for indicator in answer["indicators"]:
        if indicator["score"] == 0:  # Benin's C11.1 and C11.2: no level, so no action yet
            assert indicator["level"] is None and indicator["status"] == "zero"
            assert "no level" in indicator["note"] and not indicator["actions"]
        else:
            assert indicator["level"] == int(indicator["score"] // 20)
            assert indicator["nextLevel"] == indicator["level"] + 1


def test_action_plan_adds_disease_actions_of_its_benchmarks(client):
    import json

    answer = client.get("/api/action-plan?country=KEN&year=2022&disease=influenza").get_json()
    items = json.loads((DATA / "benchmarks2019" / "influenza_actions.json").read_text())
    for bench in answer["benchmarks"]:
        expected = sorted(" ".join(i["action_text"].split()) for i in items
                          if str(i["benchmark_indicator_display_abbreviation"]) == bench["code"])
        assert sorted(a["text"] for a in bench["diseaseActions"]) == expected
    assert any(b["diseaseActions"] for b in answer["benchmarks"])


def test_country_profile(client):
    everything = client.get("/api/countries/NGA").get_json()
    assert {
        (r["year"], r["frameworkCode"]) for r in everything["rows"] if r["kind"] == "capacity"
    } == {("2018", "spar2018"), ("2022", "spar2")}
    answer = client.get("/api/countries/NGA?year=2022").get_json()
    capacities = {r["code"]: r["score"] for r in answer["rows"] if r["kind"] == "capacity"}
    row = espar_rows()["Nigeria"]
    assert capacities == {f"C{n}": float(row[f"C.{n}"]) for n in range(1, 16)}
    assert_problem(client.get("/api/countries/ZZZ"), 404)


def test_country_profile_has_gho_determinants(client):
    rows = client.get("/api/countries/NGA").get_json()["rows"]
    doctors = {r["year"]: r["score"] for r in rows if r["code"] == "HWF_0001"}
    assert doctors == gho_values("NGA")
    assert doctors and all(r["kind"] == "determinant" for r in rows if r["code"] == "HWF_0001")


def test_compare(client):
    answer = client.get("/api/compare?country=NGA&other=GHA").get_json()
    nga, gha = espar_rows()["Nigeria"], espar_rows()["Ghana"]
    for r in answer["rows"]:
        n = r["code"][1:]
        assert r["score"] == float(nga[f"C.{n}"])
        assert r["otherScore"] == float(gha[f"C.{n}"])
        assert r["difference"] == float(gha[f"C.{n}"]) - float(nga[f"C.{n}"])
    assert len(answer["rows"]) == 15


def test_compare_years_across_spar_editions(client):
    answer = client.get("/api/compare?country=NGA&since=2018").get_json()
    assert answer["resolved"] == {"year": "2022"}
    by_code = {r["code"]: r for r in answer["rows"]}
    # SPAR2 C5 surveillance closely matches SPAR 2018 C6 (alignment_capacities.csv)
    c5 = by_code["C5"]
    assert (c5["sinceCode"], c5["match"], c5["sameFramework"]) == ("C6", "exact or close match", False)
    assert c5["score"] == float(espar_rows()["Nigeria"]["C.5"])
    assert c5["change"] == c5["score"] - c5["sinceScore"]
    # SPAR 2018 C1 legislation and financing was split: SPAR2 C1 and C3 have no counterpart
    assert "C1" not in by_code and "C3" not in by_code
    assert answer["caveats"] and "different editions" in answer["caveats"][0]
    assert_problem(client.get("/api/compare?country=NGA&since=2017"), 404)


def test_region_blockers_count_countries_by_hand(client):
    answer = client.get("/api/region-blockers?region=AFRO").get_json()
    c1 = next(r for r in answer["rows"] if r["code"] == "C1")
    afro_below = [r for r in espar_rows().values() if r["Region"].strip() == "AFRO"
                  and (level := capacity_score(r, "C1")[1]) is not None and level < 3]
    assert c1["countries"] == len(afro_below)
    # C1 serves prevent; one dependency deep it is needed by C2 (prevent) only
    assert c1["functionNames"] == "Prevent" and c1["functions"] == 1
    ranks = [r["blocked"] for r in answer["rows"]]
    assert ranks == sorted(ranks, reverse=True)


def test_capacity_view(client):
    answer = client.get("/api/capacities/spar2/C5?level=3").get_json()
    facets = {(f["facet"], f["code"]) for f in answer["facts"]}
    assert ("function", "detect") in facets
    assert ("indicator", "C5.1") in facets and ("indicator", "C5.2") in facets
    assert any(a["counterpart"].endswith("jee3/D2") and a["relation"] == "closeMatch"
               for a in answer["alignment"])
    listed = {r["iso3"] for r in answer["countriesBelow"]["rows"]}
    by_hand = {name for name, r in espar_rows().items()
               if (level := capacity_score(r, "C5")[1]) is not None and level < 3}
    assert len(listed) == len(by_hand)
    assert_problem(client.get("/api/capacities/spar2/C55"), 404)


def test_canned_queries_list_and_run(client):
    listing = client.get("/api/queries").get_json()["queries"]
    assert {q["name"] for q in listing} == set(load_queries())
    gaps = next(q for q in listing if q["name"] == "gaps")
    assert {p["name"]: p["required"] for p in gaps["params"]} == {
        "country": True,
        "function": True,
        "year": False,
        "framework": False,
        "target": False,
    }
    response = client.get("/api/queries/gaps?country=NGA&function=respond")
    body = response.get_json()
    assert body["resolved"] == {"year": "2022", "framework": "spar2"}
    # the SPARQL gap query (one dependency deep) gives the same answer as /api/gaps
    api = client.get("/api/gaps?country=NGA&function=respond").get_json()
    assert {(r["code"], r["relation"]) for r in body["rows"]} == {
        (g["code"], g["relation"]) for g in api["gaps"]}
    csv_body = client.get("/api/queries/frameworks?_format=csv").get_data(as_text=True)
    assert csv_body.splitlines()[0].startswith("framework,code,label")
    assert_problem(client.get("/api/queries/nope"), 404)
    assert_problem(client.get("/api/queries/gaps?country=NGA&function=detect&bogus=1"), 400)


def test_openapi_describes_every_endpoint_and_param(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    paths = doc["paths"]
    for endpoint in (
        "/api/gaps",
        "/api/action-plan",
        "/api/countries/{iso3}",
        "/api/capacities/{capacity}",
        "/api/compare",
        "/api/region-blockers",
        "/api/queries",
        "/api/openapi.json",
    ):
        assert endpoint in paths
    for name, query in load_queries().items():
        params = {p["name"]: p for p in paths[f"/api/queries/{name}"]["get"]["parameters"]}
        assert set(params) == {p.name for p in query.params} | {"_format"}
    gaps = {p["name"]: p for p in paths["/api/gaps"]["get"]["parameters"]}
    assert gaps["function"]["schema"]["enum"] == ["prevent", "detect", "respond"]
    assert gaps["target"]["schema"]["default"] == 3


def test_a_repeated_parameter_is_400_not_silently_dropped(client):
    response = client.get("/api/gaps?country=NGA&country=GHA&function=detect")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"] == "country"


def test_a_benchmark_area_without_scores_still_shows_its_facts(client, data):
    """Benchmark technical area 9 (Surveillance) has no scores of its own: facts, no 404."""
    import csv

    response = client.get("/api/capacities/benchmarks2019/9")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["countriesBelow"]["rows"] == [] and body["countriesBelow"]["note"]
    with open(data / "codelists" / "who_ihr_benchmarks_2019.csv", encoding="utf-8") as fh:
        name = next(r["technical_area_name"] for r in csv.DictReader(fh) if r["technical_area_no"] == "9")
    assert name in str(body["facts"])
