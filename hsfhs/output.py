"""Query results for people (a fixed-width table) and for programs (SPARQL JSON, CSV, TSV).

Every command that prints rows (``query``, ``query --named``, ``gaps``, the load
report's cell tables) goes through ``output_rows`` or ``format_table``, so there is one
table layout and one CSV dialect.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
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


def format_table(
    variables: Sequence[str], rows: Sequence[Sequence[str]], *, rule: bool = True,
    count: bool = True,
) -> str:
    """A plain fixed-width table; a rule under the header and a row count unless told not."""
    widths = [len(v) for v in variables]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True))]
    if rule:
        lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    if count:
        lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def output_rows(
    variables: Sequence[str], rows: Sequence[Sequence[str]], fmt: str, stream: IO[str]
) -> None:
    """Rows of text cells as a table (``table``) or CSV / TSV with a header row."""
    if fmt == "table":
        stream.write(format_table(variables, rows))
        return
    if fmt not in ("csv", "tsv"):
        raise ValueError(f"rows print as table, csv or tsv, not {fmt}")
    writer = csv.writer(stream, lineterminator="\n", delimiter="," if fmt == "csv" else "\t")
    writer.writerow(variables)
    writer.writerows(rows)


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
            output_rows(variables, [[compact(s[v]) for v in variables] for s in result], fmt, stream)
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
