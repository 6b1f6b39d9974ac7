"""The OpenAPI 3.1 document of ``/api``, generated from the app's routes and the .rq headers.

Each route says what it is where it is declared (``@documented``: its summary, the canned
query whose parameters it borrows, the parameters it reads itself, whether it offers
CSV), and the document walks the app's URL map, so a new route cannot be left out
unnoticed (a test compares the two). Parameters, their types, choices and defaults are
read from the ``.rq`` headers, and each type's pattern is the one its parser uses
(``params.py``), so the document cannot drift from what the endpoints accept; a
schemathesis run in the tests holds the two together.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask

from .params import TYPES
from .query_files import NamedQuery, Param, load_queries

PROBLEM = {"$ref": "#/components/responses/Problem"}
PREFIX = "/api"  # the rules the document describes: those under it
JSON = "application/json"
View = TypeVar("View", bound=Callable[..., Any])
_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")  # <iso3>, <path:capacity>


@dataclass(frozen=True)
class Doc:
    """What the document says of one route; given where the route is declared."""

    summary: str = ""
    query: str | None = None  # the canned query whose parameters it borrows
    describe: tuple[str, ...] = ()  # canned queries whose descriptions describe it
    note: str = ""  # said after them, or alone
    path: Mapping[str, str] = field(default_factory=dict)  # query param -> path argument
    extra: tuple[Param | dict[str, Any], ...] = ()  # parameters the endpoint reads itself
    csv: bool = True
    op_id: str | None = None  # the view's name in camelCase, unless given
    answer: tuple[str, str] | None = None  # (description, media type) of a fixed document
    per_query: bool = False  # /api/queries/<name>: one operation per canned query


def documented(summary: str = "", **how: Any) -> Callable[[View], View]:
    """Attach the route's documentation to its view (see ``Doc`` for what it takes)."""
    doc = Doc(summary, **how)

    def attach(view: View) -> View:
        view.api_doc = doc  # type: ignore[attr-defined]
        return view

    return attach


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


FORMAT_PARAM = {
    "name": "_format",
    "in": "query",
    "required": False,
    "description": "json (default) or csv",
    "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
}


def _operation(
    summary: str, description: str, params: list[dict[str, Any]], op_id: str, csv: bool = True
) -> dict[str, Any]:
    content: dict[str, Any] = {JSON: {"schema": {"type": "object"}}}
    if csv:
        content["text/csv"] = {"schema": {"type": "string"}}
        params = [*params, FORMAT_PARAM]
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


def _fixed(doc: Doc, op_id: str) -> dict[str, Any]:
    """A route that answers one document (the query list, this document, its page)."""
    assert doc.answer is not None
    description, media = doc.answer
    schema = {"type": "string"} if media.startswith("text/") else {"type": "object"}
    get: dict[str, Any] = {"operationId": op_id, "summary": doc.summary}
    if doc.note:
        get["description"] = doc.note
    get["responses"] = {"200": {"description": description, "content": {media: {"schema": schema}}}}
    return {"get": get}


def _params(doc: Doc, queries: dict[str, NamedQuery], arguments: list[str]) -> list[dict]:
    """The borrowed and the endpoint's own parameters; a rule argument is a path parameter."""
    out = []
    borrowed = queries[doc.query].params if doc.query else ()
    for p in (*borrowed, *doc.extra):
        if isinstance(p, dict):
            out.append(p)
            continue
        name = doc.path.get(p.name, p.name)
        if name in arguments:
            out.append(param_schema(Param(name, p.type, True, None, p.doc), "path"))
        else:
            out.append(param_schema(p))
    missing = set(arguments) - {p["name"] for p in out if p["in"] == "path"}
    if missing:
        raise ValueError(f"the path arguments {sorted(missing)} have no documented parameter")
    return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@functools.cache
def routes_app() -> Flask:
    """A bare app with the blueprints serving ``/api``: their routes, without a store."""
    from . import api, api_docs

    app = Flask(__name__)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_docs.bp)
    return app


def api_paths(app: Flask) -> dict[str, Any]:
    """The document's paths: every documented GET route under ``/api``, in the app's order."""
    queries = load_queries()
    paths: dict[str, Any] = {}
    per_query: dict[str, Any] = {}
    for rule in app.url_map.iter_rules():
        if not (rule.rule == PREFIX or rule.rule.startswith(PREFIX + "/")):
            continue
        view = app.view_functions[rule.endpoint]
        doc: Doc | None = getattr(view, "api_doc", None)
        if doc is None:  # left out: the test comparing routes and document says which
            continue
        op_id = doc.op_id or _camel(view.__name__)
        if doc.per_query:
            for name, query in queries.items():
                per_query[rule.rule.split("<", 1)[0] + name] = _operation(
                    query.title, query.description, _params(Doc(query=name), queries, []),
                    "query_" + name.replace("-", "_"))
            continue
        path = _ARGUMENT.sub(r"{\1}", rule.rule)
        if doc.answer is not None:
            paths[path] = _fixed(doc, op_id)
            continue
        said = [*(queries[q].description for q in doc.describe), *([doc.note] if doc.note else [])]
        description = " ".join(said)
        params = _params(doc, queries, sorted(rule.arguments))
        paths[path] = _operation(doc.summary, description, params, op_id, doc.csv)
    return {**paths, **per_query}


def openapi_document(server: str = "", app: Flask | None = None) -> dict[str, Any]:
    """The whole document; ``server`` is the base URL the client reached, ``app`` the one
    whose routes it describes (by default the ``/api`` blueprints on their own)."""
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
        "paths": api_paths(app or routes_app()),
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
