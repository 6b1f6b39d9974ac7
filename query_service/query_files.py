"""The canned queries: ``queries/*.rq`` files, each with a small Datasette-style header.

A header is comment lines before the SPARQL::

    # title: Unmet capacities blocking a preparedness function
    # description: What the answer lists and how scores are chosen.
    # param country: iso3 required -- the country (NGA)
    # param year: year optional default=latest -- the report year
    # example: country=NGA&function=detect

This module only reads the files: it knows each query's name, title, description, typed
parameters and examples, which the API lists, the OpenAPI document describes and the
editor opens as tabs. Binding and running them is ``named_queries``; the defaults chosen
from the data (``latest``, ``auto``) are ``data_defaults``.
"""

from __future__ import annotations

import difflib
import functools
import re
import urllib.parse
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from .params import TYPES, NotFoundError

_HEADER = re.compile(r"^#\s*(title|description|example|param\s+(\w+))\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<type>[a-z0-9]+)\s+(?P<req>required|optional)"
    r"(?:\s+default=(?P<default>\S+))?(?:\s+--\s*(?P<doc>.*))?$"
)

# The prefixes of the service's own inline queries (existence checks, data years, profiles).
PREFIXES = """PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


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
    """The canned query ``name``; a 404 naming the likely one, or all of them."""
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


def parse_examples(example: str) -> dict[str, str]:
    """A header's ``# example:`` line (``country=NGA&year=2022``) as parameters."""
    return dict(urllib.parse.parse_qsl(example, keep_blank_values=True))
