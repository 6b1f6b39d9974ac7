"""Query answers as bytes: what workers send back, and conversions between formats.

A worker reads at most ``row_limit`` rows (or triples) of a pyoxigraph answer and
serializes them straight into the format the client negotiated, so neither term objects
nor a second serialization cross the pipe. SPARQL JSON is written here rather than by
pyoxigraph so a truncated answer can carry its ``warnings``; the other formats are
pyoxigraph's own.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph as ox

from hsfhs.namespaces import PREFIXES
from hsfhs.store import Rows, solutions_to_rows

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    SPARQL_JSON: ox.QueryResultsFormat.JSON,
    SPARQL_XML: ox.QueryResultsFormat.XML,
    CSV: ox.QueryResultsFormat.CSV,
    TSV: ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    TURTLE: ox.RdfFormat.TURTLE,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    JSON_LD: ox.RdfFormat.JSON_LD,
    RDF_XML: ox.RdfFormat.RDF_XML,
}
# Syntaxes that can use prefixes: the project's make Turtle and RDF/XML readable.
_PREFIXED = {TURTLE, RDF_XML}

Kind = Literal["solutions", "boolean", "graph"]


@dataclass
class ExecResult:
    """A finished query: its serialized answer and what the client should be told about it."""

    kind: Kind
    data: bytes
    media_type: str
    truncated: bool = False
    count: int | None = None
    """Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned; None for ASK."""
    row_limit: int = 0
    elapsed_s: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> Rows:
        """A SELECT answer as ``hsfhs.store.Rows`` (what the API works with)."""
        if self.kind != "solutions":
            raise TypeError(f"a {self.kind} result has no rows")
        parsed = ox.parse_query_results(self.data, format=RESULT_FORMATS[self.media_type])
        return solutions_to_rows(parsed)  # type: ignore[arg-type]

    @property
    def boolean(self) -> bool:
        """An ASK answer."""
        if self.kind != "boolean":
            raise TypeError(f"a {self.kind} result is not a boolean")
        return bool(ox.parse_query_results(self.data, format=RESULT_FORMATS[self.media_type]))

    def triples(self) -> list[ox.Triple]:
        """A CONSTRUCT / DESCRIBE answer as pyoxigraph triples."""
        if self.kind != "graph":
            raise TypeError(f"a {self.kind} result has no triples")
        return [q.triple for q in ox.parse(self.data, format=GRAPH_FORMATS[self.media_type])]

    def headers(self) -> dict[str, str]:
        """HTTP headers that report the cap and the time taken (for /sparql and /api)."""
        headers = {"Server-Timing": f"query;dur={self.elapsed_s * 1000:.1f}"}
        if self.truncated:
            headers["X-HSFHS-Truncated"] = "true"
            headers["X-HSFHS-Row-Limit"] = str(self.row_limit)
        return headers


def truncation_warning(row_limit: int, what: str = "rows") -> str:
    return (
        f"Only the first {row_limit} {what} are returned: the server's row limit "
        f"(ROW_LIMIT, env HSFHS_ROW_LIMIT). Add LIMIT/OFFSET to page through the rest."
    )


# --- turning pyoxigraph results into bytes (runs in the workers) ------------------------------


def _term_json(term: Any) -> dict[str, Any]:
    """One RDF term in the SPARQL 1.1 JSON results shape (with RDF-star triples)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _solutions_json(variables: list[str], solutions: Iterable[ox.QuerySolution]) -> dict[str, Any]:
    bindings = []
    for solution in solutions:
        row = {}
        for name in variables:
            term = solution[name]
            if term is not None:
                row[name] = _term_json(term)
        bindings.append(row)
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


def _with_warnings(doc: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """Add a top-level ``warnings`` list between ``head`` and ``results``.

    Before ``results``: streaming parsers (pyoxigraph's among them) stop reading at the
    end of the bindings and reject members after it; other clients ignore unknown keys.
    """
    if not warnings:
        return doc
    return {
        "head": doc["head"],
        "warnings": warnings,
        **{k: v for k, v in doc.items() if k != "head"},
    }


def _dump_json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def materialise(
    result: Any,
    *,
    row_limit: int,
    results_format: str | None = None,
    graph_format: str | None = None,
) -> ExecResult:
    """Read at most ``row_limit`` rows/triples of a query answer and serialize them.

    ``results_format`` (for SELECT/ASK) and ``graph_format`` (CONSTRUCT/DESCRIBE) are the
    media types the caller wants; serializing straight into them in the worker saves a
    parse and a re-serialization in the server.
    """
    results_format = results_format or SPARQL_JSON
    graph_format = graph_format or N_TRIPLES
    if isinstance(result, ox.QueryBoolean):
        data = result.serialize(format=RESULT_FORMATS[results_format])
        return ExecResult("boolean", data, results_format, row_limit=row_limit)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions = list(itertools.islice(result, row_limit + 1))
        truncated = len(solutions) > row_limit
        solutions = solutions[:row_limit]
        doc = _solutions_json(variables, solutions)
        warnings = [truncation_warning(row_limit)] if truncated else []
        if results_format == SPARQL_JSON:
            data = _dump_json(_with_warnings(doc, warnings))
        else:
            parsed = ox.parse_query_results(_dump_json(doc), format=ox.QueryResultsFormat.JSON)
            data = parsed.serialize(format=RESULT_FORMATS[results_format])  # type: ignore[union-attr]
        return ExecResult(
            "solutions",
            data,
            results_format,
            truncated,
            len(solutions),
            row_limit,
            warnings=warnings,
        )
    # CONSTRUCT / DESCRIBE: pyoxigraph QueryTriples, or a list from RemoteStore
    triples = list(itertools.islice(iter(result), row_limit + 1))
    truncated = len(triples) > row_limit
    triples = triples[:row_limit]
    data = _serialize_triples(triples, graph_format)
    warnings = [truncation_warning(row_limit, "triples")] if truncated else []
    return ExecResult(
        "graph", data, graph_format, truncated, len(triples), row_limit, warnings=warnings
    )


def _serialize_triples(triples: list[ox.Triple], media_type: str) -> bytes:
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if media_type in _PREFIXED else None
    return ox.serialize(triples, format=GRAPH_FORMATS[media_type], prefixes=prefixes)  # type: ignore[return-value]


def serialize(result: ExecResult, media_type: str) -> bytes:
    """The answer in another format of its kind (SPARQL results or an RDF syntax).

    Raises ``ValueError`` if the media type does not fit the kind (Turtle for a SELECT).
    """
    if media_type == result.media_type:
        return result.data
    if result.kind == "graph":
        if media_type not in GRAPH_FORMATS:
            raise ValueError(f"a graph cannot be written as {media_type}")
        return _serialize_triples(result.triples(), media_type)
    if media_type not in RESULT_FORMATS:
        raise ValueError(f"query results cannot be written as {media_type}")
    parsed = ox.parse_query_results(result.data, format=RESULT_FORMATS[result.media_type])
    data = parsed.serialize(format=RESULT_FORMATS[media_type])
    if media_type == SPARQL_JSON and result.warnings:
        data = _dump_json(_with_warnings(json.loads(data), result.warnings))
    return data  # type: ignore[return-value]
