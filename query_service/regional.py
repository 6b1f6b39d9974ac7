"""A country against its WHO region: the region's median score per capacity.

A capacity at 40 % reads differently where most neighbours are at 80 % than where most
are at 30 %, so the dashboard sets each of the country's capacity scores beside the
median of the scores of every country of its region with a score that year (the country
included), in the same framework. The median, not the mean: a few countries at 0 or 100
would otherwise move it. Where two sources score one country's capacity, WHO's e-SPAR
file wins, as in the gap rule.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

from .analysis import code_order, rows_json
from .countries import country_book
from .errors import ServiceError
from .named_queries import Settled, run_named
from .runners import Runner
from .ui_home import REGION_NAMES, source_rank


def regional_comparison(
    runner: Runner, iso3: str, capacities: list[Mapping[str, Any]], settled: Settled
) -> dict[str, Any] | None:
    """Per capacity: the country's score, its region's median and how many countries scored.

    ``settled``: the year and framework the dashboard has resolved (the region's scores
    are of those). None when the country has no WHO region (areas that are not Member
    States) or the region has no scores that year.
    """
    country = country_book(runner).countries.get(iso3)
    if country is None or not country.region:
        return None
    try:
        _, rows = run_named(
            "region-scores", {"region": country.region}, runner, settled.only("year", "framework")
        )
    except ServiceError:
        return None
    scores: dict[str, dict[str, float]] = {}  # capacity code -> country -> score
    for row in sorted(rows_json(rows), key=source_rank):
        if row.get("score") is None:
            continue
        scores.setdefault(row["code"], {}).setdefault(row["iso3"], float(row["score"]))
    if not scores:
        return None
    items = []
    for cap in sorted(capacities, key=lambda c: code_order(c["code"])):
        region_scores = scores.get(cap["code"], {})
        median = statistics.median(region_scores.values()) if region_scores else None
        score = cap.get("score")
        items.append(
            {
                "code": cap["code"],
                "label": cap["label"],
                "score": score,
                "median": median,
                "countries": len(region_scores),
                "difference": None if score is None or median is None else float(score) - median,
            }
        )
    return {
        "region": country.region,
        "regionName": REGION_NAMES.get(country.region, country.region),
        "countries": len({c for per in scores.values() for c in per}),
        "rows": items,
    }


def medians(comparison: dict[str, Any] | None) -> dict[str, float]:
    """Capacity code -> the region's median, for the chart's markers."""
    if not comparison:
        return {}
    return {r["code"]: r["median"] for r in comparison["rows"] if r["median"] is not None}
