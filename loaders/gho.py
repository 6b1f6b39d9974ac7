"""WHO Global Health Observatory exports in long format (one value per row), any indicator.

Columns used: IndicatorCode, Indicator, SpatialDimValueCode (ISO3), Location type,
Period, Dim1..Dim3 (value codes) and FactValueNumeric (else Value). A code of the
determinant catalogue (data/crosswalks/determinants.csv) loads onto its determinant
``id:gho/{code}``; a code the catalogue lacks becomes a new ``hsfhs:Determinant``
labelled from the Indicator column and flagged ``hsfhs:catalogued false``. GHO series
that are IHR scores are not determinants: SDGIHR2021 / SDGIHR2018 load as the total
average of their SPAR edition (``id:spar2/total``), IHRSPAR_CAPACITY01..13 as SPAR 2018
capacity averages; the pre-2018 questionnaire average (SDGIHR) is refused row by row
with a notice, its framework not being in the catalogue yet. Rows broken down by a
dimension (sex, residence...) are kept as their own determinant
``id:gho/{code}/{dim value code}``, narrower than the indicator, so a breakdown never
collides with the total. Regional and global rows are skipped.
"""

from __future__ import annotations

import re

from rdflib import RDF, SKOS, Literal, URIRef

from hsfhs.catalogue.determinants import QUESTIONNAIRE_CODES
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
        assert value is not None
        score = ihr_score(ctx, issues, code, breakdown, row)
        if score is not None:
            if score:
                parsed.records.append(Record(row, heads[value_col], iso3, score[0], period,
                                             value, score[1], SOURCE))
            continue
        label = text(table.cell(row, col["Indicator"])) if "Indicator" in col else code
        indicator = determinant(ctx, parsed, code, label, breakdown)
        parsed.records.append(Record(row, heads[value_col], iso3, indicator, period,
                                     value, Kind.VALUE, SOURCE))


def ihr_score(ctx: Context, issues: Issues, code: str, breakdown: list[str],
              row: int) -> tuple[URIRef, Kind] | tuple[()] | None:
    """What a GHO code of an IHR score is: (overall score or capacity, kind); () for a row
    refused; None for a code that is not an IHR score (a determinant)."""
    if code in QUESTIONNAIRE_CODES:
        issues.notice("not-supported", "not supported yet: IHR monitoring questionnaire "
                      "2010-2017 average (SDGIHR); row skipped", row, "IndicatorCode", code)
        return ()
    target = ctx.index.gho_codes.get(code)
    if target is None or target in ctx.index.determinants:
        return None
    if breakdown:
        issues.notice("not-supported", f"{code} broken down by {', '.join(breakdown)}: an IHR "
                      "score is loaded as a whole only; row skipped", row, "IndicatorCode", code)
        return ()
    kind = Kind.CAPACITY_PERCENT if target in ctx.index.capacities else Kind.OVERALL_PERCENT
    return target, kind


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
    parsed.extra.add((iri, HSFHS.catalogued, Literal(False)))  # not reviewed: no block, no links
    return True
