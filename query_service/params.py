"""Typed parameters of the canned queries: checked strictly, turned into RDF terms.

A value from a URL or the command line never becomes query text: each type parses it
against a fixed pattern or list of choices and returns an rdflib term, which the store
binds with ``VALUES``. A bad value is a ``ParamError`` naming the parameter and what it
accepts, so the API can answer 400 with the valid choices instead of an empty result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from hsfhs import vocabulary
from hsfhs.catalogue.diseases import DISEASES as RTSL_DISEASES
from hsfhs.namespaces import ID

from .errors import BadRequest, ServiceError

# The choices come from the one vocabulary (hsfhs/vocabulary.py), never typed here.
FUNCTIONS = tuple(vocabulary.FUNCTIONS)
DISEASES = tuple(RTSL_DISEASES)
FRAMEWORKS = vocabulary.SCORED
ALL_FRAMEWORKS = tuple(vocabulary.FRAMEWORKS)
REGIONS = tuple(sorted(vocabulary.REGIONS))

# One pattern per type, used by the parser and written into the OpenAPI document, so the
# two cannot disagree (issue 10, finding 9). ASCII digits only: \d would take "٢٠٢٢".
_ISO3 = re.compile(r"[A-Za-z]{3}")
YEAR_PATTERN = "(19|20)[0-9]{2}"
_YEAR = re.compile(YEAR_PATTERN)
CAPACITY_PATTERN = (
    rf"({re.escape(str(ID))})?({'|'.join(ALL_FRAMEWORKS)})/([A-Za-z]{{1,3}}[0-9]{{0,2}}|[0-9]{{1,2}})"
)
_CAPACITY = re.compile(CAPACITY_PATTERN)
# The characters the model's IRI patterns use; nothing that could end an IRI or a query.
IRI_PATH_PATTERN = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*){0,15}"
_IRI_PATH = re.compile(IRI_PATH_PATTERN)


class ParamError(BadRequest):
    """A parameter value that its type does not accept (400, with what it accepts)."""

    type_slug = "invalid-parameter"
    title = "Invalid parameter"


class NotFoundError(ServiceError):
    """A well-formed value that names nothing in the store (404, with close matches)."""

    status = 404
    type_slug = "not-found"
    title = "Not found"


@dataclass(frozen=True)
class ParamType:
    """A parameter type: how a text value is checked and which RDF term it becomes."""

    name: str
    description: str
    parse: Callable[[str, str], Node]
    choices: tuple[str, ...] = ()
    schema: dict[str, Any] | None = None

    def json_schema(self) -> dict[str, Any]:
        """The OpenAPI / JSON Schema for values of this type."""
        if self.schema is not None:
            return dict(self.schema)
        if self.choices:
            return {"type": "string", "enum": list(self.choices)}
        return {"type": "string"}


def _choice(kind: str, choices: tuple[str, ...], make: Callable[[str], Node]):
    """A parser for a closed list of values, exactly as the OpenAPI enum lists them."""

    def parse(name: str, value: str) -> Node:
        if value not in choices:
            near = [c for c in choices if c.lower() == value.strip().lower()]
            hint = f" (did you mean {near[0]}? values are case-sensitive)" if near else ""
            raise ParamError(
                f"{name}={value!r} is not a valid {kind}{hint}; valid values: {', '.join(choices)}",
                parameter=name,
                choices=list(choices),
            )
        return make(value)

    return parse


def _iso3(name: str, value: str) -> Node:
    value = value.strip()
    if not _ISO3.fullmatch(value):
        raise ParamError(
            f"{name}={value!r} is not an ISO 3166-1 alpha-3 country code (three letters, "
            "for example NGA)",
            parameter=name,
        )
    return ID[f"country/{value.upper()}"]


def _year(name: str, value: str) -> Node:
    if not _YEAR.fullmatch(value):
        raise ParamError(f"{name}={value!r} is not a year (four digits, e.g. 2022)", parameter=name)
    return Literal(value, datatype=XSD.gYear)


def _depth(name: str, value: str) -> Node:
    if not re.fullmatch(r"[1-3]", value):
        raise ParamError(
            f"{name}={value!r} is not a dependency depth; valid values: 1, 2, 3",
            parameter=name,
            choices=["1", "2", "3"],
        )
    return Literal(int(value), datatype=XSD.integer)


def _level(name: str, value: str) -> Node:
    if not re.fullmatch(r"[1-5]", value):
        raise ParamError(
            f"{name}={value!r} is not a capacity level; valid values: 1, 2, 3, 4, 5",
            parameter=name,
            choices=["1", "2", "3", "4", "5"],
        )
    return Literal(int(value), datatype=XSD.integer)


def _capacity(name: str, value: str) -> Node:
    match = _CAPACITY.fullmatch(value)
    if not match:
        raise ParamError(
            f"{name}={value!r} is not a capacity path such as spar2/C5, jee3/D2 or "
            f"benchmarks2019/9 (framework one of {', '.join(ALL_FRAMEWORKS)})",
            parameter=name,
        )
    return ID[f"{match.group(2)}/{match.group(3)}"]


def _iri(name: str, value: str) -> Node:
    value = value.strip()
    path = value.removeprefix(str(ID))
    if path == value or not _IRI_PATH.fullmatch(path) or ".." in path.split("/"):
        raise ParamError(
            f"{name}={value!r} is not an hsfhs identifier (an IRI under {ID})", parameter=name
        )
    return URIRef(str(ID) + path)


TYPES: dict[str, ParamType] = {
    t.name: t
    for t in [
        ParamType(
            "iso3",
            "a country by ISO 3166-1 alpha-3 code (NGA) or by name (Nigeria)",
            _iso3,
            schema={"type": "string", "minLength": 1, "example": "NGA"},
        ),
        ParamType(
            "function",
            "a preparedness function",
            _choice("preparedness function", FUNCTIONS, lambda v: ID[f"function/{v}"]),
            FUNCTIONS,
        ),
        ParamType(
            "year",
            "a report year",
            _year,
            schema={"type": "string", "pattern": f"^{YEAR_PATTERN}$", "example": "2022"},
        ),
        ParamType(
            "framework",
            "an assessment framework",
            _choice("framework", FRAMEWORKS, lambda v: ID[f"framework/{v}"]),
            FRAMEWORKS,
        ),
        ParamType(
            "region",
            "a WHO region",
            _choice("WHO region", REGIONS, lambda v: ID[f"region/{v}"]),
            REGIONS,
        ),
        ParamType(
            "capacity",
            "a capacity path (spar2/C5)",
            _capacity,
            schema={"type": "string", "example": "spar2/C5", "pattern": f"^{CAPACITY_PATTERN}$"},
        ),
        ParamType(
            "level",
            "a capacity level 1-5",
            _level,
            schema={"type": "integer", "minimum": 1, "maximum": 5},
        ),
        ParamType(
            "depth",
            "how many dependencies deep to look for indirect blockers, 1 to 3",
            _depth,
            schema={"type": "integer", "minimum": 1, "maximum": 3},
        ),
        ParamType(
            "disease",
            "a disease with specific actions in the RTSL planning tool",
            _choice("disease", DISEASES, lambda v: ID[f"disease/{v}"]),
            DISEASES,
        ),
        ParamType(
            "iri",
            f"an IRI under {ID}",
            _iri,
            schema={
                "type": "string",
                "format": "iri",
                "pattern": f"^{re.escape(str(ID))}{IRI_PATH_PATTERN}$",
                "example": f"{ID}spar2/C5",
            },
        ),
    ]
}
