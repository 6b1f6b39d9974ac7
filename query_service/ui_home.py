"""What the home page shows besides the framework: a country picker and a world map.

A person looking for a country knows its name, not its ISO code, and often its region:
so the picker takes a name (or a code) with the Member States offered as suggestions,
the Member States are listed by WHO region, and the map colours every country by its
level on one capacity (chosen in a plain GET form), each country a link to its
dashboard. The map is drawn on the server (``world_map.py``): no script needed.
"""

from __future__ import annotations

from typing import Any

from hsfhs.vocabulary import REGIONS

from .analysis import rows_json
from .countries import Country, country_book
from .errors import ServiceError
from .named_queries import run_named
from .runners import Runner
from .world_map import world_map

DEFAULT_CAPACITY = "spar2/C5"  # surveillance: what every function leans on first
REGION_NAMES = REGIONS  # office code -> name
SOURCE_PREFERENCE = ("espar", "jee")
LEVEL_WORDS = {
    1: "no capacity",
    2: "limited capacity",
    3: "developed capacity",
    4: "demonstrated capacity",
    5: "sustainable capacity",
}


def regions(runner: Runner) -> list[dict[str, Any]]:
    """The WHO regions, each with its Member States by name (for the list and the picker)."""
    return [
        {"code": code, "name": REGION_NAMES.get(code, code), "countries": countries}
        for code, countries in country_book(runner).by_region().items()
    ]


def capacity_choices(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The SPAR 2nd edition capacities, once each, in code order (the map's choices)."""
    from .analysis import code_order

    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        path = row["capacity"].rsplit("/id/", 1)[-1]
        seen.setdefault(path, {"path": path, "code": row["code"], "label": row["label"]})
    return sorted(seen.values(), key=lambda c: code_order(c["code"]))


def map_model(runner: Runner, capacity: str, choices: list[dict[str, str]]) -> dict[str, Any]:
    """The map's shapes with each country's level on ``capacity`` (latest year)."""
    if capacity not in {c["path"] for c in choices}:
        capacity = DEFAULT_CAPACITY
    known = {c.iso3: c for c in country_book(runner).countries.values()}
    levels: dict[str, dict[str, Any]] = {}
    year = None
    try:
        bound, rows = run_named("capacity-levels", {"capacity": capacity}, runner)
        year = str(bound.bindings["year"])
        for row in sorted(rows_json(rows), key=source_rank):
            levels.setdefault(row["iso3"], row)
    except ServiceError:
        pass  # no scores loaded for this capacity: the map shows every country without data
    chosen = next(c for c in choices if c["path"] == capacity) if choices else None
    base = world_map()
    shapes = []
    for shape in base.shapes:
        country: Country | None = known.get(shape.iso3 or "")
        row = levels.get(shape.iso3 or "")
        level = row.get("level") if row else None
        name = country.name if country and country.named else shape.name
        if row is None:
            status = "no score"
        elif level is None:
            status = f"{row.get('score')} %, no level"
        else:
            status = f"{row.get('score')} %, level {level} ({LEVEL_WORDS[level]})"
        shapes.append(
            {
                "iso3": shape.iso3 if country else None,
                "name": name,
                "path": shape.path,
                "level": level,
                "title": f"{name}: {status}",
            }
        )
    return {
        "width": base.width,
        "height": base.height,
        "shapes": shapes,
        "capacity": chosen,
        "year": year,
        "scored": sum(1 for s in shapes if s["level"] is not None),
        "levels": LEVEL_WORDS,
    }


def source_rank(row: dict[str, Any]) -> int:
    slug = str(row.get("source", "")).rsplit("/", 1)[-1]
    return SOURCE_PREFERENCE.index(slug) if slug in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE)
