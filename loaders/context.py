"""What every parser needs besides the file: the catalogue index and the country resolver.

Also the cell-level checks all layouts share (country cells, formula cells), so each
format module is only about its own layout.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
from rdflib import RDF, SKOS, Literal

from hsfhs.namespaces import HSFHS, ID

from .countries import CountryResolver, UnknownCountry
from .errors import Issues
from .lookup import CatalogueIndex
from .records import ParsedFile
from .tables import Cell, is_formula, text


@dataclass
class Context:
    """What a load knows besides the file: catalogue, countries and the user's options.

    ``period`` is ``--period YEAR``: the report year of files that do not state one, and
    a check on those that do; ``skip_invalid`` is ``--skip-invalid``.
    """

    index: CatalogueIndex
    countries: CountryResolver
    period: int | None = None
    skip_invalid: bool = False

    @classmethod
    def from_index(cls, index: CatalogueIndex, period: int | None = None,
                   skip_invalid: bool = False) -> Context:
        return cls(index, CountryResolver(index), period, skip_invalid)


def checked_text(issues: Issues, cell: Cell, row: int, column: str) -> str | None:
    """The cell's text, or None (with an error) when it holds a spreadsheet formula."""
    if is_formula(cell):
        issues.invalid("formula-cell", "the cell holds a spreadsheet formula, not a value; "
                     "paste values only and load again", row, column, cell)
        return None
    return text(cell)


def country_of(ctx: Context, parsed: ParsedFile, issues: Issues, name: str, row: int,
               column: str) -> str | None:
    """ISO3 for a country cell; None after reporting an unknown name.

    A real ISO 3166-1 country missing from the catalogue (the WHO member-state list has
    no PSE, which GHO uses) is defined in the file's own graph and reported as a notice,
    so the file still loads and the gap in the catalogue is visible.
    """
    try:
        iso3 = ctx.countries.resolve(name)
    except UnknownCountry as exc:
        issues.invalid("unknown-country", str(exc), row, column, name)
        return None
    if not ctx.countries.in_catalogue(iso3):
        country = ID[f"country/{iso3}"]
        if (country, RDF.type, HSFHS.Country) not in parsed.extra:
            record = pycountry.countries.get(alpha_3=iso3)
            parsed.extra.add((country, RDF.type, HSFHS.Country))
            parsed.extra.add((country, RDF.type, SKOS.Concept))
            parsed.extra.add((country, HSFHS.iso3166Alpha3, Literal(iso3)))
            if record is not None:
                parsed.extra.add((country, HSFHS.iso3166Alpha2, Literal(record.alpha_2)))
                parsed.extra.add((country, SKOS.prefLabel, Literal(record.name, lang="en")))
            issues.notice("country-not-in-catalogue",
                          f"{iso3} is an ISO 3166-1 country the catalogue lacks; "
                          "defined in this file's graph", row, column, name)
    return iso3


def row_period(ctx: Context, issues: Issues, stated: int | None, row: int, column: str,
               value: object) -> int | None:
    """A row's year: the one it states, else ``--period``; a conflict of the two is a bad cell.

    For layouts with a year on every row (JEE missions, GHO, tidy). None when there is
    no year at all (the caller reports that) or after reporting a conflict.
    """
    if ctx.period is None or stated is None:
        return stated if stated is not None else ctx.period
    if stated != ctx.period:
        issues.invalid("period-conflict", f"the row says {stated} but --period says "
                       f"{ctx.period}", row, column, value)
        return None
    return stated
