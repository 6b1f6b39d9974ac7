"""WHO Global Health Observatory exports in long format (one value per row), any indicator.

Columns used: IndicatorCode, Indicator, SpatialDimValueCode (ISO3), Location type,
Period, Dim1..Dim3 (value codes) and FactValueNumeric (else Value). An indicator code
the catalogue lacks becomes an ``hsfhs:Determinant`` ``id:gho/{code}`` labelled from the
Indicator column. Rows broken down by a dimension (sex, residence...) are kept as their
own determinant ``id:gho/{code}/{dim value code}``, narrower than the indicator, so a
breakdown never collides with the total. Regional and global rows are skipped.
"""

from __future__ import annotations

import re

from rdflib import RDF, SKOS, Literal, URIRef

from hsfhs.namespaces import HSFHS, ID

from .context import Context, checked_text, country_of, row_period
from .errors import Issues
from .records import Kind, ParsedFile, Record
from .tables import Table, number, text

REQUIRED = ("IndicatorCode", "SpatialDimValueCode", "Period")
SOURCE = ID["source/gho"]


def looks_like(table: Table) -> bool:
    heads = {text(c) for c in (table.rows[0] if table.rows else [])}
    return "IndicatorCode" in heads and "SpatialDimValueCode" in heads


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    table = tables[0]
    heads = [text(c) for c in table.rows[0]]
    col = {h: i for i, h in enumerate(heads)}
    missing = [h for h in REQUIRED if h not in col]
    value_col = col.get("FactValueNumeric", col.get("Value"))
    if value_col is None:
        missing.append("FactValueNumeric")
    if missing:
        raise issues.fail("missing-column", f"GHO columns missing: {', '.join(missing)}",
                          row=1, column=missing[0])
    parsed.layout, parsed.period_source = "GHO long format", "Period column"
    dims = [col[d] for d in ("Dim1ValueCode", "Dim2ValueCode", "Dim3ValueCode") if d in col]
    for row in range(2, len(table.rows) + 1):
        cells = table.rows[row - 1]
        if not any(text(c) for c in cells):
            continue
        parsed.rows += 1
        kind_of_place = text(table.cell(row, col["Location type"])) if "Location type" in col \
            else "Country"
        if kind_of_place and kind_of_place.lower() != "country":
            issues.notice("aggregate-row", f"{kind_of_place} row, skipped", row,
                          "Location type", kind_of_place)
            continue
        code = checked_text(issues, table.cell(row, col["IndicatorCode"]), row, "IndicatorCode")
        place = checked_text(issues, table.cell(row, col["SpatialDimValueCode"]), row,
                             "SpatialDimValueCode")
        raw = table.cell(row, value_col)
        value_text = checked_text(issues, raw, row, heads[value_col])
        if code is None or place is None or value_text is None:
            continue
        if not value_text:
            issues.notice("no-data", "no value in this row, skipped", row, heads[value_col])
            continue
        try:
            value = number(raw)
        except ValueError:
            issues.invalid("type-error", f"{value_text!r} is not a number", row,
                           heads[value_col], raw)
            continue
        period_text = text(table.cell(row, col["Period"]))
        if not re.fullmatch(r"(19|20)\d\d", period_text):
            issues.notice("period-not-a-year", "the period is not a single year, skipped",
                          row, "Period", period_text)
            continue
        if not re.fullmatch(r"[A-Za-z0-9_.\-]+", code):
            issues.invalid("invalid-code", "an indicator code has letters, digits, _ . - only",
                           row, "IndicatorCode", code)
            continue
        period = row_period(ctx, issues, int(period_text), row, "Period", period_text)
        if period is None:
            continue
        iso3 = country_of(ctx, parsed, issues, place, row, "SpatialDimValueCode")
        if iso3 is None:
            continue
        breakdown = [text(table.cell(row, d)) for d in dims if text(table.cell(row, d))]
        label = text(table.cell(row, col["Indicator"])) if "Indicator" in col else code
        indicator = determinant(ctx, parsed, code, label, breakdown)
        assert value is not None
        parsed.records.append(Record(row, heads[value_col], iso3, indicator, period,
                                     value, Kind.VALUE, SOURCE))


def determinant(ctx: Context, parsed: ParsedFile, code: str, label: str,
                breakdown: list[str]) -> URIRef:
    """The determinant IRI of a GHO code (and breakdown), defined in the file if new."""
    base = ID[f"gho/{code}"]
    _define(ctx, parsed, base, code, label)
    if not breakdown:
        return base
    slug = "/".join(re.sub(r"[^A-Za-z0-9_.\-]", "-", b) for b in breakdown)
    narrower = ID[f"gho/{code}/{slug}"]
    if _define(ctx, parsed, narrower, f"{code}/{slug}", f"{label} ({', '.join(breakdown)})"):
        parsed.extra.add((narrower, SKOS.broader, base))
    return narrower


def _define(ctx: Context, parsed: ParsedFile, iri: URIRef, notation: str, label: str) -> bool:
    if iri in ctx.index.determinants or (iri, RDF.type, HSFHS.Determinant) in parsed.extra:
        return False
    parsed.extra.add((iri, RDF.type, HSFHS.Determinant))
    parsed.extra.add((iri, RDF.type, SKOS.Concept))
    parsed.extra.add((iri, SKOS.notation, Literal(notation)))
    parsed.extra.add((iri, SKOS.prefLabel, Literal(label or notation, lang="en")))
    parsed.extra.add((iri, HSFHS.dataSource, SOURCE))
    return True
