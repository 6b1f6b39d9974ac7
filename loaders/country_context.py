"""Country context: income group and NAPHS status as sourced observations, not bare facts.

A country's World Bank income group or the day it completed its National Action Plan for
Health Security (NAPHS) changes, and each comes from somebody: the World Bank's CLASS
table, the CGHSS compilation of NAPHS dates. So they are observations like a SPAR score
(country, period, context indicator, value, data source, source row), never triples on
the country. This module holds the helpers the two readers share (``loaders/worldbank.py``,
``loaders/naphs.py``); what the observations refer to, the context indicators and the four
income groups, is in the catalogue (``catalogue/context.py``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from hsfhs.catalogue.context import CGHSS, INCOME_GROUPS, WORLDBANK, context_iri, income_group_iri

from .records import Kind, ParsedFile, Record

__all__ = ["CGHSS", "INCOME_GROUPS", "WORLDBANK", "boolean_term", "context_record", "date_term",
           "income_group_iri", "parse_dates", "parse_flag"]

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
