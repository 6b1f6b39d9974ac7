"""Disease-specific actions of the RTSL benchmarks planning tool: influenza, cholera, Ebola.

Each action in ``data/benchmarks2019/{disease}_actions.json`` is tied to one WHO benchmark
(``benchmark_indicator_display_abbreviation``); the crosswalk CSV beside some of them
(influenza, cholera) rates it ``[essential]`` or ``[desirable]``. An action has no target
level: a plan that reaches its benchmark may add it (``/api/action-plan?disease=influenza``).
Nothing here is invented: an action whose benchmark the catalogue lacks is an error.
"""

from __future__ import annotations

import csv
import json
import re
from typing import TYPE_CHECKING

from rdflib import RDF, Literal
from rdflib.namespace import OWL, SKOS

from hsfhs.namespaces import HSFHS

from .codelist_io import CatalogueError, code_iri, node

if TYPE_CHECKING:
    from .codelists import CatalogueBuilder

RTSL_SOURCE = "Resolve to Save Lives, benchmarks planning tool seed data (resolvetosavelives/benchmarks @ cc466133)"
DISEASES = {
    "influenza": ("Influenza", "influenza_benchmarks_crosswalk_05272020.csv"),
    "cholera": ("Cholera", "cholera_benchmarks_crosswalk_20210222.csv"),
    "ebola": ("Ebola virus disease", None),
}


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _priorities(path) -> dict[str, str]:
    """Action text -> essential / desirable, from the crosswalk's "Matching score" column."""
    priorities: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            score = {k.casefold(): v for k, v in row.items() if k}.get("matching score", "")
            found = re.search(r"essential|desirable", score or "", re.IGNORECASE)
            if found and row.get("Disease Indicator"):
                priorities[_key(row["Disease Indicator"])] = found.group(0).lower()
    return priorities


def add_disease_actions(builder: CatalogueBuilder) -> None:
    """The disease scheme and every disease-specific action, tied to its benchmark."""
    g = builder.graph
    scheme = builder.scheme(
        node("disease"),
        "Diseases with specific actions",
        "Diseases for which the RTSL planning tool adds disease-specific actions to a plan.",
        RTSL_SOURCE,
    )
    for slug, (label, crosswalk) in DISEASES.items():
        disease = builder.concept(node(f"disease/{slug}"), HSFHS.Disease, label, scheme, slug)
        path = builder.path("benchmarks2019", f"{slug}_actions.json")
        priorities = _priorities(builder.path("benchmarks2019", crosswalk)) if crosswalk else {}
        for number, item in enumerate(json.loads(path.read_text(encoding="utf-8")), start=1):
            code = str(item["benchmark_indicator_display_abbreviation"]).strip()
            benchmark = code_iri("benchmarks2019", code)
            if (benchmark, RDF.type, HSFHS.Benchmark) not in g:
                raise CatalogueError(f"{path.name}, item {number}: unknown benchmark {code!r}")
            text = " ".join(str(item["action_text"]).split())
            iri = node(f"disease/{slug}/action-{number}")
            g.add((iri, RDF.type, HSFHS.DiseaseAction))
            g.add((iri, RDF.type, OWL.NamedIndividual))
            g.add((iri, SKOS.prefLabel, Literal(text, lang="en")))
            g.add((iri, SKOS.inScheme, scheme))
            g.add((iri, SKOS.notation, Literal(f"{slug}-{number}")))
            g.add((iri, HSFHS.disease, disease))
            g.add((iri, HSFHS.diseaseActionOf, benchmark))
            if _key(text) in priorities:
                g.add((iri, HSFHS.priority, Literal(priorities[_key(text)])))
