"""Domain errors of the query service and their RFC 9457 ``application/problem+json`` shape.

Every module of the service (the SPARQL endpoint, the API, the executor) raises
``ServiceError`` subclasses instead of building responses, so one app-level handler
decides the shape: problem+json under ``/api`` and ``/sparql``, HTML elsewhere. An error
carries a stable ``type`` slug that clients can switch on, and extensions (for instance
``timeout_s`` or ``choices``) that tell them how to fix the request.
"""

from __future__ import annotations

import json
from typing import Any

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://w3id.org/hsfhs/problems/"


class ServiceError(Exception):
    """An error the service reports to the client; subclasses set status, type and title."""

    status: int = 500
    type_slug: str = "internal-error"
    title: str = "Internal server error"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions

    def problem(self) -> dict[str, Any]:
        return problem_document(
            self.status, self.title, self.detail, self.type_slug, **self.extensions
        )


class BadRequest(ServiceError):
    """The request itself is wrong (a parameter, a header, a body)."""

    status = 400
    type_slug = "bad-request"
    title = "Bad request"


class QuerySyntaxError(BadRequest):
    """The SPARQL text does not parse; the detail is the parser's own message."""

    type_slug = "query-syntax"
    title = "Malformed SPARQL"


class FederationRefused(BadRequest):
    """The query or update uses SERVICE, which would make the server fetch URLs."""

    type_slug = "service-disabled"
    title = "Federated query is disabled"


class LoadRefused(BadRequest):
    """The update LOADs a document the operator has not allowed."""

    type_slug = "load-refused"
    title = "LOAD of this document is not allowed"


class QueryTooComplex(BadRequest):
    """The text is past a size, nesting or operator limit; the engine never saw it."""

    type_slug = "query-too-complex"
    title = "Query too complex"


class QueryFailed(BadRequest):
    """The query parsed but the engine could not evaluate it (an unbound SERVICE name...)."""

    type_slug = "query-evaluation"
    title = "The query could not be evaluated"


class QueryTimeout(ServiceError):
    """The query ran past the time limit and was stopped.

    A 400, as Datasette answers it: the query as written is too expensive for this
    server, and retrying it unchanged will not help (a 5xx would invite retries).
    """

    status = 400
    type_slug = "query-timeout"
    title = "Query took too long"


class QueryTooLarge(ServiceError):
    """The query needed more memory than a query worker may use, and was stopped."""

    status = 400
    type_slug = "query-memory"
    title = "Query used too much memory"


class ServiceBusy(ServiceError):
    """Every query worker is busy; a retry a little later may succeed."""

    status = 503
    type_slug = "busy"
    title = "All query workers are busy"


class TooManyQueries(ServiceError):
    """This client already has as many queries running or waiting as it may."""

    status = 429
    type_slug = "too-many-queries"
    title = "Too many queries from this client"


class ClientGone(ServiceError):
    """The client closed its connection; its query was stopped. Nobody reads this answer."""

    status = 400
    type_slug = "client-closed"
    title = "The client went away"


class StoreUnavailable(ServiceError):
    """The store could not be read (deleted, unreadable, a remote endpoint down).

    The detail says what is wrong but never names a local path: the server logs that.
    """

    status = 502
    type_slug = "store-unavailable"
    title = "The store could not be read"


class FederationFailed(ServiceError):
    """A SERVICE request (allowed on this server) failed."""

    status = 502
    type_slug = "service-failed"
    title = "A federated query failed"


class WorkerCrashed(ServiceError):
    """A query worker died while running a query (out of memory, a crash in the engine)."""

    status = 500
    type_slug = "worker-crashed"
    title = "The query worker died"


def problem_document(
    status: int, title: str, detail: str, type_slug: str = "about:blank", **extensions: Any
) -> dict[str, Any]:
    """An RFC 9457 problem object; ``type`` is an absolute URI unless it is ``about:blank``."""
    type_uri = type_slug if type_slug == "about:blank" else PROBLEM_TYPE_BASE + type_slug
    doc: dict[str, Any] = {"type": type_uri, "title": title, "status": status, "detail": detail}
    doc.update(extensions)
    return doc


def problem_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


class NotAcceptable(ServiceError):
    """No format the client accepts can express this answer."""

    status = 406
    type_slug = "not-acceptable"
    title = "Not acceptable"


def query_timeout(limit_s: float, server_s: float) -> QueryTimeout:
    """The timeout problem, naming the setting that stopped the query."""
    if limit_s < server_s:
        setting = "the limit this request asked for with its timeout parameter"
    else:
        setting = (
            "the server's limit, QUERY_TIMEOUT_S: env HSFHS_QUERY_TIMEOUT_S "
            "or hsfhs serve --timeout"
        )
    return QueryTimeout(
        f"The query ran longer than {limit_s:g} s ({setting}) and was stopped. "
        "Narrow it (fewer unbound patterns, a LIMIT) and try again.",
        timeout_s=limit_s,
        server_timeout_s=server_s,
    )
