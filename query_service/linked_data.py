"""Linked data: every IRI under https://w3id.org/hsfhs/id/ resolves at ``/id/<path>``.

A machine (Turtle, JSON-LD, N-Triples, RDF/XML by Accept, or ``?format=``) gets the
resource's description: its triples as subject plus the labels and codes of the things
they point to. A browser gets the UI's page for it, or a plain page of ours if the UI
has none. The path is checked against a strict pattern and the IRI is built as an
rdflib ``URIRef`` and bound with ``VALUES``; it never becomes query text.

``/ontology`` serves the ontology (``https://w3id.org/hsfhs/ontology#``) the same way,
with its HTML documentation when ``ontology/hsfhs.html`` has been generated.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from rdflib import URIRef
from werkzeug.exceptions import NotFound

from hsfhs.namespaces import ID, PREFIXES, sparql_prefixes
from hsfhs.resources import ontology_dir, ontology_file

from .errors import NotAcceptable
from .executor import current_executor
from .negotiate import GRAPH_TYPES, content_type, negotiate, prefers_html
from .results import GRAPH_FORMATS, N_TRIPLES, RDF_XML, TURTLE

bp = Blueprint("linked_data", __name__)

# Segments as the model's IRI patterns make them: codes, slugs, dotted numbers.
_SEGMENT = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199}"
_PATH = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT}){{0,15}}")

DESCRIBE = (
    sparql_prefixes()
    + """
CONSTRUCT { ?s ?p ?o . ?o ?lp ?label . }
WHERE {
  ?s ?p ?o .
  OPTIONAL {
    ?o ?lp ?label .
    FILTER(isIRI(?o) && ?lp IN (skos:prefLabel, rdfs:label, skos:notation))
  }
}
"""
)

_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
_LABELS = {
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
}


def resource_iri(path: str) -> URIRef:
    """The IRI for ``/id/<path>``; raises NotFound for paths no hsfhs IRI can have."""
    if not _PATH.fullmatch(path) or any(seg in (".", "..") for seg in path.split("/")):
        raise NotFound(f"/id/{path} is not an hsfhs identifier.")
    return URIRef(str(ID) + path)


@bp.route("/id/<path:rest>", methods=["GET"])
def resource(rest: str) -> Response:
    """The description of one individual, in the format the client asks for."""
    iri = resource_iri(rest)
    html = not request.args.get("format") and prefers_html(request.accept_mimetypes, GRAPH_TYPES)
    if html:
        page = _ui_page(rest)
        if page is not None:
            return page
    media = (
        TURTLE if html else negotiate(request.accept_mimetypes, request.args.get("format")).graph
    )
    if media is None:
        raise NotAcceptable(
            "Resources are served as RDF or HTML.", acceptable=[*GRAPH_TYPES, "text/html"]
        )
    # our own query with the IRI bound: it runs in this thread, never behind user queries
    result = current_executor().execute_trusted(DESCRIBE, {"s": iri}, graph_format=N_TRIPLES)
    if not result.count:
        raise NotFound(f"No resource <{iri}> in this store.")
    triples = description(
        str(iri), [q.triple for q in ox.parse(result.data, format=ox.RdfFormat.N_TRIPLES)]
    )
    if html:
        body = render_template("resource.html", resource=_page_model(str(iri), triples))
        return _vary(Response(body, content_type="text/html; charset=utf-8"))
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if media in (TURTLE, RDF_XML) else None
    data = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=prefixes)
    return _vary(Response(data, content_type=content_type(media), headers=result.headers()))


def description(iri: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    """The resource's own triples, then one label and the code of each thing they point to.

    Ordered by subject (the resource first) and predicate, so Turtle groups each subject's
    statements under it once; of a term's labels only one is kept (skos:prefLabel, else
    rdfs:label, English first), where the query returns both.
    """
    own = [t for t in triples if t.subject.value == iri]
    labels: dict[str, ox.Triple] = {}
    codes: dict[str, ox.Triple] = {}
    for t in triples:
        if t.subject.value == iri:
            continue
        if t.predicate.value == _NOTATION:
            codes.setdefault(t.subject.value, t)
        elif t.predicate.value in _LABELS:
            best = labels.get(t.subject.value)
            if best is None or _label_rank(t) < _label_rank(best):
                labels[t.subject.value] = t
    others = sorted([*labels.values(), *codes.values()], key=_order)
    return sorted(own, key=_order) + others


def _label_rank(t: ox.Triple) -> tuple[int, int]:
    language = getattr(t.object, "language", None)
    return (0 if t.predicate.value.endswith("prefLabel") else 1, 0 if language == "en" else 1)


def _order(t: ox.Triple) -> tuple[str, str, str]:
    return (t.subject.value, t.predicate.value, str(t.object))


def _ui_page(rest: str) -> Response | None:
    """Hand browsers to the UI's page for this resource (``ui.resource``), when the app
    has the UI; without it, the plain page below."""
    if "ui.resource" in current_app.view_functions:
        return redirect(url_for("ui.resource", path=rest), code=303)  # type: ignore[return-value]
    return None


def _vary(response: Response) -> Response:
    response.vary.add("Accept")
    return response


# --- the fallback HTML page ---------------------------------------------------------------


@dataclass
class Value:
    text: str
    href: str | None = None
    note: str | None = None


@dataclass
class PageModel:
    iri: str
    label: str
    properties: list[tuple[str, list[Value]]]


def local_href(iri: str) -> str | None:
    """The URL of an hsfhs IRI on this server (so links stay here), else the IRI itself."""
    if iri.startswith(str(ID)):
        return url_for("linked_data.resource", rest=iri[len(str(ID)) :])
    return iri if iri.startswith(("http://", "https://")) else None


def compact_iri(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)) :]}"
    return iri


def _page_model(iri: str, triples: list[ox.Triple]) -> PageModel:
    labels: dict[str, str] = {}
    for t in triples:
        if t.predicate.value in _LABELS and isinstance(t.object, ox.Literal):
            labels.setdefault(t.subject.value, t.object.value)
    grouped: dict[str, list[Value]] = defaultdict(list)
    for t in triples:
        if t.subject.value != iri:
            continue
        obj = t.object
        if isinstance(obj, ox.NamedNode):
            value = Value(compact_iri(obj.value), local_href(obj.value), labels.get(obj.value))
        elif isinstance(obj, ox.Literal):
            value = Value(obj.value, note=obj.language or None)
        else:
            value = Value(str(obj))
        grouped[compact_iri(t.predicate.value)].append(value)
    properties = sorted((p, sorted(vs, key=lambda v: v.text)) for p, vs in grouped.items())
    return PageModel(iri, labels.get(iri, compact_iri(iri)), properties)


# --- the ontology -----------------------------------------------------------------------


@bp.route("/ontology", methods=["GET"])
def ontology() -> Response:
    """The ontology as Turtle (or another RDF syntax), or its HTML documentation."""
    docs = ontology_dir() / "hsfhs.html"
    accept = request.accept_mimetypes
    if not request.args.get("format") and prefers_html(accept, GRAPH_TYPES) and docs.is_file():
        return _vary(Response(docs.read_bytes(), content_type="text/html; charset=utf-8"))
    media = negotiate(accept, request.args.get("format")).graph
    if prefers_html(accept, GRAPH_TYPES):
        media = TURTLE
    if media is None:
        raise NotAcceptable("The ontology is served as RDF or HTML.", acceptable=GRAPH_TYPES)
    data = ontology_file().read_bytes()
    if media != TURTLE:
        triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if media != N_TRIPLES else None
        data = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=prefixes)
    return _vary(Response(data, content_type=content_type(media)))
