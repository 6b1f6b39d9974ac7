"""The OpenAPI document and the server are the same thing (issue 10, finding 9): schemathesis.

schemathesis generates requests from /api/openapi.json, valid ones and invalid ones, sends
them to the Flask app (WSGI, no sockets) on the real bundled data, and checks every answer:
no 5xx, a documented status and content type, a body matching its schema, schema-valid
requests accepted (2xx, or 404 for a value that names nothing), schema-invalid ones
refused. Bounded and reproducible: a fixed seed, derandomized, a few examples per
operation, so the run takes well under a minute and finds the same things every time.
"""

from __future__ import annotations

import pytest
from qs_data import query_app

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")


SEED = 13
EXAMPLES = 12

app = query_app()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@schema.parametrize()
@hypothesis.seed(SEED)
@hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_as_documented(case):
    case.call_and_validate()


def teardown_module() -> None:
    app.extensions["hsfhs.executor"].close()


# --- what a bounded run may not reach, checked for every parameter of the document ----------

from flask.testing import FlaskClient  # noqa: E402

from hsfhs.query_service.openapi import openapi_document  # noqa: E402


def _operations() -> list[tuple[str, list[dict]]]:
    doc = openapi_document()
    return [(path, op["get"].get("parameters", [])) for path, op in doc["paths"].items()]


def _example(param: dict) -> str:
    schema = param["schema"]
    if "example" in schema:
        return str(schema["example"])
    if "enum" in schema:
        return str(schema["enum"][0])
    if "default" in schema:
        return str(schema["default"]).lower()
    if schema.get("type") == "integer":
        return str(schema.get("minimum", 1))
    if schema.get("type") == "boolean":
        return "false"
    return "NGA"


def _request(path: str, params: list[dict], **query: str) -> tuple[str, dict[str, str]]:
    for p in params:
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", _example(p))
    required = {p["name"]: _example(p) for p in params if p["in"] == "query" and p["required"]}
    if "since" in required:
        required["since"] = "2018"
    return path, {**required, **query}


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize(("path", "params"), _operations(), ids=[p for p, _ in _operations()])
def test_an_empty_optional_value_is_refused_as_the_schema_refuses_it(client, path, params):
    """``year=`` matches no pattern or enum of the document: the server says so (400)."""
    for p in params:
        if p["in"] != "query" or p["required"]:
            continue
        url, query = _request(path, params, **{p["name"]: ""})
        response = client.get(url, query_string=query)
        assert response.status_code == 400, (url, query, response.get_data(as_text=True)[:300])
        assert response.get_json()["parameter"] == p["name"]


@pytest.mark.parametrize(
    "capacity",
    ["spar2/ZZZ99", "benchmarks2019/99", "jee3/Q", "https://w3id.org/hsfhs/id/spar2/C99"],
)
def test_a_capacity_the_pattern_allows_but_nothing_has_is_404(client, capacity):
    import re

    pattern = openapi_document()["paths"]["/api/capacities/{capacity}"]["get"]["parameters"][0]
    assert re.fullmatch(pattern["schema"]["pattern"].strip("^$"), capacity)
    response = client.get(f"/api/capacities/{capacity}")
    assert response.status_code == 404, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("capacity", ["spar2/C5C5C5", "SPAR2/C5", "spar2/", "spar2/C5.1"])
def test_a_capacity_outside_the_pattern_is_400(client, capacity):
    assert client.get("/api/queries/capacity", query_string={"capacity": capacity}).status_code == 400


def test_compare_and_compare_years_are_two_documented_operations(client):
    paths = openapi_document()["paths"]
    names = {p["name"] for p in paths["/api/compare"]["get"]["parameters"]}
    assert "other" in names and "since" not in names
    years = {p["name"]: p for p in paths["/api/compare-years"]["get"]["parameters"]}
    assert years["since"]["required"] is True
    response = client.get("/api/compare-years?country=NGA&since=2018&year=2022")
    assert response.status_code == 200 and response.get_json()["count"] > 0


def test_every_api_route_is_in_the_document_and_every_documented_path_is_a_route():
    """The paths come from the routes' own ``@documented``: a route without it is missing here."""
    routes = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/api")}
    adapter = app.url_map.bind("localhost")
    documented = {}
    for path in openapi_document(app=app)["paths"]:
        endpoint, _ = adapter.match(path, method="GET")  # {iso3} stands for any value
        documented[path] = endpoint
    assert sorted(routes - set(documented.values())) == [], "routes without @documented"
    assert set(documented.values()) <= routes
    assert openapi_document()["paths"] == openapi_document(app=app)["paths"]
    for path in ("/api/countries/{iso3}/health-system", "/api/trend"):
        assert path in documented
