"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, Fuseki...) behind the ``Store`` interface.

Queries go to the query endpoint by the Protocol (``sparql_http.py``). Writes go to the
update endpoint, which may be another URL and may want credentials (Virtuoso:
``/sparql-auth``, digest). How a replacement is written depends on ``chunk``:

* ``chunk = 0`` (the default): one update request, ``DROP SILENT GRAPH`` then ``INSERT
  DATA`` for every graph. SPARQL 1.1 stores apply one request as one transaction, so a
  load lands whole or not at all, as in the embedded store.
* ``chunk = N``: for stores that refuse a large request (Virtuoso's SPARQL compiler gives
  up past a few thousand triples: "SP031" or "memory exhausted"). Each graph is written
  N triples per request into a staging graph, then one last request moves every staging
  graph onto its target (``DROP SILENT GRAPH`` + ``MOVE``). If any request fails, the
  staging graphs are dropped and the targets are as they were. But it is no longer one
  transaction for readers: while the chunks go in, a store whose default graph is the
  union of all graphs (Virtuoso's) shows the staging triples beside the old ones, so
  load when nobody is asking, or accept that queries during a load may count twice.

The default graph of queries is the union of the named graphs (Oxigraph's
``union-default-graph`` parameter; Virtuoso does this without it; Fuseki needs
``tdb:unionDefaultGraph``).
"""

from __future__ import annotations

import contextlib
import os
import re
import urllib.parse
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox

from hsfhs import sparql_http as http
from hsfhs.bindings import bind_values
from hsfhs.store import Store, StoreError


class RemoteStore(Store):
    """Any SPARQL 1.1 store over HTTP, with an optional separate update endpoint and credentials."""

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        timeout: float = 60,
        *,
        credentials: http.Credentials | None = None,
        chunk: int | None = None,
        keep_order: bool = True,
    ) -> None:
        """``keep_order``: send queries with the engine's "keep the written join order"
        hint (``sparql_http``): right for the service's own queries; text people write
        (the CLI's ``query``, ``/sparql``) goes as written (``keep_order=False``)."""
        self.endpoint = endpoint
        self.location = endpoint
        self.update_endpoint = (
            update_endpoint
            or os.environ.get(http.ENV_UPDATE_ENDPOINT)
            or _guess_update_endpoint(endpoint)
        )
        self.timeout = timeout
        self.credentials = credentials or http.Credentials.from_env()
        self.chunk = int(chunk if chunk is not None else os.environ.get(http.ENV_CHUNK) or 0)
        self.keep_order = keep_order
        self._client = http.opener(self.credentials, self.endpoint, self.update_endpoint)

    def query(
        self,
        sparql,
        bindings=None,
        *,
        default_graph=None,
        named_graphs=None,
        own_dataset=False,
        timeout_s: float | None = None,
    ):
        """The answer as pyoxigraph gives it (solutions, boolean or triples).

        ``timeout_s``, if given, is the client's timeout for this query.
        """
        text = bind_values(sparql, bindings)
        sent = http.in_order(self.endpoint, text) if self.keep_order else text
        params = [("query", sent)]
        params += [("default-graph-uri", g) for g in default_graph or []]
        params += [("named-graph-uri", g) for g in named_graphs or []]
        if not default_graph and not own_dataset:
            params.append(("union-default-graph", ""))
        media, body, headers = http.post(
            self._client,
            self.endpoint,
            http.form(params),
            "application/x-www-form-urlencoded",
            self.timeout if timeout_s is None else timeout_s,
            accept=http.accept_for(text),
        )
        http.note_server(self.endpoint, headers)
        try:
            answer = http.read_answer(media, body)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"remote store {self.endpoint}: unreadable {media}: {exc}",
                public=f"The remote store sent unreadable {media}.",
            ) from exc
        if isinstance(answer, list):
            http.check_complete(headers, len(answer))
        return answer

    def update(self, sparql: str) -> None:
        http.post(
            self._client,
            self.update_endpoint,
            sparql.encode("utf-8"),
            "application/sparql-update",
            self.timeout,
        )

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        if not graphs:
            return
        if self.chunk <= 0:
            parts = []
            for iri, triples in graphs.items():
                body = _n_triples(triples)
                parts.append(f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{body}}} }}")
            self.update(" ;\n".join(parts))
            return
        self._replace_in_chunks(graphs)

    def _replace_in_chunks(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        token = uuid.uuid4().hex[:12]
        staging = {iri: f"{iri}#hsfhs-staging-{token}" for iri in graphs}
        try:
            for iri, triples in graphs.items():
                self.update(f"DROP SILENT GRAPH <{staging[iri]}>")
                for block, blank in chunks(_n_triples(triples).splitlines(), self.chunk):
                    target = f"GRAPH <{staging[iri]}> {{\n{block}\n}}"
                    # Virtuoso refuses blank nodes in INSERT DATA; a template with an empty
                    # WHERE takes them (fresh per request: chunks() keeps each node's triples
                    # in one request)
                    self.update(
                        f"INSERT {{ {target} }} WHERE {{ }}" if blank else f"INSERT DATA {{ {target} }}"
                    )
            self.update(
                " ;\n".join(
                    f"DROP SILENT GRAPH <{iri}> ;\nMOVE SILENT GRAPH <{staging[iri]}> TO <{iri}>"
                    for iri in graphs
                )
            )
        except StoreError:
            # the first error says what went wrong; a failing clean-up must not hide it
            with contextlib.suppress(StoreError):
                self.drop_graphs(staging.values())
            raise

    def drop_graphs(self, iris: Iterable[str]) -> None:
        parts = [f"DROP SILENT GRAPH <{iri}>" for iri in iris]
        if parts:
            self.update(" ;\n".join(parts))

    def named_graphs(self) -> list[str]:
        # "GRAPH ?g { }" lists nothing on Virtuoso; a triple pattern works everywhere.
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [r["g"].value for r in rows.rows]


def _n_triples(triples: Sequence[ox.Triple]) -> str:
    """The triples as N-Triples text, one per line (what INSERT DATA takes)."""
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


_SUBJECT_NODE = re.compile(r"^(_:\S+) ")
_OBJECT_NODE = re.compile(r" (_:\S+) \.$")


def chunks(lines: list[str], size: int) -> Iterator[tuple[str, bool]]:
    """N-Triples lines in requests of about ``size``: (text, whether it has blank nodes).

    The triples of one blank node (and of the nodes linked to it: an OWL restriction, a
    list) stay in one request, since a blank node means the same node only within one.
    """
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    nodes: list[list[str]] = []
    for line in lines:
        found = [m.group(1) for m in (_SUBJECT_NODE.search(line), _OBJECT_NODE.search(line)) if m]
        nodes.append(found)
        if len(found) == 2:
            parent[root(found[0])] = root(found[1])
    units: dict[str, list[str]] = {}
    plain: list[str] = []
    for line, found in zip(lines, nodes, strict=True):
        if found:
            units.setdefault(root(found[0]), []).append(line)
        else:
            plain.append(line)
    for start in range(0, len(plain), size):
        yield "\n".join(plain[start : start + size]), False
    batch: list[str] = []
    for unit in units.values():
        if batch and len(batch) + len(unit) > size:
            yield "\n".join(batch), True
            batch = []
        batch += unit
    if batch:
        yield "\n".join(batch), True


def _guess_update_endpoint(endpoint: str) -> str:
    """Oxigraph serves updates at /update beside /query; other stores take them at the same URL."""
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.path.endswith("/query"):
        return urllib.parse.urlunsplit(parsed._replace(path=parsed.path[: -len("query")] + "update"))
    return endpoint
