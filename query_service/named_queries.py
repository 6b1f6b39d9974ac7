"""Canned queries: ``queries/*.rq`` files with a small Datasette-style header.

A header is comment lines before the SPARQL::

    # title: Unmet capacities blocking a preparedness function
    # description: What the answer lists and how scores are chosen.
    # param country: iso3 required -- the country (NGA)
    # param year: year optional default=latest -- the report year
    # example: country=NGA&function=detect

Parameters are typed (see ``params.TYPES``); values are checked, turned into RDF terms
and bound with ``VALUES`` by the store or the executor, never pasted into the query.
Two defaults are computed from the data rather than written down: ``latest`` (the most
recent report year the country has scores for) and ``auto`` (the framework of those
scores). A country, capacity or year the store does not know is a 404 that says what
does exist, so a caller never mistakes a typo for "no gaps".

The same code serves the API, the web pages and ``hsfhs query --named``; only the
``Runner`` differs (the service's time-limited executor, or the store directly).
"""

from __future__ import annotations

import difflib
import functools
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from hsfhs import vocabulary
from hsfhs.namespaces import ID
from hsfhs.store import Rows

from .countries import country_book, resolve_country
from .params import FRAMEWORKS, TYPES, NotFoundError, ParamError

_HEADER = re.compile(r"^#\s*(title|description|example|param\s+(\w+))\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<type>[a-z0-9]+)\s+(?P<req>required|optional)"
    r"(?:\s+default=(?P<default>\S+))?(?:\s+--\s*(?P<doc>.*))?$"
)

PREFIXES = """PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


class Runner(Protocol):
    """Something that answers a SELECT with bound parameters.

    Every ``hsfhs.store.Store`` is one (the CLI uses the store directly); the service
    wraps its executor in ``ExecutorRunner``, which runs them in the request thread.
    """

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows: ...


class ExecutorRunner:
    """Runs canned queries on the service's store in the request thread (``select_trusted``):
    they are the service's own text, so they never queue behind user queries."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows:
        # Canned queries are trusted: they run in this thread, not behind user queries.
        return self.executor.select_trusted(sparql, bindings)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    default: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    examples: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def summary(self) -> dict[str, Any]:
        """The query as ``GET /api/queries`` lists it."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "default": p.default,
                    "description": p.doc,
                    **({"choices": list(TYPES[p.type].choices)} if TYPES[p.type].choices else {}),
                }
                for p in self.params
            ],
            "examples": list(self.examples),
        }


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Read the header of one .rq file; a malformed header raises ``ValueError``."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    examples: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            continue
        key, arg, value = match.group(1), match.group(2) or "", match.group(3).strip()
        if arg:
            spec = _PARAM.match(value)
            if spec is None or spec.group("type") not in TYPES or not arg:
                raise ValueError(f"{name}.rq: bad param line {line!r}")
            params.append(
                Param(
                    arg,
                    spec.group("type"),
                    spec.group("req") == "required",
                    spec.group("default"),
                    (spec.group("doc") or "").strip(),
                )
            )
        elif key == "example":
            examples.append(value)
        else:
            fields[key] = value
    if "title" not in fields:
        raise ValueError(f"{name}.rq: the header has no '# title:' line")
    return NamedQuery(
        name, fields["title"], fields.get("description", ""), tuple(params), text, tuple(examples)
    )


@functools.cache
def load_queries() -> dict[str, NamedQuery]:
    """Every canned query shipped in ``query_service/queries``, by name."""
    folder = files("hsfhs.query_service") / "queries"
    queries = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            queries[name] = parse_query_file(name, entry.read_text(encoding="utf-8"))
    return queries


def get_query(name: str) -> NamedQuery:
    queries = load_queries()
    if name not in queries:
        close = close_names(name, list(queries))
        raise NotFoundError(
            f"there is no canned query {name!r}"
            + (
                f"; did you mean {' or '.join(close)}?"
                if close
                else f"; the canned queries are {', '.join(sorted(queries))}"
            ),
            queries=sorted(queries),
            suggestions=close,
        )
    return queries[name]


def close_names(name: str, names: list[str]) -> list[str]:
    """Names a person may have meant: containing what was typed, or spelt nearly alike.

    difflib alone at its default cutoff offered "compare" for "nope"; a suggestion must
    be close enough to be the likely intent, and otherwise the full list is better.
    """
    typed = name.strip().lower().replace("_", "-")
    within = [n for n in names if len(typed) >= 3 and (typed in n or n in typed)]
    alike = difflib.get_close_matches(typed, names, n=3, cutoff=0.7)
    return list(dict.fromkeys(within + alike))[:3]


# --- binding ------------------------------------------------------------------------------


@dataclass
class Bound:
    """A query with its parameters checked and bound, and the values the data chose."""

    query: NamedQuery
    bindings: dict[str, Node]
    resolved: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)

    def run(self, runner: Runner) -> Rows:
        return runner.select(self.query.sparql, self.bindings)


def parse_examples(example: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(example, keep_blank_values=True))


def bind(query: NamedQuery, raw: Mapping[str, str], runner: Runner) -> Bound:
    """Check every parameter, fill defaults (from the data where needed), bind as terms."""
    unknown = sorted(set(raw) - {p.name for p in query.params})
    if unknown:
        raise ParamError(
            f"unknown parameter(s) {', '.join(unknown)} for {query.name}; it takes "
            f"{', '.join(p.name for p in query.params) or 'no parameters'}",
            parameter=unknown[0],
            parameters=[p.name for p in query.params],
        )
    bindings: dict[str, Node] = {}
    deferred: list[Param] = []
    notes: list[str] = []
    for p in query.params:
        value = raw.get(p.name)
        if p.type == "iso3" and value is not None and value.strip():
            value, note = resolve_country(runner, value, p.name)  # Nigeria -> NGA
            notes += [note] if note else []
        if value is None or value.strip() == "":
            if p.default in ("latest", "auto"):
                deferred.append(p)
                continue
            if p.default is not None:
                value = p.default
            elif p.required:
                raise ParamError(
                    f"{p.name} is required: {TYPES[p.type].description}"
                    + (f" ({', '.join(TYPES[p.type].choices)})" if TYPES[p.type].choices else ""),
                    parameter=p.name,
                    **({"choices": list(TYPES[p.type].choices)} if TYPES[p.type].choices else {}),
                )
            else:
                continue
        bindings[p.name] = TYPES[p.type].parse(p.name, value)
    check_exists(query, bindings, runner)
    resolved, assumptions = resolve_data_defaults(query, bindings, deferred, runner)
    return Bound(query, bindings, resolved, notes + assumptions)


def check_exists(query: NamedQuery, bindings: dict[str, Node], runner: Runner) -> None:
    """A country or capacity that is well formed but unknown: 404 with close matches."""
    for p in query.params:
        term = bindings.get(p.name)
        if term is None:
            continue
        if p.type == "iso3":
            country_exists(runner, term, p.name)
        elif p.type == "capacity":
            capacity_exists(runner, term, p.name)


def country_exists(runner: Runner, country: Node, name: str = "country") -> None:
    rows = runner.select(
        PREFIXES + "SELECT ?label WHERE { ?country a hsfhs:Country . "
        "OPTIONAL { ?country skos:prefLabel ?label } }",
        {"country": country},
    )
    if rows.rows:
        return
    # ranked by closeness to what was typed, code and name alike (NGR: Nigeria, Niger)
    raise country_book(runner).not_found(str(country).rsplit("/", 1)[-1], name)


def capacity_exists(runner: Runner, capacity: Node, name: str = "capacity") -> None:
    rows = runner.select(
        PREFIXES + "SELECT ?capacity WHERE { ?capacity a hsfhs:Capacity }", {"capacity": capacity}
    )
    if rows.rows:
        return
    path = str(capacity).removeprefix(str(ID))
    framework = path.split("/", 1)[0]
    known = runner.select(
        PREFIXES + "SELECT ?c WHERE { ?c a hsfhs:Capacity ; hsfhs:framework ?fw }",
        {"fw": ID[f"framework/{framework}"]},
    ).values()
    paths = sorted(r["c"].removeprefix(str(ID)) for r in known)
    close = difflib.get_close_matches(path, paths, n=5, cutoff=0.5)
    raise NotFoundError(
        f"no capacity {path!r} is known"
        + (f"; close matches: {', '.join(close)}" if close else "")
        + (f"; {framework} has {', '.join(paths)}" if paths and not close else ""),
        parameter=name,
        suggestions=close or paths,
    )


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
) -> tuple[dict[str, str], list[str]]:
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
    assumptions: list[str] = []
    year = bindings.get(year_param.name)
    if year is None and year_param not in deferred:
        return resolved, assumptions  # an optional year left out: every year is answered
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
        assumptions.append(
            f"No year was given: {usable[-1]} is the latest year with "
            f"{fw_slug + ' ' if fw_slug else ''}capacity scores for {who}."
        )
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
            assumptions.append(
                f"{year} has scores of {chosen} and {others}; {chosen} was used, the newest "
                "tool (give framework= to choose)."
            )
    newer = vocabulary.FRAMEWORKS[fw_slug].superseded_by if fw_slug else None
    if newer:
        assumptions.append(
            f"The {year} scores are from the {framework_label(fw_slug)}, an older tool than the "
            f"{framework_label(newer)}: its capacities and indicators differ, "
            "so compare them with newer scores only through the crosswalk."
        )
    for other in query.params:  # further years (compare-years): each must have scores too
        value = bindings.get(other.name)
        known = value is None or str(value) in years
        if other.type == "year" and other is not year_param and not known:
            raise NotFoundError(
                f"{who} has no scores for {value}; years with scores: " + ", ".join(sorted(years)),
                parameter=other.name,
                years=sorted(years),
            )
    return resolved, assumptions


def run_named(name: str, raw: Mapping[str, str], runner: Runner) -> tuple[Bound, Rows]:
    """Look up, bind and run a canned query."""
    bound = bind(get_query(name), raw, runner)
    return bound, bound.run(runner)
