"""The JSON API (``/api``): canned queries, gaps, action plans, profiles and OpenAPI.

Every endpoint is a thin wrapper over ``named_queries`` and ``analysis``: parameters are
checked by their declared types and bound as RDF terms, queries run through the
service's executor (time limit, row cap), and problems are raised as ``ServiceError``
so the app answers ``application/problem+json``. A country or function that does not
exist is a 404/400 naming the valid choices, never an empty 200.

Each route carries its own OpenAPI documentation (``@documented``), and every answer
goes out through ``render``: JSON, or CSV with the columns of the query (its SELECT
variables) or of the module that computes the rows (``gaps.COLUMNS``...), never a list
kept here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from . import action_plan as plan
from . import analysis
from . import gaps as gap_rule
from . import trend as trends
from .health_system import health_system as compute_health_system
from .named_queries import run_named
from .openapi import PREFIX, documented, openapi_document
from .params import NotFoundError, ParamError
from .query_files import Param, get_query, load_queries
from .runners import request_runner as runner

bp = Blueprint("api", __name__, url_prefix=PREFIX)

RESERVED = {"_format"}
FORMATS = ("json", "csv")


def query_args(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The request's parameters without the reserved ``_`` ones, plus path parameters."""
    repeated = sorted(k for k, values in request.args.lists() if len(values) > 1)
    if repeated:
        raise ParamError(
            f"parameter {repeated[0]!r} is given {len(request.args.getlist(repeated[0]))} times; "
            "give each parameter once",
            parameter=repeated[0],
        )
    args = {k: v for k, v in request.args.items() if k not in RESERVED}
    empty = sorted(k for k, v in args.items() if v == "")
    if empty:  # the OpenAPI patterns refuse an empty value: so does the server
        raise ParamError(
            f"{empty[0]} is empty: give it a value, or leave it out to get its default",
            parameter=empty[0],
        )
    args.update(extra or {})
    return args


def wanted_format(json_only: str | None = None) -> str:
    """The ``_format`` asked for; ``json_only`` says where the CSV of a JSON-only view is."""
    fmt = request.args.get("_format", "json")
    if fmt not in FORMATS:
        raise ParamError(
            f"_format={fmt!r} is not supported; use json or csv",
            parameter="_format",
            choices=list(FORMATS),
        )
    if json_only is not None and fmt != "json":
        raise ParamError(json_only, parameter="_format", choices=["json"])
    return fmt


def render(
    answer: Mapping[str, Any],
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    name: str,
    fmt: str,
) -> Response:
    """The one way an endpoint answers: the whole answer as JSON, or its rows as CSV."""
    if fmt == "csv":
        return csv_response(columns, rows, name)
    return jsonify(answer)


def csv_response(columns: Sequence[str], rows: Iterable[Mapping[str, Any]], name: str) -> Response:
    """Rows as CSV; list values (paths, actions) joined so each row stays one line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{name}.csv"'},
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " > ".join(_cell(v) if not isinstance(v, dict) else v.get("code", "") for v in value)
    return str(value)


# --- canned queries ----------------------------------------------------------------------------


@bp.get("/queries")
@documented("List the canned queries", answer=("The queries", "application/json"),
            note="Each canned query with its title, description and parameters.")
def list_queries() -> Response:
    """Every canned query with its title, description and typed parameters."""
    return jsonify({"queries": [q.summary() for q in load_queries().values()]})


@bp.get("/queries/<name>")
@documented(per_query=True)
def run_query(name: str) -> Response:
    """Run one canned query: ``?param=value``; ``_format=csv`` for CSV."""
    get_query(name)  # 404 for an unknown name before any parameter is read
    fmt = wanted_format()
    bound, rows = run_named(name, query_args(), runner())
    items = analysis.rows_json(rows)
    answer = {
        "query": name,
        "title": bound.query.title,
        "params": analysis.context(bound),
        "resolved": bound.resolved,
        "assumptions": bound.assumptions,
        "columns": rows.variables,
        "count": len(items),
        "rows": items,
    }
    return render(answer, items, rows.variables, name, fmt)


# --- the questions people ask most ---------------------------------------------------------------


@bp.get("/gaps")
@documented(
    "Unmet capacities blocking a preparedness function", query="gaps", describe=("gaps",),
    note="Indirect gaps carry `path`, the shortest chain of dependencies from a direct capacity.",
    extra=(Param("depth", "depth", False, "1",
                 "how many dependencies deep to look for indirect blockers"),),
)
def gaps() -> Response:
    """Unmet capacities blocking a function: direct and through dependencies, with chains."""
    fmt = wanted_format()
    answer = gap_rule.gaps(runner(), query_args())
    return render(answer, answer["gaps"], gap_rule.COLUMNS, "gaps", fmt)


INDIRECT = {
    "name": "indirect",
    "in": "query",
    "required": False,
    "description": "with function: also the capacities it needs through dependencies",
    "schema": {"type": "boolean", "default": False},
}


@bp.get("/action-plan")
@documented(
    "Action plan for a country", query="unmet-indicators", describe=("action-plan",),
    extra=(
        Param("function", "function", False, None,
              "only the capacities blocking this function (its direct gaps)"),
        INDIRECT,
        Param("disease", "disease", False, None,
              "add the RTSL disease-specific actions of the plan's benchmarks"),
    ),
)
def action_plan() -> Response:
    """Unmet capacities, their unmet indicators, and the Benchmarks actions by benchmark."""
    fmt = wanted_format()
    args = query_args()
    if args.get("indirect", "false") not in ("true", "false"):  # a boolean, as documented
        raise ParamError(
            f"indirect={args['indirect']!r} is not true or false",
            parameter="indirect",
            choices=["true", "false"],
        )
    answer = plan.action_plan(runner(), args)
    return render(answer, plan.table(answer), plan.COLUMNS, "action-plan", fmt)


def _named(name: str, extra: Mapping[str, str] | None = None) -> Response:
    fmt = wanted_format()
    bound, rows = run_named(name, query_args(extra), runner())
    items = analysis.rows_json(rows)
    answer = {
        **analysis.context(bound),
        "resolved": bound.resolved,
        "assumptions": bound.assumptions,
        "caveats": caveats(name, items),
        "count": len(items),
        "rows": items,
    }
    return render(answer, items, rows.variables, name, fmt)


def caveats(name: str, rows: list[dict[str, Any]]) -> list[str]:
    """What a comparison across tool editions must say: the tool changed, not only the country."""
    if name == "compare-years" and any(row.get("sameFramework") is False for row in rows):
        return [
            "The two years were scored with different editions of the tool (SPAR 1st edition "
            "before 2021, 2nd edition since): capacities are matched only where the crosswalk "
            "has an exact or close match, and a change may come from the new indicators and "
            "level descriptors rather than from the country."
        ]
    return []


@bp.get("/countries/<iso3>")
@documented("Country profile", query="country-profile", describe=("country-profile",),
            path={"country": "iso3"})
def country_profile(iso3: str) -> Response:
    """All the country's capacity scores across years and sources, and its determinants."""
    return _named("country-profile", {"country": iso3})


@bp.get("/capacities/<path:capacity>")
@documented("Capacity view", query="capacity-countries",
            describe=("capacity", "capacity-countries"), csv=False)
def capacity(capacity: str) -> Response:
    """A capacity: its catalogue facts, its counterparts, and the countries below a level."""
    wanted_format(json_only="the capacity view is JSON only (it has several tables); for CSV "
                  "use /api/queries/capacity or /api/queries/capacity-countries")
    args = query_args({"capacity": capacity})
    r = runner()
    facts_bound, facts = run_named("capacity", {"capacity": args.pop("capacity")}, r)
    checked = facts_bound.settled("capacity")  # checked once for the three queries
    _, aligned = run_named("alignment", {}, r, checked)
    try:
        below_bound, below = run_named("capacity-countries", args, r, checked)
        countries_below = {
            **analysis.context(below_bound),
            "resolved": below_bound.resolved,
            "rows": analysis.rows_json(below),
        }
    except NotFoundError as exc:
        # A capacity no loaded data scores (a benchmark technical area, say) still has
        # its catalogue facts; the empty list says why instead of failing the whole view.
        countries_below = {"rows": [], "note": exc.detail}
    return jsonify(
        {
            "capacity": analysis.context(facts_bound)["capacity"],
            "iri": str(facts_bound.bindings["capacity"]),
            "facts": analysis.rows_json(facts),
            "alignment": analysis.rows_json(aligned),
            "countriesBelow": countries_below,
        }
    )


@bp.get("/compare")
@documented("Compare two countries", query="compare", describe=("compare",),
            note="Two years of one country: /api/compare-years.")
def compare() -> Response:
    """Two countries side by side (``other``); ``since`` alone is /compare-years, kept working."""
    if "since" in request.args and "other" not in request.args:
        return _named("compare-years")
    return _named("compare")


@bp.get("/compare-years")
@documented("Compare two report years of one country", query="compare-years",
            describe=("compare-years",))
def compare_years() -> Response:
    """Two report years of one country (``since``), matched across tool editions."""
    return _named("compare-years")


@bp.get("/region-blockers")
@documented("Capacities blocking the most functions in a region", query="region-blockers",
            describe=("region-blockers",))
def region_blockers() -> Response:
    """Which unmet capacities block the most functions across a WHO region."""
    return _named("region-blockers")


# The profile takes a code only (a name or NG1 is a 400, as it always was), so its path
# parameter is not the iso3 type of the canned queries, which also takes a name.
ISO3_CODE = {
    "name": "iso3",
    "in": "path",
    "required": True,
    "description": "the country, by ISO 3166-1 alpha-3 code (NGA); not by name",
    "schema": {"type": "string", "pattern": "^[A-Za-z]{3}$", "example": "NGA"},
}


@bp.get("/countries/<iso3>/health-system")
@documented(
    "Health-system profile of a country", csv=False,
    note="The country's health-system determinants by WHO building block, each with its "
    "latest value and year, its percentile among WHO Member States, its region's median and "
    "the IHR capacities it informs; consistency flags where a capacity score and a "
    "determinant that informs it point opposite ways; data quality (observations by status "
    "and source, self-assessed or external, staleness) and the country context (income "
    "group, NAPHS). JSON only: the same facts in plain SPARQL are the canned queries "
    "function-weaknesses and self-assessment-disagrees.",
    extra=(ISO3_CODE,),
)
def health_system(iso3: str) -> Response:
    """Determinants by building block, percentiles, regional medians, flags, data quality."""
    wanted_format(json_only="the health-system profile is JSON only (it has nested tables); for "
                  "CSV use /api/queries/function-weaknesses or "
                  "/api/queries/self-assessment-disagrees")
    query_args()  # a repeated parameter is a 400 here too
    return jsonify(compute_health_system(runner(), iso3))


@bp.get("/trend")
@documented("A capacity's scores across report years and tool editions", query="trend",
            describe=("trend",))
def trend() -> Response:
    """A capacity's score in every year loaded, across exact/close matches in other editions."""
    fmt = wanted_format()
    answer = trends.trend(runner(), query_args())
    return render(answer, answer["points"], trends.COLUMNS, "trend", fmt)


@bp.get("/openapi.json")
@documented("This document", answer=("OpenAPI 3.1", "application/json"))
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API, built from its routes and the queries' headers."""
    return jsonify(openapi_document(request.host_url.rstrip("/"), current_app))
