"""``/api/docs``: the API's documentation page, Redoc rendering ``/api/openapi.json``.

Redoc is vendored (``static/vendor/redoc``, from npm), as YASGUI is: the service runs on
machines without internet and its Content-Security-Policy allows only its own scripts,
so the page has no inline script; ``static/api-docs.js`` starts Redoc. Search is off: it
runs in a worker built from a ``blob:`` URL, which that policy refuses.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from .openapi import documented

bp = Blueprint("api_docs", __name__, template_folder="templates")


@bp.get("/api/docs")
@documented("This document, as a page (Redoc)", answer=("HTML", "text/html"), op_id="apiDocs")
def docs() -> str:
    """The OpenAPI document as a readable page (operations, parameters, answers)."""
    return render_template("ui_api_docs.html")
