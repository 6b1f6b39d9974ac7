"""Countries by code or by name, wherever a country is asked for (API, pages, CLI).

People type "Nigeria", "Côte d'Ivoire" or "Turkey" as often as NGA, CIV or TUR. The
reconciliation is the loaders' own (``hsfhs.loaders.countries.CountryResolver``: the
reviewed ``data/country_aliases.csv``, the catalogue's labels, ISO 3166 names, compared
after folding case, accents and apostrophes), built over the countries of the store's
catalogue, so a name means here exactly what it means to ``hsfhs load``.

A value that names no country gets suggestions ranked by closeness to what was typed:
the code's spelling, the name's spelling, and whether the letters typed appear in order
in a name that starts with the first of them (NGR: NiGeRia, NiGeR, before PNG or NOR).
Countries the catalogue knows only by a code (GHO codes such as XKS, with no name to
show) are never suggested.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from rdflib import URIRef

from hsfhs.loaders.countries import CountryResolver, UnknownCountry, fold
from hsfhs.loaders.lookup import CatalogueIndex
from hsfhs.namespaces import ID

from .params import NotFoundError

COUNTRIES = """PREFIX hsfhs: <https://w3id.org/hsfhs/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?country ?code ?label ?region ?member WHERE {
  ?country a hsfhs:Country ; hsfhs:iso3166Alpha3 ?code .
  OPTIONAL { ?country skos:prefLabel ?label }
  OPTIONAL { ?country hsfhs:whoRegion ?r . ?r skos:notation ?region }
  OPTIONAL { ?country hsfhs:whoMemberState ?member }
}"""


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    region: str | None
    member: bool

    @property
    def named(self) -> bool:
        """Whether the catalogue gives a name (not only the code)."""
        return self.name != self.iso3


@dataclass(frozen=True)
class Resolved:
    """The country a value means, and whether it was given by name (then the answer says so)."""

    country: Country
    by_name: bool

    def note(self, typed: str) -> str | None:
        if not self.by_name:
            return None
        return f"'{typed.strip()}' was read as {self.country.iso3} ({self.country.name})."


class CountryBook:
    """The catalogue's countries, with the loaders' resolver over them."""

    def __init__(self, countries: dict[str, Country]) -> None:
        self.countries = countries
        index = CatalogueIndex(
            countries={code: URIRef(ID[f"country/{code}"]) for code in countries},
            country_names={c.name: code for code, c in countries.items() if c.named},
        )
        self.resolver = CountryResolver(index)
        self._names: dict[str, list[str]] = {}
        for key, iso3 in self.resolver.names.items():
            if iso3 in countries:
                self._names.setdefault(iso3, []).append(key)

    def resolve(self, value: str, parameter: str = "country") -> Resolved:
        """The country ``value`` means (code in any case, or name); 404 with suggestions."""
        typed = " ".join(value.split())
        code = typed.upper()
        if re.fullmatch(r"[A-Z]{3}", code) and code in self.countries:
            return Resolved(self.countries[code], False)
        try:
            iso3 = self.resolver.resolve(typed)
        except UnknownCountry:
            iso3 = None
        if iso3 is not None and iso3 in self.countries:
            return Resolved(self.countries[iso3], True)
        raise self.not_found(typed, parameter)

    def not_found(self, typed: str, parameter: str = "country") -> NotFoundError:
        """The 404 for a value that names no country, with the closest ones."""
        close = self.suggest(typed)
        listed = ", ".join(f"{c.iso3} ({c.name})" for c in close)
        what = "ISO3 code" if re.fullmatch(r"[A-Za-z]{3}", typed) else "name or ISO3 code"
        return NotFoundError(
            f"no country with {what} {typed!r} is known"
            + (f"; close matches: {listed}" if listed else ""),
            parameter=parameter,
            suggestions=[c.iso3 for c in close],
        )

    def suggest(self, typed: str, n: int = 5) -> list[Country]:
        """The named countries closest to ``typed``, best first."""
        key = fold(typed)
        if not key:
            return []
        scored = []
        for iso3, country in self.countries.items():
            if not country.named:
                continue
            score = closeness(key, iso3, self._names.get(iso3, [fold(country.name)]))
            scored.append((-score, country.name, country))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [c for s, _, c in scored[:n] if -s >= 0.5]

    def by_region(self, members_only: bool = True) -> dict[str, list[Country]]:
        """Region code -> its countries by name (Member States only, by default)."""
        out: dict[str, list[Country]] = {}
        for country in sorted(self.countries.values(), key=lambda c: fold(c.name)):
            if country.region and country.named and (country.member or not members_only):
                out.setdefault(country.region, []).append(country)
        return dict(sorted(out.items()))


def closeness(typed: str, iso3: str, names: list[str]) -> float:
    """How close a folded ``typed`` is to a country's code and names (about 0 to 1.5)."""
    code = difflib.SequenceMatcher(None, typed.upper(), iso3).ratio()
    best = code
    for name in names:
        whole = difflib.SequenceMatcher(None, typed, name).ratio()
        start = difflib.SequenceMatcher(None, typed, name[: len(typed)]).ratio()
        abbreviation = 0.5 if _letters_in_order(typed, name) else 0.0
        best = max(best, whole, start, code + abbreviation)
    return best


def _letters_in_order(typed: str, name: str) -> bool:
    """NGR in "nigeria": the first letters match and the rest follow in order."""
    letters = [ch for ch in typed if ch.isalpha()]
    if len(letters) < 2 or not name or letters[0] != name[0]:
        return False
    rest = iter(name[1:])
    return all(ch in rest for ch in letters[1:])


def resolve_country(runner, value: str, parameter: str = "country") -> tuple[str, str | None]:
    """A country parameter's value as an ISO3 code, and a note when it was a name.

    Three letters are taken as a code (checked against the catalogue with the other
    parameters, so the common case costs no extra query); anything else is a name.
    """
    if re.fullmatch(r"\s*[A-Za-z]{3}\s*", value):
        return value.strip().upper(), None
    resolved = country_book(runner).resolve(value, parameter)
    return resolved.country.iso3, resolved.note(value)


def country_book(runner) -> CountryBook:
    """The book of the runner's store (rebuilt only when the catalogue's countries change)."""
    rows = tuple(
        (r["code"], r.get("label", r["code"]), r.get("region"), r.get("member") in ("true", "1"))
        for r in runner.select(COUNTRIES).values()
    )
    return _book(rows)


@functools.lru_cache(maxsize=4)
def _book(rows: tuple[tuple[str, str, str | None, bool], ...]) -> CountryBook:
    return CountryBook({code: Country(code, name, region, member) for code, name, region, member in rows})
