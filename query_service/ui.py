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

from hsfhs.bindings import bind_values
from hsfhs.namespaces import ID

from . import analysis
from .action_plan import action_plan as compute_action_plan
from .errors import ServiceError
from .gaps import gaps as compute_gaps
from .health_ui import capacity_trend, dashboard_sections
from .named_queries import ExecutorRunner, Runner, bind, load_queries, parse_examples, run_named
from .params import FUNCTIONS, TYPES

bp = Blueprint("ui", __name__, template_folder="templates")

CHART_WIDTH = 640
BAR_HEIGHT = 22


@bp.app_template_filter("idpath")
def idpath(iri: str) -> str:
    """``https://w3id.org/hsfhs/id/spar2/C5`` -> ``spar2/C5``, for links to /page/..."""
    return iri.removeprefix(str(ID))


def runner() -> Runner:
    from .executor import current_executor

    return ExecutorRunner(current_executor())


@bp.get("/")
def home() -> str:
    """What the framework is: its functions, the capacities serving each, the frameworks."""
    r = runner()
    _, frameworks = run_named("frameworks", {}, r)
    _, spar = run_named("function-capacities", {"framework": "spar2"}, r)
    _, jee = run_named("function-capacities", {"framework": "jee3"}, r)
    by_function: dict[str, dict[str, Any]] = {}
    for fw, rows in (("spar2", spar), ("jee3", jee)):
        for row in analysis.rows_json(rows):
            entry = by_function.setdefault(
                row["functionCode"],
                {"label": row["functionLabel"], "iri": row["function"], "spar2": [], "jee3": []},
            )
            entry[fw].append(row)
    return render_template(
        "ui_home.html",
        frameworks=analysis.rows_json(frameworks),
        functions=[by_function[f] for f in FUNCTIONS if f in by_function],
    )


@bp.get("/country")
def country_form() -> Response:
    """The home page's country picker (a plain GET form) lands here."""
    iso3 = (request.args.get("iso3") or "").strip().upper()
    if not iso3:
        abort(400, "Give a country as an ISO 3166-1 alpha-3 code, for example NGA.")
    return redirect(url_for("ui.country", iso3=iso3))


@bp.get("/country/<iso3>")
def country(iso3: str) -> str:
    """A country dashboard: capacity levels against the target, blocked functions, actions."""
    r = runner()
    raw = {"country": iso3}
    for key in ("year", "framework", "target"):
        if request.args.get(key):
            raw[key] = request.args[key]
    plan = compute_action_plan(r, raw)
    chosen = {k: str(plan[k]) for k in ("country", "year", "framework", "target")}
    blocked = {f: compute_gaps(r, {**chosen, "function": f}) for f in FUNCTIONS}
    _, profile_rows = run_named("country-profile", {"country": iso3}, r)
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
    return render_template(
        "ui_country.html",
        iso3=plan["country"],
        name=name,
        plan=plan,
        blocked=blocked,
        capacities=capacities,
        chart=bar_chart(capacities, int(plan["target"])),
        determinants=determinants,
        other_years=other_years,
        **dashboard_sections(r, plan, capacities, request.args.get("trend")),
    )


def country_name(r: Runner, iso3: str) -> str:
    rows = r.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?label WHERE { ?country skos:prefLabel ?label }",
        {"country": ID[f"country/{iso3}"]},
    ).values()
    return rows[0]["label"] if rows else iso3


def bar_chart(capacities: list[dict[str, Any]], target: int) -> dict[str, Any]:
    """Geometry of the SVG bar chart: one bar per capacity, 0-100 percent, the target band marked.

    A capacity is unmet when its level is below ``target``; level ``target`` starts just
    above ``(target - 1) x 20`` percent, so the line is drawn there.
    """
    label_width, right = 60, 50
    scale = (CHART_WIDTH - label_width - right) / 100
    bars = []
    for i, cap in enumerate(capacities):
        score = float(cap.get("score") or 0)
        bars.append(
            {
                "code": cap["code"],
                "label": cap["label"],
                "score": cap.get("score"),
                "level": cap.get("level"),
                "y": i * BAR_HEIGHT + 10,
                "width": max(score * scale, 1),
                "unmet": cap.get("level") is not None and cap["level"] < target,
                "unscored": cap.get("level") is None,
            }
        )
    edge = (target - 1) * 20
    return {
        "width": CHART_WIDTH,
        "height": len(bars) * BAR_HEIGHT + 30,
        "x0": label_width,
        "threshold_x": label_width + edge * scale,
        "edge": edge,
        "bars": bars,
        "bar_height": BAR_HEIGHT - 6,
    }


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
        _, cap_rows = run_named("capacity", {"capacity": path}, r)
        _, aligned = run_named("alignment", {"capacity": path}, r)
        try:
            below_bound, below = run_named("capacity-countries", {"capacity": path}, r)
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
