"""The IHR monitoring questionnaire (2010-2017): recognised, and refused with a clear error.

Before SPAR, States Parties reported on 13 core capacities (legislation, coordination,
surveillance, response, preparedness, risk communication, human resources, laboratory,
points of entry, zoonotic events, food safety, chemical events, radiation emergencies)
as percentages, with no C.1.1-style indicator codes. It is a different instrument with
its own capacity list, so forcing it into a SPAR framework would put wrong scores on
the right names. Until its framework exists (planned in docs/model.md) such a file
gets one error that says what it is, instead of "unknown format" or a misread.
"""

from __future__ import annotations

import re

from .context import Context
from .errors import Issues
from .records import ParsedFile
from .tables import Table, text

MESSAGE = "not supported yet: IHR monitoring questionnaire 2010-2017"
CAPACITIES = (
    "legislation", "coordination", "surveillance", "response", "preparedness",
    "risk communication", "human resources", "laboratory", "points of entry",
    "zoonotic events", "food safety", "chemical events", "radiation emergencies",
)  # fmt: skip
# "C1 Legislation (%)", "1. Legislation", "Legislation %": the heading without its trimmings
TRIM = re.compile(r"^(?:c\s*\.?\s*)?\d{1,2}\s*[.:)\-]?\s+|\s*(?:\(\s*%\s*\)|%|\(percent\))\s*$")
MINIMUM = 6  # capacity headings in one row: a questionnaire table, not a passing mention


def capacity_heading(cell: object) -> str | None:
    """The core capacity a heading names, or None."""
    heading = TRIM.sub("", text(cell).casefold()).strip()
    for name in CAPACITIES:
        if heading == name or heading.startswith(name + " "):
            return name
    return None


def looks_like(table: Table) -> bool:
    """A row naming several of the 13 core capacities (callers rule out SPAR codes first)."""
    for cells in table.rows[:30]:
        if len({n for n in map(capacity_heading, cells) if n}) >= MINIMUM:
            return True
    return False


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    raise unsupported(issues)


def unsupported(issues: Issues) -> Exception:
    return issues.fail("unsupported-instrument", f"{MESSAGE}: its 13 core capacities are "
                       "not a SPAR edition's capacities and have no framework in the "
                       "catalogue yet (see docs/model.md)")
