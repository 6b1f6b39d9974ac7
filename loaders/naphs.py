"""The CGHSS table of NAPHS dates (naphs_dates_cghss.tsv): plans for health security.

Columns ``WHO Region, Country, JEE (first end date), NAPHS (first completion date),
NAPHS published, NAPHS line-item costs, Notes``; one row per country, named in words.
Each row gives, from ``id:source/cghss``:

- ``id:context/naphs-completed``: the first completion date (``hsfhs:dateValue``), for
  the year of that date; the row's note is kept on it (``rdfs:comment``). A cell with two
  dates ("17 Jun 2022/ 13 Sep 2019") gives the earlier, since the column is the *first*
  completion, with a notice naming both;
- ``id:context/naphs-published`` and ``id:context/naphs-costed`` (``hsfhs:booleanValue``),
  for the same year: they describe that plan, so a row with no completion date ("NA")
  has none of the three (an absent value, counted); were a flag TRUE there, a notice
  would say it was not loaded;
- ``id:context/jee-first-mission``: the end date of the first JEE mission, its year.

A subnational row ("Tanzania (Zanzibar)") is not a country and is skipped with a notice.
"""

from __future__ import annotations

import re

from .context import Context, checked_text, country_of
from .country_context import CGHSS, boolean_term, context_record, date_term, parse_dates, parse_flag
from .errors import Issues
from .records import Kind, ParsedFile
from .tables import Table, text

COUNTRY = "Country"
JEE = "JEE (first end date)"
NAPHS = "NAPHS (first completion date)"
PUBLISHED = "NAPHS published"
COSTED = "NAPHS line-item costs"
NOTES = "Notes"
REQUIRED = (COUNTRY, JEE, NAPHS, PUBLISHED, COSTED)
SUBNATIONAL = re.compile(r"\((zanzibar|[^)]*province|[^)]*state)\)$", re.IGNORECASE)


def looks_like(table: Table) -> bool:
    heads = {text(c) for c in (table.rows[0] if table.rows else [])}
    return NAPHS in heads and COUNTRY in heads


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    table = tables[0]
    heads = [text(c) for c in table.rows[0]]
    missing = [h for h in REQUIRED if h not in heads]
    if missing:
        raise issues.fail("missing-column", f"NAPHS table columns missing: {', '.join(missing)}",
                          row=1, column=missing[0])
    col = {h: heads.index(h) for h in (*REQUIRED, NOTES) if h in heads}
    parsed.layout, parsed.period_source = "CGHSS NAPHS dates table", "year of each date"
    for row in range(2, len(table.rows) + 1):
        if not any(text(c) for c in table.rows[row - 1]):
            continue
        parsed.rows += 1
        name = checked_text(issues, table.cell(row, col[COUNTRY]), row, COUNTRY)
        if not name:
            continue
        if SUBNATIONAL.search(name):
            issues.notice("subnational-row", "a part of a country, not a country: skipped",
                          row, COUNTRY, name)
            continue
        iso3 = country_of(ctx, parsed, issues, name, row, COUNTRY)
        if iso3 is None:
            continue
        note = text(table.cell(row, col[NOTES])) if NOTES in col else ""
        first_jee = _date(issues, table.cell(row, col[JEE]), row, JEE, parsed)
        if first_jee is not None:
            context_record(parsed, row, JEE, iso3, "jee-first-mission", first_jee.year,
                           Kind.DATE, date_term(first_jee), CGHSS)
        completed = _date(issues, table.cell(row, col[NAPHS]), row, NAPHS, parsed)
        flags = {}
        for column, slug in ((PUBLISHED, "naphs-published"), (COSTED, "naphs-costed")):
            raw = table.cell(row, col[column])
            value = parse_flag(raw)
            if value is None:
                issues.invalid("not-a-flag", f"{text(raw)!r} is not TRUE or FALSE", row, column,
                               raw)
            else:
                flags[slug] = (column, value)
        if completed is None:
            if any(value for _, value in flags.values()):
                issues.notice("flags-without-plan", "published or costed is TRUE but there is "
                              "no completion date: the flags are not loaded", row, NAPHS)
            continue
        context_record(parsed, row, NAPHS, iso3, "naphs-completed", completed.year, Kind.DATE,
                       date_term(completed), CGHSS, note or None)
        for slug, (column, value) in flags.items():
            context_record(parsed, row, column, iso3, slug, completed.year, Kind.BOOLEAN,
                           boolean_term(value), CGHSS)


def _date(issues: Issues, cell: object, row: int, column: str, parsed: ParsedFile):
    """The first date of a cell, or None (absent, or a bad cell reported)."""
    if checked_text(issues, cell, row, column) is None:
        return None
    dates = parse_dates(cell)
    if dates is None:
        issues.invalid("not-a-date", f"{text(cell)!r} is not a date such as 27-Jul-18", row,
                       column, cell)
        return None
    if not dates:
        parsed.absent += 1
        return None
    if len(dates) > 1:
        issues.notice("two-dates", f"the cell gives {len(dates)} dates; the earliest, "
                      f"{min(dates).isoformat()}, is the first", row, column, cell)
    return min(dates)
