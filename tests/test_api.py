"""The JSON API on the real 2022 e-SPAR data, against hand computations from the sources.

The gaps answers are compared with what tests/qs_data.py computes from the TSV row of
the country and the crosswalk CSVs, for several countries and functions. Errors are
checked for their RFC 9457 shape and for naming the valid choices.
"""

from __future__ import annotations

import csv
import io

import pytest
from qs_data import DATA, below, espar_rows, expected_gaps, gho_values, number, query_store

from hsfhs.query_service.app import create_app
from hsfhs.query_service.named_queries import load_queries

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client():
    app = create_app({"STORE_PATH": str(query_store()), "TESTING": True, "QUERY_WORKERS": 2})
    yield app.test_client()
    app.extensions["hsfhs.executor"].close()


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
        ("DZA", "Algeria", "prevent"),
        ("KEN", "Kenya", "detect"),
        ("KEN", "Kenya", "respond"),
        ("DEU", "Germany", "prevent"),
    ],
)
def test_gaps_match_the_espar_file(client, iso3, name, function):
    response = client.get(f"/api/gaps?country={iso3}&function={function}&year=2022")
    assert response.status_code == 200
    answer = response.get_json()
    got = {g["code"]: {"relation": g["relation"], "score": g["score"]} for g in answer["gaps"]}
    assert got == expected_gaps(name, function)
    for gap in answer["gaps"]:
        assert gap["fileName"] == "espar_2022_IHRScoreperCapacity_202305051146.tsv"
        assert gap["source"].endswith("/source/espar")
        assert gap["level"] == int(gap["score"] // 20)
        assert gap["scoreKind"] == "published capacity average"


def test_gaps_by_hand_for_algeria_and_kenya(client):
    # Read off the TSV rows. Detect needs C4, C5, C6, C11, C14, C15 (JEE3 D1-D3, PoE, CE, RE).
    # Algeria: 68 90 80 80 60 60, nothing below 60; prevent needs C13 (food safety) at 40.
    # Kenya: 68 80 30 20 40 40 -> C6 C11 C14 C15.
    algeria = client.get("/api/gaps?country=DZA&function=detect").get_json()
    assert algeria["count"] == 0 and algeria["gaps"] == []
    algeria = client.get("/api/gaps?country=DZA&function=prevent").get_json()
    assert {g["code"]: g["score"] for g in algeria["gaps"] if g["relation"] == "direct"} == {
        "C13": 40
    }
    kenya = client.get("/api/gaps?country=KEN&function=detect").get_json()
    assert {g["code"]: g["score"] for g in kenya["gaps"] if g["relation"] == "direct"} == {
        "C6": 30,
        "C11": 20,
        "C14": 40,
        "C15": 40,
    }
    assert kenya["year"] == "2022" and kenya["framework"] == "spar2" and kenya["threshold"] == 60


def test_gaps_csv(client):
    response = client.get("/api/gaps?country=NGA&function=detect&_format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["relation"], r["code"], r["path"]) for r in rows] == [
        ("direct", "C14", "C14"),
        ("indirect", "C1", "C11 > C7 > C2 > C1"),
        ("indirect", "C3", "C11 > C7 > C3"),
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
        "/api/gaps?country=NGA&function=detect&threshold=101",
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


def test_action_plan_lists_the_benchmark_actions(client):
    answer = client.get("/api/action-plan?country=NGA&year=2022&function=detect").get_json()
    row = espar_rows()["Nigeria"]
    by_code = {i["indicatorCode"]: i for i in answer["indicators"]}
    # unmet detect indicators, by hand from the TSV: C4.1 40, C4.2 40, C14.1 20
    assert {code: i["score"] for code, i in by_code.items()} == {
        code: float(row["C." + code[1:]]) for code in ("C4.1", "C4.2", "C14.1")
    }
    chem = by_code["C14.1"]
    assert (chem["level"], chem["nextLevel"]) == (1, 2)
    # the WHO Benchmarks actions of benchmark 17.1 (chemical events) at level 2, from the CSV
    with open(DATA / "codelists" / "who_ihr_benchmarks_2019_actions.csv", encoding="utf-8") as fh:
        expected = sorted(
            r["action_text"].strip()
            for r in csv.DictReader(fh)
            if r["benchmark_code"] == "17.1" and r["target_level"] == "2"
        )
    assert expected
    assert sorted(a["text"] for a in chem["actions"] if a["benchmarkCode"] == "17.1") == expected


@pytest.mark.parametrize(("iso3", "name"), [("KEN", "Kenya"), ("BEN", "Benin")])
def test_action_plan_covers_every_unmet_indicator(client, iso3, name):
    answer = client.get(f"/api/action-plan?country={iso3}").get_json()
    row = espar_rows()[name]
    unmet = {
        k.replace("C.", "C"): float(v)
        for k, v in row.items()
        if k.count(".") == 2 and k.startswith("C.") and below(v)
    }
    assert {i["indicatorCode"]: i["score"] for i in answer["indicators"]} == unmet
    for indicator in answer["indicators"]:  # Benin reports 0 % (below level 1) for some
        assert indicator["level"] == int(indicator["score"] // 20)
        assert indicator["nextLevel"] == indicator["level"] + 1


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
    by_area = {r["areaCode"]: r for r in answer["rows"]}
    # JEE3 D2 surveillance: SPAR 2018 C6 and SPAR 2021 C5; the 2022 score from the TSV
    d2 = by_area["D2"]
    assert (d2["sinceCapacity"], d2["capacity"]) == ("C6", "C5")
    assert d2["score"] == float(espar_rows()["Nigeria"]["C.5"])
    assert d2["change"] == d2["score"] - d2["sinceScore"]
    assert_problem(client.get("/api/compare?country=NGA&since=2017"), 404)


def test_region_blockers_count_countries_by_hand(client):
    answer = client.get("/api/region-blockers?region=AFRO").get_json()
    c1 = next(r for r in answer["rows"] if r["code"] == "C1")
    afro_below = [
        r for r in espar_rows().values() if r["Region"].strip() == "AFRO" and below(r["C.1"])
    ]
    assert c1["countries"] == len(afro_below)
    assert c1["functions"] == 3  # C1 is needed by capacities of every function
    ranks = [r["blocked"] for r in answer["rows"]]
    assert ranks == sorted(ranks, reverse=True)


def test_capacity_view(client):
    answer = client.get("/api/capacities/spar2/C5?level=3").get_json()
    facets = {(f["facet"], f["code"]) for f in answer["facts"]}
    assert ("function", "detect") in facets
    assert ("indicator", "C5.1") in facets and ("indicator", "C5.2") in facets
    assert any(a["counterpart"].endswith("jee3/D2") for a in answer["alignment"])
    listed = {r["iso3"] for r in answer["countriesBelow"]["rows"]}
    by_hand = {name for name, r in espar_rows().items() if below(r["C.5"])}
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
        "threshold": False,
    }
    response = client.get("/api/queries/gaps?country=NGA&function=detect")
    body = response.get_json()
    assert body["count"] == 3 and body["resolved"] == {"year": "2022", "framework": "spar2"}
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
    assert gaps["threshold"]["schema"]["default"] == 60


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
