"""A capacity's trend for one country: every year loaded, across editions of the same tool.

SPAR changed tools in 2021: the 1st edition (2018 tool) scored report years 2018-2020,
the 2nd edition from 2021. A trend that stops at 2021 hides three years; one that joins
any two capacities of the same name joins things WHO defined differently. The rule, as in
``compare-years``: a point of another edition belongs to the series only when the
crosswalk says that capacity is an *exact* or *close* match (SPAR2 C5 Surveillance
closeMatch SPAR 2018 C6 Surveillance); a broad, narrow or related match is not followed,
and the answer says the series *breaks* there (SPAR2 C1 is part of the broader SPAR 2018
C1 Legislation and financing). Other tools are never joined: a self-assessment and an
external evaluation are two series.

Points come from ``trend.rq``; the breaks from ``alignment.rq``; one point per year and
edition, WHO's own files first when two sources score the same year. ``chart`` gives the
SVG geometry the dashboard and the capacity pages draw, with no script and no CDN.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .analysis import context, rows_json
from .named_queries import Settled, bind, run_named
from .query_files import get_query
from .runners import Runner

SOURCE_PREFERENCE = ("espar", "jee")
FOLLOWED = ("exactMatch", "closeMatch")


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _rank(row: dict[str, Any]) -> int:
    source = _slug(row["source"])
    return SOURCE_PREFERENCE.index(source) if source in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE)


def trend(runner: Runner, raw: Mapping[str, str], settled: Settled | None = None) -> dict[str, Any]:
    """``/api/trend``: the points, where the edition changes, and where the series breaks.

    ``settled``: the country as the request (the dashboard) has already resolved it.
    """
    bound = bind(get_query("trend"), dict(raw), runner, settled)
    asked = context(bound)
    capacity = str(bound.bindings["capacity"])
    fw = capacity.rsplit("/", 2)[-2]
    rows = rows_json(bound.run(runner))
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    also: list[str] = []
    for row in sorted(rows, key=lambda r: (r["year"], r["frameworkCode"], _rank(r))):
        key = (row["year"], row["frameworkCode"])
        if key in chosen:
            also.append(f"{row['year']}: {row['frameworkCode']} {row['code']} is also scored by "
                        f"{_slug(row['source'])} ({row.get('score')} %); the "
                        f"{_slug(chosen[key]['source'])} score is used")
            continue
        chosen[key] = row
    points = []  # the columns of COLUMNS, and the capacity and the scoring method
    previous = None
    for (year, framework), row in sorted(chosen.items()):
        points.append({
            "year": int(year), "framework": framework, "code": row["code"], "label": row["label"],
            "capacity": row["item"], "match": row["match"], "score": row.get("score"),
            "level": row.get("level"), "status": row["status"], "method": row.get("method"),
            "source": _slug(row["source"]), "fileName": row["fileName"],
            "editionChange": previous is not None and framework != previous,
        })
        previous = framework
    _, aligned = run_named("alignment", {}, runner, bound.settled("capacity"))
    breaks = [
        {"framework": a["frameworkCode"], "code": a["code"], "label": a["label"],
         "relation": a["relation"], "capacity": a["counterpart"], "rationale": a["rationale"],
         "why": f"{a['frameworkCode']} {a['code']} is a {a['relation']} of {fw} "
                f"{asked['capacity']}, not an exact or close match: its scores are not joined "
                "to this series, which breaks at the change of edition"}
        for a in rows_json(aligned)
        if a["frameworkCode"] != fw and a["frameworkCode"][:3] == fw[:3]
        and a["relation"] not in FOLLOWED
    ]
    frameworks = sorted({p["framework"] for p in points})
    caveats = []
    if len(frameworks) > 1:
        caveats.append("The series spans tool editions (" + ", ".join(frameworks) + "): each "
                       "point names its framework; across the change the indicators and level "
                       "descriptors differ, so a change may be the tool's, not the country's.")
    if not points:
        caveats.append(f"No score of {fw} {asked['capacity']} or of an exact or close match is "
                       f"loaded for {asked['country']}.")
    return {
        "country": asked["country"],
        "capacity": capacity,
        "framework": fw,
        "code": asked["capacity"],
        "rule": "the capacity and its exact or close matches in other editions of the same tool; "
                "never a broad, narrow or related match, never another tool",
        "points": points,
        "breaks": breaks,
        "notes": also,
        "caveats": caveats,
    }


# The CSV table of /api/trend: a point's columns, as trend() builds them from trend.rq's
# rows (framework for frameworkCode, source by its slug; editionChange is computed).
COLUMNS = ("year", "framework", "code", "label", "match", "score", "level", "status", "source",
           "fileName", "editionChange")


def chart(answer: dict[str, Any], width: int = 520, height: int = 200) -> dict[str, Any]:
    """SVG geometry: years on x, 0-100 % on y, one polyline per edition, level bands marked."""
    left, right, top, bottom = 44, 16, 12, 30
    points = [p for p in answer["points"] if p["score"] is not None]
    years = [p["year"] for p in points] or [0]
    first, last = min(years), max(years)
    span = max(last - first, 1)

    def x(year: int) -> float:
        if first == last:
            return left + (width - left - right) / 2
        return round(left + (year - first) / span * (width - left - right), 1)

    def y(score: float) -> float:
        return round(top + (100 - score) / 100 * (height - top - bottom), 1)

    lines: dict[str, list[dict[str, Any]]] = {}
    for p in points:
        lines.setdefault(p["framework"], []).append({**p, "x": x(p["year"]), "y": y(float(p["score"]))})
    changes = [x(p["year"]) - (x(p["year"]) - x(prev["year"])) / 2
               for prev, p in zip(points, points[1:], strict=False) if p["editionChange"]]
    return {
        "width": width, "height": height, "left": left, "right": width - right,
        "top": top, "bottom": height - bottom,
        "bands": [{"score": s, "y": y(s)} for s in (20, 40, 60, 80, 100)],
        "years": sorted({(p["year"], x(p["year"])) for p in points}),
        "lines": [{"framework": fw, "points": pts,
                   "path": " ".join(f"{q['x']},{q['y']}" for q in pts)}
                  for fw, pts in lines.items()],
        "changes": changes,
    }
