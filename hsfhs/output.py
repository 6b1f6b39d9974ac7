"""Query results for people (a fixed-width table) and for programs (SPARQL JSON, CSV, TSV)."""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from hsfhs.namespaces import PREFIXES

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "table": ox.RdfFormat.TURTLE,
    "json": ox.RdfFormat.JSON_LD,
    "csv": ox.RdfFormat.N_TRIPLES,
    "tsv": ox.RdfFormat.N_TRIPLES,
}


def compact(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A term as people read it: ``id:spar2/C5`` for IRIs, the lexical form for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(str(ns)):
                return f"{prefix}:{term.value[len(str(ns)):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def format_table(variables: list[str], rows: list[list[str]]) -> str:
    """A plain fixed-width table with a header rule and a row count."""
    widths = [len(v) for v in variables]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def write_result(result: object, fmt: str, stream: IO[str]) -> None:
    """Write any query result (SELECT, ASK, CONSTRUCT) in the chosen format."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":  # SPARQL JSON, as for SELECT
            stream.write(result.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8"))
            stream.write("\n")
            return
        stream.write(("true" if bool(result) else "false") + "\n")
        return
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            variables = [v.value for v in result.variables]
            rows = [[compact(solution[v]) for v in variables] for solution in result]
            stream.write(format_table(variables, rows))
        else:
            stream.write(result.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8"))
            if fmt == "json":
                stream.write("\n")
        return
    # CONSTRUCT / DESCRIBE: an iterable of triples
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    data = ox.serialize(
        list(result),  # type: ignore[call-overload]
        format=_GRAPH_FORMATS[fmt],
        prefixes=prefixes if fmt == "table" else None,
    )
    text = data.decode("utf-8")
    stream.write(text if not text or text.endswith("\n") else text + "\n")
