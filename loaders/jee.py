"""Joint External Evaluation score workbooks: JEE 1st and 2nd edition levels.

Two layouts are read as format ``jee``: the RTSL workbook described here, and analysts'
sheets with indicator columns headed by code and title (loaders/jee_sheets.py).

JEE 1st-edition indicator columns are ``p11`` .. ``re2`` (P.1.1 .. RE.2), 2nd-edition
ones the same with a ``v2_`` prefix. A score is a capacity level 1-5; the period is the
year of the mission (``jee_date1``). Rows with no scores (JEE not done) are skipped and
reported. Columns suffixed ``_2`` (a second mission) carry no date of their own in the
file, so they are not loaded; a non-empty one is reported.
"""

from __future__ import annotations

import re

from hsfhs.namespaces import ID

from . import jee_sheets
from .context import Context, country_of, row_period
from .errors import Issues
from .records import ParsedFile
from .tables import Table, text, year

SCORE = re.compile(r"^(v2_)?(?:([pdr])(\d)(\d)|(poe|ce|re)(\d))$", re.IGNORECASE)
SECOND = re.compile(r"^(v2_)?(?:[pdr]\d\d|poe\d|ce\d|re\d)_2$", re.IGNORECASE)
DATE = re.compile(r"^(jee_date1?|mission_date|jee_date)$", re.IGNORECASE)
SPECIAL = {"poe": "PoE", "ce": "CE", "re": "RE"}


def notation(column: str) -> tuple[str, str] | None:
    """('jee1'|'jee2', 'P1.1') for a score column name such as ``p11`` or ``v2_poe1``."""
    m = SCORE.match(column.strip())
    if m is None:
        return None
    framework = "jee2" if m.group(1) else "jee1"
    if m.group(2):
        return framework, f"{m.group(2).upper()}{m.group(3)}.{m.group(4)}"
    return framework, f"{SPECIAL[m.group(5).lower()]}{m.group(6)}"


def header_row(table: Table) -> int | None:
    for row, cells in enumerate(table.rows[:20], start=1):
        heads = [text(c) for c in cells]
        if sum(1 for h in heads if SCORE.match(h)) >= 5 and any(
                h.lower() in ("country", "iso", "iso3") for h in heads):
            return row
    return None


def looks_like(table: Table) -> bool:
    return header_row(table) is not None or jee_sheets.header_row(table) is not None


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    table = next((t for t in tables if looks_like(t)), None)
    if table is None:
        raise issues.fail("missing-header", "no header row with JEE score columns "
                          "(p11, p12, ... or v2_p11, ...; or 'P.1.1 Legislation ...') and a "
                          "country column")
    parsed.sheet = issues.sheet = table.sheet
    header = header_row(table)
    if header is None:
        jee_sheets.parse(table, parsed, ctx, issues)
        return
    parsed.layout = (f"JEE RTSL workbook, header row {header}"
                     + (f" of sheet {table.sheet!r}" if table.sheet else ""))
    heads = [text(c) for c in table.rows[header - 1]]
    lower = [h.lower() for h in heads]
    iso_col = next((i for i, h in enumerate(lower) if h in ("iso", "iso3")), None)
    name_col = lower.index("country") if "country" in lower else None
    date_col = next((i for i, h in enumerate(heads) if DATE.match(h)), None)
    if date_col is None:
        raise issues.fail("missing-column", "no mission date column (jee_date1): the "
                          "period of a JEE score is the year of its mission",
                          row=header, column="jee_date1")
    columns = {}
    for i, head in enumerate(heads):
        code = notation(head)
        if code is None:
            continue
        iri = ctx.index.code(*code)
        if iri is None:
            issues.error("unknown-indicator", f"{code[1]} is not a {code[0]} indicator of the "
                         "catalogue", header, head, head)
        else:
            columns[i] = iri
    second = [i for i, h in enumerate(heads) if SECOND.match(h)]
    _missing_columns(ctx, issues, heads, header)
    parsed.period_source = f"mission year, column {heads[date_col]}"
    for row in range(header + 1, len(table.rows) + 1):
        if not any(text(c) for c in table.rows[row - 1]):
            continue
        parsed.rows += 1
        _row(ctx, parsed, issues, table, row, heads, iso_col, name_col, date_col, columns)
        for i in second:
            if text(table.cell(row, i)):
                issues.notice("second-mission-skipped", "score of a second mission: the file "
                              "gives it no date, not loaded", row, heads[i], table.cell(row, i))
    editions = sorted({str(r.indicator)[len(str(ID)):].split("/")[0] for r in parsed.records})
    parsed.framework = f"{', '.join(editions)} (by column: p11 is jee1, v2_p11 jee2)"


def _row(ctx: Context, parsed: ParsedFile, issues: Issues, table: Table, row: int,
         heads: list[str], iso_col: int | None, name_col: int | None, date_col: int,
         columns: dict) -> None:
    found = jee_sheets.mission_scores(
        issues, parsed, table, row, heads, (iso_col, name_col), {i: heads[i] for i in columns},
        "no JEE scores in this row (no mission yet), skipped")
    if found is None:
        return
    values, name, label = found
    cell = table.cell(row, date_col)
    stated = year(cell)
    if stated is None and text(cell):
        issues.invalid("not-a-year", f"{text(cell)!r} is not a mission date", row,
                       heads[date_col], cell)
        return
    period = row_period(ctx, issues, stated, row, heads[date_col], cell)
    if period is None:
        if stated is None:
            issues.invalid("missing-period", "the row has scores but no mission date", row,
                           heads[date_col], cell)
        return
    iso3 = country_of(ctx, parsed, issues, name, row, label)
    if iso3 is None:
        return
    for i, value in values.items():
        jee_sheets.add_score(issues, parsed, row, heads[i], iso3, columns[i], period, value)


def _missing_columns(ctx: Context, issues: Issues, heads: list[str], header: int) -> None:
    """A notice per indicator of an edition the workbook has columns for but lacks."""
    present: dict[str, set[str]] = {}
    for head in heads:
        if found := notation(head):
            present.setdefault(found[0], set()).add(found[1])
    for framework, codes in sorted(present.items()):
        for code in sorted(set(ctx.index.indicators(framework)) - codes):
            issues.notice("missing-column", f"no column for {framework} indicator {code}: "
                          "nothing is loaded for it", header, code)
