"""Reading the reviewed code-list and crosswalk files, and the IRIs their codes become.

Shared by the catalogue, the crosswalks and the groups: one place decides how a WHO code
(``C.5.1``, ``R.3.1``) becomes an IRI (``id:spar2/C5.1``) and how a row that lacks a value
is reported, always with the file name, row number and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import URIRef

from hsfhs.namespaces import ID


class CatalogueError(ValueError):
    """A code list file does not hold what the catalogue expects."""


def node(path: str) -> URIRef:
    """The IRI of an individual, from its path under ``id:``."""
    return ID[path]


def framework_iri(slug: str) -> URIRef:
    return node(f"framework/{slug}")


def code_iri(framework: str, code: str) -> URIRef:
    """``id:{framework}/{code}``, the IRI of a capacity or an indicator."""
    return node(f"{framework}/{normalise_code(code)}")


def level_iri(level: int) -> URIRef:
    return node(f"level/{level}")


_DOTTED = re.compile(r"^([A-Za-z]+)\.(\d)")


def normalise_code(code: str) -> str:
    """WHO spells codes ``C.5.1`` in e-SPAR files and ``R.3.1`` in some JEE3 texts: -> ``C5.1``."""
    code = code.strip()
    return _DOTTED.sub(r"\1\2", code)


def read_csv(path: Path, delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with their spreadsheet row number (header = 1), values stripped."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        for number, row in enumerate(reader, start=2):
            yield number, {k: (v or "").strip() for k, v in row.items() if k is not None}


def require(row: dict[str, str], column: str, path: Path, number: int) -> str:
    value = row.get(column, "")
    if not value:
        raise CatalogueError(f"{path.name}, row {number}, column {column!r}: value is missing")
    return value
