"""What answers the canned queries: anything with ``select``, so one code path serves all.

The API, the pages and ``hsfhs query --named`` run the same canned queries; only the
runner differs: every ``hsfhs.store.Store`` is one (the CLI uses the store directly),
and the service wraps its executor in ``ExecutorRunner``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from rdflib.term import Node

from hsfhs.store import Rows


class Runner(Protocol):
    """Something that answers a SELECT with bound parameters."""

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows: ...


class ExecutorRunner:
    """Runs canned queries on the service's store in the request thread (``select_trusted``):
    they are the service's own text, so they never queue behind user queries."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Rows:
        return self.executor.select_trusted(sparql, bindings)


def request_runner() -> Runner:
    """The running app's executor as a runner (for the API's and the pages' requests)."""
    from .executor import current_executor

    return ExecutorRunner(current_executor())
