"""Binding and running a canned query: parameters checked, resolved and bound as terms.

Parameters are typed (see ``params.TYPES``); values are checked, turned into RDF terms
and bound with ``VALUES`` by the store or the executor, never pasted into the query. A
country may be given by name (``countries``); a country or capacity that is well formed
but unknown is a 404 that says what does exist; ``latest`` / ``auto`` defaults and the
year's check against the data are ``data_defaults``.

The same code serves the API, the web pages and ``hsfhs query --named``; only the
``Runner`` differs (``runners``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib.term import Node

from hsfhs.namespaces import ID
from hsfhs.store import Rows

from .countries import country_book, resolve_country
from .data_defaults import resolve_data_defaults
from .params import TYPES, NotFoundError, ParamError
from .query_files import PREFIXES, NamedQuery, Param, get_query, load_queries
from .runners import Runner

__all__ = ["Bound", "bind", "get_query", "load_queries", "run_named"]
# get_query and load_queries live in query_files; hsfhs/cli.py and the browser tests still
# import them from here.


@dataclass
class Bound:
    """A query with its parameters checked and bound, and the values the data chose."""

    query: NamedQuery
    bindings: dict[str, Node]
    resolved: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)

    def run(self, runner: Runner) -> Rows:
        return runner.select(self.query.sparql, self.bindings)


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


def run_named(name: str, raw: Mapping[str, str], runner: Runner) -> tuple[Bound, Rows]:
    """Look up, bind and run a canned query."""
    bound = bind(get_query(name), raw, runner)
    return bound, bound.run(runner)
