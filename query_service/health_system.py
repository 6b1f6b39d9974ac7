"""A country's health-system profile: determinants by building block, standing, flags, data quality.

HSforHS rests health security on the health system, so the profile answers from the
health system's own numbers, never from IHR scores standing in for them:

- for each WHO building block, the catalogued determinants that measure it, each with the
  country's latest value and year, its **percentile** among WHO Member States (each
  Member State's latest value; mid-rank: the share below plus half the share equal), the
  **regional median** of the same latest values, and the IHR capacities it informs with
  the country's latest score of each;
- **consistency flags**: a capacity scored high (level 4 or 5) while a determinant that
  informs it is in the worst fifth of Member States, or scored low (level 1 or 2) while
  the determinant is in the best fifth, each saying the two values it compares. "Worst"
  follows the determinant's direction (``hsfhs:betterWhen``); one with no direction is
  never ranked or flagged;
- **data quality**: observations by status and source, whether each source's scores are
  self-assessed (SPAR) or external (JEE) from its framework, and how old each determinant
  value is (``asOf`` minus its year);
- **country context**: income group and NAPHS status, each with its source and year.

The facts come from a few SELECTs with the country bound; the arithmetic is here, once,
so the API and the dashboard give one answer. ``function-weaknesses.rq`` and
``self-assessment-disagrees.rq`` compute the same percentiles in plain SPARQL.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from typing import Any

from hsfhs.namespaces import ID

from .analysis import code_order, rows_json
from .named_queries import Settled, country_exists, run_named
from .params import TYPES
from .query_files import PREFIXES
from .runners import Runner

HIGH_LEVEL = 4  # level 4-5: demonstrated or sustainable capacity
LOW_LEVEL = 2  # level 1-2: no or limited capacity
QUINTILE = 20.0
SOURCE_PREFERENCE = ("espar", "jee")

P = PREFIXES + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

CATALOGUE = P + """SELECT ?determinant ?code ?label ?unit ?better ?block ?blockCode ?blockLabel ?page
WHERE {
  ?determinant hsfhs:catalogued true ;
               skos:notation ?code ;
               skos:prefLabel ?label ;
               hsfhs:unit ?unit ;
               hsfhs:betterWhen ?better ;
               hsfhs:measuresBuildingBlock ?block .
  ?block skos:notation ?blockCode ;
         skos:prefLabel ?blockLabel .
  OPTIONAL { ?determinant rdfs:seeAlso ?page }
}"""

BLOCKS = P + """SELECT ?block ?code ?label WHERE {
  ?block a hsfhs:HealthSystemBuildingBlock ; skos:notation ?code ; skos:prefLabel ?label .
}"""

LINKS = P + """SELECT ?determinant ?capacity ?code ?label ?frameworkCode ?rationale WHERE {
  ?link hsfhs:linkProperty hsfhs:informsCapacity ;
        hsfhs:linkSubject ?determinant ;
        hsfhs:linkObject ?capacity ;
        hsfhs:rationale ?rationale .
  ?capacity skos:notation ?code ;
            skos:prefLabel ?label ;
            hsfhs:framework ?framework .
  ?framework skos:notation ?frameworkCode .
}"""

# Every value of every catalogued determinant: the latest per country is picked in Python
# (a GROUP BY subquery joined back to its observations costs seconds on Oxigraph).
VALUES = P + """SELECT ?determinant ?country ?year ?value WHERE {
  ?determinant hsfhs:catalogued true .
  ?obs hsfhs:refIndicator ?determinant ;
       sdmx-dimension:refArea ?country ;
       sdmx-dimension:refPeriod ?year ;
       sdmx-measure:obsValue ?value .
}"""

MEMBERS = P + """SELECT ?country ?region WHERE {
  ?country hsfhs:whoMemberState true .
  OPTIONAL { ?country hsfhs:whoRegion ?region }
}"""

COUNTRY = P + """SELECT ?label ?iso3 ?numeric ?member ?region WHERE {
  ?country skos:prefLabel ?label ;
           hsfhs:iso3166Alpha3 ?iso3 .
  OPTIONAL { ?country hsfhs:iso3166Numeric ?numeric }
  OPTIONAL { ?country hsfhs:whoMemberState ?member }
  OPTIONAL { ?country hsfhs:whoRegion ?region }
}"""

CONTEXT = P + """SELECT ?indicator ?code ?label ?year ?category ?date ?flag ?note
       ?source ?fileName WHERE {
  ?obs sdmx-dimension:refArea ?country ;
       hsfhs:refIndicator ?indicator ;
       sdmx-dimension:refPeriod ?year ;
       hsfhs:dataSource ?source ;
       prov:wasDerivedFrom ?row .
  ?indicator a hsfhs:ContextIndicator ;
             skos:notation ?code ;
             skos:prefLabel ?label .
  ?row dct:isPartOf ?file .
  ?file dct:title ?fileName .
  OPTIONAL { ?obs hsfhs:categoryValue ?category }
  OPTIONAL { ?obs hsfhs:dateValue ?date }
  OPTIONAL { ?obs hsfhs:booleanValue ?flag }
  OPTIONAL { ?obs rdfs:comment ?note }
}
ORDER BY ?code DESC(?year)"""

QUALITY = P + """SELECT ?source ?framework ?status (COUNT(?obs) AS ?observations)
       (MIN(?year) AS ?first) (MAX(?year) AS ?last) WHERE {
  ?obs sdmx-dimension:refArea ?country ;
       hsfhs:observationStatus ?status ;
       hsfhs:dataSource ?source ;
       sdmx-dimension:refPeriod ?year ;
       hsfhs:refIndicator ?item .
  OPTIONAL { ?item hsfhs:framework ?framework }
}
GROUP BY ?source ?framework ?status"""

CONTEXT_BLOCKS = P + """SELECT ?indicator ?block WHERE {
  ?indicator a hsfhs:ContextIndicator ;
             hsfhs:measuresBuildingBlock ?block .
}"""

CATEGORIES = P + """SELECT ?category ?label WHERE { ?category a hsfhs:IncomeGroup ; skos:prefLabel ?label }"""

FRAMEWORKS = P + """SELECT ?framework ?selfAssessed WHERE { ?framework hsfhs:selfAssessed ?selfAssessed }"""


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def percentile(value: float, values: list[float]) -> float:
    """Mid-rank percentile of ``value`` among ``values``: share below plus half the share equal."""
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return round(100 * (below + equal / 2) / len(values), 1)


def standing(pct: float | None, better: str) -> float | None:
    """The percentile turned so that higher is better; None when there is no direction."""
    if pct is None or better not in ("higher", "lower"):
        return None
    return pct if better == "higher" else round(100 - pct, 1)


def quintile(stand: float | None) -> int | None:
    """1 (worst fifth of Member States) to 5 (best fifth), from a direction-adjusted standing."""
    if stand is None:
        return None
    return min(5, int(stand // QUINTILE) + 1)


def latest_values(runner: Runner) -> dict[str, dict[str, dict[str, Any]]]:
    """Determinant -> country ISO3 -> {year, value, member, region} (its latest value)."""
    members = {slug(r["country"]): r.get("region") for r in rows_json(runner.select(MEMBERS))}
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows_json(runner.select(VALUES)):
        iso3, year = slug(row["country"]), int(row["year"])
        known = out[row["determinant"]].get(iso3)
        if known is None or year > known["year"]:
            out[row["determinant"]][iso3] = {"year": year, "value": float(row["value"]),
                                             "member": iso3 in members, "region": members.get(iso3)}
    return out


def context_rows(runner: Runner, country: Any) -> list[dict[str, Any]]:
    """Income group and NAPHS observations of the country, newest first, with value labels."""
    labels = {r["category"]: r["label"] for r in rows_json(runner.select(CATEGORIES))}
    rows = rows_json(runner.select(CONTEXT, {"country": country}))
    for row in rows:
        if row.get("category"):
            row["categoryLabel"] = labels.get(row["category"], slug(row["category"]))
    return rows


def capacity_scores(runner: Runner, country: Settled) -> dict[str, dict[str, Any]]:
    """Capacity IRI -> the country's latest score of it (WHO's files first, as gaps does)."""
    _, rows = run_named("country-profile", {}, runner, country)
    best: dict[str, dict[str, Any]] = {}
    for row in rows_json(rows):
        if row["kind"] != "capacity":
            continue
        source = slug(row["source"])
        rank = (-int(row["year"]), SOURCE_PREFERENCE.index(source)
                if source in SOURCE_PREFERENCE else len(SOURCE_PREFERENCE))
        if row["item"] not in best or rank < best[row["item"]]["_rank"]:
            best[row["item"]] = {**row, "_rank": rank}
    return best


def health_system(runner: Runner, iso3: str, as_of: int | None = None,
                  settled: Settled | None = None) -> dict[str, Any]:
    """``/api/countries/{ISO3}/health-system``: the profile described in the module doc.

    ``settled``: the country as the request (the dashboard) has already checked it;
    otherwise ``iso3`` is checked here, once for every query of the profile.
    """
    if settled is None or "country" not in settled.terms:
        term = TYPES["iso3"].parse("country", iso3)
        country_exists(runner, term)
        settled = Settled({"country": term})
    settled = settled.only("country")  # the profile is of every year
    country = settled.terms["country"]
    code = slug(str(country))
    as_of = as_of or date.today().year
    facts = rows_json(runner.select(COUNTRY, {"country": country}))[0]
    region = facts.get("region")
    values = latest_values(runner)
    scores = capacity_scores(runner, settled)
    self_assessed = {slug(r["framework"]): bool(r["selfAssessed"])
                     for r in rows_json(runner.select(FRAMEWORKS))}
    informs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in rows_json(runner.select(LINKS)):
        informs[link["determinant"]].append(link)
    blocks = {r["block"]: {"code": r["code"], "label": r["label"], "determinants": []}
              for r in rows_json(runner.select(BLOCKS))}
    flags: list[dict[str, Any]] = []
    for det in rows_json(runner.select(CATALOGUE)):
        entry = determinant_entry(det, values.get(det["determinant"], {}), code, region, as_of)
        entry["informs"] = [informed(link, scores.get(link["capacity"]), self_assessed)
                            for link in sorted(informs[det["determinant"]],
                                               key=lambda x: (x["frameworkCode"], code_order(x["code"])))]
        flags += consistency_flags(entry)
        blocks[det["block"]]["determinants"].append(entry)
    context = context_rows(runner, country)
    blocks_of: dict[str, list[str]] = defaultdict(list)
    for row in rows_json(runner.select(CONTEXT_BLOCKS)):  # NAPHS: planning, a governance fact
        blocks_of[row["indicator"]].append(row["block"])
    for c in context:  # in the context's own order (code, newest first) on every store
        for block in blocks_of[c["indicator"]]:
            blocks[block].setdefault("context", []).append(c)
    for block in blocks.values():
        block["determinants"].sort(key=lambda d: d["code"])
        block.setdefault("context", [])
        block["withValue"] = sum(1 for d in block["determinants"] if d["value"] is not None)
    return {
        "country": code,
        "name": facts.get("label", code),
        "iso3166Numeric": facts.get("numeric"),
        "whoMemberState": bool(facts.get("member")),
        "region": slug(region) if region else None,
        "asOf": as_of,
        "rules": {
            "percentile": "mid-rank percentile of the country's latest value among the latest "
                          "values of WHO Member States (share below plus half the share equal)",
            "flag": f"a capacity at level {HIGH_LEVEL} or 5 with an informing determinant in the "
                    f"worst fifth of Member States, or at level 1 or {LOW_LEVEL} with one in the "
                    "best fifth; worst and best follow the determinant's direction",
            "staleness": "asOf minus the year of the value",
        },
        "blocks": sorted(blocks.values(), key=lambda b: b["code"]),
        "flags": flags,
        "context": context,
        "dataQuality": data_quality(runner, country, blocks, self_assessed),
    }


def determinant_entry(det: dict[str, Any], by_country: dict[str, dict[str, Any]], iso3: str,
                      region: str | None, as_of: int) -> dict[str, Any]:
    """One determinant of the profile: the country's value and where it stands."""
    members = [v for v in by_country.values() if v["member"]]
    own = by_country.get(iso3)
    pct = percentile(own["value"], [v["value"] for v in members]) if own and members else None
    stand = standing(pct, det["better"])
    regional = [v["value"] for v in members if region and v["region"] == region]
    return {
        "determinant": det["determinant"], "code": det["code"], "label": det["label"],
        "unit": det["unit"], "better": det["better"], "ghoPage": det.get("page"),
        "value": own["value"] if own else None, "year": own["year"] if own else None,
        "staleness": as_of - own["year"] if own else None,
        "percentile": pct, "standing": stand, "quintile": quintile(stand),
        "memberStates": len(members),
        "regionalMedian": round(statistics.median(regional), 3) if regional else None,
        "regionCountries": len(regional),
    }


def informed(link: dict[str, Any], score: dict[str, Any] | None,
             self_assessed: dict[str, bool]) -> dict[str, Any]:
    fw = link["frameworkCode"]
    out = {"capacity": link["capacity"], "code": link["code"], "label": link["label"],
           "framework": fw, "rationale": link["rationale"], "selfAssessed": self_assessed.get(fw)}
    if score is None:
        return {**out, "score": None, "level": None, "year": None,
                "note": "no score of this capacity is loaded for the country"}
    return {**out, "score": score.get("score"), "level": score.get("level"),
            "year": score["year"], "source": slug(score["source"]), "fileName": score["fileName"]}


def consistency_flags(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Where a capacity score and a determinant that informs it point opposite ways."""
    flags = []
    q = entry["quintile"]
    for cap in entry["informs"]:
        level = cap.get("level")
        if q is None or level is None:
            continue
        if level >= HIGH_LEVEL and q == 1:
            kind, words = "high-score-weak-determinant", "scored high while the determinant is in the worst fifth"
        elif level <= LOW_LEVEL and q == 5:
            kind, words = "low-score-strong-determinant", "scored low while the determinant is in the best fifth"
        else:
            continue
        who = "self-assessed" if cap["selfAssessed"] else "externally evaluated"
        flags.append({
            "kind": kind,
            "capacity": {k: cap[k] for k in ("capacity", "code", "label", "framework", "score",
                                             "level", "year", "source", "selfAssessed")},
            "determinant": {k: entry[k] for k in ("determinant", "code", "label", "value", "unit",
                                                  "year", "percentile", "standing", "quintile",
                                                  "memberStates", "better")},
            "message": f"{cap['framework']} {cap['code']} {cap['label']} is {who} at "
                       f"{cap['score']} % (level {level}, {cap['year']}) — {words}: "
                       f"{entry['code']} {entry['label']} = {entry['value']:g} ({entry['year']}), "
                       f"percentile {entry['percentile']:g} of {entry['memberStates']} WHO Member States",
        })
    return flags


def data_quality(runner: Runner, country: Any, blocks: dict[str, dict[str, Any]],
                 self_assessed: dict[str, bool]) -> dict[str, Any]:
    """Observations by status and source, self-assessed or external, and determinant staleness."""
    sources: dict[tuple[str, str | None], dict[str, Any]] = {}
    for row in rows_json(runner.select(QUALITY, {"country": country})):
        fw = slug(row["framework"]) if row.get("framework") else None
        key = (slug(row["source"]), fw)
        entry = sources.setdefault(key, {
            "source": key[0], "framework": fw,
            "assessment": ("self-assessed" if self_assessed[fw] else "external")
            if fw in self_assessed else None,
            "statuses": {}, "first": row["first"], "last": row["last"]})
        entry["statuses"][row["status"].rsplit("#", 1)[-1]] = row["observations"]
        entry["first"], entry["last"] = min(entry["first"], row["first"]), max(entry["last"], row["last"])
    dets = [d for b in blocks.values() for d in b["determinants"]]
    stale = [d["staleness"] for d in dets if d["staleness"] is not None]
    return {
        "sources": sorted(sources.values(), key=lambda s: (s["source"], s["framework"] or "")),
        "determinants": {
            "catalogued": len(dets),
            "withValue": len(stale),
            "missing": sorted(d["code"] for d in dets if d["value"] is None),
            "medianStaleness": statistics.median(stale) if stale else None,
            "oldest": max(((d["staleness"], d["code"]) for d in dets if d["staleness"] is not None),
                          default=(None, None))[1],
        },
    }


def country_iri(iso3: str) -> Any:
    return ID[f"country/{iso3}"]
