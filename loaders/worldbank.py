"""The World Bank country classification (CLASS.xlsx): each economy's income group.

Sheet "List of economies", header row ``Economy, Code, Region, Income group, ...``. Each
economy becomes one observation of ``id:context/income-group`` whose value is one of the
four income groups (``id:income-group/LIC`` ... ``HIC``), from ``id:source/worldbank``.
The classification year is the file name's year (``worldbank_CLASS_2023.xlsx``) or
``--period``. Rows without a region are the World Bank's own aggregates (regions, income
groups, "World") and are skipped; an economy with no income group (Venezuela has been
unclassified since 2021) is an absent value; an economy with a World Bank code that is
not an ISO 3166-1 code (Kosovo XKX, Channel Islands CHI) is skipped with a notice.
"""

from __future__ import annotations

from .context import Context, checked_text, country_of
from .country_context import INCOME_GROUPS, WORLDBANK, context_record, income_group_iri
from .errors import Issues
from .headers import name_year
from .records import Kind, ParsedFile
from .tables import Table, text

REQUIRED = ("Economy", "Code", "Region", "Income group")
GROUP_CODES = {name.casefold(): code for code, name in INCOME_GROUPS.items()}


def looks_like(table: Table) -> bool:
    heads = {text(c) for c in (table.rows[0] if table.rows else [])}
    return {"Economy", "Code", "Income group"} <= heads


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    table = next(t for t in tables if t.rows and looks_like(t))
    issues.sheet = parsed.sheet = table.sheet
    heads = [text(c) for c in table.rows[0]]
    missing = [h for h in REQUIRED if h not in heads]
    if missing:
        raise issues.fail("missing-column", f"CLASS columns missing: {', '.join(missing)}",
                          row=1, column=missing[0])
    col = {h: heads.index(h) for h in REQUIRED}
    period = classification_year(ctx, parsed, issues)
    parsed.layout = f"World Bank CLASS table, header row 1 of sheet '{table.sheet}'"
    for row in range(2, len(table.rows) + 1):
        cells = {h: checked_text(issues, table.cell(row, i), row, h) for h, i in col.items()}
        if not any(cells.values()):
            continue
        parsed.rows += 1
        if any(v is None for v in cells.values()):
            continue
        if not cells["Region"]:
            issues.notice("aggregate-row", "a World Bank aggregate (no region), skipped", row,
                          "Economy", cells["Economy"])
            continue
        code = cells["Code"].strip()
        if not ctx.countries.is_code(code):
            issues.notice("not-an-iso-country", f"{code} is a World Bank code, not an ISO "
                          "3166-1 country: skipped", row, "Code", cells["Economy"])
            continue
        group = cells["Income group"]
        if not group:
            parsed.absent += 1  # unclassified this year: no value, no error
            continue
        if group.casefold() not in GROUP_CODES:
            issues.invalid("not-an-income-group", f"{group!r} is not one of "
                           f"{', '.join(INCOME_GROUPS.values())}", row, "Income group", group)
            continue
        iso3 = country_of(ctx, parsed, issues, code, row, "Code")
        if iso3 is None:
            continue
        context_record(parsed, row, "Income group", iso3, "income-group", period,
                       Kind.CATEGORY, income_group_iri(GROUP_CODES[group.casefold()]), WORLDBANK)


def classification_year(ctx: Context, parsed: ParsedFile, issues: Issues) -> int:
    """The classification's year: ``--period``, else the file name's year."""
    named = name_year(parsed.path.name)
    if ctx.period is not None:
        if named is not None and named != ctx.period:
            issues.notice("period-overrides-name", f"the file name says {named}; --period "
                          f"{ctx.period} wins", value=parsed.path.name)
        parsed.period, parsed.period_source = str(ctx.period), "--period"
        return ctx.period
    if named is None:
        raise issues.fail("missing-period", "the classification year is not in the file name "
                          "(worldbank_CLASS_2023.xlsx): give it with --period YEAR")
    parsed.period, parsed.period_source = str(named), "file name"
    return named
