"""The health-system side of the catalogue: determinants, their building blocks and capacities.

WHO's six building blocks were bare concepts and a GHO code such as HWF_0001 was a
determinant linked to nothing, so "which health-system weaknesses undermine Detect" could
only be answered with IHR scores standing in for the health system. This module adds,
from the reviewed CSVs in data/crosswalks:

- ``determinants.csv``: every catalogued GHO indicator (``id:gho/{code}``) with its label,
  unit, the direction that is better, its GHO code and API page (``rdfs:seeAlso``), the
  evidence that the code exists with that meaning, and its building block
  (``hsfhs:measuresBuildingBlock``, a curated crosswalk link with its rationale);
- ``determinant_capacities.csv``: the capacities each determinant informs
  (``hsfhs:informsCapacity``, curated, with rationale). They are not carried along
  crosswalk matches: a determinant is linked where the link was judged, nothing more.

It also states what the GHO codes of IHR scores are (SDGIHR2021 *is* ``id:spar2/total``,
IHRSPAR_CAPACITY06 *is* SPAR 2018 C6), which frameworks are self-assessed, and each
country's ISO 3166-1 numeric (UN M49) code, so outside systems can join on WHO's and the
UN's own identifiers. Every code the WHO GHO rows of ``indicator_codes_gho_sdg.csv`` name
must be catalogued here or be one of those IHR scores: a code list cannot drift from the
catalogue unnoticed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from hsfhs.namespaces import HSFHS
from hsfhs.vocabulary import FRAMEWORKS, SCORED

from .codelist_io import CatalogueError, code_iri, framework_iri, node, read_csv, require
from .context import add_context_catalogue
from .crosswalk_links import Link, LinkWriter

if TYPE_CHECKING:
    from .codelists import CatalogueBuilder

GHO_API = "https://ghoapi.azureedge.net/api/"
GHO_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_\-.]*")
DIRECTIONS = ("higher", "lower", "neither")
# GHO series that publish IHR scores themselves (SDG 3.d.1 and the SPAR 2018 capacities, as
# gpw13/billionaiRe data-raw/indicator_df.csv names them): not determinants.
OVERALL_SCORE_CODES = {"SDGIHR2021": "spar2/total", "SDGIHR2018": "spar2018/total"}
SPAR2018_CAPACITY_CODES = {f"IHRSPAR_CAPACITY{n:02d}": f"spar2018/C{n}" for n in range(1, 14)}
# The 2010-2017 IHR monitoring questionnaire average: an IHR score of a framework the
# catalogue does not have yet (docs/model.md, "Planned"); a GHO file of it is refused.
QUESTIONNAIRE_CODES = ("SDGIHR",)


def gho_page(code: str) -> URIRef:
    """The GHO OData API address of one indicator: where outside systems fetch its values."""
    return URIRef(GHO_API + code)


def add_health_system_catalogue(builder: CatalogueBuilder) -> None:
    """Determinants, their links, IHR score codes, self-assessment flags, numeric country codes."""
    data = builder.data
    writer = LinkWriter(builder.graph)
    codes = add_determinants(builder, data / "crosswalks" / "determinants.csv", writer)
    add_capacity_links(builder, data / "crosswalks" / "determinant_capacities.csv", writer, codes)
    add_ihr_score_codes(builder)
    check_code_list(builder.path("codelists", "indicator_codes_gho_sdg.csv"), codes)
    for fw in SCORED:  # SPAR is the State Party's self-assessment, JEE an external evaluation
        builder.graph.add((framework_iri(fw), HSFHS.selfAssessed,
                           Literal(FRAMEWORKS[fw].self_assessed)))
    add_numeric_country_codes(builder)
    add_context_catalogue(builder, writer)


def add_determinants(builder: CatalogueBuilder, path: Path, writer: LinkWriter) -> set[str]:
    """One ``hsfhs:Determinant`` per row, with its building-block link; the codes read."""
    if not path.is_file():
        raise CatalogueError(f"determinant catalogue {path} is missing")
    g = builder.graph
    scheme = builder.scheme(
        node("gho"),
        "WHO Global Health Observatory indicators",
        "GHO indicators of the health system used as determinants of health security "
        "(data/crosswalks/determinants.csv), each with its building block.",
    )
    codes: set[str] = set()
    for n, row in read_csv(path):
        code = require(row, "code", path, n)
        if not GHO_CODE.fullmatch(code):
            raise CatalogueError(f"{path.name}, row {n}, column 'code': {code!r} is not a GHO code")
        if code in codes:
            raise CatalogueError(f"{path.name}, row {n}, column 'code': {code} is listed twice")
        if code in OVERALL_SCORE_CODES or code in SPAR2018_CAPACITY_CODES:
            raise CatalogueError(f"{path.name}, row {n}, column 'code': {code} is an IHR score, "
                                 "not a determinant")
        better = require(row, "better", path, n)
        if better not in DIRECTIONS:
            raise CatalogueError(f"{path.name}, row {n}, column 'better': {better!r} is not one "
                                 f"of {', '.join(DIRECTIONS)}")
        require(row, "verified_by", path, n)  # the evidence that WHO uses this code so
        status = require(row, "status", path, n)
        if status != "curated":
            raise CatalogueError(f"{path.name}, row {n}, column 'status': a building-block link "
                                 "is our judgement: curated")
        iri = builder.concept(node(f"gho/{code}"), HSFHS.Determinant,
                              require(row, "label", path, n), scheme, code)
        g.add((iri, HSFHS.ghoCode, Literal(code)))
        g.add((iri, RDFS.seeAlso, gho_page(code)))
        g.add((iri, HSFHS.unit, Literal(require(row, "unit", path, n))))
        g.add((iri, HSFHS.betterWhen, Literal(better)))
        g.add((iri, HSFHS.catalogued, Literal(True)))
        g.add((iri, HSFHS.dataSource, node("source/gho")))
        block = node(f"building-block/{require(row, 'building_block', path, n)}")
        if (block, RDF.type, HSFHS.HealthSystemBuildingBlock) not in g:
            raise CatalogueError(f"{path.name}, row {n}, column 'building_block': "
                                 f"{row['building_block']!r} is not a building block (HSBB1-HSBB6)")
        writer.add(Link("determinant-block", iri, HSFHS.measuresBuildingBlock, block, "curated",
                        require(row, "rationale", path, n)))
        codes.add(code)
    return codes


def add_capacity_links(builder: CatalogueBuilder, path: Path, writer: LinkWriter,
                       codes: set[str]) -> None:
    """``hsfhs:informsCapacity``: curated, one row per determinant and capacity."""
    if not path.is_file():
        raise CatalogueError(f"determinant links {path} is missing")
    g = builder.graph
    for n, row in read_csv(path):
        code = require(row, "code", path, n)
        if code not in codes:
            raise CatalogueError(f"{path.name}, row {n}, column 'code': {code!r} is not in "
                                 "determinants.csv")
        fw = require(row, "framework", path, n)
        if fw not in SCORED:
            raise CatalogueError(f"{path.name}, row {n}, column 'framework': {fw!r} is not one "
                                 f"of {', '.join(SCORED)}")
        capacity = code_iri(fw, require(row, "capacity", path, n))
        if (capacity, RDF.type, HSFHS.Capacity) not in g:
            raise CatalogueError(f"{path.name}, row {n}, column 'capacity': {row['capacity']!r} "
                                 f"is not a capacity of {fw}")
        if require(row, "status", path, n) != "curated":
            raise CatalogueError(f"{path.name}, row {n}, column 'status': a determinant-capacity "
                                 "link is our judgement: curated")
        writer.add(Link("informs", node(f"gho/{code}"), HSFHS.informsCapacity, capacity,
                        "curated", require(row, "rationale", path, n)))


def add_ihr_score_codes(builder: CatalogueBuilder) -> None:
    """The GHO codes of IHR scores, on the overall scores and SPAR 2018 capacities they are."""
    g = builder.graph
    for code, local in {**OVERALL_SCORE_CODES, **SPAR2018_CAPACITY_CODES}.items():
        iri = node(local)
        if (iri, SKOS.prefLabel, None) not in g:
            raise CatalogueError(f"GHO code {code}: {local} is not in the catalogue")
        g.add((iri, HSFHS.ghoCode, Literal(code)))
        g.add((iri, RDFS.seeAlso, gho_page(code)))


def check_code_list(path: Path, codes: set[str]) -> None:
    """Every WHO GHO code of the SDG code list is a catalogued determinant or an IHR score."""
    known = codes | set(OVERALL_SCORE_CODES) | set(SPAR2018_CAPACITY_CODES) | set(QUESTIONNAIRE_CODES)
    for n, row in read_csv(path):
        if row.get("system") == "WHO GHO" and row.get("code") not in known:
            raise CatalogueError(f"{path.name}, row {n}, column 'code': GHO code {row['code']!r} "
                                 "is neither in data/crosswalks/determinants.csv nor an IHR score")


def add_numeric_country_codes(builder: CatalogueBuilder) -> None:
    """ISO 3166-1 numeric (= UN M49) codes, from pycountry, for every catalogued country."""
    g = builder.graph
    for country in list(g.subjects(RDF.type, HSFHS.Country)):
        iso3 = g.value(country, HSFHS.iso3166Alpha3)
        known = pycountry.countries.get(alpha_3=str(iso3)) if iso3 is not None else None
        if known is not None:
            g.add((country, HSFHS.iso3166Numeric, Literal(known.numeric)))
