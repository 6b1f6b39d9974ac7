"""The Flask application factory (the Flask tutorial pattern) and the app-wide error shape.

Configuration, lowest to highest precedence: the defaults below, ``HSFHS_*`` environment
variables (``HSFHS_QUERY_TIMEOUT_S=5``, parsed as JSON by ``from_prefixed_env``), then
``test_config``. The service is read-only unless ``UPDATE_TOKEN`` is set.

Errors: a blueprint cannot catch the 404/405 that routing raises before it is chosen,
so the app picks the error shape by path: ``/api`` and ``/sparql`` answer
``application/problem+json`` (RFC 9457), every other path a small HTML page. Bad input
is never a 500; the catch-all 500 is for genuine bugs and is logged with its traceback.

Headers on every answer: ``X-Content-Type-Options: nosniff``; on pages also a
Content-Security-Policy that allows only this server's own scripts, styles and data
(the vendored YASGUI needs inline styles, nothing else) and frame protection
(``frame-ancestors 'none'``, ``X-Frame-Options: DENY``). CORS: see ``cors.py``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, InternalServerError

from hsfhs.store import default_store_dir

from .cors import CorsPolicy
from .errors import PROBLEM_JSON, ServiceError, problem_bytes, problem_document
from .executor import EXTENSION_KEY, QueryExecutor
from .guard import Limits

log = logging.getLogger(__name__)

MACHINE_PREFIXES = ("/api", "/sparql")
CORS_KEY = "hsfhs.cors"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; tests pass ``STORE_PATH`` (and lower limits) in ``test_config``."""
    app = Flask(__name__)
    app.config.from_mapping(
        STORE_PATH=str(default_store_dir()),
        ENDPOINT=None,  # URL of a remote SPARQL store, used instead of STORE_PATH
        QUERY_TIMEOUT_S=10.0,
        ROW_LIMIT=10000,
        QUERY_WORKERS=2,
        QUERY_MEMORY_MB=2048,  # data-segment (heap) cap of each query worker; 0 = none
        UPDATE_TOKEN=None,  # read-only unless set
        MAX_BODY_BYTES=1024 * 1024,  # Oxigraph's MAX_SPARQL_BODY_SIZE
        ALLOW_SERVICE=False,  # SERVICE would let callers make the server fetch URLs
        ANSWER_CACHE_ENTRIES=512,  # canned-query answers kept per store generation; 0 = none
        LOAD_ALLOW=[],  # IRIs an update may LOAD (the server fetches them); none by default
        QUERY_MAX_CHARS=100_000,  # limits on a query's text, checked before the engine sees it
        QUERY_MAX_DEPTH=100,
        QUERY_MAX_OPERATORS=1000,
        QUERY_QUEUE=8,  # user queries that may wait for a worker; keep it under the threads
        QUEUE_WAIT_S=5.0,  # how long one may wait before 503
        CLIENT_QUERIES=1,  # user queries one client (address, bearer token) may have at once
        CORS_ORIGINS="*",  # "*", "" (no CORS) or origins separated by spaces
    )
    app.config.from_prefixed_env("HSFHS")
    if test_config:
        app.config.from_mapping(test_config)
    _normalise_config(app)

    app.extensions[EXTENSION_KEY] = QueryExecutor(
        None if app.config["ENDPOINT"] else app.config["STORE_PATH"],
        app.config["ENDPOINT"] or None,
        workers=app.config["QUERY_WORKERS"],
        timeout_s=app.config["QUERY_TIMEOUT_S"],
        row_limit=app.config["ROW_LIMIT"],
        allow_service=app.config["ALLOW_SERVICE"],
        memory_mb=app.config["QUERY_MEMORY_MB"] or None,
        limits=Limits(
            max_chars=app.config["QUERY_MAX_CHARS"],
            max_depth=app.config["QUERY_MAX_DEPTH"],
            max_operators=app.config["QUERY_MAX_OPERATORS"],
        ),
        queue_size=app.config["QUERY_QUEUE"],
        queue_wait_s=app.config["QUEUE_WAIT_S"],
        client_queries=app.config["CLIENT_QUERIES"],
        load_allow=app.config["LOAD_ALLOW"],
        answer_cache=app.config["ANSWER_CACHE_ENTRIES"],
    )
    app.extensions[CORS_KEY] = CorsPolicy.from_setting(app.config["CORS_ORIGINS"])

    from . import api, api_docs, linked_data, sparql, ui

    app.register_blueprint(sparql.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(api.bp)  # at /api (openapi.PREFIX)
    app.register_blueprint(ui.bp)
    app.register_blueprint(api_docs.bp)

    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.after_request(_headers)
    return app


def _normalise_config(app: Flask) -> None:
    """Coerce values that may arrive as JSON-parsed env strings or numbers."""
    cfg = app.config
    cfg["QUERY_TIMEOUT_S"] = float(cfg["QUERY_TIMEOUT_S"])
    cfg["ROW_LIMIT"] = int(cfg["ROW_LIMIT"])
    cfg["QUERY_WORKERS"] = max(2, int(cfg["QUERY_WORKERS"]))
    cfg["MAX_BODY_BYTES"] = int(cfg["MAX_BODY_BYTES"])
    cfg["QUERY_MEMORY_MB"] = int(cfg["QUERY_MEMORY_MB"] or 0)
    cfg["ANSWER_CACHE_ENTRIES"] = int(cfg["ANSWER_CACHE_ENTRIES"] or 0)
    cfg["STORE_PATH"] = str(cfg["STORE_PATH"])
    for key in ("QUERY_MAX_CHARS", "QUERY_MAX_DEPTH", "QUERY_MAX_OPERATORS", "QUERY_QUEUE"):
        cfg[key] = int(cfg[key])
    cfg["CLIENT_QUERIES"] = max(1, int(cfg["CLIENT_QUERIES"]))
    cfg["QUEUE_WAIT_S"] = float(cfg["QUEUE_WAIT_S"])
    cfg["ALLOW_SERVICE"] = cfg["ALLOW_SERVICE"] in (True, "true", "1", 1)
    loads = cfg["LOAD_ALLOW"]
    cfg["LOAD_ALLOW"] = loads.split() if isinstance(loads, str) else [str(x) for x in loads or []]
    token = cfg["UPDATE_TOKEN"]
    cfg["UPDATE_TOKEN"] = str(token) if token not in (None, "") else None
    # Werkzeug answers 413 itself when a body or form passes this size.
    cfg["MAX_CONTENT_LENGTH"] = cfg["MAX_BODY_BYTES"]
    cfg["MAX_FORM_MEMORY_SIZE"] = cfg["MAX_BODY_BYTES"]


def wants_problem_json() -> bool:
    """problem+json on machine paths, except for a browser on /sparql (it gets a page)."""
    from .sparql_html import wants_html

    path = request.path
    if path == "/sparql" and wants_html(request.args):  # never the body: it may be the error
        return False
    return any(path == p or path.startswith(p + "/") for p in MACHINE_PREFIXES)


def error_response(status: int, title: str, doc: dict[str, Any], headers: Any = None) -> Response:
    """problem+json for machine paths, a small HTML page for the others."""
    if wants_problem_json():
        response = Response(problem_bytes(doc), status=status, content_type=PROBLEM_JSON)
    else:
        from .error_pages import error_page

        html = error_page(status, title, doc)
        response = Response(html, status=status, content_type="text/html; charset=utf-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return _headers(response)


def _http_error(exc: HTTPException) -> Response | HTTPException:
    if exc.code is None or exc.code < 400:  # routing redirects (308) are not errors
        return exc
    original = exc.get_response()
    keep = {
        k: v
        for k, v in original.headers.items()
        if k in ("Allow", "WWW-Authenticate", "Retry-After")
    }
    doc = problem_document(exc.code, exc.name, exc.description or exc.name)
    return error_response(exc.code, exc.name, doc, keep)


def _service_error(exc: ServiceError) -> Response:
    headers = None
    if exc.status in (429, 503):
        headers = {"Retry-After": str(exc.extensions.get("retry_after", 2))}
    return error_response(exc.status, exc.title, exc.problem(), headers)


def _unexpected_error(exc: Exception) -> Response | HTTPException:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.exception("unexpected error on %s %s", request.method, request.path)
    err = InternalServerError()
    doc = problem_document(500, err.name, "An unexpected error happened; it has been logged.")
    return error_response(500, err.name, doc)


def _headers(response: Response) -> Response:
    """nosniff everywhere; CSP and frame protection on pages; CORS as configured."""
    from flask import current_app

    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    else:  # data is never a document: no scripts, no framing, whatever a browser makes of it
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
        )
    response.headers.setdefault("Referrer-Policy", "same-origin")
    current_app.extensions[CORS_KEY].apply(request, response)
    return response
