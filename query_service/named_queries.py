"""Binding and running a canned query: parameters checked, resolved and bound as terms.

Parameters are typed (see ``params.TYPES``); values are checked, turned into RDF terms
and bound with ``VALUES`` by the store or the executor, never pasted into the query. A
country may be given by name (``countries``); a country or capacity that is well formed
but unknown is a 404 that says what does exist; ``latest`` / ``auto`` defaults and the
year's check against the data are ``data_defaults``.

One request often runs several queries on the same country, year and framework (the
action plan runs the gaps, the dashboard a dozen queries). Resolving them again for each
would look the country up, check it and read its years every time; instead the first
``Bound`` hands the request's terms on (``Bound.settled``) and the later queries take
them as they are (``bind(..., settled=...)``), exactly as if they had been given.

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
from .data_defaults import Note, resolve_data_defaults
from .params import TYPES, NotFoundError, ParamError
from .query_files import PREFIXES, NamedQuery, Param, get_query, load_queries
from .runners import Runner

__all__ = ["Bound", "Settled", "bind", "get_query", "load_queries", "run_named"]
# get_query and load_queries live in query_files; hsfhs/cli.py and the browser tests still
# import them from here.

_DATA_TYPES = ("iso3", "year", "framework", "capacity")  # what the data checks of a query


@dataclass(frozen=True)
class Settled:
    """What a request has resolved so far, for its later queries to take as they are.

    ``terms`` are parameters already checked (a country that exists, a year it has scores
    for); ``resolved`` and ``notes`` say which of them the data chose and on what
    assumptions; ``checked`` says the terms were checked against the data together, so a
    later query that adds nothing the data must check does not read the years again.
    """

    terms: Mapping[str, Node]
    resolved: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    checked: bool = False

    def only(self, *names: str) -> Settled:
        """These parameters alone: a profile of every year takes the country, not the year."""
        keep = set(names)
        return Settled(
            {k: v for k, v in self.terms.items() if k in keep},
            {k: v for k, v in self.resolved.items() if k in keep},
            tuple(n for n in self.notes if n[0] in keep),
            self.checked,
        )


@dataclass
class Bound:
    """A query with its parameters checked and bound, and the values the data chose."""

    query: NamedQuery
    bindings: dict[str, Node]
    resolved: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    checked: bool = False

    @property
    def assumptions(self) -> list[str]:
        """Every assumption the answer rests on, in words, each once."""
        return list(dict.fromkeys(text for _, text in self.notes))

    def run(self, runner: Runner) -> Rows:
        return runner.select(self.query.sparql, self.bindings)

    def settled(self, *names: str) -> Settled:
        """These parameters (every one by default) as bound, for the request's next query."""
        whole = Settled(dict(self.bindings), dict(self.resolved), tuple(self.notes), self.checked)
        return whole.only(*names) if names else whole


def bind(
    query: NamedQuery, raw: Mapping[str, str], runner: Runner, settled: Settled | None = None
) -> Bound:
    """Check every parameter, fill defaults (from the data where needed), bind as terms.

    A parameter ``raw`` leaves out and ``settled`` holds is taken from ``settled``: not
    looked up, not checked again, with the values and assumptions the data chose for it.
    """
    unknown = sorted(set(raw) - {p.name for p in query.params})
    if unknown:
        raise ParamError(
            f"unknown parameter(s) {', '.join(unknown)} for {query.name}; it takes "
            f"{', '.join(p.name for p in query.params) or 'no parameters'}",
            parameter=unknown[0],
            parameters=[p.name for p in query.params],
        )
    given = settled or Settled({})
    reused = {p.name for p in query.params if p.name not in raw and p.name in given.terms}
    bindings: dict[str, Node] = {}
    deferred: list[Param] = []
    notes: list[Note] = [n for n in given.notes if n[0] in reused]
    for p in query.params:
        if p.name in reused:
            bindings[p.name] = given.terms[p.name]
            continue
        value = raw.get(p.name)
        if p.type == "iso3" and value is not None and value.strip():
            value, note = resolve_country(runner, value, p.name)  # Nigeria -> NGA
            notes += [(p.name, note)] if note else []
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
    check_exists(query, {k: v for k, v in bindings.items() if k not in reused}, runner)
    resolved = {k: v for k, v in given.resolved.items() if k in reused}
    fresh = [p for p in query.params if p.type in _DATA_TYPES and p.name not in reused
             and (p.name in bindings or p in deferred)]
    checked = given.checked
    if fresh or not checked:  # else the request's first query checked all of it
        chosen, assumptions = resolve_data_defaults(query, bindings, deferred, runner)
        resolved.update(chosen)
        notes += [n for n in assumptions if n not in notes]
        checked = any(p.type == "year" for p in query.params)  # only then were years read
    return Bound(query, bindings, resolved, notes, checked)


def check_exists(query: NamedQuery, bindings: Mapping[str, Node], runner: Runner) -> None:
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


def run_named(
    name: str, raw: Mapping[str, str], runner: Runner, settled: Settled | None = None
) -> tuple[Bound, Rows]:
    """Look up, bind and run a canned query."""
    bound = bind(get_query(name), raw, runner, settled)
    return bound, bound.run(runner)
