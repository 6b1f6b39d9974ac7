"""One value cell read the same way by every score reader: a number, absent, or a bad cell.

Hand-kept sheets hold more than numbers: "NA" for an indicator not assessed (an absent
value, not an error: counted, never loaded), formulas, two values in one cell ("3/4"),
a score a spreadsheet turned into a date, prose. Each bad kind is reported with its own
type, row and column through ``Issues.invalid``, so the strict default stops the load
and ``--skip-invalid`` lists the cell and loads the rest.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from .context import checked_text
from .errors import Issues
from .records import ParsedFile
from .tables import Cell, number, text

# Words that mean "no value here" in WHO exports and analysts' sheets (compared folded).
ABSENT = frozenset({"na", "n/a", "n.a.", "n.a", "not assessed", "not applicable", "no data",
                    "nd", "-", "not reported"})
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ISO_DATE = re.compile(r"^\s*(19|20)\d\d-\d\d-\d\d([ T][\d:.]+)?\s*$")


def is_absent(cell: Cell, words: frozenset[str] = ABSENT) -> bool:
    return isinstance(cell, str) and text(cell).casefold() in words


def read_value(issues: Issues, parsed: ParsedFile, raw: Cell, row: int, column: str,
               what: str = "a number", absent: frozenset[str] = ABSENT) -> Decimal | None:
    """The cell's number; None when empty, absent (counted) or bad (reported)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    cell = checked_text(issues, raw, row, column)
    if cell is None:  # a formula, reported
        return None
    if cell.casefold() in absent:
        parsed.absent += 1
        return None
    if isinstance(raw, datetime | date) or ISO_DATE.match(cell):
        shown = raw.strftime("%Y-%m-%d") if isinstance(raw, datetime | date) else cell
        issues.invalid("date-cell", f"{shown} is a date, not {what}: a spreadsheet may have "
                       "turned the score into one; enter it again as a number", row, column,
                       shown)
        return None
    try:
        return number(raw)
    except ValueError:
        pass
    found = NUMBER.findall(cell)
    if len(found) >= 2:
        issues.invalid("two-values", f"{cell!r} holds {len(found)} values; a cell holds one "
                       f"{what.removeprefix('a ')}", row, column, raw)
    else:
        issues.invalid("type-error", f"{cell!r} is not {what}", row, column, raw)
    return None


def strict_year(cell: Cell) -> int | None:
    """A year from a year or date cell; None for anything else, prose included.

    "2017", 2017, 2017.0, a date, "2017-05-03", "03/05/2017" are years; "2017 (report
    2018)" or "postponed" are not, because a person has to decide what they mean.
    """
    if isinstance(cell, datetime | date):
        return cell.year
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return int(cell) if cell == int(cell) and 1900 <= cell <= 2099 else None
    shown = text(cell)
    if ISO_DATE.match(shown):
        return int(shown[:4])
    match = (re.fullmatch(r"((?:19|20)\d\d)(?:\.0)?", shown)
             or re.fullmatch(r"\d{1,2}[-/.]\d{1,2}[-/.]((?:19|20)\d\d)", shown))
    return int(match.group(1)) if match else None
