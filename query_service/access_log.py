"""One access-log line per request from ``hsfhs serve``: who, method, path, status, time.

waitress logs nothing per request, so an operator could not see what a server was
asked or how long it took. This WSGI wrapper logs, when the answer has been sent (so the
time includes streaming it): the client address, the method, the path with its query
string (cut at ``MAX_TARGET`` characters: a SPARQL query in a URL can be long), the
status, the milliseconds and the bytes sent, to the ``hsfhs.access`` logger.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

log = logging.getLogger("hsfhs.access")

MAX_TARGET = 200

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class AccessLog:
    """Wrap a WSGI app; log each request as it finishes."""

    def __init__(self, app: WSGIApp, logger: logging.Logger = log) -> None:
        self.app = app
        self.log = logger

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        state = {"status": "-"}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            state["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start)
        except Exception:
            self._write(environ, "500", started, 0)
            raise
        return _Logged(body, lambda sent: self._write(environ, state["status"], started, sent))

    def _write(self, environ: dict[str, Any], status: str, started: float, sent: int) -> None:
        target = environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
        if len(target) > MAX_TARGET:
            target = target[: MAX_TARGET - 1] + "…"
        self.log.info(
            '%s "%s %s" %s %.1f ms %d B',
            environ.get("REMOTE_ADDR", "-"),
            environ.get("REQUEST_METHOD", "-"),
            target,
            status,
            (time.perf_counter() - started) * 1000,
            sent,
        )


class _Logged:
    """The app's body, counted as it is sent; the line is written when the server closes it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body = body
        self.done = done
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.sent)
