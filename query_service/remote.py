"""Queries to a remote SPARQL store, for the executor, with the HTTP client's timeout.

There is no process to kill for a remote query, so the limit is the socket timeout.
This speaks the Protocol by content negotiation only (no ``format`` parameter, which
stores that honour it obey over the Accept header), and asks for the one type that fits
the query's form: SPARQL JSON for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE
(asked for both, Virtuoso answers a CONSTRUCT with JSON bindings). Answers are read by
``hsfhs.sparql_http.read_answer``, which also understands Virtuoso's ASK.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from hsfhs.generations import StoreError
from hsfhs.sparql_http import accept_for, in_order, note_server, read_answer

from .errors import QuerySyntaxError, StoreUnavailable

log = logging.getLogger(__name__)



class RemoteTimeout(Exception):
    """The remote store did not answer within the time limit."""


def remote_query(
    endpoint: str,
    query: str,
    *,
    default_graph: list[str] | None,
    named_graphs: list[str] | None,
    timeout_s: float,
    own_dataset: bool = False,
    keep_order: bool = True,
) -> Any:
    """A pyoxigraph result (solutions, boolean or triples) from a remote SPARQL endpoint.

    Without ``default_graph`` the union of graphs is asked for (Oxigraph's
    ``union-default-graph``; other stores ignore the parameter and need their own
    setting), unless the query has its own FROM (``own_dataset``).
    Raises ``RemoteTimeout``, ``QuerySyntaxError`` or ``StoreUnavailable``; their
    details never name the endpoint (the server logs it).
    """
    # the service's own queries keep their written join order on Virtuoso (sparql_http.py);
    # the executor sends user queries with keep_order=False, as written
    params: list[tuple[str, str]] = [("query", in_order(endpoint, query) if keep_order else query)]
    params += [("default-graph-uri", g) for g in default_graph or []]
    params += [("named-graph-uri", g) for g in named_graphs or []]
    if not default_graph and not own_dataset:
        params.append(("union-default-graph", ""))
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode(params).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept_for(query)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            media = response.headers.get_content_type()
            body = response.read()
            note_server(endpoint, response.headers)
    except urllib.error.HTTPError as exc:
        detail = _error_detail(exc)
        if exc.code == 400:
            raise QuerySyntaxError(detail) from exc
        log.error("remote store %s answered %s: %s", endpoint, exc.code, detail)
        raise StoreUnavailable(f"The remote store answered {exc.code}: {detail}") from exc
    except TimeoutError as exc:
        raise RemoteTimeout(str(exc)) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise RemoteTimeout(str(exc.reason)) from exc
        log.error("remote store %s: %s", endpoint, exc.reason)
        raise StoreUnavailable("The remote store could not be reached.") from exc
    try:
        return read_answer(media, body)
    except (SyntaxError, ValueError) as exc:
        raise StoreUnavailable(f"The remote store sent unreadable {media}: {exc}") from exc
    except StoreError as exc:
        raise StoreUnavailable(f"The remote store answered in {media}, not JSON or N-Triples.") from exc


def _error_detail(exc: urllib.error.HTTPError) -> str:
    """The remote's own message: a problem+json detail, or the start of its body."""
    body = exc.read().decode("utf-8", "replace")
    try:
        return str(json.loads(body)["detail"])
    except (ValueError, KeyError, TypeError):
        return body.strip()[:500] or exc.reason
