"""Error pages for people: the site's layout, what was wrong, and suggestions as links.

An API client reads ``suggestions``, ``choices`` or ``years`` from the problem document;
a person on a page should be able to click them. So the page turns each into a link to
the same page with the value replaced: ``/country/NGR`` suggests ``/country/NER`` and
``/country/NGA``, a year the country has no scores for links to the years it has. A
SPARQL syntax error on ``/sparql`` in a browser shows the hints and the query again in
the form, ready to be fixed.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from flask import render_template, request, url_for

_ISO3 = re.compile(r"[A-Z]{3}")


def error_page(status: int, title: str, doc: dict[str, Any]) -> str:
    """The HTML page for a problem document, in the site's layout."""
    query = None
    if request.path == "/sparql":
        query = request.args.get("query")  # a browser sends its query in the URL; never read a body here
    return render_template(
        "service_error.html",
        status=status,
        title=title,
        detail=str(doc.get("detail", "")).split(". Hint: ")[0],  # the hints get a list
        hints=doc.get("hints", []),
        links=suggestion_links(doc),
        query=query,
    )


def suggestion_links(doc: dict[str, Any]) -> list[dict[str, str]]:
    """Each suggested value as a link: the same page, that value in place of the bad one."""
    links: list[dict[str, str]] = []
    parameter = doc.get("parameter")
    for value in doc.get("suggestions", []) or []:
        href = _replaced(parameter, str(value))
        if href:
            links.append({"href": href, "text": _label(parameter, str(value))})
    for name in ("years", "choices"):
        target = "year" if name == "years" else parameter
        for value in doc.get(name, []) or []:
            href = _replaced(target, str(value))
            if href:
                links.append({"href": href, "text": f"{target} {value}"})
    return links


def _replaced(parameter: str | None, value: str) -> str | None:
    """The current URL with ``parameter`` (a path part or a query parameter) set to ``value``."""
    path = request.path
    if path.startswith("/country/") and (parameter in (None, "country") and _ISO3.fullmatch(value)):
        return url_for("ui.country", iso3=value, **_args_without("iso3"))
    if path.startswith("/page/") and parameter in (None, "capacity") and "/" in value:
        return url_for("ui.resource", path=value)
    if parameter:
        args = _args_without(parameter)
        args[parameter] = value
        return f"{path}?{urllib.parse.urlencode(args)}"
    return None


def _args_without(name: str) -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k != name}


def _label(parameter: str | None, value: str) -> str:
    """NGA (Nigeria) for a country code, the value itself otherwise."""
    if not _ISO3.fullmatch(value) or parameter not in (None, "country", "other"):
        return value
    try:
        from .countries import country_book
        from .runners import request_runner

        country = country_book(request_runner()).countries.get(value)
    except Exception:  # the store may be the problem: the code alone still helps
        return value
    return f"{country.name} ({value})" if country is not None and country.named else value
