"""The HTML pages: home, country dashboard, resource pages and the SPARQL editor.

Pages are rendered on the server from the same canned queries as the API, so each is
readable without JavaScript; only the SPARQL editor needs it (YASGUI, vendored under
``static/vendor``: the service runs on machines with no internet, so nothing comes from
a CDN). The dashboard's chart is inline SVG, one bar per capacity, with a table beside
it for screen readers.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from hsfhs import vocabulary
from hsfhs.bindings import bind_values
from hsfhs.namespaces import ID

from . import analysis, ui_home
from .action_plan import action_plan as compute_action_plan
from .countries import resolve_country
from .errors import ServiceError
from .gaps import gaps as compute_gaps
from .health_ui import capacity_trend, dashboard_sections
from .named_queries import bind, run_named
from .params import FUNCTIONS, TYPES
from .query_files import get_query, load_queries, parse_examples
from .regional import medians, regional_comparison
from .runners import Runner, request_runner

bp = Blueprint("ui", __name__, template_folder="templates")

CHART_WIDTH = 360  # viewBox units; the SVG scales to the page, 13-unit text stays legible at 400 px
ROW_HEIGHT = 38
BAR_HEIGHT = 14
LABEL_CHARS = 46


@bp.app_template_filter("idpath")
def idpath(iri: str) -> str:
    """``https://w3id.org/hsfhs/id/spar2/C5`` -> ``spar2/C5``, for links to /page/..."""
    return iri.removeprefix(str(ID))


runner = request_runner


@bp.get("/")
def home() -> str:
    """What the framework is, a country picker by name and region, and a world map."""
    r = runner()
    _, frameworks = run_named("frameworks", {}, r)
    # the capacities of each function in the editions in use today (SPAR, JEE)
    current = {
        fw: analysis.rows_json(run_named("function-capacities", {"framework": fw}, r)[1])
        for fw in vocabulary.CURRENT
    }
    by_function: dict[str, dict[str, Any]] = {}
    for fw, rows in current.items():
        for row in rows:
            entry = by_function.setdefault(
                row["functionCode"],
                {"label": row["functionLabel"], "iri": row["function"],
                 "capacities": {f: [] for f in current}},
            )
            entry["capacities"][fw].append(row)
    for entry in by_function.values():  # C1, C2, ..., C10 (the query sorts IRIs as text)
        for rows in entry["capacities"].values():
            rows.sort(key=lambda row: analysis.code_order(row["code"]))
    choices = ui_home.capacity_choices(current[vocabulary.CURRENT[0]])
    return render_template(
        "ui_home.html",
        frameworks=analysis.rows_json(frameworks),
        functions=[by_function[f] for f in FUNCTIONS if f in by_function],
        current=[vocabulary.FRAMEWORKS[fw] for fw in vocabulary.CURRENT],
        regions=ui_home.regions(r),
        choices=choices,
        map=ui_home.map_model(r, request.args.get("capacity", ui_home.DEFAULT_CAPACITY), choices),
    )


@bp.get("/country")
def country_form() -> Response:
    """The home page's country picker (a plain GET form) lands here: a name or a code."""
    value = (request.args.get("country") or request.args.get("iso3") or "").strip()
    if not value:
        abort(400, "Give a country by name (Nigeria) or ISO 3166-1 alpha-3 code (NGA).")
    code, _ = resolve_country(runner(), value, "country")  # a name: straight to its code
    return redirect(url_for("ui.country", iso3=code))


@bp.get("/country/<iso3>")
def country(iso3: str) -> Response | str:
    """A country dashboard: capacity levels against the target, blocked functions, actions."""
    r = runner()
    code, _ = resolve_country(r, iso3, "country")
    if code != iso3:  # a name or a lower-case code: the dashboard lives at its ISO3 address
        args = {k: v for k, v in request.args.items() if k != "iso3"}
        return redirect(url_for("ui.country", iso3=code, **args))
    raw = {"country": iso3}
    for key in ("year", "framework", "target"):
        if request.args.get(key):
            raw[key] = request.args[key]
    # the country, year, framework and target, resolved once for every section of the page
    settled = bind(get_query("action-plan"), raw, r).settled()
    plan = compute_action_plan(r, {}, settled)
    blocked = {f: compute_gaps(r, {"function": f}, settled) for f in FUNCTIONS}
    _, profile_rows = run_named("country-profile", {}, r, settled.only("country"))
    profile = analysis.rows_json(profile_rows)
    capacities = sorted(
        (
            row
            for row in profile
            if row["kind"] == "capacity"
            and row["year"] == plan["year"]
            and row["frameworkCode"] == plan["framework"]
        ),
        key=lambda row: analysis.code_order(row["code"]),
    )
    determinants = [row for row in profile if row["kind"] == "determinant"]
    other_years = sorted(
        {(row["year"], row["frameworkCode"]) for row in profile if row["kind"] == "capacity"},
        reverse=True,
    )
    name = country_name(r, plan["country"])
    regional = regional_comparison(r, plan["country"], capacities, settled)
    return render_template(
        "ui_country.html",
        iso3=plan["country"],
        name=name,
        plan=plan,
        blocked=blocked,
        capacities=capacities,
        chart=bar_chart(capacities, int(plan["target"]), medians(regional)),
        regional=regional,
        determinants=determinants,
        other_years=other_years,
        **dashboard_sections(r, plan, capacities, request.args.get("trend"), settled),
    )


def country_name(r: Runner, iso3: str) -> str:
    rows = r.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?label WHERE { ?country skos:prefLabel ?label }",
        {"country": ID[f"country/{iso3}"]},
    ).values()
    return rows[0]["label"] if rows else iso3


def bar_chart(
    capacities: list[dict[str, Any]], target: int, medians: dict[str, float] | None = None
) -> dict[str, Any]:
    """Geometry of the SVG bar chart: per capacity its code and name, then its bar (0-100 %).

    The name sits above the bar, so the chart stays readable when a phone shrinks it; the
    target band is a line. A capacity is unmet when its level is below ``target``; level
    ``target`` starts just above ``(target - 1) x 20`` percent, so the line is drawn
    there. ``medians`` (capacity code -> the region's median) are drawn as ticks.
    """
    left, right = 4, 44
    scale = (CHART_WIDTH - left - right) / 100
    medians = medians or {}
    bars = []
    for i, cap in enumerate(capacities):
        score = float(cap.get("score") or 0)
        top = i * ROW_HEIGHT + 4
        median = medians.get(cap["code"])
        bars.append(
            {
                "code": cap["code"],
                "label": cap["label"],
                "name": _clip(f"{cap['code']} {cap['label']}", LABEL_CHARS),
                "score": cap.get("score"),
                "level": cap.get("level"),
                "label_y": top + 13,
                "y": top + 18,
                "width": max(score * scale, 1),
                "unmet": cap.get("level") is not None and cap["level"] < target,
                "unscored": cap.get("level") is None,
                "median": median,
                "median_x": None if median is None else left + median * scale,
            }
        )
    edge = (target - 1) * 20
    return {
        "width": CHART_WIDTH,
        "height": len(bars) * ROW_HEIGHT + 24,
        "x0": left,
        "threshold_x": left + edge * scale,
        "edge": edge,
        "bars": bars,
        "bar_height": BAR_HEIGHT,
        "has_medians": any(b["median"] is not None for b in bars),
    }


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- resource pages ------------------------------------------------------------------------------

DESCRIBE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p ?o ?oLabel WHERE {
  ?s ?p ?o .
  OPTIONAL { ?o skos:prefLabel ?oLabel }
}
ORDER BY ?p ?o"""

INCOMING = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?p ?sLabel WHERE {
  ?s ?p ?o .
  FILTER (!STRSTARTS(STR(?s), "https://w3id.org/hsfhs/id/graph/"))
  OPTIONAL { ?s skos:prefLabel ?sLabel }
}
ORDER BY ?p ?s
LIMIT 200"""


@bp.get("/page/<path:path>")
def resource(path: str) -> str:
    """The page of any ``id:`` individual: its label, facts and links, capacities in full."""
    try:
        iri = TYPES["iri"].parse("iri", str(ID) + path)
    except ServiceError:
        abort(404, f"/page/{path} is not an hsfhs identifier.")
    r = runner()
    facts = r.select(DESCRIBE, {"s": iri}).values()
    if not facts:
        abort(404, f"Nothing is known about {iri}.")
    incoming = r.select(INCOMING, {"o": iri}).values()
    types = {f["o"] for f in facts if f["p"].endswith("#type")}
    label = next((f["o"] for f in facts if f["p"].endswith("core#prefLabel")), path)
    capacity: dict[str, Any] | None = None
    if "https://w3id.org/hsfhs/ontology#Capacity" in types:
        cap_bound, cap_rows = run_named("capacity", {"capacity": path}, r)
        checked = cap_bound.settled("capacity")  # checked once for the three queries
        _, aligned = run_named("alignment", {}, r, checked)
        try:
            below_bound, below = run_named("capacity-countries", {}, r, checked)
            countries = {"rows": analysis.rows_json(below), **analysis.context(below_bound)}
        except ServiceError:
            countries = None  # no scores loaded for this framework
        capacity = {
            "facts": analysis.rows_json(cap_rows),
            "alignment": analysis.rows_json(aligned),
            "countries": countries,
            **capacity_trend(r, path, request.args.get("country")),
        }
    return render_template(
        "ui_page.html",
        iri=str(iri),
        path=path,
        label=label,
        facts=facts,
        incoming=incoming,
        capacity=capacity,
        id_base=str(ID),
    )


# --- SPARQL editor ---------------------------------------------------------------------------------


@bp.get("/editor")
def editor() -> str:
    """YASGUI pointed at /sparql, with each canned query (example values bound) as a tab."""
    r = runner()
    examples = []
    for query in load_queries().values():
        raw = parse_examples(query.examples[0]) if query.examples else {}
        try:
            bound = bind(query, raw, r)
        except ServiceError:
            continue  # its example needs data this store does not hold
        examples.append(
            {
                "name": query.name,
                "title": query.title,
                "query": bind_values(query.sparql, bound.bindings),
            }
        )
    return render_template("ui_editor.html", examples=examples)
