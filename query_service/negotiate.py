"""Content negotiation for SPARQL results and RDF graphs: Accept with q-values, or ``format``.

The query form (SELECT/ASK or CONSTRUCT/DESCRIBE) is only known once the query has
been parsed, which happens in a worker; so both choices are made up front and the
worker serializes into the one that applies. A side with no acceptable format is
``None`` and becomes a 406 if the query turns out to need it.

Aliases that real clients send (``application/json`` from SPARQLWrapper,
``application/xml``, ``text/plain`` for N-Triples) map to the canonical media types.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept

from .errors import BadRequest
from .results import (
    CSV,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
)

HTML = "text/html"

# Server preference order: the first is the default when the client states none.
RESULT_TYPES = [SPARQL_JSON, SPARQL_XML, CSV, TSV]
GRAPH_TYPES = [TURTLE, N_TRIPLES, JSON_LD, RDF_XML]
RESULT_ALIASES = {
    "application/json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
}
GRAPH_ALIASES = {
    "application/x-turtle": TURTLE,
    "text/plain": N_TRIPLES,
    "application/json": JSON_LD,
    "application/xml": RDF_XML,
    "text/xml": RDF_XML,
}

# ?format= for browsers and curl users: short names, each with the matching result and
# graph syntax (json -> SPARQL JSON or JSON-LD), or a full media type.
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": (SPARQL_JSON, JSON_LD),
    "xml": (SPARQL_XML, RDF_XML),
    "csv": (CSV, None),
    "tsv": (TSV, None),
    "turtle": (None, TURTLE),
    "ttl": (None, TURTLE),
    "ntriples": (None, N_TRIPLES),
    "nt": (None, N_TRIPLES),
    "jsonld": (None, JSON_LD),
    "rdfxml": (None, RDF_XML),
}

# Charset parameters for the textual types whose media type does not fix UTF-8.
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    TSV: "text/tab-separated-values; charset=utf-8",
    TURTLE: "text/turtle; charset=utf-8",
}


def content_type(media_type: str) -> str:
    return CONTENT_TYPES.get(media_type, media_type)


@dataclass(frozen=True)
class Choice:
    """The media type for each answer kind; None means the client accepts none of them."""

    results: str | None
    graph: str | None

    @property
    def acceptable(self) -> bool:
        return self.results is not None or self.graph is not None


def best(accept: MIMEAccept, canonical: list[str], aliases: dict[str, str]) -> str | None:
    """The client's best canonical type; ties go to the server's order; none -> None."""
    if not accept:  # no Accept header: the server's default
        return canonical[0]
    offered = canonical + [a for a in aliases if a not in canonical]
    match = accept.best_match(offered)
    if match is None:
        return None
    return aliases.get(match, match)


def negotiate(accept: MIMEAccept, format_param: str | None) -> Choice:
    """The response formats, from ``format`` if given (it wins), else from Accept."""
    if format_param:
        name = format_param.strip().lower()
        if name in FORMAT_NAMES:
            return Choice(*FORMAT_NAMES[name])
        if name in RESULT_TYPES or name in GRAPH_TYPES:
            return Choice(
                name if name in RESULT_TYPES else None, name if name in GRAPH_TYPES else None
            )
        raise BadRequest(
            f"Unknown format {format_param!r}.",
            choices=sorted(FORMAT_NAMES) + RESULT_TYPES + GRAPH_TYPES,
        )
    return Choice(
        best(accept, RESULT_TYPES, RESULT_ALIASES), best(accept, GRAPH_TYPES, GRAPH_ALIASES)
    )


def prefers_html(accept: MIMEAccept, alternatives: list[str]) -> bool:
    """Whether a browser-like Accept ranks text/html above every data format offered."""
    if not accept:
        return False
    return accept.quality(HTML) > max((accept.quality(a) for a in alternatives), default=0)
