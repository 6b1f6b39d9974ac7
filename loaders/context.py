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
    index: CatalogueIndex
    countries: CountryResolver

    @classmethod
    def from_index(cls, index: CatalogueIndex) -> Context:
        return cls(index, CountryResolver(index))


def checked_text(issues: Issues, cell: Cell, row: int, column: str) -> str | None:
    """The cell's text, or None (with an error) when it holds a spreadsheet formula."""
    if is_formula(cell):
        issues.error("formula-cell", "the cell holds a spreadsheet formula, not a value; "
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
        issues.error("unknown-country", str(exc), row, column, name)
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
