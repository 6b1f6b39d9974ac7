"""The documented tidy CSV, for any data the other layouts do not cover.

Columns (header row required, any order, extra columns ignored)::

    country,indicator,period,value,source
    NGA,spar2:C5.1,2022,80,espar
    Türkiye,https://w3id.org/hsfhs/id/gho/HWF_0001,2020,19.3,gho

- country: ISO 3166-1 alpha-3 or a WHO English name;
- indicator: ``{framework}:{code}`` (``spar2:C5.1``, ``jee3:D2.1``, dots after the letter
  optional: ``spar2:C.5.1``), ``spar2:total`` (a SPAR edition's total average),
  ``gho:{code}``, or a full IRI known to the catalogue;
- period: a year; value: a number. For a SPAR indicator or capacity it is the percent
  score (``hsfhs:scorePercent``, 0-100, indicators in steps of 20), for a JEE indicator
  the level 1-5 (``hsfhs:levelScore``), so the gap queries and the SHACL range rules
  treat it exactly like the same value read from an e-SPAR or JEE file; anything else is
  stored as ``sdmx-measure:obsValue``;
- source: a data-source slug (``espar``, ``gho``, ``my-survey``) -> ``id:source/{slug}``.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from hsfhs.namespaces import ID
from hsfhs.vocabulary import LEVEL, PERCENT, on_scale

from .context import Context, checked_text, country_of, row_period
from .errors import Issues
from .gho import determinant
from .records import Kind, ParsedFile, Record
from .tables import Table, number, text

COLUMNS = ("country", "indicator", "period", "value", "source")


def looks_like(table: Table) -> bool:
    heads = {text(c).lower() for c in (table.rows[0] if table.rows else [])}
    return {"country", "indicator", "period", "value"} <= heads


def parse(tables: list[Table], parsed: ParsedFile, ctx: Context, issues: Issues) -> None:
    table = tables[0]
    heads = [text(c).lower() for c in (table.rows[0] if table.rows else [])]
    missing = [c for c in COLUMNS if c not in heads]
    if missing:
        raise issues.fail("missing-column", f"tidy CSV columns missing: {', '.join(missing)} "
                          f"(expected {', '.join(COLUMNS)})", row=1, column=missing[0])
    col = {h: heads.index(h) for h in COLUMNS}
    parsed.layout, parsed.period_source = "tidy CSV", "period column"
    for row in range(2, len(table.rows) + 1):
        if not any(text(c) for c in table.rows[row - 1]):
            continue
        parsed.rows += 1
        cells = {h: checked_text(issues, table.cell(row, i), row, h) for h, i in col.items()}
        if any(v is None for v in cells.values()):
            continue
        empty = [h for h, v in cells.items() if not v]
        if empty:
            issues.invalid("missing-value", f"{empty[0]} is empty", row, empty[0])
            continue
        indicator = resolve_indicator(ctx, parsed, issues, cells["indicator"], row)
        try:
            value = number(table.cell(row, col["value"]))
        except ValueError:
            issues.invalid("type-error", "not a number", row, "value", cells["value"])
            continue
        if not re.fullmatch(r"(19|20)\d\d", cells["period"]):
            issues.invalid("type-error", "period must be a year such as 2022", row, "period",
                           cells["period"])
            continue
        period = row_period(ctx, issues, int(cells["period"]), row, "period", cells["period"])
        if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", cells["source"]):
            issues.invalid("invalid-code", "source must be a slug (lower-case letters, "
                           "digits, hyphens)", row, "source", cells["source"])
            continue
        iso3 = country_of(ctx, parsed, issues, cells["country"], row, "country")
        if iso3 is None or indicator is None or value is None or period is None:
            continue
        parsed.records.append(Record(row, "value", iso3, indicator, period,
                                     value, kind_of(indicator, value),
                                     ID[f"source/{cells['source']}"]))


def kind_of(indicator: URIRef, value) -> Kind:
    """What a tidy value means, from the framework of its indicator (see the module doc)."""
    path = str(indicator).removeprefix(str(ID))
    framework, _, code = path.partition("/")
    if framework in on_scale(PERCENT) and code == "total":
        return Kind.OVERALL_PERCENT
    if framework in on_scale(PERCENT):
        return Kind.PERCENT if "." in code else Kind.CAPACITY_PERCENT
    if framework in on_scale(LEVEL) and value == int(value):
        return Kind.LEVEL
    return Kind.VALUE


def resolve_indicator(ctx: Context, parsed: ParsedFile, issues: Issues, raw: str,
                      row: int) -> URIRef | None:
    if raw.startswith(("http://", "https://")):
        iri = URIRef(raw)
        if ctx.index.known_indicator(iri):
            return iri
        issues.invalid("unknown-indicator", "not an indicator, capacity or determinant of "
                       "the catalogue", row, "indicator", raw)
        return None
    framework, _, code = raw.partition(":")
    if framework == "gho" and re.fullmatch(r"[A-Za-z0-9_.\-]+", code):
        return determinant(ctx, parsed, code, code, [])
    notation = re.sub(r"^([A-Za-z]+)\.", r"\1", code.strip())
    iri = ctx.index.code(framework.strip(), notation)
    if iri is None:
        issues.invalid("unknown-indicator", "expected framework:code such as spar2:C5.1, "
                       "gho:HWF_0001 or a catalogue IRI", row, "indicator", raw)
    return iri
