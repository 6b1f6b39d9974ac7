"""The four technical area groups of every JEE edition, and which group each JEE area is in.

Every JEE edition sorts its technical areas into Prevent, Detect, Respond and "IHR-related
hazards and points of entry" (points of entry, chemical events, radiation emergencies).
The JEE 3rd edition code list states the group of each area (column ``pillar``, WHO's
own grouping); the 1st and 2nd editions state it in the area codes (P, D, R, then PoE,
CE, RE). The first three groups are the preparedness functions of the same name; the
fourth is not a function, so its areas serve functions only where a curated crosswalk
link says which (``data/crosswalks/capacity_functions.csv``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import RDF, SKOS, URIRef

from hsfhs.namespaces import HSFHS
from hsfhs.vocabulary import reported_by

from .codelist_io import framework_iri, node

if TYPE_CHECKING:
    from .codelists import CatalogueBuilder

GROUPS = {
    "prevent": ("Prevent", "prevent"),
    "detect": ("Detect", "detect"),
    "respond": ("Respond", "respond"),
    "hazards-and-poe": ("IHR-related hazards and points of entry", None),
}
# The JEE 3rd edition's own names for its groups (jee3_2022_technical_areas_indicators.csv).
JEE3_PILLARS = {
    "Prevent": "prevent",
    "Detect": "detect",
    "Respond": "respond",
    "IHR Related Hazards and Points of Entry and Border Health": "hazards-and-poe",
}
FOURTH_GROUP_AREAS = ("PoE", "CE", "RE")


def group_iri(slug: str) -> URIRef:
    return node(f"group/{slug}")


def group_of_code(area_code: str) -> str:
    """The group of a JEE 1st/2nd edition area from its code: P, D, R, or PoE, CE, RE."""
    if area_code in FOURTH_GROUP_AREAS:
        return "hazards-and-poe"
    return {"P": "prevent", "D": "detect", "R": "respond"}[area_code[0]]


def add_groups(builder: CatalogueBuilder, jee3_pillars: dict[str, str]) -> None:
    """The group scheme, and ``hsfhs:inGroup`` for every JEE1, JEE2 and JEE3 area.

    ``jee3_pillars`` maps a JEE3 area code to the pillar its code list gives it.
    """
    scheme = builder.scheme(
        node("group"),
        "JEE technical area groups",
        "The four groups into which every JEE edition sorts its technical areas.",
        "JEE 1st (2016), 2nd (2018) and 3rd (2022) editions",
    )
    for slug, (label, function) in GROUPS.items():
        iri = builder.concept(group_iri(slug), HSFHS.TechnicalAreaGroup, label, scheme, slug)
        if function is not None:
            builder.graph.add((iri, HSFHS.groupFunction, node(f"function/{function}")))
    g = builder.graph
    for fw in reported_by("jee"):  # the JEE editions
        for capacity in g.subjects(HSFHS.framework, framework_iri(fw)):
            if (capacity, RDF.type, HSFHS.Capacity) not in g:
                continue
            code = str(g.value(capacity, SKOS.notation))
            slug = JEE3_PILLARS[jee3_pillars[code]] if fw == "jee3" else group_of_code(code)
            g.add((capacity, HSFHS.inGroup, group_iri(slug)))
