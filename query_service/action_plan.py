"""The action plan: which WHO benchmark actions would lift a country's unmet capacities.

One unmet set: the plan starts from the same unmet capacities as ``gaps`` (for a
function: its direct gaps, and with ``indirect=true`` the indirect ones too; without a
function: every capacity of the framework below the target level). For each, the
indicators below the target level, and for each indicator the actions of the benchmarks
that address it (official, derived or curated links, each saying which) at the
indicator's next level. An action several indicators need is listed once, under its
benchmark, naming every indicator it serves. An indicator with no level (a SPAR 0, or a
JEE half level) or no benchmark is listed with the reason instead of actions.
``disease=influenza`` (cholera, ebola) adds the RTSL disease-specific actions of the
benchmarks in the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .analysis import code_order, context, rows_json
from .gaps import gaps as function_gaps
from .gaps import read_scores
from .named_queries import Bound, Settled, bind
from .params import TYPES, ParamError
from .query_files import get_query
from .runners import Runner

PLAN_PARAMS = ("country", "year", "framework", "target")


def _flag(raw: dict[str, str], name: str) -> bool:
    value = raw.pop(name, None)
    if value is None or value.strip() == "":
        return False
    if value.strip().lower() in ("true", "1", "yes"):
        return True
    if value.strip().lower() in ("false", "0", "no"):
        return False
    raise ParamError(f"{name}={value!r} is not true or false", parameter=name,
                     choices=["true", "false"])


def unmet_capacities(runner: Runner, raw: Mapping[str, str], indirect: bool,
                     settled: Settled | None = None) -> tuple[Bound, dict]:
    """The bound plan query and capacity IRI -> gap item (relation, score, level, path).

    The gaps of a function reuse the plan's country, year, framework and target as bound.
    """
    function = raw.get("function")
    plan_raw = {k: v for k, v in raw.items() if k in PLAN_PARAMS}
    bound = bind(get_query("action-plan"), plan_raw, runner, settled)
    if function:
        answer = function_gaps(runner, {"function": function,
                                        **({"depth": raw["depth"]} if raw.get("depth") else {})},
                               bound.settled())
        chosen = {g["capacity"]: g for g in answer["gaps"]
                  if indirect or g["relation"] == "direct"}
        return bound, chosen
    scores, _ = read_scores(runner, bound)
    target = int(bound.bindings["target"])
    return bound, {iri: {"relation": "below target", "code": s["code"], "label": s["label"],
                         "capacity": iri, "score": s.get("score"), "level": s["level"]}
                   for iri, s in scores.items() if s.get("level") is not None
                   and s["level"] < target}


def action_plan(runner: Runner, raw: Mapping[str, str],
                settled: Settled | None = None) -> dict[str, Any]:
    """``/api/action-plan``: unmet capacities, their unmet indicators, actions by benchmark.

    ``settled``: the request's country, year, framework and target if a caller (the
    dashboard) has already resolved them.
    """
    raw = dict(raw)
    indirect = _flag(raw, "indirect")
    disease = raw.pop("disease", None)
    disease_term = TYPES["disease"].parse("disease", disease) if disease else None
    function = raw.get("function")
    if function:
        TYPES["function"].parse("function", function)
    unknown = sorted(set(raw) - {*PLAN_PARAMS, "function", "depth"})
    if unknown:
        raise ParamError(f"unknown parameter(s) {', '.join(unknown)} for the action plan; it takes "
                         f"{', '.join((*PLAN_PARAMS, 'function', 'depth', 'indirect', 'disease'))}",
                         parameter=unknown[0])
    if raw.get("depth") and not function:
        raise ParamError("depth goes with function: it is how far the gaps of that function "
                         "follow dependencies", parameter="depth")
    bound, capacities = unmet_capacities(runner, raw, indirect, settled)
    b = bound.bindings
    keys = {k: b[k] for k in ("country", "year", "framework", "target")}
    indicators = _indicators(runner, keys, capacities)
    benchmarks = _benchmarks(runner, bound, capacities, indicators)
    if disease_term is not None:
        _add_disease_actions(runner, disease_term, benchmarks)
    ordered = sorted(benchmarks.values(), key=lambda x: code_order(x["code"]))
    return {
        **context(bound),
        **({"function": function.lower()} if function else {}),
        "indirect": indirect,
        **({"disease": disease.lower()} if disease else {}),
        "resolved": bound.resolved,
        "assumptions": bound.assumptions,
        "capacities": [
            {**{k: c.get(k) for k in ("relation", "code", "label", "capacity", "score", "level",
                                      "path")},
             "indicators": [i for i in indicators.values() if i["capacity"] == iri]}
            for iri, c in sorted(capacities.items(), key=lambda kv: code_order(kv[1]["code"]))
        ],
        "count": len(indicators),
        "indicators": sorted(indicators.values(), key=lambda i: code_order(i["indicatorCode"])),
        "benchmarks": ordered,
        "actionCount": sum(len(x["actions"]) for x in ordered),
    }


# The CSV table of /api/action-plan: one row per action of a benchmark, then one per
# indicator with a note (no level, no benchmark) instead of actions.
COLUMNS = ("benchmarkCode", "actionCode", "targetLevel", "text", "for", "linkStatus")


def table(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan as the rows of ``COLUMNS``: what a spreadsheet of actions needs."""
    rows = [
        {
            "benchmarkCode": bench["code"],
            "actionCode": action["code"],
            "targetLevel": action["targetLevel"],
            "text": action["text"],
            "for": "; ".join(action["for"]),
            "linkStatus": "; ".join(sorted({link["status"] for link in bench["links"]})),
        }
        for bench in answer["benchmarks"]
        for action in bench["actions"]
    ]
    indicators = {i["indicator"]: i for i in answer["indicators"]}
    return rows + [
        {"benchmarkCode": "", "for": f"{i['indicatorCode']}: {i['note']}"}
        for i in indicators.values()
        if i.get("note")
    ]


def _indicators(runner: Runner, keys: dict, capacities: dict) -> dict[str, dict[str, Any]]:
    """The unmet (or unscored) indicators of the unmet capacities, by indicator IRI."""
    rows = rows_json(runner.select(get_query("unmet-indicators").sparql, keys))
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["capacity"] not in capacities:
            continue
        item = {k: row.get(k) for k in ("capacity", "capacityCode", "indicator", "indicatorCode",
                                        "indicatorLabel", "score", "level", "nextLevel", "status")}
        item["actions"], item["benchmarks"] = [], []
        if row.get("level") is None:
            item["note"] = _no_level_note(row)
        out[row["indicator"]] = item
    return out


def _no_level_note(row: dict[str, Any]) -> str:
    if row["status"] == "zero":
        return ("no level: the source publishes 0 %, which is no SPAR level (not answered or "
                "not applicable); no action can be chosen until it is scored")
    score = Decimal(str(row.get("score") or 0)) / 20
    return (f"score {score} is between two levels; the actions of the level above it are "
            "not listed, as the tool scores whole levels")


def _benchmarks(runner: Runner, bound: Bound, capacities: dict,
                indicators: dict) -> dict[str, dict[str, Any]]:
    """Benchmark code -> its actions for the plan, each action once, saying whom it serves."""
    rows = rows_json(runner.select(bound.query.sparql, bound.bindings))
    benchmarks: dict[str, dict[str, Any]] = {}
    for row in rows:
        indicator = indicators.get(row["indicator"])
        if row["capacity"] not in capacities or indicator is None:
            continue
        bench = benchmarks.setdefault(row["benchmarkCode"], {
            "code": row["benchmarkCode"], "benchmark": row["benchmark"],
            "label": row["benchmarkLabel"], "links": [], "actions": [], "_seen": {}})
        link = {"indicator": row["indicatorCode"], "status": row["linkStatus"],
                "rationale": row["linkRationale"]}
        if link not in bench["links"]:
            bench["links"].append(link)
        if row["benchmarkCode"] not in indicator["benchmarks"]:
            indicator["benchmarks"].append(row["benchmarkCode"])
        why = f"{row['indicatorCode']} from level {row['level']} to {row['nextLevel']}"
        action = bench["_seen"].get(row["action"])
        if action is None:
            action = {"action": row["action"], "code": row["actionCode"], "text": row["actionText"],
                      "targetLevel": row["nextLevel"], "sequence": row["sequence"], "for": []}
            bench["_seen"][row["action"]] = action
            bench["actions"].append(action)
        if why not in action["for"]:
            action["for"].append(why)
        if row["actionCode"] not in indicator["actions"]:
            indicator["actions"].append(row["actionCode"])
    for bench in benchmarks.values():
        del bench["_seen"]
        bench["why"] = "; ".join(
            f"addresses {link['indicator']} ({link['status']}: {link['rationale']})"
            for link in bench["links"])
    for item in indicators.values():
        if item.get("level") is not None and not item["benchmarks"]:
            item["note"] = ("no WHO benchmark addresses this indicator, and it has no exact or "
                            "close match to an indicator that one addresses")
    return benchmarks


def _add_disease_actions(runner: Runner, disease: Any, benchmarks: dict) -> None:
    rows = rows_json(runner.select(get_query("disease-actions").sparql, {"disease": disease}))
    for bench in benchmarks.values():
        bench["diseaseActions"] = [
            {"action": r["action"], "code": r["actionCode"], "text": r["actionText"],
             **({"priority": r["priority"]} if r.get("priority") else {})}
            for r in rows if r["benchmarkCode"] == bench["code"]
        ]
