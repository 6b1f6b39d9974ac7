"""WHO English country names to ISO 3166-1 alpha-3, and recognition of aggregate rows.

Resolution order: the reviewed alias table (``data/country_aliases.csv``, each entry with
a rationale), then the catalogue's own labels, then pycountry's names, all compared after
folding case, accents, apostrophes and spacing ("Cote dIvoire" = "Côte d'Ivoire").
pycountry's fuzzy search is never used: it maps "Republic of Korea" to North Korea.
An unknown name is an error that lists the closest known names.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from pathlib import Path

import pycountry

from hsfhs.resources import data_dir

from .lookup import CatalogueIndex

AGGREGATE = re.compile(
    r"^(avg|average|mean|total)\b|\b(global|world|all (states|countries)|region|regional)\b"
    r"|^(afro|amro|paho|emro|euro|searo|wpro|afr|amr|emr|eur|sear|wpr)$",
    re.IGNORECASE,
)


def fold(name: str) -> str:
    """The comparison key of a name: no accents, apostrophes, case or extra spaces."""
    text = unicodedata.normalize("NFKD", name.replace("\xa0", " "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’`´]", "", text).casefold()
    text = re.sub(r"\(\s*", "(", re.sub(r"\s*\)", ")", text))
    return " ".join(text.split())


def load_aliases(path: Path | None = None) -> dict[str, str]:
    """The reviewed alias table: folded WHO name -> ISO3."""
    path = path or data_dir() / "country_aliases.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return {fold(r["who_name"]): r["iso3"].strip() for r in csv.DictReader(fh)}


class UnknownCountry(LookupError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f"; closest known names: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown country name {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


class CountryResolver:
    """Names and codes to ISO3, knowing the catalogue's countries and ISO 3166-1."""

    def __init__(self, index: CatalogueIndex, aliases: dict[str, str] | None = None) -> None:
        self.index = index
        self.names: dict[str, str] = {}
        self.display: dict[str, str] = {}  # folded -> a name as people write it
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                label = getattr(country, attr, None)
                if label:
                    self._add(label, country.alpha_3)
        for label, iso3 in index.country_names.items():
            self._add(label, iso3)
        for key, iso3 in (aliases if aliases is not None else load_aliases()).items():
            self.names[key] = iso3
            self.display.setdefault(key, key)

    def _add(self, label: str, iso3: str) -> None:
        key = fold(label)
        self.names[key] = iso3
        self.display[key] = label

    @staticmethod
    def is_aggregate(name: str) -> bool:
        """Region averages, "AVG Global Capacity", "Global": rows that are not a country."""
        return bool(AGGREGATE.search(" ".join(name.replace("\xa0", " ").split())))

    def resolve(self, name: str) -> str:
        """ISO3 of a country name or code; UnknownCountry with suggestions otherwise."""
        clean = " ".join(name.replace("\xa0", " ").split())
        if re.fullmatch(r"[A-Z]{3}", clean) and self.is_code(clean):
            return clean
        iso3 = self.names.get(fold(clean))
        if iso3 is None:
            close = difflib.get_close_matches(fold(clean), list(self.display), n=3, cutoff=0.6)
            raise UnknownCountry(clean, [self.display[k] for k in close])
        return iso3

    def is_code(self, iso3: str) -> bool:
        """Whether an alpha-3 code is a catalogue country or an ISO 3166-1 country."""
        return iso3 in self.index.countries or pycountry.countries.get(alpha_3=iso3) is not None

    def in_catalogue(self, iso3: str) -> bool:
        return iso3 in self.index.countries
