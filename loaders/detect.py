"""Which layout a file is in, told from its content (the file name is never trusted).

Detection lives here only; ``--format`` overrides it. Each format module says whether a
table looks like its layout; the first that recognises one of the file's sheets wins.
The IHR monitoring questionnaire (2010-2017) comes last, after every layout with
indicator codes: it is recognised only to be refused with its own message.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from . import espar, gho, jee, naphs, questionnaire, tidy, worldbank
from .tables import Table

PARSERS: dict[str, ModuleType] = {"espar": espar, "jee": jee, "gho": gho, "tidy": tidy,
                                  "worldbank": worldbank, "naphs": naphs,
                                  "ihr-questionnaire": questionnaire}
FORMATS = tuple(name for name in PARSERS if name != "ihr-questionnaire")


def detect(tables: list[Table]) -> str | None:
    """The format name of the first layout any sheet matches, or None."""
    checks: list[tuple[str, Callable[[Table], bool]]] = [
        (name, module.looks_like) for name, module in PARSERS.items()
    ]
    for name, looks_like in checks:
        if any(looks_like(t) for t in tables if t.rows):
            return name
    return None
