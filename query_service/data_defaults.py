"""The two defaults chosen from the data, and the year checked against it.

``latest`` is the most recent report year the country has capacity scores for, ``auto``
the framework of those scores: a person asking "what blocks detect in Nigeria" means
the newest report, and should be told that was the assumption. A year the country has
no scores for is a 404 that lists the years it has, so a caller never mistakes a typo
for "no gaps". Each assumption is returned with the parameter it is about, so a later
query of the same request that takes that parameter over can say it too.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from hsfhs import vocabulary
from hsfhs.namespaces import ID

from .params import FRAMEWORKS, NotFoundError
from .query_files import PREFIXES, NamedQuery, Param
from .runners import Runner

Note = tuple[str, str]  # (parameter name, the assumption in words)

YEARS = (
    PREFIXES
    + """SELECT DISTINCT ?year ?framework WHERE {
  ?score sdmx-dimension:refArea ?country ;
         hsfhs:refCapacity ?capacity ;
         sdmx-dimension:refPeriod ?year .
  ?capacity hsfhs:framework ?framework .
}"""
)

YEARS_ANY_COUNTRY = (
    PREFIXES
    + """SELECT DISTINCT ?year ?framework WHERE {
  ?score hsfhs:refCapacity ?capacity ;
         sdmx-dimension:refPeriod ?year .
  ?capacity hsfhs:framework ?framework .
}"""
)


def data_years(runner: Runner, country: Node | None) -> dict[str, set[str]]:
    """Report year -> frameworks with capacity scores that year (for one country, or any)."""
    if country is not None:
        rows = runner.select(YEARS, {"country": country})
    else:
        rows = runner.select(YEARS_ANY_COUNTRY)
    years: dict[str, set[str]] = {}
    for row in rows.values():
        fw = row["framework"].removeprefix(str(ID) + "framework/")
        if fw in FRAMEWORKS:
            years.setdefault(row["year"], set()).add(fw)
    return years


def framework_label(slug: str) -> str:
    known = vocabulary.FRAMEWORKS.get(slug)
    return known.label if known else slug


def resolve_data_defaults(
    query: NamedQuery, bindings: dict[str, Node], deferred: list[Param], runner: Runner
) -> tuple[dict[str, str], list[Note]]:
    """Check the year against the country's data and fill ``latest`` / ``auto`` defaults.

    Returns the values chosen from the data and, in words, every assumption an answer
    built on them rests on: a year that was not asked for, an older edition of a tool, a
    choice between two frameworks. Only queries with a year parameter consult the data;
    the country (if the query has one) narrows the years, the framework further.
    """
    year_param = next((p for p in query.params if p.type == "year"), None)
    fw_param = next((p for p in query.params if p.type == "framework"), None)
    if year_param is None:
        return {}, []
    country_param = next((p for p in query.params if p.type == "iso3"), None)
    country = bindings.get(country_param.name) if country_param else None
    who = str(country).rsplit("/", 1)[-1] if country is not None else "any country"
    years = data_years(runner, country)
    if not years:
        raise NotFoundError(
            f"no scores are loaded for {who}; load a data file with hsfhs load", years=[]
        )
    framework = bindings.get(fw_param.name) if fw_param else None
    fw_slug = str(framework).rsplit("/", 1)[-1] if framework is not None else None
    capacity_param = next((p for p in query.params if p.type == "capacity"), None)
    if fw_slug is None and capacity_param is not None and capacity_param.name in bindings:
        # a capacity belongs to one framework: its years are that framework's years
        fw_slug = str(bindings[capacity_param.name]).removeprefix(str(ID)).split("/", 1)[0]
    usable = sorted(y for y, fws in years.items() if fw_slug is None or fw_slug in fws)
    resolved: dict[str, str] = {}
    notes: list[Note] = []
    year = bindings.get(year_param.name)
    if year is None and year_param not in deferred:
        return resolved, notes  # an optional year left out: every year is answered
    if year is None:
        if not usable:
            raise NotFoundError(
                f"{who} has no {fw_slug} scores; it has scores for "
                + "; ".join(f"{y} ({', '.join(sorted(years[y]))})" for y in sorted(years)),
                years=sorted(years),
            )
        year = Literal(usable[-1], datatype=XSD.gYear)
        bindings[year_param.name] = year
        resolved[year_param.name] = usable[-1]
        notes.append((year_param.name,
            f"No year was given: {usable[-1]} is the latest year with "
            f"{fw_slug + ' ' if fw_slug else ''}capacity scores for {who}."
        ))
    elif str(year) not in usable:
        what = f"{fw_slug} scores" if fw_slug else "scores"
        have = sorted(years) if fw_slug is None else usable
        raise NotFoundError(
            f"{who} has no {what} for {year}; years with {what}: "
            + (", ".join(have) if have else "none"),
            parameter=year_param.name,
            years=have,
        )
    if fw_param is not None and framework is None and fw_param in deferred:
        choices = years[str(year)]
        chosen = next(fw for fw in vocabulary.PREFERENCE if fw in choices)
        bindings[fw_param.name] = URIRef(str(ID) + f"framework/{chosen}")
        resolved[fw_param.name] = chosen
        fw_slug = chosen
        if len(choices) > 1:
            others = ", ".join(sorted(choices - {chosen}))
            notes.append((fw_param.name,
                f"{year} has scores of {chosen} and {others}; {chosen} was used, the newest "
                "tool (give framework= to choose)."
            ))
    newer = vocabulary.FRAMEWORKS[fw_slug].superseded_by if fw_slug else None
    if newer:
        notes.append(((fw_param or year_param).name,
            f"The {year} scores are from the {framework_label(fw_slug)}, an older tool than the "
            f"{framework_label(newer)}: its capacities and indicators differ, "
            "so compare them with newer scores only through the crosswalk."
        ))
    for other in query.params:  # further years (compare-years): each must have scores too
        value = bindings.get(other.name)
        known = value is None or str(value) in years
        if other.type == "year" and other is not year_param and not known:
            raise NotFoundError(
                f"{who} has no scores for {value}; years with scores: " + ", ".join(sorted(years)),
                parameter=other.name,
                years=sorted(years),
            )
    return resolved, notes
