"""What the API, the web pages and the CLI share when they turn query rows into answers.

Rows come back from the store as RDF terms; answers are JSON. ``rows_json`` turns one into
the other (numbers stay numbers), ``context`` gives the parameters an answer was computed
for in the caller's own words (codes, not IRIs), and ``code_order`` sorts WHO codes the way
people read them (C2 before C10). The answers themselves live in ``gaps`` and
``action_plan``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import Literal

from hsfhs.namespaces import ID
from hsfhs.store import Rows
from hsfhs.terms import to_oxigraph

from .named_queries import Bound

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
_DECIMALS = {XSD + t for t in ("decimal", "double", "float")}


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
    """A result term as JSON: numbers as numbers, everything else as its text."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _DECIMALS:
            number = Decimal(term.value)
            return int(number) if number == number.to_integral_value() else float(number)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
    return term.value


def rows_json(rows: Rows) -> list[dict[str, Any]]:
    return [{k: term_value(v) for k, v in row.items()} for row in rows.rows]


def context(bound: Bound) -> dict[str, Any]:
    """The parameters the answer is for, as the caller can read them back (codes, not IRIs)."""
    out: dict[str, Any] = {}
    for name, term in bound.bindings.items():
        if (
            isinstance(term, Literal)
            and term.datatype is not None
            and str(term.datatype) != (XSD + "gYear")
        ):
            out[name] = term_value(to_oxigraph(term))
        else:
            out[name] = str(term).removeprefix(str(ID)).rsplit("/", 1)[-1]
    return out


def code_order(code: str) -> tuple:
    """C2 before C10: compare codes by their letters, then numerically."""
    parts = re.findall(r"\d+|\D+", code)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)
