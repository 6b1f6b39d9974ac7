"""JEE scores in analysts' own workbooks: indicator columns headed by code and title.

Analysts pass JEE scores around in sheets of their own: one row per mission, indicator
columns headed "P.1.1 Legislation, laws, ...", the ISO3 code in a column of its own, the
mission year and the JEE edition (1 or 2, "JEE2", "2nd edition") in columns, status
columns, "NA" for an indicator not assessed, and country names in other institutions'
spellings. The layout is recognised by its content (at least five P/D/R indicator codes
in one row, and a country or ISO3 column); each row's codes are read against the
edition the row gives, so P.1.3 is a JEE 2nd-edition indicator and an error on a
1st-edition row. Hand-kept sheets also hold formulas, two values in one cell, scores a
spreadsheet turned into dates and prose in the year column: each is a bad cell naming
its row and column (loaders/cells.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from rdflib import URIRef

from hsfhs.namespaces import ID

from .cells import read_value, strict_year
from .context import Context, checked_text, country_of, row_period
from .errors import Issues
from .records import Kind, ParsedFile, Record
from .tables import Table, text

CODE = re.compile(r"^(?:(PoE|CE|RE)\s*\.?\s*(\d{1,2})|([PDR])\s*\.?\s*(\d{1,2})\s*\.\s*(\d{1,2}))"
                  r"(?=$|[\s:.,;()\-–—])", re.IGNORECASE)
ISO = re.compile(r"^(iso ?3?|iso[ -]?3166(-1)?( alpha-?3)?|iso ?3? code|country code|"
                 r"alpha-?3( code)?)$", re.IGNORECASE)
COUNTRY = re.compile(r"^(country|country name|country or area|member state|state party)$",
                     re.IGNORECASE)
YEAR = re.compile(r"^((jee|mission|assessment) )?(year|date)( of (the )?(jee|mission|"
                  r"assessment))?$", re.IGNORECASE)
EDITION = re.compile(r"^(jee )?(edition|version|tool( version)?)( of (the )?jee( tool)?)?$",
                     re.IGNORECASE)
EDITION_VALUE = re.compile(r"^(?:jee\s*)?(?:v\s*)?([123])(?:\.0)?\s*(?:st|nd|rd)?\s*"
                           r"(?:ed(?:ition|\.)?)?(?:\s*\(\s*\d{4}\s*\))?$", re.IGNORECASE)
ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}
SOURCE = ID["source/jee"]


def code_of(heading: str) -> tuple[str, str] | None:
    """(catalogue notation, the code as the heading writes it): "P.1.1 Legis..." -> P1.1."""
    m = CODE.match(heading)
    if m is None:
        return None
    if m.group(1):
        special = {"poe": "PoE", "ce": "CE", "re": "RE"}[m.group(1).lower()]
        return f"{special}{int(m.group(2))}", m.group(0).strip()
    return f"{m.group(3).upper()}{int(m.group(4))}.{int(m.group(5))}", m.group(0).strip()


def header_row(table: Table) -> int | None:
    """The first row with five dotted P/D/R codes and a country or ISO3 column."""
    for row, cells in enumerate(table.rows[:20], start=1):
        heads = [text(c) for c in cells]
        dotted = sum(1 for h in heads if (m := CODE.match(h)) and m.group(3))
        if dotted >= 5 and any(COUNTRY.match(h) or ISO.match(h) for h in heads):
            return row
    return None


def edition_of(cell: object) -> int | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return int(cell) if cell in (1, 2, 3) else None
    m = EDITION_VALUE.match(text(cell))
    return int(m.group(1)) if m else None


def parse(table: Table, parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    header = header_row(table)
    assert header is not None
    heads = [text(c) for c in table.rows[header - 1]]
    iso_col, name_col, year_col, edition_col = (_find(heads, p) for p in (ISO, COUNTRY, YEAR,
                                                                           EDITION))
    if year_col is None and ctx.period is None:
        raise issues.fail("missing-column", "no mission year column (Year, Mission year, "
                          "JEE date): give the year with --period if all rows share one",
                          row=header, column="Year")
    if edition_col is None:
        raise issues.fail("missing-column", "no JEE edition column (Edition, JEE version): "
                          "the edition decides what each indicator code means",
                          row=header, column="Edition")
    columns: dict[int, tuple[str, str]] = {}  # index -> (notation, column label)
    for i, head in enumerate(heads):
        found = code_of(head)
        if found is None:
            continue
        if any(code == found[0] for code, _ in columns.values()):
            raise issues.fail("duplicate-column", f"two columns for indicator {found[1]}",
                              row=header, column=found[1])
        columns[i] = found
    parsed.layout = (f"JEE code-and-title sheet, header row {header}"
                     + (f" of sheet {table.sheet!r}" if table.sheet else "")
                     + f", {len(columns)} indicator columns")
    roles = (iso_col, name_col, year_col, edition_col)
    parsed.period_source = (f"mission year, column {heads[year_col]!r}" if year_col is not None
                            else "--period")
    editions: set[int] = set()
    for row in range(header + 1, len(table.rows) + 1):
        if not any(text(c) for c in table.rows[row - 1]):
            continue
        parsed.rows += 1
        edition = _row(ctx, parsed, issues, table, row, heads, roles, columns)
        if edition:
            editions.add(edition)
    present = {code for code, _ in columns.values()}
    for edition in sorted(editions):
        missing = sorted(set(ctx.index.indicators(f"jee{edition}")) - present)
        for code in missing:
            issues.notice("missing-column", f"no column for JEE {ORDINAL[edition]}-edition "
                          f"indicator {code}: nothing is loaded for it", header, code)
    parsed.framework = (", ".join(f"jee{e}" for e in sorted(editions))
                        + f" (JEE edition per row, from column {heads[edition_col]!r})")


def _find(heads: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, h in enumerate(heads) if pattern.match(h)), None)


def mission_scores(
    issues: Issues, parsed: ParsedFile, table: Table, row: int, heads: list[str],
    country_cols: tuple[int | None, int | None], labels: Mapping[int, str], no_scores: str,
) -> tuple[dict[int, Decimal], str, str] | None:
    """A mission row's scores (column -> value), its country as written and the heading of
    the country's column; None when the row is skipped, with the issue that says why.

    The country is the ISO3 column's where that cell is filled, else the name column's.
    A JEE workbook of either layout (RTSL's, analysts' sheets) reads its rows so.
    """
    iso_col, name_col = country_cols
    values = {}
    for i, label in labels.items():
        value = read_value(issues, parsed, table.cell(row, i), row, label, what="a score")
        if value is not None:
            values[i] = value
    col = iso_col if iso_col is not None and text(table.cell(row, iso_col)) else name_col
    label = heads[col] if col is not None else "country"
    name = checked_text(issues, table.cell(row, col), row, label) if col is not None else ""
    if name is None:
        return None
    if not values:
        issues.notice("no-scores", no_scores, row, label, name)
        return None
    if not name:
        issues.invalid("missing-value", "the row has scores but no country", row, label)
        return None
    return values, name, label


def add_score(issues: Issues, parsed: ParsedFile, row: int, column: str, iso3: str,
              indicator: URIRef, period: int, value: Decimal) -> None:
    """One JEE score as a record: a level when whole, else a value with a notice (1.5 is
    no capacity level)."""
    whole = value == value.to_integral_value()
    if not whole:
        issues.notice("half-level", f"score {value} is not a whole level: kept as a "
                      "value without a capacity level", row, column, value)
    parsed.records.append(Record(row, column, iso3, indicator, period, value,
                                 Kind.LEVEL if whole else Kind.VALUE, SOURCE))


def _row(ctx: Context, parsed: ParsedFile, issues: Issues, table: Table, row: int,
         heads: list[str], roles: tuple[int | None, ...], columns: dict[int, tuple[str, str]]
         ) -> int | None:
    """Read one mission row; its edition when it gave scores."""
    iso_col, name_col, year_col, edition_col = roles
    labels = {i: label for i, (_, label) in columns.items()}
    found = mission_scores(issues, parsed, table, row, heads, (iso_col, name_col), labels,
                           "no JEE scores in this row, skipped")
    if found is None:
        return None
    values, name, label = found
    edition = _edition(issues, table, row, heads, edition_col)
    period = _year(ctx, issues, table, row, heads, year_col)
    if edition is None or period is None:
        return None
    iso3 = country_of(ctx, parsed, issues, name, row, label)
    if iso3 is None:
        return None
    framework = f"jee{edition}"
    for i, value in values.items():
        code, column = columns[i]
        iri = ctx.index.code(framework, code)
        if iri is None:
            issues.invalid("not-in-edition", f"{column} is not an indicator of the JEE "
                           f"{ORDINAL[edition]} edition this row gives", row, column, value)
            continue
        add_score(issues, parsed, row, column, iso3, iri, period, value)
    return edition


def _edition(issues: Issues, table: Table, row: int, heads: list[str],
             col: int | None) -> int | None:
    assert col is not None
    cell = table.cell(row, col)
    if checked_text(issues, cell, row, heads[col]) is None:
        return None
    edition = edition_of(cell)
    if edition is None:
        if not text(cell):
            issues.invalid("missing-edition", "the row has scores but no JEE edition", row,
                           heads[col])
        else:
            issues.invalid("not-an-edition", f"{text(cell)!r} is not a JEE edition (1 or 2)",
                           row, heads[col], cell)
    return edition


def _year(ctx: Context, issues: Issues, table: Table, row: int, heads: list[str],
          col: int | None) -> int | None:
    cell = table.cell(row, col) if col is not None else None
    column = heads[col] if col is not None else "Year"
    if checked_text(issues, cell, row, column) is None:
        return None
    stated = strict_year(cell)
    if stated is None and text(cell):
        issues.invalid("not-a-year", f"{text(cell)!r} is not a year: the mission year is a "
                       "year (2017) or a date", row, column, cell)
        return None
    period = row_period(ctx, issues, stated, row, column, cell)
    if period is None and stated is None:
        issues.invalid("missing-period", "the row has scores but no mission year", row, column)
    return period
