"""The OpenAPI 3.1 document of ``/api``, generated from the canned queries' headers.

Parameters, their types, choices and defaults are read from the ``.rq`` headers, and each
type's pattern is the one its parser uses (``params.py``), so the document cannot drift
from what the endpoints accept; a schemathesis run in the tests holds the two together. The dedicated endpoints (gaps,
action plan...) borrow the parameters of the queries they run.
"""

from __future__ import annotations

from typing import Any

from .params import TYPES
from .query_files import NamedQuery, Param, load_queries

PROBLEM = {"$ref": "#/components/responses/Problem"}


def param_schema(p: Param, location: str = "query") -> dict[str, Any]:
    schema = TYPES[p.type].json_schema()
    if p.default and p.default not in ("latest", "auto"):
        schema["default"] = schema_value(schema, p.default)
    doc = p.doc or TYPES[p.type].description
    if p.default in ("latest", "auto"):
        doc += f" (default: {p.default}, chosen from the data)"
    return {
        "name": p.name,
        "in": location,
        "required": p.required or location == "path",
        "description": doc,
        "schema": schema,
    }


def schema_value(schema: dict[str, Any], value: str) -> Any:
    if schema.get("type") == "integer":
        return int(value)
    if schema.get("type") == "number":
        return float(value)
    return value


def _operation(
    summary: str, description: str, params: list[dict[str, Any]], op_id: str, csv: bool = True
) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": {"type": "object"}}}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
        params = [
            *params,
            {
                "name": "_format",
                "in": "query",
                "required": False,
                "description": "json (default) or csv",
                "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
            },
        ]
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "description": description,
            "parameters": params,
            "responses": {
                "200": {"description": "The answer", "content": content},
                "400": PROBLEM,
                "404": PROBLEM,
            },
        }
    }


def _query_params(query: NamedQuery, path_params: dict[str, str] | None = None) -> list[dict]:
    path_params = path_params or {}
    out = []
    for p in query.params:
        if p.name in path_params:
            out.append(param_schema(Param(path_params[p.name], p.type, True, None, p.doc), "path"))
        else:
            out.append(param_schema(p))
    return out


def _extra(name: str, type_name: str, doc: str, default: str | None = None) -> dict[str, Any]:
    """A parameter an endpoint reads itself (not one of its query's), typed like the others."""
    return param_schema(Param(name, type_name, False, default, doc))


GAPS_EXTRA = [
    _extra("depth", "depth", "how many dependencies deep to look for indirect blockers", "1"),
]
ACTION_PLAN_EXTRA = [
    _extra("function", "function", "only the capacities blocking this function (its direct gaps)"),
    {
        "name": "indirect",
        "in": "query",
        "required": False,
        "description": "with function: also the capacities it needs through dependencies",
        "schema": {"type": "boolean", "default": False},
    },
    _extra("disease", "disease", "add the RTSL disease-specific actions of the plan's benchmarks"),
]


def openapi_document(server: str = "") -> dict[str, Any]:
    """The whole document; ``server`` is the base URL the client reached."""
    queries = load_queries()
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": "List the canned queries",
                "description": "Each canned query with its title, description and parameters.",
                "responses": {
                    "200": {
                        "description": "The queries",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/api/gaps": _operation(
            "Unmet capacities blocking a preparedness function",
            queries["gaps"].description + " Indirect gaps carry `path`, the shortest chain of "
            "dependencies from a direct capacity.",
            _query_params(queries["gaps"]) + GAPS_EXTRA,
            "gaps",
        ),
        "/api/action-plan": _operation(
            "Action plan for a country",
            queries["action-plan"].description,
            _query_params(queries["unmet-indicators"]) + ACTION_PLAN_EXTRA,
            "actionPlan",
        ),
        "/api/countries/{iso3}": _operation(
            "Country profile",
            queries["country-profile"].description,
            _query_params(queries["country-profile"], {"country": "iso3"}),
            "countryProfile",
        ),
        "/api/capacities/{capacity}": _operation(
            "Capacity view",
            queries["capacity"].description + " " + queries["capacity-countries"].description,
            _query_params(queries["capacity-countries"], {"capacity": "capacity"}),
            "capacity",
            csv=False,
        ),
        "/api/compare": _operation(
            "Compare two countries",
            queries["compare"].description + " Two years of one country: /api/compare-years.",
            _query_params(queries["compare"]),
            "compare",
        ),
        "/api/compare-years": _operation(
            "Compare two report years of one country",
            queries["compare-years"].description,
            _query_params(queries["compare-years"]),
            "compareYears",
        ),
        "/api/region-blockers": _operation(
            "Capacities blocking the most functions in a region",
            queries["region-blockers"].description,
            _query_params(queries["region-blockers"]),
            "regionBlockers",
        ),
        "/api/docs": {
            "get": {
                "operationId": "apiDocs",
                "summary": "This document, as a page (Redoc)",
                "responses": {
                    "200": {
                        "description": "HTML",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }
    for name, query in queries.items():
        op = _operation(
            query.title, query.description, _query_params(query), "query_" + name.replace("-", "_")
        )
        paths[f"/api/queries/{name}"] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hsfhs query service",
            "version": "0.1.0",
            "description": "Gaps, action plans and profiles over the knowledge graph of the "
            "WHO Health systems for health security framework. SPARQL 1.1 at /sparql.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server or "/"}],
        "paths": paths,
        "components": {
            "responses": {
                "Problem": {
                    "description": "An RFC 9457 problem: what was wrong and how to fix it",
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string", "format": "uri"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "parameter": {"type": "string"},
                        "choices": {"type": "array", "items": {"type": "string"}},
                        "suggestions": {"type": "array", "items": {"type": "string"}},
                        "years": {"type": "array", "items": {"type": "string"}},
                    },
                }
            },
        },
    }
