"""Country context: income group and NAPHS status as sourced observations, not bare facts.

A country's World Bank income group or the day it completed its National Action Plan for
Health Security (NAPHS) changes, and each comes from somebody: the World Bank's CLASS
table, the CGHSS compilation of NAPHS dates. So they are observations like a SPAR score
(country, period, context indicator, value, data source, source row), never triples on
the country. This module defines what they refer to (the context indicators and the four
income groups, in the catalogue) and the helpers the two readers share
(``loaders/worldbank.py``, ``loaders/naphs.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD
from rdflib.term import Node

from hsfhs.namespaces import HSFHS, ID

from .codelist_io import node
from .crosswalk_links import Link, LinkWriter
from .records import Kind, ParsedFile, Record

if TYPE_CHECKING:
    from .catalogue import CatalogueBuilder

WORLDBANK = ID["source/worldbank"]
CGHSS = ID["source/cghss"]

# slug -> (label, comment, building block it measures or None, why)
CONTEXT_INDICATORS: dict[str, tuple[str, str, str | None, str]] = {
    "income-group": (
        "World Bank income group",
        "The World Bank income group of the economy in the classification year (fiscal year "
        "classification set each 1 July from GNI per capita).", None, ""),
    "naphs-completed": (
        "First National Action Plan for Health Security (NAPHS) completed",
        "The date the country completed its first NAPHS, as compiled by CGHSS from WHO sources.",
        "HSBB6", "A national action plan for health security is planning and stewardship, a "
                 "leadership and governance function"),
    "naphs-published": (
        "NAPHS published",
        "Whether the country's first NAPHS was published, as compiled by CGHSS.",
        "HSBB6", "Publishing the national plan is accountability, a leadership and governance "
                 "function"),
    "naphs-costed": (
        "NAPHS with line-item costs",
        "Whether the country's first NAPHS has line-item costs, as compiled by CGHSS.",
        "HSBB6", "A costed plan is the basis of budgeting the plan, a leadership and governance "
                 "function"),
    "jee-first-mission": (
        "First Joint External Evaluation (JEE) mission ended",
        "The end date of the country's first JEE mission, as compiled by CGHSS.", None, ""),
}

# World Bank income groups: code -> name as the CLASS table spells it.
INCOME_GROUPS = {
    "LIC": "Low income",
    "LMC": "Lower middle income",
    "UMC": "Upper middle income",
    "HIC": "High income",
}


def context_iri(slug: str) -> URIRef:
    return ID[f"context/{slug}"]


def income_group_iri(code: str) -> URIRef:
    return ID[f"income-group/{code}"]


def add_context_catalogue(builder: CatalogueBuilder, writer: LinkWriter) -> None:
    """The context indicators and income groups, so observations can refer to them."""
    g = builder.graph
    scheme = builder.scheme(node("context"), "Country context indicators",
                            "Facts about a country's situation, each loaded as an observation "
                            "with its source: income group, NAPHS status and dates.")
    for slug, (label, comment, block, why) in CONTEXT_INDICATORS.items():
        iri = builder.concept(context_iri(slug), HSFHS.ContextIndicator, label, scheme, slug)
        g.add((iri, RDFS.comment, Literal(comment, lang="en")))
        if block:
            writer.add(Link("context-block", iri, HSFHS.measuresBuildingBlock,
                            node(f"building-block/{block}"), "curated", why))
    groups = builder.scheme(node("income-group"), "World Bank income groups",
                            "The four income groups of the World Bank country classification.",
                            "World Bank, country and lending groups")
    for code, label in INCOME_GROUPS.items():
        builder.concept(income_group_iri(code), HSFHS.IncomeGroup, label, groups, code)


def context_record(parsed: ParsedFile, row: int, column: str, iso3: str, slug: str,
                   period: int, kind: Kind, term: Node, source: URIRef,
                   note: str | None = None) -> None:
    """One context observation of ``parsed``: its value is ``term``, not a number."""
    parsed.records.append(Record(row, column, iso3, context_iri(slug), period, Decimal(0), kind,
                                 source, term, note))


def date_term(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def boolean_term(value: bool) -> Literal:
    return Literal(value)


_DATE_FORMATS = ("%d-%b-%y", "%d-%b-%Y", "%d %b %Y", "%d %b %y", "%Y-%m-%d")


def parse_dates(cell: object) -> list[date] | None:
    """The dates a cell gives ("22-Nov-19", "17 Jun 2022/ 13 Sep 2019", a spreadsheet date).

    None when the cell is not dates at all; an empty list for no value ("NA", blank).
    """
    if isinstance(cell, datetime):
        return [cell.date()]
    if isinstance(cell, date):
        return [cell]
    text = str(cell or "").strip()
    if not text or text.upper() in ("NA", "N/A"):
        return []
    found = []
    for part in re.split(r"\s*[/;]\s*", text):
        for fmt in _DATE_FORMATS:
            try:
                found.append(datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            return None
    return found


def parse_flag(cell: object) -> bool | None:
    """TRUE / FALSE (or a spreadsheet boolean) as a bool; None for anything else."""
    if isinstance(cell, bool):
        return cell
    return {"TRUE": True, "FALSE": False, "YES": True, "NO": False}.get(str(cell).strip().upper())
