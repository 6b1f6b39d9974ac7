"""``/sparql`` for a person with a browser: results as an HTML table, errors as pages.

A browser's Accept header (``text/html,...,application/xml;q=0.9,*/*;q=0.8``) used to
get SPARQL XML, which browsers download rather than show. When a request prefers HTML
to every data format and names no ``format``, the answer is a page in the site's layout:
the query in an editable form, the rows as a table (hsfhs IRIs as links to their pages),
and a link to the same answer as JSON or CSV. Programs are not affected: none of them
ranks text/html first.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import pyoxigraph as ox
from flask import render_template, request
from werkzeug.wrappers import Response

from hsfhs.namespaces import ID, PREFIXES

from .negotiate import GRAPH_TYPES, RESULT_TYPES, prefers_html
from .results import N_TRIPLES, SPARQL_JSON, ExecResult

DATA_TYPES = RESULT_TYPES + GRAPH_TYPES + ["application/xml", "text/xml", "application/json"]


def wants_html(params: Any) -> bool:
    """A browser asking (no ``format``, HTML above every data format it accepts)."""
    return not params.get("format") and prefers_html(request.accept_mimetypes, DATA_TYPES)


def formats_for_html() -> dict[str, str]:
    """The serializations the page is built from."""
    return {"results_format": SPARQL_JSON, "graph_format": N_TRIPLES}


def term_cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> dict[str, Any]:
    """A term as the page shows it: compact IRIs, local ones linked, literals as text."""
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        text = term.value
        for prefix, ns in PREFIXES.items():
            if text.startswith(str(ns)):
                text = f"{prefix}:{text[len(str(ns)):]}"
                break
        href = term.value
        if term.value.startswith(str(ID)):
            href = "/id/" + urllib.parse.quote(term.value[len(str(ID)) :])
        elif not term.value.startswith(("http://", "https://")):
            href = None
        return {"text": text, "href": href}
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}"}
    note = f"@{term.language}" if term.language else None
    return {"text": term.value, "note": note}


def results_page(query: str, result: ExecResult) -> Response:
    """The answer to ``query`` as an HTML page (SELECT and ASK as a table, graphs as triples)."""
    columns: list[str] = []
    rows: list[list[dict[str, Any]]] = []
    boolean = None
    if result.kind == "solutions":
        parsed = result.rows()
        columns = parsed.variables
        rows = [[term_cell(row.get(c)) for c in columns] for row in parsed.rows]
    elif result.kind == "boolean":
        boolean = result.boolean
    else:
        columns = ["subject", "predicate", "object"]
        rows = [
            [term_cell(t.subject), term_cell(t.predicate), term_cell(t.object)]  # type: ignore[arg-type]
            for t in result.triples()
        ]
    other = {
        name: "?" + urllib.parse.urlencode({"query": query, "format": name})
        for name in (("json", "csv") if result.kind != "graph" else ("turtle", "ntriples"))
    }
    html = render_template(
        "sparql_results.html",
        query=query,
        columns=columns,
        rows=rows,
        boolean=boolean,
        result=result,
        other=other,
    )
    response = Response(html, content_type="text/html; charset=utf-8", headers=result.headers())
    response.vary.add("Accept")
    return response
