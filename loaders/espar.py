"""e-SPAR exports (IHR State Party Self-Assessment Annual Reports), every layout WHO used.

The portal's export is a flat table (Region, Country, total_average, C.1.1, C.1.2, C.1,
...) as TSV or xlsx; WHO's yearly workbooks add title rows, merged group headings,
"Level C1" capacity columns, a "Data Received" column and in some years a block of
global and regional averages, with its own row of indicator codes, above the country
table. All are read the same way: the header is the row that names a country column and
holds indicator codes (loaders/headers.py), wherever it is; each column's role comes from
its heading, never from its position. Indicator columns give SPAR percent scores,
capacity columns (C.1, "Level C1", "Score C1") the published capacity averages, the
total average column (SDG indicator 3.d.1) the average of all capacities.

The edition comes from the indicator codes present (SPAR 1st edition, the 2018 tool,
was used for report years 2018-2020; the 2nd edition, the 2021 tool, from 2021), the
report year from a title row ("... Year 2019 (Updated on ...)"), else the file name,
else ``--period`` (which also wins over the file name; a title that says otherwise is
an error). Aggregate rows (global, regions) are reported and skipped wherever they sit.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from hsfhs.namespaces import ID
from hsfhs.vocabulary import FRAMEWORKS, reported_by

from . import headers, questionnaire
from .cells import ABSENT, read_value
from .context import Context, checked_text, country_of
from .errors import Issues
from .records import Kind, ParsedFile, Record
from .tables import Table, text

INDICATOR = re.compile(r"^(?:(?:level|score)\s+)?C\.?(\d+)\.(\d+)$", re.IGNORECASE)
CAPACITY = re.compile(r"^(?:(?:level|score|average|avg)\s+)?C\.?(\d+)$", re.IGNORECASE)
TOTAL = re.compile(r"^(total[ _]?average|overall (score|average)|all capacities|"
                   r"(sdg )?(indicator )?3\.d\.1)$", re.IGNORECASE)
COUNTRY = re.compile(r"\b(country|state party|member state)\b", re.IGNORECASE)
NO_DATA = ABSENT | {"other"}  # the 2018 workbook marks some States Parties "Other"
SOURCE = ID["source/espar"]
EDITIONS = reported_by("espar")  # the SPAR editions, newest last


def header_row(table: Table) -> int | None:
    """The row naming a country column among rows of indicator codes (C.1.1 ...)."""
    return headers.header_row(table, INDICATOR.match, COUNTRY.search)


def looks_like(table: Table) -> bool:
    return bool(headers.code_rows(table, INDICATOR.match))


def choose_framework(ctx: Context, codes: set[str], year: int) -> tuple[str | None, str]:
    """The SPAR edition whose indicators include every code of the header, and why."""
    fits = [fw for fw in EDITIONS if codes <= ctx.index.notations(fw)]
    if len(fits) > 1:  # only codes both editions share: the edition of the report year
        in_use = [fw for fw in fits if _in_use(fw, year)] or fits[-1:]
        return in_use[0], "the indicator columns fit both editions: by report year"
    return (fits[0], "from the indicator columns") if fits else (None, "")


def _in_use(framework: str, year: int) -> bool:
    """Whether ``year`` is a report year the edition was used for (hsfhs.vocabulary)."""
    first, last = FRAMEWORKS[framework].years or (year, year)
    return first <= year and (last is None or year <= last)


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    table = next((t for t in tables if looks_like(t)), None)
    if table is None:
        if any(questionnaire.looks_like(t) for t in tables):
            raise questionnaire.unsupported(issues)
        raise issues.fail("missing-header", "no header row with SPAR indicator codes "
                          "(C.1.1, C.1.2, ...) was found")
    parsed.sheet = issues.sheet = table.sheet
    header = header_row(table)
    assert header is not None
    labels = headers.column_labels(table, header)
    heads = [text(c) for c in table.rows[header - 1]]
    country_col = next((i for i, h in enumerate(labels) if COUNTRY.search(h)), None)
    if country_col is None:
        raise issues.fail("missing-column", "no Country (or 'State Party') column in the "
                          "header row", row=header, column="Country")
    above = _rows_above(ctx, table, header, issues)
    year = report_year(ctx, table, header, parsed, issues)
    columns = _columns(table, header, labels, heads)
    codes = {code for code, kind in columns.values() if kind is Kind.PERCENT}
    framework, how = choose_framework(ctx, codes, year)
    if framework is None:
        unknown = sorted(codes - ctx.index.notations("spar2"), key=_order)
        raise issues.fail("unknown-indicator", "the header's indicator codes match no SPAR "
                          f"edition of the catalogue (not in spar2: {', '.join(unknown)})",
                          row=header)
    edition = FRAMEWORKS[framework]
    parsed.framework = f"{framework} = {edition.short}, {how}"
    if not _in_use(framework, year):
        first, last = edition.years or (year, year)
        issues.notice("edition-year", f"report year {year} is outside the years of "
                      f"{edition.short} ({first}-{last or 'on'}); the columns decide the "
                      "edition", header)
    iris: dict[int, URIRef | None] = {}
    for i, (code, _) in columns.items():
        iri = ctx.index.code(framework, code)
        if iri is None:
            issues.error("unknown-indicator", f"{code} is not a {framework} code of the "
                         "catalogue", header, labels[i], labels[i])
        iris[i] = iri
    unverifiable = _missing_columns(ctx, issues, framework, columns, header)
    parsed.layout = _layout(table, header, labels, above)
    first_code = min(columns)
    for row in range(header + 1, len(table.rows) + 1):
        cells = table.rows[row - 1]
        if not any(text(c) for c in cells):
            continue
        name = text(table.cell(row, country_col))
        label = name or next((text(c) for c in cells[:first_code] if text(c)), "")
        if label and ctx.countries.is_aggregate(label):
            issues.notice("aggregate-row", "aggregate row (average or region), skipped",
                          row, labels[country_col], label)
            continue
        if sum(1 for i in columns if CAPACITY.match(text(table.cell(row, i)))) >= 3:
            issues.notice("repeated-header", "a second header row, skipped", row)
            continue
        parsed.rows += 1
        _row(ctx, parsed, issues, table, row, labels, country_col, columns, iris, year,
             unverifiable)


def report_year(ctx: Context, table: Table, header: int, parsed: ParsedFile,
                issues: Issues) -> int:
    """The report year and, in ``parsed``, where it came from (see the module doc)."""
    stated = headers.title_years(table, header)
    if len({y for y, _, _ in stated}) > 1:
        raise issues.fail("ambiguous-period", "the title rows name several years ("
                          + "; ".join(f"row {r}: {y}" for y, r, _ in stated)
                          + "): give the report year with --period", row=stated[0][1])
    named = headers.name_year(parsed.path.name)
    if ctx.period is not None:
        if stated and stated[0][0] != ctx.period:
            year, row, title = stated[0]
            raise issues.fail("period-conflict", f"--period says {ctx.period} but title row "
                              f"{row} says the report year is {year}", row=row, value=title)
        if named is not None and named != ctx.period:
            issues.notice("period-overrides-name", f"the file name says {named}; --period "
                          f"{ctx.period} wins", value=parsed.path.name)
        year, source = ctx.period, "--period"
        if stated:
            source += f" (title row {stated[0][1]} agrees)"
    elif stated:
        year, source = stated[0][0], f"title row {stated[0][1]}"
        if named is not None and named != year:
            issues.notice("period-overrides-name", f"the file name says {named}, title row "
                          f"{stated[0][1]} says {year}: the title wins", value=parsed.path.name)
    elif named is not None:
        year, source = named, "file name"
    else:
        raise issues.fail("missing-period", "the report year is neither in a title row nor "
                          "in the file name (WHO's export IHRScoreperCapacity_<timestamp> "
                          "states none): give it with --period YEAR", row=header)
    parsed.period, parsed.period_source = str(year), source
    return year


def _columns(table: Table, header: int, labels: list[str],
             heads: list[str]) -> dict[int, tuple[str, Kind]]:
    """Column index -> (catalogue notation, kind) for every score column of the header."""
    columns: dict[int, tuple[str, Kind]] = {}
    for i in range(len(labels)):  # the header row may be shorter: its last cells blank
        head = heads[i] if i < len(heads) else ""
        if m := INDICATOR.match(head):
            columns[i] = (f"C{m.group(1)}.{m.group(2)}", Kind.PERCENT)
        elif m := CAPACITY.match(head):
            columns[i] = (f"C{m.group(1)}", Kind.CAPACITY_PERCENT)
        elif any(TOTAL.match(h) for h in headers.stacked(table, header, i)):
            columns[i] = ("total", Kind.OVERALL_PERCENT)
            if not head:  # a blank heading under "ALL CAPACITIES / AVERAGE" (2018 workbook)
                labels[i] = " / ".join(headers.stacked(table, header, i))
    return columns


def _missing_columns(ctx: Context, issues: Issues, framework: str,
                     columns: dict[int, tuple[str, Kind]], header: int) -> set[int]:
    """Report indicator columns of the edition the file lacks; the unverifiable averages.

    Without one of its indicators a capacity's published average cannot be checked, so
    that is an error (with --skip-invalid: the average's cells are skipped, listed);
    an indicator of a capacity the file has no average for is a notice.
    """
    present = {code: i for i, (code, _) in columns.items()}
    unverifiable: set[int] = set()
    for code, capacity in sorted(ctx.index.indicators(framework).items(),
                                 key=lambda kv: _order(kv[0])):
        if code in present:
            continue
        shown = "C." + code[1:]
        if capacity in present:
            message = (f"no {shown} column: the published average of capacity "
                       f"{'C.' + capacity[1:]} cannot be checked against its indicators")
            if ctx.skip_invalid:
                issues.notice("missing-column", message + "; its cells are skipped", header,
                              shown)
                unverifiable.add(present[capacity])
            else:
                issues.error("missing-column", message, header, shown)
        else:
            issues.notice("missing-column", f"no {shown} column ({framework} indicator of "
                          f"capacity {capacity}): nothing is loaded for it", header, shown)
    return unverifiable


def _rows_above(ctx: Context, table: Table, header: int, issues: Issues) -> list[int]:
    """Rows of values above the header (an aggregate block): reported, never read."""
    found = []
    for row in range(1, header):
        cells = table.rows[row - 1]
        if sum(1 for c in cells if headers.is_numeric(c)) < 3:
            continue
        found.append(row)
        label = next((text(c) for c in cells if text(c) and not headers.is_numeric(c)), "")
        if label and ctx.countries.is_aggregate(label):
            issues.notice("aggregate-row", "aggregate row (average or region) above the "
                          "country table, skipped", row, value=label)
        else:
            issues.notice("above-header", "a row of values above the header row, not read",
                          row, value=label)
    return found


def _layout(table: Table, header: int, labels: list[str], above: list[int]) -> str:
    parts = [f"e-SPAR country table, header row {header}"]
    if table.sheet:
        parts[0] += f" of sheet {table.sheet!r}"
    titles = [r for r in range(1, header) if r not in above and any(text(c) for c in
                                                                     table.rows[r - 1])]
    if titles:
        parts.append(f"{len(titles)} title/heading row(s)")
    if above:
        parts.append(f"aggregate block above (rows {above[0]}-{above[-1]})")
    if any(label.casefold() == "data received" for label in labels):
        parts.append("'Data Received' column")
    return ", ".join(parts)


def _row(ctx: Context, parsed: ParsedFile, issues: Issues, table: Table, row: int,
         labels: list[str], country_col: int, columns: dict[int, tuple[str, Kind]],
         iris: dict[int, URIRef | None], year: int, unverifiable: set[int]) -> None:
    column = labels[country_col]
    name = checked_text(issues, table.cell(row, country_col), row, column)
    values = {}
    for i in columns:
        value = read_value(issues, parsed, table.cell(row, i), row, labels[i], absent=NO_DATA)
        if value is None:
            continue
        if i in unverifiable:
            issues.invalid("unverifiable-average", "a capacity average whose indicator "
                           "column is missing cannot be checked", row, labels[i], value)
            continue
        values[i] = value
    if name is None:
        return
    if not name:
        if values:
            issues.invalid("missing-value", "the row has scores but no country name", row,
                           column)
        else:
            issues.notice("no-data", "a row with neither a country nor scores, skipped", row,
                          column)
        return
    if not values:
        issues.notice("no-data", "no scores in this row (e.g. 'no data'), skipped",
                      row, column, name)
        return
    iso3 = country_of(ctx, parsed, issues, name, row, column)
    if iso3 is None:
        return
    for i, value in values.items():
        if iris[i] is not None:
            parsed.records.append(Record(row, labels[i], iso3, iris[i], year, value,
                                         columns[i][1], SOURCE))


def _order(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", code))
