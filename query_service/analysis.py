"""The questions people ask most, answered from the canned queries: gaps and action plans.

The API, the web pages and the CLI call these functions, so all three give the same
answer. Each one runs canned queries (with their parameter checks) and adds what SPARQL
says awkwardly: the shortest dependency chain behind an indirect gap, and the merge of
unmet indicators with the actions that reach their next level.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import Literal

from hsfhs.namespaces import ID
from hsfhs.store import Rows, to_oxigraph

from .named_queries import Bound, Runner, run_named

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
_DECIMALS = {XSD + t for t in ("decimal", "double", "float")}

DEPENDENCY_EDGES = """PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?from ?to ?fromCode ?toCode WHERE {
  ?from hsfhs:framework ?framework ;
        hsfhs:dependsOnDirectly ?to ;
        skos:notation ?fromCode .
  ?to skos:notation ?toCode .
}"""


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


# --- gaps ------------------------------------------------------------------------------------


def shortest_chains(runner: Runner, framework: Any, starts: set[str]) -> dict[str, list[str]]:
    """Capacity IRI -> the shortest dependsOnDirectly chain of codes from any start capacity.

    Breadth-first from all direct contributors at once, so the chain found first is a
    shortest one; ties go to the start and neighbours in code order, for stable answers.
    """
    rows = runner.select(DEPENDENCY_EDGES, {"framework": framework}).values()
    edges: dict[str, list[tuple[str, str]]] = {}
    codes: dict[str, str] = {}
    for row in rows:
        edges.setdefault(row["from"], []).append((row["toCode"], row["to"]))
        codes[row["from"]], codes[row["to"]] = row["fromCode"], row["toCode"]
    chains: dict[str, list[str]] = {}
    queue: deque[str] = deque()
    for start in sorted(starts, key=lambda s: code_order(codes.get(s, s))):
        chains[start] = [codes.get(start, start.rsplit("/", 1)[-1])]
        queue.append(start)
    while queue:
        node = queue.popleft()
        for code, target in sorted(edges.get(node, []), key=lambda e: code_order(e[0])):
            if target not in chains:
                chains[target] = [*chains[node], code]
                queue.append(target)
    return chains


def code_order(code: str) -> tuple:
    """C2 before C10: compare codes by their letters, then numerically."""
    parts = re.findall(r"\d+|\D+", code)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


DIRECT_CAPACITIES = """PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>
SELECT ?capacity WHERE { ?capacity hsfhs:contributesTo ?function ; hsfhs:framework ?framework }"""


def gaps(runner: Runner, raw: Mapping[str, str]) -> dict[str, Any]:
    """``/api/gaps``: the unmet capacities blocking a function, with dependency paths."""
    bound, rows = run_named("gaps", raw, runner)
    items = rows_json(rows)
    if any(item["relation"] == "indirect" for item in items):
        direct = runner.select(
            DIRECT_CAPACITIES,
            {"function": bound.bindings["function"], "framework": bound.bindings["framework"]},
        ).values()
        chains = shortest_chains(
            runner, bound.bindings["framework"], {r["capacity"] for r in direct}
        )
    else:
        chains = {}
    for item in items:
        item["via"] = item.get("via", "").split() if item["relation"] == "indirect" else []
        item["path"] = chains.get(item["capacity"], [item["code"]])
        if item["relation"] == "direct":
            item["path"] = [item["code"]]
    return {**context(bound), "resolved": bound.resolved, "count": len(items), "gaps": items}


# --- action plan ---------------------------------------------------------------------------------


def action_plan(runner: Runner, raw: Mapping[str, str]) -> dict[str, Any]:
    """``/api/action-plan``: each unmet indicator with the actions that reach its next level."""
    bound, unmet = run_named("unmet-indicators", raw, runner)
    fixed = {**{k: v for k, v in raw.items() if v}, **bound.resolved}
    _, actions = run_named("action-plan", fixed, runner)
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for row in rows_json(actions):
        entry = {
            "action": row["action"],
            "code": row["actionCode"],
            "text": row["actionText"],
            "benchmark": row["benchmark"],
            "benchmarkCode": row["benchmarkCode"],
        }
        by_indicator.setdefault(row["indicator"], []).append(entry)
    items = []
    for row in rows_json(unmet):
        row["actions"] = by_indicator.get(row["indicator"], [])
        items.append(row)
    return {**context(bound), "resolved": bound.resolved, "count": len(items), "indicators": items}
