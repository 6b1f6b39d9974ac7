"""A new user's first hour on the web pages and the API (issue 13), on the real 2022 e-SPAR data.

Countries by name everywhere, suggestions as links, the map's colours, the regional
medians (computed again here from the TSV's Region column), /sparql in a browser, the API
documentation page, linked-data Turtle, and the access log of ``hsfhs serve``.
"""

from __future__ import annotations

import re
import statistics

import pyoxigraph as ox
import pytest
from qs_data import capacity_score, espar_rows, query_client, query_store, spar2_capacity_codes
from service_fixtures import LiveServer

from hsfhs.query_service.world_map import world_map

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client():
    yield from query_client()


def html(response) -> str:
    assert response.mimetype == "text/html", response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


# --- countries by name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/country/Nigeria", "/country/NGA"),
        ("/country/nga", "/country/NGA"),
        ("/country/C%C3%B4te%20d'Ivoire", "/country/CIV"),
        ("/country?country=Turkey", "/country/TUR"),
        ("/country?iso3=ken", "/country/KEN"),
        ("/country/Nigeria?year=2018", "/country/NGA?year=2018"),
    ],
)
def test_dashboards_by_name_redirect_to_the_iso3_address(client, path, target):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_an_unknown_country_page_offers_the_closest_as_links(client):
    page = html(client.get("/country/NGR", headers={"Accept": BROWSER}))
    links = re.findall(r'<li><a href="(/country/[A-Z]{3})">([^<]+)</a>', page)
    assert {links[0][0], links[1][0]} == {"/country/NGA", "/country/NER"}
    assert ("/country/NGA", "Nigeria (NGA)") in links
    assert 'href="/static/ui.css"' in page  # the site's layout


def test_the_api_takes_names_and_ranks_suggestions(client):
    answer = client.get("/api/gaps?country=Nigeria&function=detect&year=2022").get_json()
    assert answer["country"] == "NGA"
    assert "'Nigeria' was read as NGA (Nigeria)." in answer["assumptions"]
    wrong = client.get("/api/gaps?country=NGR&function=detect")
    assert wrong.status_code == 404
    assert set(wrong.get_json()["suggestions"][:2]) == {"NGA", "NER"}
    by_name = client.get("/api/countries/Côte d'Ivoire").get_json()
    assert by_name["country"] == "CIV"
    assert client.get("/api/gaps?country=Narnia&function=detect").status_code == 404


def test_code_only_countries_are_never_suggested(client):
    """GHO codes such as XKS or XXD have no name in the catalogue: no "XKS (XKS)"."""
    body = client.get("/api/gaps?country=XKX&function=detect").get_json()
    assert not [s for s in body["suggestions"] if s.startswith("X")]


# --- the home page ---------------------------------------------------------------------------


def test_home_picker_lists_member_states_by_region(client):
    page = html(client.get("/"))
    options = re.findall(r'<option value="([^"]+)">([A-Z]{3})</option>', page)
    assert len(options) == 194 and ("Nigeria", "NGA") in options
    regions = re.findall(r'<details class="region" data-region="([A-Z]+)">', page)
    assert regions == ["AFRO", "AMRO", "EMRO", "EURO", "SEARO", "WPRO"]
    assert '<a href="/country/NGA">Nigeria</a>' in page


@pytest.mark.parametrize("capacity", ["C5", "C14"])
def test_the_map_is_coloured_by_the_chosen_capacitys_level(client, capacity):
    page = html(client.get(f"/?capacity=spar2/{capacity}"))
    shapes = dict(re.findall(
        r'<a href="/country/([A-Z]{3})" data-iso3="\1"><path class="country level-([0-9]|none)"', page))
    assert len(shapes) > 150
    rows = espar_rows()
    for country, iso3 in (("Nigeria", "NGA"), ("Kenya", "KEN"), ("Brazil", "BRA"), ("India", "IND")):
        level = capacity_score(rows[country], capacity)[1]
        assert shapes[iso3] == str(level), (country, capacity)
    assert f'<option value="spar2/{capacity}" selected>' in page
    assert len(re.findall(r"<path ", page)) == len(world_map().shapes)


def test_the_world_map_projects_every_country_inside_the_frame():
    m = world_map()
    numbers = [float(n) for s in m.shapes for n in re.findall(r"-?\d+\.\d", s.path)]
    assert min(numbers) >= 0 and max(numbers) <= m.width
    assert {s.iso3 for s in m.shapes} >= {"NGA", "RUS", "FJI", "USA", "BRA", "AUS"}


# --- the dashboard: the region's median ----------------------------------------------------------


def test_regional_medians_match_the_tsv(client):
    page = html(client.get("/country/NGA?year=2022"))
    table = page.split('id="regional-table"', 1)[1].split("</table>", 1)[0]
    shown = dict(re.findall(r'<tr data-code="(C\d+)" data-median="([0-9.]*)">', table))
    african = [row for row in espar_rows().values() if row["Region"] == "AFRO"]
    for code in spar2_capacity_codes():
        scores = [s for s in (capacity_score(row, code)[0] for row in african) if s is not None]
        assert float(shown[code]) == pytest.approx(statistics.median(scores)), code
    ticks = re.findall(r'<line class="median" data-code="(C\d+)" data-median="([0-9.]+)"', page)
    assert dict(ticks) == shown
    # capacity names next to the codes on the chart
    assert '<text class="bar-label" x="4" y="17">C1 Policy, Legal, and normative instruments' in page


def test_the_action_plan_says_how_much_there_is(client):
    page = html(client.get("/country/NGA?year=2022"))
    plan = client.get("/api/action-plan?country=NGA&year=2022").get_json()
    summary = re.search(r'id="plan-summary">(\d+) actions? from (\d+) benchmarks?', page)
    assert (int(summary[1]), int(summary[2])) == (plan["actionCount"], len(plan["benchmarks"]))
    assert page.count('<details class="benchmark"') == len(plan["benchmarks"])


# --- /sparql in a browser, errors, prefixes ------------------------------------------------------


def test_a_browser_gets_an_html_results_table(client):
    query = "SELECT ?f ?label WHERE { ?f a hsfhs:PreparednessFunction ; skos:prefLabel ?label } ORDER BY ?f"
    page = html(client.get("/sparql", query_string={"query": query}, headers={"Accept": BROWSER}))
    cells = re.findall(r"<td>(?:<a href=\"[^\"]+\">)?([^<]+)", page.split('id="results"', 1)[1])
    assert [c.strip() for c in cells[:2]] == ["id:function/detect", "Detect"]
    assert '<a href="/id/function/detect">' in page and "3 rows" in page
    # a program asking for the same gets data, with the same prefixes predeclared
    data = client.get("/sparql", query_string={"query": query}).get_json()
    assert len(data["results"]["bindings"]) == 3


def test_a_browser_syntax_error_is_a_page_with_the_hint_and_the_query(client):
    query = "SELECT ?x WHERE { ?x a id:spar2/C5 }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": BROWSER})
    assert response.status_code == 400
    page = html(response)
    assert "write id:spar2\\/C5 instead of id:spar2/C5" in page
    assert "id:spar2/C5 }</textarea>" in page
    problem = client.get("/sparql", query_string={"query": query})
    assert problem.mimetype == "application/problem+json"
    assert (problem.get_json()["line"], problem.get_json()["column"]) == (1, 37)


def test_the_sparql_form_uses_the_site_layout(client):
    page = html(client.get("/sparql", headers={"Accept": BROWSER}))
    assert 'href="/static/ui.css"' in page and '<textarea id="query"' in page


# --- API documentation, linked data, access log ----------------------------------------------------


def test_api_docs_page_renders_the_openapi_document_with_vendored_redoc(client):
    page = html(client.get("/api/docs"))
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/static/vendor/redoc/redoc.standalone.js", "/static/api-docs.js"]
    assert 'data-spec="/api/openapi.json"' in page and "<script>" not in page
    assert client.get(scripts[0]).status_code == 200


def test_linked_data_turtle_is_grouped_by_subject_with_one_label_per_term(client):
    turtle = client.get("/id/spar2/C5", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    subjects = re.findall(r"^(\S+) ", turtle, flags=re.MULTILINE)
    subjects = [s for s in subjects if s != "@prefix"]
    assert subjects[0] == "id:spar2\\/C5" and len(subjects) == len(set(subjects))
    triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    labelled: dict[str, int] = {}
    for t in triples:
        if t.subject.value != "https://w3id.org/hsfhs/id/spar2/C5" and t.predicate.value in (
            "http://www.w3.org/2004/02/skos/core#prefLabel",
            "http://www.w3.org/2000/01/rdf-schema#label",
        ):
            labelled[t.subject.value] = labelled.get(t.subject.value, 0) + 1
    assert labelled and set(labelled.values()) == {1}


def test_serve_logs_one_line_per_request(tmp_path):
    live = LiveServer.start(query_store(), tmp_path / "serve.log")
    try:
        assert live.request("GET", "/country/NGA").status == 200
        assert live.request("GET", "/api/gaps?country=NGX&function=detect").status == 404
    finally:
        live.stop()
    log = (tmp_path / "serve.log").read_text()
    assert re.search(r'hsfhs\.access: 127\.0\.0\.1 "GET /country/NGA" 200 \d+\.\d ms \d+ B', log)
    assert re.search(r'"GET /api/gaps\?country=NGX&function=detect" 404 \d+\.\d ms', log)
