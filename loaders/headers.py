"""Finding the header row, the column headings and the title year of a WHO workbook.

WHO's workbooks differ by year: title rows, group headings over merged cells, and in
some years a block of global and regional averages, with its own row of indicator codes,
above the country table. So the header is chosen by its content (the row that names a
country column *and* holds indicator codes), never by position, and a heading left blank
under a merged group heading takes the text above it, reading only heading rows: never
a row of values (the aggregate block) that happens to sit above.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .tables import Table, text

SEARCH = 60  # header rows lie within the first rows of a sheet
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
TITLE_YEAR = re.compile(r"\byear\D{0,10}((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
# "(Updated on 29 March 2021)", "as of 2023-05-05": a date of the file, not its report year
UPDATED = re.compile(r"\(?\s*\b(updated|as of|as at|downloaded|extracted|published|printed)\b"
                     r"[^)]*\)?", re.IGNORECASE)
# "IHR (2005)": the year of the Regulations, in every title
REGULATIONS = re.compile(r"\b(IHR|International Health Regulations)\s*\(?\s*2005\s*\)?",
                         re.IGNORECASE)

Match = Callable[[str], object]


def is_numeric(cell: object) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    return bool(re.fullmatch(r"\s*-?\d+(?:[.,]\d+)?\s*", str(cell or "")))


def code_rows(table: Table, is_code: Match, minimum: int = 3) -> list[int]:
    """Rows (1-based) with at least ``minimum`` cells that are codes."""
    return [n for n, cells in enumerate(table.rows[:SEARCH], start=1)
            if sum(1 for c in cells if is_code(text(c))) >= minimum]


def header_row(table: Table, is_code: Match, names_country: Match) -> int | None:
    """The code row that also names a country column; else the first code row.

    The fallback keeps a file without any country heading reporting "no Country column"
    at its header, rather than "no header".
    """
    rows = code_rows(table, is_code)
    for row in rows:
        if any(names_country(text(c)) for c in table.rows[row - 1]):
            return row
    return rows[0] if rows else None


def heading_rows(table: Table, header: int) -> list[int]:
    """The rows directly above the header that hold headings (no values), bottom-up."""
    found = []
    for row in range(header - 1, 0, -1):
        cells = table.rows[row - 1]
        if sum(1 for c in cells if is_numeric(c)) >= 3:
            break  # a row of values (an aggregate block): headings stop here
        found.append(row)
    return found


def column_labels(table: Table, header: int) -> list[str]:
    """Each column's heading; a blank one takes the nearest heading above (merged cells)."""
    width = max(len(r) for r in table.rows[: header + 1])
    above = heading_rows(table, header)
    labels = []
    for col in range(width):
        label = text(table.cell(header, col))
        for row in above:
            if label:
                break
            label = text(table.cell(row, col))
        labels.append(label)
    return labels


def stacked(table: Table, header: int, col: int) -> list[str]:
    """The headings of one column from the top heading row down to the header row."""
    rows = [*reversed(heading_rows(table, header)), header]
    return [t for t in (text(table.cell(r, col)) for r in rows) if t]


def title_years(table: Table, header: int) -> list[tuple[int, int, str]]:
    """(year, row, title) for each title row above the header that states a report year.

    "... Year 2019 (Updated on 29 March 2021)" gives 2019: the word "year" marks the
    report year, and an update or download date is never one.
    """
    found = []
    for row in range(1, header):
        title = " ".join(text(c) for c in table.rows[row - 1] if isinstance(c, str) and text(c))
        if not title:
            continue
        marked = TITLE_YEAR.findall(title)
        years = marked or YEAR.findall(UPDATED.sub(" ", REGULATIONS.sub(" ", title)))
        for year in dict.fromkeys(years):
            found.append((int(year), row, title))
    return found


def name_year(file_name: str) -> int | None:
    """The first year in a file name (``espar_2022_...``); a timestamp is not a year."""
    match = YEAR.search(file_name)
    return int(match.group(1)) if match else None
