"""e-SPAR exports (IHR State Party Self-Assessment Annual Reports), every layout WHO used.

The 2nd-edition export is a flat TSV (Region, Country, total_average, C.1.1, C.1.2, C.1,
...); the 1st-edition workbook has title rows, merged group headings and "Level C1"
capacity columns. Both are read the same way: the header row is the row whose cells
look like indicator codes (C.1.1), wherever it is; each column's role comes from its
heading, never from its position. Indicator columns give SPAR percent scores, capacity
columns (C.1, "Level C1", "Score C1") the published capacity averages.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from hsfhs.namespaces import ID

from .context import Context, checked_text, country_of
from .errors import Issues
from .records import Kind, ParsedFile, Record
from .tables import Table, number, text

INDICATOR = re.compile(r"^(?:(?:level|score)\s+)?C\.?(\d+)\.(\d+)$", re.IGNORECASE)
CAPACITY = re.compile(r"^(?:(?:level|score|average|avg)\s+)?C\.?(\d+)$", re.IGNORECASE)
COUNTRY = re.compile(r"\b(country|state party|member state)\b", re.IGNORECASE)
NO_DATA = {"no data", "other", "n/a", "na", "-", "not reported", "nd"}
SOURCE = ID["source/espar"]
FRAMEWORKS = ("spar2", "spar2018")


def header_row(table: Table) -> int | None:
    """The first row with at least three indicator-code cells (C.1.1 ...)."""
    for number_, cells in enumerate(table.rows[:60], start=1):
        if sum(1 for c in cells if INDICATOR.match(text(c))) >= 3:
            return number_
    return None


def looks_like(table: Table) -> bool:
    return header_row(table) is not None


def column_labels(table: Table, header: int) -> list[str]:
    """Each column's heading; a blank heading takes the nearest one above (merged cells)."""
    width = max(len(r) for r in table.rows[: header + 1])
    labels = []
    for col in range(width):
        label = ""
        for row in range(header, 0, -1):
            label = text(table.cell(row, col))
            if label:
                break
        labels.append(label)
    return labels


def report_year(table: Table, header: int, file_name: str) -> int | None:
    """The report year: from the title rows ("... Year 2018"), else from the file name."""
    titles = " ".join(text(c) for r in table.rows[: header - 1] for c in r)
    match = re.search(r"\byear\D{0,10}((?:19|20)\d\d)\b", titles, re.IGNORECASE)
    match = match or re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", titles)
    match = match or re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", file_name)
    return int(match.group(1)) if match else None


def choose_framework(ctx: Context, codes: set[str], year: int) -> str | None:
    """The SPAR edition whose catalogue indicators include every code of the header."""
    fits = [fw for fw in FRAMEWORKS if codes <= ctx.index.notations(fw)]
    if len(fits) > 1:  # a file with only codes both editions share: the tool by year
        return "spar2" if year >= 2021 else "spar2018"
    return fits[0] if fits else None


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    table = next((t for t in tables if looks_like(t)), None)
    if table is None:
        raise issues.fail("missing-header", "no header row with SPAR indicator codes "
                          "(C.1.1, C.1.2, ...) was found")
    parsed.sheet = issues.sheet = table.sheet
    header = header_row(table)
    assert header is not None
    labels = column_labels(table, header)
    heads = [text(c) for c in table.rows[header - 1]]
    country_col = next((i for i, h in enumerate(labels) if COUNTRY.search(h)), None)
    if country_col is None:
        raise issues.fail("missing-column", "no Country (or 'State Party') column in the "
                          "header row", row=header, column="Country")
    year = report_year(table, header, parsed.path.name)
    if year is None:
        raise issues.fail("missing-period", "the report year is neither in the title rows "
                          "nor in the file name (e.g. espar_2022_....tsv)", row=header)
    indicators = {i: INDICATOR.match(h) for i, h in enumerate(heads) if INDICATOR.match(h)}
    capacities = {i: CAPACITY.match(h) for i, h in enumerate(heads) if CAPACITY.match(h)}
    codes = {f"C{m.group(1)}.{m.group(2)}" for m in indicators.values()}
    framework = choose_framework(ctx, codes, year)
    if framework is None:
        unknown = sorted(codes - ctx.index.notations("spar2"), key=_order)
        raise issues.fail("unknown-indicator", "the header's indicator codes match no SPAR "
                          f"edition of the catalogue (not in spar2: {', '.join(unknown)})",
                          row=header)
    columns: dict[int, tuple[str, Kind]] = {}
    for i, m in indicators.items():
        columns[i] = (f"C{m.group(1)}.{m.group(2)}", Kind.PERCENT)
    for i, m in capacities.items():
        columns[i] = (f"C{m.group(1)}", Kind.CAPACITY_PERCENT)
    iris: dict[int, URIRef | None] = {}
    for i, (code, _) in columns.items():
        iri = ctx.index.code(framework, code)
        if iri is None:
            issues.error("unknown-indicator", f"{code} is not a {framework} code of the "
                         "catalogue", header, heads[i], heads[i])
        iris[i] = iri
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
        _row(ctx, parsed, issues, table, row, labels, country_col, columns, iris, year)


def _row(ctx: Context, parsed: ParsedFile, issues: Issues, table: Table, row: int,
         labels: list[str], country_col: int, columns: dict[int, tuple[str, Kind]],
         iris: dict[int, URIRef | None], year: int) -> None:
    column = labels[country_col]
    name = checked_text(issues, table.cell(row, country_col), row, column)
    values = {}
    for i in columns:
        heading = labels[i]
        raw = table.cell(row, i)
        cell = checked_text(issues, raw, row, heading)
        if cell is None or cell.casefold() in NO_DATA or cell == "":
            continue
        try:
            values[i] = number(raw)
        except ValueError:
            issues.error("type-error", f"{cell!r} is not a number", row, heading, raw)
    if name is None:
        return
    if not name:
        issues.error("missing-value", "the row has no country name", row, column)
        return
    if not values:
        issues.notice("no-data", "no scores in this row (e.g. 'no data'), skipped",
                      row, column, name)
        return
    iso3 = country_of(ctx, parsed, issues, name, row, column)
    if iso3 is None:
        return
    for i, value in values.items():
        if value is not None and iris[i] is not None:
            parsed.records.append(Record(row, labels[i], iso3, iris[i], year, value,
                                         columns[i][1], SOURCE))


def _order(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", code))
