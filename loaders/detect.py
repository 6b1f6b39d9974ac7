"""Which layout a file is in, told from its content (the file name is never trusted).

Detection lives here only; ``--format`` overrides it. Each format module says whether a
table looks like its layout; the first that recognises one of the file's sheets wins.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from . import espar, gho, jee, tidy
from .tables import Table

PARSERS: dict[str, ModuleType] = {"espar": espar, "jee": jee, "gho": gho, "tidy": tidy}
FORMATS = tuple(PARSERS)


def detect(tables: list[Table]) -> str | None:
    """The format name of the first layout any sheet matches, or None."""
    checks: list[tuple[str, Callable[[Table], bool]]] = [
        (name, module.looks_like) for name, module in PARSERS.items()
    ]
    for name, looks_like in checks:
        if any(looks_like(t) for t in tables if t.rows):
            return name
    return None
