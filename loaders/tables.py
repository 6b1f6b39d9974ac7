"""Any spreadsheet-like file as plain rows of cells, numbered as a spreadsheet numbers them.

Every parser works on :class:`Table` rows, so a layout (e-SPAR, JEE, GHO, tidy) is
handled once whether WHO shipped it as TSV, CSV or an Excel workbook. Reading problems
(bad bytes, broken workbooks, formulas where values belong) become LoadErrors here.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .errors import Issues, LoadFailure

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
Cell = str | int | float | datetime | date | None

# A cell a spreadsheet would run as a formula (CSV/formula injection).
FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_]+\s*\()")


@dataclass
class Table:
    """The rows of one sheet (or of a text file); ``rows[0]`` is spreadsheet row 1."""

    sheet: str | None
    rows: list[list[Cell]]

    def cell(self, row: int, col: int) -> Cell:
        """The cell at 1-based ``row`` and 0-based ``col`` (None past the edge)."""
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return cells[col] if col < len(cells) else None


def is_workbook(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC)


def read_tables(name: str, data: bytes, issues: Issues) -> list[Table]:
    """The sheets of a workbook, or the one table of a delimited text file."""
    if not data.strip():
        raise issues.fail("empty-file", "the file is empty")
    if is_workbook(data):
        return _read_workbook(data, issues)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise issues.fail(
            "not-a-workbook",
            "the name says Excel workbook but the content is not one "
            "(it may be truncated, or another format renamed); export it again from Excel",
        )
    return [Table(None, _read_text(data, issues))]


def _read_workbook(data: bytes, issues: Issues) -> list[Table]:
    import openpyxl  # imported here: text files never pay for it

    if data.startswith(OLE_MAGIC):
        raise issues.fail("unreadable-workbook", "legacy .xls workbooks are not read; "
                          "save it as .xlsx in Excel or LibreOffice")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        tables = []
        for sheet in book.worksheets:
            rows = [_trim(list(r)) for r in sheet.iter_rows(min_row=1, values_only=True)]
            tables.append(Table(sheet.title, rows))
        book.close()
    except LoadFailure:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: the file is broken
        raise issues.fail(
            "unreadable-workbook",
            f"the workbook cannot be read ({type(exc).__name__}: {exc}); "
            "it may be truncated or damaged, export it again from Excel",
        ) from None
    return tables


def _trim(cells: list[Cell]) -> list[Cell]:
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


def _read_text(data: bytes, issues: Issues) -> list[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        delimiter = b"\t" if b"\t" in data.split(b"\n", 1)[0] else b","
        field = data[line_start : exc.start].count(delimiter)
        header = data.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
        names = header.split(delimiter.decode())
        column = names[field].strip() if field < len(names) else str(field + 1)
        line = data[line_start:].split(b"\n", 1)[0].rstrip(b"\r")
        cell = line.split(delimiter)[field].decode("latin-1")
        raise issues.fail(
            "encoding-error",
            f"byte 0x{data[exc.start]:02x} is not UTF-8; the file looks like Latin-1 or "
            "Windows-1252 text: save it as UTF-8 (Excel: 'CSV UTF-8') and load it again",
            row=row, column=column, value=cell,
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
    return [_trim(list(r)) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def text(cell: Cell) -> str:
    """A cell as trimmed text ('' for empty); non-breaking spaces count as spaces."""
    if cell is None:
        return ""
    return " ".join(str(cell).replace("\xa0", " ").split())


def is_formula(cell: Cell) -> bool:
    return isinstance(cell, str) and bool(FORMULA.match(cell))


def number(cell: Cell) -> Decimal | None:
    """A cell as a Decimal; None when empty; ValueError when it is not a number."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool | datetime | date):
        raise ValueError(cell)
    if isinstance(cell, int | float):
        return Decimal(str(cell))
    try:
        value = Decimal(cell.strip().replace(",", "")) if isinstance(cell, str) else None
    except InvalidOperation:
        raise ValueError(cell) from None
    if value is None or not value.is_finite():
        raise ValueError(cell)
    return value


def year(cell: Cell) -> int | None:
    """The year of a date, datetime, 4-digit number or ISO date string; None if none."""
    if isinstance(cell, datetime | date):
        return cell.year
    match = re.match(r"^\s*((?:19|20)\d\d)(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?(?:[ T].*)?\s*$",
                     str(cell or ""))
    if match:
        return int(match.group(1))
    match = re.match(r"^\s*\d{1,2}[-/.]\d{1,2}[-/.]((?:19|20)\d\d)\s*$", str(cell or ""))
    return int(match.group(1)) if match else None
