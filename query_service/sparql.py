"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (queries, updates, service description).

Follows the W3C recommendation and Oxigraph's server (``handle_request``): a query by
``GET ?query=``, by a form POST or by an ``application/sparql-query`` body; an update by
a form POST (``update=``) or an ``application/sparql-update`` body. Status codes: 400 for
malformed requests and queries (with the parser's message), 403 for updates without the
server's token, 405 for other methods, 406 when no acceptable format fits the answer,
413 for bodies over ``MAX_BODY_BYTES``, 415 for unknown body types.

A browser (HTML preferred to every data format, no ``format``) gets the answer as a page
in the site's layout (``sparql_html.py``), and its errors as pages too.

Extensions: ``format`` (see ``negotiate.FORMAT_NAMES``) and ``timeout`` (seconds; may
only lower the server's limit). HEAD is answered as GET, without the body.

Queries and updates from here are the untrusted ones: they pass the guard, the per-client
limit and the queue (429 / 503 with ``Retry-After``), and are stopped when the client
closes its connection (waitress's ``waitress.client_disconnected``).
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import Forbidden, UnsupportedMediaType

from . import sparql_html
from .admission import client_keys
from .errors import BadRequest, NotAcceptable, ServiceError
from .executor import current_executor
from .negotiate import (
    GRAPH_TYPES,
    RESULT_TYPES,
    Choice,
    content_type,
    negotiate,
    prefers_html,
)
from .results import ExecResult, serialize

bp = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SD_RESULT_FORMATS = [
    FORMATS["SPARQL_Results_JSON"],
    FORMATS["SPARQL_Results_XML"],
    FORMATS["SPARQL_Results_CSV"],
    FORMATS["SPARQL_Results_TSV"],
    FORMATS["Turtle"],
    FORMATS["N-Triples"],
    FORMATS["JSON-LD"],
    FORMATS["RDF_XML"],
]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass
class Operation:
    """One protocol request, read from the URL, the form or the body."""

    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    params: MultiDict[str, str] = field(default_factory=MultiDict)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer one SPARQL Protocol operation."""
    op = _read_operation()
    if op.update is not None:
        return _run_update(op)
    if op.query is not None:
        return _run_query(op)
    if request.method == "POST":
        raise BadRequest("The POST carries neither a 'query' nor an 'update'.")
    return _service_description()


# --- reading the request -----------------------------------------------------------------------


def _read_operation() -> Operation:
    if request.method in ("GET", "HEAD"):
        if "update" in request.args:
            raise BadRequest("SPARQL Update must be sent by POST, never by GET.")
        return _operation(request.args, "query")
    if not request.headers.get("Content-Type"):
        raise BadRequest(f"A POST needs a Content-Type: {SPARQL_QUERY}, {SPARQL_UPDATE} or {FORM}.")
    mimetype = request.mimetype
    if mimetype == FORM:
        params: MultiDict[str, str] = MultiDict(request.args)
        for key, values in request.form.lists():
            params.setlist(key, params.getlist(key) + values)
        return _operation(params, "query", "update")
    if mimetype in (SPARQL_QUERY, SPARQL_UPDATE):
        for name in ("query", "update"):
            if name in request.args:
                raise BadRequest(
                    f"A {mimetype} POST carries its text in the body, not in ?{name}=."
                )
        body = _body_text()
        op = _operation(request.args)
        if mimetype == SPARQL_QUERY:
            op.query = body
        else:
            op.update = body
        return op
    raise UnsupportedMediaType(
        f"Content-Type {mimetype!r} is not supported; "
        f"use {SPARQL_QUERY}, {SPARQL_UPDATE} or {FORM}."
    )


def _body_text() -> str:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    try:
        return request.get_data(cache=False).decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise BadRequest(f"The body is not valid {charset}: {exc}") from exc


def _operation(params: MultiDict[str, str], *names: str) -> Operation:
    """The operation text (at most one query or update) and the dataset from ``params``."""
    op = Operation(params=params)
    texts = {}
    for name in names:
        values = params.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"Exactly one '{name}' parameter is allowed; {len(values)} were sent.")
        if values:
            texts[name] = values[0]
    if len(texts) > 1:
        raise BadRequest("A request carries either a query or an update, not both.")
    op.query = texts.get("query")
    op.update = texts.get("update")
    op.default_graphs = _graph_iris(params, "default-graph-uri")
    op.named_graphs = _graph_iris(params, "named-graph-uri")
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if name in params:
            raise BadRequest(f"'{name}' is not supported; write USING / USING NAMED in the update.")
    return op


def _graph_iris(params: MultiDict[str, str], name: str) -> list[str]:
    iris = params.getlist(name)
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise BadRequest(f"{name} must be an absolute IRI, not {iri!r}: {exc}") from exc
    return iris


def _timeout_param(params: MultiDict[str, str]) -> float | None:
    raw = params.get("timeout")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise BadRequest(f"timeout must be a positive number of seconds, not {raw!r}.")
    return value


# --- queries -----------------------------------------------------------------------------------


def _run_query(op: Operation) -> Response:
    html = sparql_html.wants_html(op.params)  # a browser: a results page, not a download
    choice = negotiate(request.accept_mimetypes, op.params.get("format"))
    if not choice.acceptable and not html:
        raise _not_acceptable(RESULT_TYPES + GRAPH_TYPES)
    formats = (
        sparql_html.formats_for_html()
        if html
        else {"results_format": choice.results, "graph_format": choice.graph}
    )
    result = current_executor().execute(
        op.query or "",
        default_graph=op.default_graphs or None,
        named_graphs=op.named_graphs or None,
        timeout=_timeout_param(op.params),
        client=_client(),
        cancelled=request.environ.get("waitress.client_disconnected"),
        **formats,
    )
    if html:
        return sparql_html.results_page(op.query or "", result)
    return _answer(result, choice)


def _client() -> tuple[str, ...]:
    """Who the per-client limit counts this request against (address, bearer token)."""
    return client_keys(request.remote_addr, request.headers.get("Authorization"))


def _answer(result: ExecResult, choice: Choice) -> Response:
    media = choice.graph if result.kind == "graph" else choice.results
    if media is None:
        raise _not_acceptable(GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES)
    data = serialize(result, media)
    response = Response(data, content_type=content_type(media), headers=result.headers())
    response.vary.add("Accept")
    return response


def _not_acceptable(offered: list[str]) -> ServiceError:
    accept = request.headers.get("Accept", "")
    return NotAcceptable(
        f"None of the formats this answer can take matches Accept: {accept!r} "
        f"(or the format parameter).",
        acceptable=offered,
    )


# --- updates -----------------------------------------------------------------------------------


def _run_update(op: Operation) -> Response:
    _authorise_update()
    if op.default_graphs or op.named_graphs:
        raise BadRequest("default-graph-uri and named-graph-uri apply to queries, not updates.")
    current_executor().update(
        op.update or "",
        client=_client(),
        cancelled=request.environ.get("waitress.client_disconnected"),
    )
    return Response(status=204)


def _authorise_update() -> None:
    """Updates need the configured token as a Bearer credential; compared in constant time."""
    token: str | None = current_app.config["UPDATE_TOKEN"]
    if not token:
        raise Forbidden(
            "This server is read-only: SPARQL Update is accepted only when it is started "
            "with an update token (hsfhs serve --update-token, or HSFHS_UPDATE_TOKEN)."
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8"), token.encode("utf-8")
    ):
        raise Forbidden("SPARQL Update needs the header 'Authorization: Bearer <update token>'.")


# --- service description -------------------------------------------------------------------------


def _service_description() -> Response:
    accept = request.accept_mimetypes
    if not request.args.get("format") and prefers_html(accept, GRAPH_TYPES):
        html = render_template(
            "sparql_form.html", editor_url=_editor_url(), endpoint=request.base_url
        )
        return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    media = negotiate(accept, request.args.get("format")).graph
    if media is None:
        raise _not_acceptable(GRAPH_TYPES)
    graph = service_description(request.base_url, update=bool(current_app.config["UPDATE_TOKEN"]))
    data = graph.serialize(format=_RDFLIB_FORMATS[media], encoding="utf-8")
    response = Response(data, content_type=content_type(media))
    response.vary.add("Accept")
    return response


_RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def service_description(endpoint_url: str, *, update: bool) -> Graph:
    """A SPARQL 1.1 Service Description of this endpoint, with the store's named graphs."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("dct", DCTERMS)
    service = URIRef(endpoint_url)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, DCTERMS.title, Literal("hsfhs: Health systems for health security", lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if update:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for fmt in SD_RESULT_FORMATS:
        g.add((service, SD.resultFormat, fmt))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    dataset, default = BNode(), BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for iri in _named_graphs():
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
    return g


def _named_graphs() -> list[str]:
    """The store's graphs; an unreadable store only leaves them out of the description."""
    try:
        rows = current_executor().select_trusted(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
        )
        if rows.rows and not any("g" in row for row in rows.rows):
            # an engine that binds nothing for an empty group (Virtuoso 7): ask for triples
            rows = current_executor().select_trusted(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
            )
    except ServiceError:
        return []
    return [row["g"].value for row in rows.rows if "g" in row]


def _editor_url() -> str | None:
    """The UI's SPARQL editor, if the UI blueprint has one."""
    for endpoint in ("ui.editor", "ui.sparql_editor", "ui.query_editor"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None
