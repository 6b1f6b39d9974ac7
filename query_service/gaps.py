"""Which unmet capacities block a preparedness function: the headline question, answered once.

The rule, for a country, a function, a report year and a framework:

- the function *needs* the capacities that contribute to it (direct), and the capacities
  those depend on, following typed dependencies (enabling or operational) up to ``depth``
  steps (1 by default, at most 3), and only dependencies that serve this function (a
  dependency scoped to respond is not followed when the question is detect);
- a needed capacity is *unmet* when its level (the capacity score computed at load time,
  ``loaders/scores.py``) is below the target level (3, developed capacity, by default);
- a needed capacity with no level (no indicator scored, status zero) is *not scored*, and
  one with no score that year is *missing*: both are listed, neither is a gap.

Two canned queries supply the facts (``capacity-scores``: the country's scores;
``function-needs``: contributors and dependencies, with the status and rationale of each
link), and this module applies the rule, so the API, the dashboard, the CLI and the
action plan give one answer. ``gaps.rq`` is the same rule at depth 1 in plain SPARQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Node

from .analysis import code_order, context, rows_json
from .named_queries import Bound, Settled, bind
from .params import TYPES
from .query_files import get_query
from .runners import Runner

DEFAULT_DEPTH = 1
SOURCE_PREFERENCE = ("espar", "jee")  # WHO's own publications before other files


@dataclass
class Edge:
    """One typed dependency ``capacity -> depends_on`` and the crosswalk link behind it."""

    capacity: str
    depends_on: str
    kind: str
    for_function: str | None
    status: str
    rationale: str
    link: str


@dataclass
class Needs:
    """What a function needs in a framework: contributors and the dependency graph."""

    contributors: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # IRI -> (code, label)
    edges: dict[str, list[Edge]] = field(default_factory=dict)


def parse_depth(raw: dict[str, str]) -> int:
    """The ``depth`` parameter (1-3), checked like every other typed parameter."""
    value = raw.pop("depth", None)
    if value is None or not value.strip():
        return DEFAULT_DEPTH
    return int(TYPES["depth"].parse("depth", value))


def read_needs(runner: Runner, function: Node, framework: Node) -> Needs:
    rows = rows_json(runner.select(get_query("function-needs").sparql,
                                   {"function": function, "framework": framework}))
    needs = Needs()
    for row in rows:
        needs.labels[row["capacity"]] = (row["code"], row["label"])
        if row["relation"] == "contributes":
            needs.contributors[row["capacity"]] = {
                "status": row["status"], "rationale": row["rationale"], "link": row["link"]}
        else:
            needs.labels[row["dependsOn"]] = (row["dependsOnCode"], row["dependsOnLabel"])
            needs.edges.setdefault(row["capacity"], []).append(Edge(
                row["capacity"], row["dependsOn"], row["kind"], row.get("forFunction"),
                row["status"], row["rationale"], row["link"]))
    return needs


def read_scores(runner: Runner, bound: Bound) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Capacity IRI -> its score row; when two sources score one capacity, WHO's file wins."""
    b = bound.bindings
    rows = rows_json(runner.select(get_query("capacity-scores").sparql,
                                   {k: b[k] for k in ("country", "year", "framework")}))
    chosen: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for row in sorted(rows, key=_source_rank):
        if row["capacity"] in chosen:
            notes.append(f"{row['code']} is also scored by {row['source'].rsplit('/', 1)[-1]} "
                         f"({row.get('score')} %); the {chosen[row['capacity']]['source'].rsplit('/', 1)[-1]} "
                         "score is used")
            continue
        chosen[row["capacity"]] = row
    return chosen, notes


def _source_rank(row: dict[str, Any]) -> tuple[int, str]:
    slug = row["source"].rsplit("/", 1)[-1]
    rank = SOURCE_PREFERENCE.index(slug) if slug in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE)
    return rank, slug


def needed(needs: Needs, function: str, depth: int) -> dict[str, list[Edge]]:
    """Every capacity the function needs within ``depth`` dependencies, with its shortest chain.

    Breadth first from all contributors at once (in code order, for stable answers), so
    the chain found first is a shortest one; a contributor's chain is empty.
    """
    def order(iri: str) -> tuple:
        return code_order(needs.labels.get(iri, (iri, ""))[0])

    chains: dict[str, list[Edge]] = {c: [] for c in sorted(needs.contributors, key=order)}
    frontier = list(chains)
    for _ in range(depth):
        following: list[str] = []
        for capacity in frontier:
            for edge in sorted(needs.edges.get(capacity, []), key=lambda e: order(e.depends_on)):
                if edge.for_function not in (None, function):
                    continue  # this dependency serves another function of the capacity
                if edge.depends_on not in chains:
                    chains[edge.depends_on] = [*chains[capacity], edge]
                    following.append(edge.depends_on)
        frontier = following
    return chains


def gaps(runner: Runner, raw: Mapping[str, str], settled: Settled | None = None) -> dict[str, Any]:
    """``/api/gaps``: the unmet capacities blocking a function, and what could not be judged.

    ``settled``: the country, year, framework and target a caller has already resolved
    for this request (the action plan, the dashboard), taken as they are.
    """
    raw = dict(raw)
    depth = parse_depth(raw)
    bound = bind(get_query("gaps"), raw, runner, settled)
    b = bound.bindings
    target = int(b["target"])
    function = str(b["function"])
    needs = read_needs(runner, b["function"], b["framework"])
    scores, notes = read_scores(runner, bound)
    items, not_scored, missing = [], [], []
    for capacity, chain in needed(needs, function, depth).items():
        code, label = needs.labels.get(capacity, ("", ""))
        base = {"relation": "indirect" if chain else "direct", "code": code, "label": label,
                "capacity": capacity, **_chain_fields(needs, capacity, chain)}
        score = scores.get(capacity)
        if score is None:
            missing.append({**base, "reason": "no score for this capacity in the file(s) loaded"})
        elif score.get("level") is None:
            not_scored.append({**base, **_score_fields(score),
                               "reason": "no indicator of this capacity has a level (a published "
                                         "0 % is no level: not answered or not applicable)"})
        elif score["level"] < target:
            items.append({**base, **_score_fields(score)})
    items.sort(key=lambda g: (g["relation"] != "direct", len(g["path"]), g["level"], g["score"],
                              code_order(g["code"])))
    return {
        **context(bound),
        "depth": depth,
        "resolved": bound.resolved,
        "assumptions": bound.assumptions,
        "notes": notes,
        "rule": f"unmet: a capacity level below {target}; indirect: needed through "
                + ("one dependency that serves" if depth == 1 else f"up to {depth} dependencies that serve")
                + f" {context(bound)['function']}",
        "count": len(items),
        "gaps": items,
        "notScored": not_scored,
        "missing": missing,
    }


# The CSV table of /api/gaps: the catalogue's facts (function-needs.rq), the rule's own
# columns (relation, path, dependencyKind: _chain_fields) and the score (_score_fields).
COLUMNS = ("relation", "code", "label", "capacity", "score", "level", "scoreMethod", "path",
           "dependencyKind", "source", "fileName")


def _score_fields(score: dict[str, Any]) -> dict[str, Any]:
    return {
        "score": score.get("score"),
        "level": score.get("level"),
        "scoreMethod": score.get("method"),
        "status": score["status"],
        "publishedScore": score.get("published"),
        "indicatorsScored": score["scored"],
        "indicatorsObserved": score["observed"],
        "source": score["source"],
        "fileName": score.get("fileName"),
    }


def _chain_fields(needs: Needs, capacity: str, chain: list[Edge]) -> dict[str, Any]:
    """Why the function needs the capacity: its own link, or the dependencies leading to it."""
    if not chain:
        link = needs.contributors[capacity]
        return {"path": [needs.labels[capacity][0]], "via": [], "chain": [],
                "contribution": {"status": link["status"], "rationale": link["rationale"]}}
    codes = [needs.labels[chain[0].capacity][0], *(needs.labels[e.depends_on][0] for e in chain)]
    return {
        "path": codes,
        "via": [codes[0]],
        "dependencyKind": chain[-1].kind,
        "chain": [{"from": needs.labels[e.capacity][0], "to": needs.labels[e.depends_on][0],
                   "kind": e.kind, "status": e.status, "rationale": e.rationale} for e in chain],
    }
