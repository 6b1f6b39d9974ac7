"""The health-system profile, consistency flags and trends, re-derived from the source files.

The store is tests/qs_data.py's: the real catalogue, the e-SPAR 2018 workbook and 2022
export, the GHO doctors and dentists densities of every country, the World Bank
classification and the CGHSS NAPHS table. Every expected number is computed here from
those files with the csv module and openpyxl.
"""

from __future__ import annotations

import statistics

import openpyxl
import pytest
from qs_data import (
    ESPAR_2018,
    GHO_DENTISTS,
    GHO_DOCTORS,
    espar_rows,
    gho_latest,
    member_states,
    query_client,
    query_store,
)

from hsfhs.query_service.analysis import rows_json
from hsfhs.query_service.named_queries import run_named
from hsfhs.store import EmbeddedStore

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client():
    yield from query_client()


def expected_standing(iso3: str, source, code: str) -> dict:
    """Value, year, mid-rank percentile among Member States and regional median, by hand."""
    latest = gho_latest(source, code)
    members = member_states()
    values = [v for c, (_, v) in latest.items() if c in members]
    year, value = latest[iso3]
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    region = [v for c, (_, v) in latest.items() if members.get(c) == members[iso3]]
    return {"value": value, "year": year, "percentile": round(100 * (below + equal / 2) / len(values), 1),
            "regionalMedian": round(statistics.median(region), 3), "memberStates": len(values)}


def determinants(answer: dict) -> dict[str, dict]:
    return {d["code"]: d for b in answer["blocks"] for d in b["determinants"]}


def test_nigeria_profile_matches_the_gho_files(client):
    response = client.get("/api/countries/NGA/health-system")
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["iso3166Numeric"] == "566" and answer["region"] == "AFRO"
    dets = determinants(answer)
    for code, source in (("HWF_0001", GHO_DOCTORS), ("HWF_0010", GHO_DENTISTS)):
        want = expected_standing("NGA", source, code)
        got = dets[code]
        assert {k: got[k] for k in want} == want, code
        assert got["staleness"] == answer["asOf"] - want["year"]
    assert [b["code"] for b in answer["blocks"]] == [f"HSBB{n}" for n in range(1, 7)]
    workforce = next(b for b in answer["blocks"] if b["code"] == "HSBB2")
    assert {d["code"] for d in workforce["determinants"]} >= {"HWF_0001", "HWF_0006", "HWF_0010"}
    # the capacities doctors inform, with Nigeria's 2022 scores from the TSV
    row = espar_rows()["Nigeria"]
    informs = {(c["framework"], c["code"]): c for c in dets["HWF_0001"]["informs"]}
    assert set(informs) == {("spar2", "C6"), ("spar2", "C8")}
    for (_, code), cap in informs.items():
        assert cap["score"] == float(row[f"C.{code[1:]}"]) and cap["year"] == "2022"
        assert cap["selfAssessed"] is True
    # no value loaded: listed, never dropped
    assert dets["WHS6_102"]["value"] is None and "WHS6_102" in answer["dataQuality"]["determinants"]["missing"]


def test_nigeria_context_and_data_quality(client):
    answer = client.get("/api/countries/NGA/health-system").get_json()
    context = {c["code"]: c for c in answer["context"]}
    assert context["income-group"]["categoryLabel"] == "Lower middle income"
    assert context["income-group"]["fileName"] == "worldbank_CLASS_2023.xlsx"
    assert context["naphs-completed"]["date"] == "2018-07-27"
    assert context["naphs-published"]["flag"] is True
    sources = {(s["source"], s["framework"]): s for s in answer["dataQuality"]["sources"]}
    spar = sources[("espar", "spar2")]
    assert spar["assessment"] == "self-assessed"
    numeric = [k for k, v in espar_rows()["Nigeria"].items()
               if k not in ("Region", "Country") and v.replace(".", "", 1).isdigit()]
    assert sum(spar["statuses"].values()) == len(numeric)  # every value of the row, by status
    assert set(spar["statuses"]) <= {"reported", "zero"}


def test_niger_consistency_flag_by_hand(client):
    """Niger reports C6 human resources at 80 % with 0.35 doctors per 10 000 (GHO, 2020)."""
    row = espar_rows()["Niger"]
    c6 = float(row["C.6"])
    assert c6 == 80 and 60 < c6 <= 80  # level 4: high
    doctors = expected_standing("NER", GHO_DOCTORS, "HWF_0001")
    assert (doctors["year"], doctors["value"]) == (2020, 0.35)
    assert doctors["percentile"] < 20  # the worst fifth of Member States
    answer = client.get("/api/countries/NER/health-system").get_json()
    flags = [f for f in answer["flags"] if f["determinant"]["code"] == "HWF_0001"
             and f["capacity"]["code"] == "C6"]
    assert len(flags) == 1
    flag = flags[0]
    assert flag["kind"] == "high-score-weak-determinant"
    assert flag["capacity"]["score"] == c6 and flag["capacity"]["level"] == 4
    assert flag["determinant"]["value"] == 0.35 and flag["determinant"]["percentile"] == doctors["percentile"]
    assert "0.35" in flag["message"] and "80 %" in flag["message"]
    # the canned query finds the same disagreement in plain SPARQL
    rows = rows_json(run_named("self-assessment-disagrees", {"country": "NER"},
                               EmbeddedStore(query_store()))[1])
    assert {(r["code"], r["determinantCode"], r["disagreement"]) for r in rows} == {
        ("C6", "HWF_0001", "high score, weak determinant")}
    assert rows[0]["percentile"] == pytest.approx(doctors["percentile"], abs=0.1)


def espar_2018_row(country: str) -> dict:
    sheet = openpyxl.load_workbook(ESPAR_2018, read_only=True, data_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[5]
    return next(dict(zip(header, r, strict=False)) for r in rows[6:] if str(r[2] or "").strip() == country)


def test_trend_of_nigeria_surveillance_across_both_editions(client):
    answer = client.get("/api/trend?country=NGA&capacity=spar2/C5").get_json()
    points = [(p["year"], p["framework"], p["code"], p["score"], p["match"], p["editionChange"])
              for p in answer["points"]]
    assert points == [
        (2018, "spar2018", "C6", espar_2018_row("Nigeria")["Level C6"], "closeMatch", False),
        (2022, "spar2", "C5", float(espar_rows()["Nigeria"]["C.5"]), "same capacity", True),
    ]
    assert answer["breaks"] == [] and answer["caveats"]


def test_trend_breaks_where_the_match_is_broad(client):
    answer = client.get("/api/trend?country=NGA&capacity=spar2/C1").get_json()
    assert [(p["year"], p["framework"]) for p in answer["points"]] == [(2022, "spar2")]
    assert [(b["framework"], b["code"], b["relation"]) for b in answer["breaks"]] == [
        ("spar2018", "C1", "broadMatch")]
    csv_text = client.get("/api/trend?country=NGA&capacity=spar2/C5&_format=csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("year,framework,code")


def test_function_weaknesses_lists_the_informing_determinants(client):
    store = EmbeddedStore(query_store())
    _, rows = run_named("function-weaknesses", {"country": "NER", "function": "respond"}, store)
    rows = rows_json(rows)
    answer = client.get("/api/countries/NER/health-system").get_json()
    dets = determinants(answer)
    for r in rows:
        assert r["level"] < 3
        d = dets[r["determinantCode"]]
        if d["value"] is None:
            assert r.get("value") is None
        else:
            assert (r["value"], int(r["valueYear"])) == (d["value"], d["year"])
            assert r["percentile"] == pytest.approx(d["percentile"], abs=0.1)


@pytest.mark.parametrize(("path", "status"), [
    ("/api/countries/NG1/health-system", 400),
    ("/api/countries/ZZZ/health-system", 404),
    ("/api/countries/NGA/health-system?_format=csv", 400),
    ("/api/trend?country=NGA", 400),
    ("/api/trend?country=NGA&capacity=spar2/C99", 404),
    ("/api/trend?country=ZZZ&capacity=spar2/C5", 404),
    ("/api/trend?country=NGA&capacity=nonsense", 400),
    ("/api/trend?country=NGA&capacity=spar2/C5&capacity=spar2/C6", 400),
])
def test_bad_requests_are_problems_not_500(client, path, status):
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
