"""The SPARQL 1.1 Protocol as a client, for stores other than the embedded one.

Written for what real engines do, not only what the recommendation says:

* **Credentials and a separate update endpoint.** Virtuoso answers queries at
  ``/sparql`` but takes updates only at ``/sparql-auth``, with HTTP digest
  authentication; Fuseki and GraphDB use basic authentication. ``Remote`` carries the
  update URL and a user and password (from options or ``$HSFHS_UPDATE_ENDPOINT``,
  ``$HSFHS_ENDPOINT_USER``, ``$HSFHS_ENDPOINT_PASSWORD``; never from code) and answers
  whichever challenge the server sends.
* **One Accept per query form.** Asked for "SPARQL JSON, else N-Triples", Virtuoso
  answers a CONSTRUCT with SPARQL JSON bindings of ?s ?p ?o; so the form is read from
  the text first (the guard's lexer) and only the matching type is asked for.
* **ASK.** Virtuoso 7 answers ASK with a one-column table (``__ASK_RETVAL``: one row
  for true, none for false) instead of ``{"boolean": ...}``; that is read as a boolean.
* **Join order.** The project's queries are written in the order they should run (what
  Oxigraph evaluates best); Virtuoso's planner reorders them, and on a freshly loaded
  database takes 10-15 times longer for the canned queries (200 ms instead of 15 ms for
  ``capacity-scores``). So once a store has named itself Virtuoso (its ``Server``
  header), the service's own queries are sent with ``DEFINE sql:select-option "order"``;
  queries people write are sent as written.
* **Truncation.** Virtuoso cuts answers at ``ResultSetMaxRows`` and says so only in an
  ``X-SPARQL-MaxRows`` header; reading a graph back that way would lose triples
  silently, so it is an error naming the setting.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from hsfhs.generations import StoreError


class RemoteTimeout(StoreError):
    """The remote store did not answer within the time limit."""


class RemoteRefused(StoreError):
    """The remote store answered an HTTP error; ``status`` and its own ``detail``.

    ``detail`` never names the endpoint, so the service may pass it on (a 400's detail
    is the engine's syntax message); the message, with the URL, is for logs.
    """

    def __init__(self, message: str, status: int, detail: str) -> None:
        super().__init__(message, public=f"The remote store answered {status}: {detail}")
        self.status = status
        self.detail = detail


ENV_UPDATE_ENDPOINT = "HSFHS_UPDATE_ENDPOINT"
ENV_USER = "HSFHS_ENDPOINT_USER"
ENV_PASSWORD = "HSFHS_ENDPOINT_PASSWORD"
ENV_CHUNK = "HSFHS_UPDATE_CHUNK"

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
TRUNCATION_HEADER = "X-SPARQL-MaxRows"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    @classmethod
    def from_env(cls, user: str | None = None) -> Credentials | None:
        user = user or os.environ.get(ENV_USER)
        if not user:
            return None
        return cls(user, os.environ.get(ENV_PASSWORD, ""))


def opener(credentials: Credentials | None, *urls: str) -> urllib.request.OpenerDirector:
    """An opener that answers a digest or a basic challenge with the credentials."""
    if credentials is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in urls:
        passwords.add_password(None, url, credentials.user, credentials.password)
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    )


_VIRTUOSO: dict[str, bool] = {}
KEEP_ORDER = 'DEFINE sql:select-option "order" '


def note_server(endpoint: str, headers: Any) -> None:
    """Remember which engine answers at ``endpoint`` (from its Server header)."""
    server = (headers.get("Server") or "") if headers is not None else ""
    _VIRTUOSO[endpoint] = "virtuoso" in server.lower()


def in_order(endpoint: str, text: str) -> str:
    """``text`` as the engine at ``endpoint`` should run it: joins in the written order."""
    return KEEP_ORDER + text if _VIRTUOSO.get(endpoint) else text


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword after the prologue."""
    from hsfhs.sparql_lexer import tokens

    for token in tokens(text):
        word = token.text.upper()
        if token.kind == "word" and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word
    return "SELECT"


def accept_for(text: str) -> str:
    return N_TRIPLES if query_form(text) in ("CONSTRUCT", "DESCRIBE") else SPARQL_JSON


def read_answer(media: str, body: bytes) -> Any:
    """A pyoxigraph answer from a response body: solutions, a boolean, or triples."""
    if media in (N_TRIPLES, "text/plain"):
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    if media not in (SPARQL_JSON, "application/json"):
        raise StoreError(f"the remote store answered in {media}, not SPARQL JSON or N-Triples")
    doc = json.loads(body)
    if doc.get("head", {}).get("vars") == ["__ASK_RETVAL"]:  # Virtuoso 7's ASK
        rows = doc.get("results", {}).get("bindings", [])
        true = bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value") not in ("0", "false")
        body = json.dumps({"head": {}, "boolean": true}).encode()
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


def post(
    client: urllib.request.OpenerDirector,
    url: str,
    data: bytes,
    content_type: str,
    timeout: float,
    accept: str | None = None,
) -> tuple[str, bytes, Any]:
    """POST and read the answer: (media type, body, headers).

    Raises ``RemoteRefused`` (an HTTP error), ``RemoteTimeout``, or ``StoreError`` (not
    reachable); the public text of each never names the URL.
    """
    headers = {"Content-Type": content_type}
    if accept:
        headers["Accept"] = accept
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with client.open(request, timeout=timeout) as response:
            return response.headers.get_content_type(), response.read(), response.headers
    except urllib.error.HTTPError as exc:
        detail = _error_detail(exc)
        hint = _hint(exc.code, detail, update=content_type == "application/sparql-update")
        raise RemoteRefused(f"remote store {url}: {exc.code} {detail}{hint}", exc.code, detail) from exc
    except TimeoutError as exc:
        raise RemoteTimeout(f"remote store {url}: no answer in {timeout:g} s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise RemoteTimeout(f"remote store {url}: no answer in {timeout:g} s") from exc
        raise StoreError(
            f"remote store {url}: {exc.reason}", public="The remote store could not be reached."
        ) from exc


def _error_detail(exc: urllib.error.HTTPError) -> str:
    """The remote's own message: a problem+json ``detail``, or the start of its body."""
    body = exc.read().decode("utf-8", "replace")
    try:
        return str(json.loads(body)["detail"])
    except (ValueError, KeyError, TypeError):
        return body.strip()[:600] or str(exc.reason)


def _hint(status: int, detail: str, update: bool) -> str:
    """What to do about a refusal the user can fix; the chunk advice only for writes (a
    query's SP031 is a compiler error, not a size limit)."""
    if status == 401:
        return (f" (the update endpoint wants credentials: set ${ENV_USER} and "
                f"${ENV_PASSWORD}, or --endpoint-user)")
    if update and ("SP031" in detail or "memory exhausted" in detail):
        return (f" (the store cannot take this much in one request: send it in chunks with "
                f"--update-chunk 1000 or ${ENV_CHUNK}=1000)")
    return ""


def form(params: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(params).encode("utf-8")


def check_complete(headers: Any, count: int) -> None:
    """An answer the store cut at its own row limit is an error, never a quiet loss."""
    limit = headers.get(TRUNCATION_HEADER) if headers is not None else None
    if limit and count >= int(limit):
        raise StoreError(
            f"the remote store cut its answer at {limit} rows ({TRUNCATION_HEADER}); raise its "
            "limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini) to at "
            "least 1000000"
        )
