"""Countries and areas (data/reference/who_member_states.tsv) and the six WHO regions.

Names and ISO alpha-2 codes come from pycountry; WHO membership and region from the
WHO list, whose region names map to the office codes of ``hsfhs.vocabulary.REGIONS``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pycountry
from rdflib import Literal

from hsfhs.namespaces import HSFHS
from hsfhs.vocabulary import REGIONS

from .codelist_io import CatalogueError, node, read_csv, require

if TYPE_CHECKING:
    from .codelists import CatalogueBuilder

# who_member_states.tsv names regions in words; e-SPAR and the loaders use the office codes.
REGION_CODES = {name: code for code, name in REGIONS.items()}


def iso3_of(value: str, path: Path, number: int) -> str:
    """The alpha-3 code of a cell; a few rows hold "GF | GUF | 254" (alpha-2 | alpha-3 | numeric)."""
    for part in value.split("|"):
        if re.fullmatch(r"[A-Z]{3}", part.strip()):
            return part.strip()
    raise CatalogueError(f"{path.name}, row {number}, column 'iso_3166': no ISO alpha-3 code in {value!r}")


def add_countries(builder: CatalogueBuilder) -> None:
    """Every row of who_member_states.tsv, with ISO alpha-2 and name from pycountry."""
    path = builder.path("reference", "who_member_states.tsv")
    scheme = builder.scheme(
        node("country"),
        "Countries and areas",
        "Countries and areas by ISO 3166-1 alpha-3 code, with WHO membership and region.",
    )
    regions = builder.scheme(node("region"), "WHO regions", "The six WHO regions.")
    g = builder.graph
    for code, name in REGIONS.items():
        builder.concept(node(f"region/{code}"), HSFHS.WHORegion, name, regions, code)
    for n, row in read_csv(path, delimiter="\t"):
        iso3 = iso3_of(require(row, "iso_3166", path, n), path, n)
        known = pycountry.countries.get(alpha_3=iso3)
        label = getattr(known, "name", iso3) if known else iso3
        iri = builder.concept(node(f"country/{iso3}"), HSFHS.Country, label, scheme, iso3)
        g.add((iri, HSFHS.iso3166Alpha3, Literal(iso3)))
        if known is not None:
            g.add((iri, HSFHS.iso3166Alpha2, Literal(known.alpha_2)))
        member = row.get("who_member_state", "").upper() == "TRUE"
        g.add((iri, HSFHS.whoMemberState, Literal(member)))
        region = row.get("who_region", "")
        if region:
            if region not in REGION_CODES:
                raise CatalogueError(f"{path.name}, row {n}, column 'who_region': unknown {region!r}")
            g.add((iri, HSFHS.whoRegion, node(f"region/{REGION_CODES[region]}")))
