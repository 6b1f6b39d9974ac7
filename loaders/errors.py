"""Row-level load errors, in the manner of frictionless: collected, never raised one by one.

Every problem a loader finds names the file, sheet, spreadsheet row (header = row 1),
column and offending value, so a person can open the file and go straight to the cell.
Errors are gathered for the whole file instead of stopping at the first, because a
WHO export with three typos should be fixed in one pass, not three.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class LoadError:
    """One problem (or, in a report's ``notices``, one skipped row) found while loading.

    ``type`` is a stable slug (``unknown-country``, ``encoding-error``, ...) that tests
    and scripts can rely on; ``message`` is the sentence shown to people.
    """

    type: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    message: str = ""
    rule: str | None = None

    def flat(self) -> tuple[int | None, str | None, str]:
        """(row, column, type): what tests compare, like frictionless ``report.flatten``."""
        return (self.row, self.column, self.type)

    def as_dict(self) -> dict[str, str | int | None]:
        return asdict(self)


class LoadFailure(Exception):
    """A file-level problem after which the rest of the file cannot be read.

    Raised inside a parser and turned into a LoadError at the file boundary, so a broken
    file never escapes as a traceback.
    """

    def __init__(self, error: LoadError) -> None:
        super().__init__(error.message)
        self.error = error


# The rule a reader checks when it reports a bad cell, by error type: shown with every
# skipped cell (--skip-invalid), as SHACL results show their shape's label.
RULES = {
    "type-error": "a value is a number",
    "formula-cell": "a value, not a formula",
    "date-cell": "a score, not a date",
    "two-values": "one value per cell",
    "unknown-country": "a known country",
    "missing-value": "a country on every row with values",
    "missing-period": "a year on every row with scores",
    "period-conflict": "the year --period gives",
    "not-a-year": "a year",
    "missing-edition": "a JEE edition on every row with scores",
    "not-an-edition": "a JEE edition (1, 2 or 3)",
    "not-in-edition": "an indicator of the row's edition",
    "invalid-code": "a code of letters, digits, _ . -",
    "unknown-indicator": "an indicator of the catalogue",
    "unverifiable-average": "a capacity average checkable against its indicators",
    "not-an-income-group": "a World Bank income group",
    "not-a-date": "a date such as 27-Jul-18",
    "not-a-flag": "TRUE or FALSE",
}


@dataclass
class Issues:
    """The errors and notices of one file, with the file and sheet filled in for callers.

    With ``skip_invalid`` (``--skip-invalid``) a bad cell is not an error but a skipped
    cell: listed in ``skipped`` with its rule and counted in the file's PROV record, so
    the valid cells load and nothing is dropped without a trace.
    """

    file: str
    sheet: str | None = None
    skip_invalid: bool = False

    def __post_init__(self) -> None:
        self.errors: list[LoadError] = []
        self.notices: list[LoadError] = []
        self.skipped: list[LoadError] = []

    def error(self, type_: str, message: str, row: int | None = None,
              column: str | None = None, value: object = None) -> None:
        self.errors.append(self._make(type_, message, row, column, value))

    def notice(self, type_: str, message: str, row: int | None = None,
               column: str | None = None, value: object = None) -> None:
        self.notices.append(self._make(type_, message, row, column, value))

    def invalid(self, type_: str, message: str, row: int | None = None,
                column: str | None = None, value: object = None) -> None:
        """A bad cell: an error (strict, the default) or a skipped cell (--skip-invalid)."""
        found = self._make(type_, message, row, column, value, RULES.get(type_, type_))
        (self.skipped if self.skip_invalid else self.errors).append(found)

    def fail(self, type_: str, message: str, row: int | None = None,
             column: str | None = None, value: object = None) -> LoadFailure:
        """A LoadFailure to ``raise`` when the file cannot be read any further."""
        return LoadFailure(self._make(type_, message, row, column, value))

    def _make(self, type_: str, message: str, row: int | None, column: str | None,
              value: object, rule: str | None = None) -> LoadError:
        text = None if value is None else str(value)
        return LoadError(type_, self.file, self.sheet, row, column, text, message, rule)
