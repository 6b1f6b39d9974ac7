"""Country context in the catalogue: the context indicators and the World Bank income groups.

A country's income group or NAPHS status is an observation with its source
(``loaders/worldbank.py``, ``loaders/naphs.py``, ``loaders/country_context.py``); this
module defines what those observations refer to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from hsfhs.namespaces import HSFHS, ID

from .codelist_io import node
from .crosswalk_links import Link, LinkWriter

if TYPE_CHECKING:
    from .codelists import CatalogueBuilder

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
