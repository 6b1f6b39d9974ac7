"""What the dashboard and the capacity pages show of the health system and of trends.

Kept out of ``ui.py`` so the pages only ask for their sections: the health-system profile
(``health_system.py``) and one capacity's trend (``trend.py``) with its SVG geometry.
"""

from __future__ import annotations

from typing import Any

from .health_system import health_system
from .named_queries import Settled
from .runners import Runner
from .trend import chart, trend


def default_trend(plan: dict[str, Any], capacities: list[dict[str, Any]]) -> str | None:
    """The capacity whose trend the dashboard opens on: the first unmet one, else the first."""
    unmet = [c["capacity"] for c in plan.get("capacities", [])]
    first = unmet[0] if unmet else (capacities[0]["item"] if capacities else None)
    return first.split("/id/", 1)[-1] if first else None


def dashboard_sections(runner: Runner, plan: dict[str, Any], capacities: list[dict[str, Any]],
                       asked: str | None, settled: Settled) -> dict[str, Any]:
    """Template values of the dashboard's health-system and trend sections.

    ``settled``: the dashboard's country as already resolved (both sections are of it).
    """
    iso3 = str(plan["country"])
    capacity = asked or default_trend(plan, capacities)
    country = settled.only("country")
    answer = trend(runner, {"capacity": capacity}, country) if capacity else None
    return {
        "health": health_system(runner, iso3, settled=country),
        "trend": answer,
        "trend_chart": chart(answer) if answer else None,
        "trend_choices": [(c["item"].split("/id/", 1)[-1], c["code"], c["label"])
                          for c in capacities],
        "trend_country": iso3,
    }


def capacity_trend(runner: Runner, path: str, country: str | None) -> dict[str, Any]:
    """Template values of a capacity page's trend: for ``?country=``, else only the form."""
    if not country:
        return {"trend": None, "trend_chart": None, "trend_country": None}
    answer = trend(runner, {"country": country, "capacity": path})
    return {"trend": answer, "trend_chart": chart(answer), "trend_country": answer["country"]}
