"""Cross-origin access to the service (CORS), as the ``CORS_ORIGINS`` setting says.

The default, ``*``, suits a public read-only SPARQL endpoint: the data is public, and
no credential a browser sends by itself (cookies, HTTP auth) means anything here (the
update token travels in an ``Authorization`` header that a page must set itself).
``Access-Control-Allow-Credentials`` is never sent, whatever the setting.

But ``*`` also lets any web page a visitor opens read this server *through the
visitor's browser*: for a server on an intranet, that hands its data to every site the
staff visit. There, set ``CORS_ORIGINS`` to the origins that may read it
(``"https://dash.example.org https://other.example.org"``: the matching ``Origin`` is
echoed, with ``Vary: Origin``) or to ``""`` (no CORS header: only same-origin pages).
Chrome's Private Network Access preflight is never granted.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request, Response

EXPOSED = "X-HSFHS-Truncated, X-HSFHS-Row-Limit, Server-Timing, Content-Type, Retry-After"


@dataclass(frozen=True)
class CorsPolicy:
    any_origin: bool
    origins: frozenset[str]

    @classmethod
    def from_setting(cls, value: object) -> CorsPolicy:
        """``"*"``, ``""`` / None (off), or origins as a space- or comma-separated string or list."""
        if isinstance(value, str):
            items = value.replace(",", " ").split()
        else:
            items = [str(v) for v in value or []]
        if "*" in items:
            return cls(True, frozenset())
        return cls(False, frozenset(o.rstrip("/") for o in items))

    def allowed_origin(self, origin: str | None) -> str | None:
        """The value of Access-Control-Allow-Origin for a request from ``origin``."""
        if self.any_origin:
            return "*"
        if origin and origin in self.origins:
            return origin
        return None

    def apply(self, request: Request, response: Response) -> None:
        if not self.any_origin:
            response.vary.add("Origin")
        allowed = self.allowed_origin(request.headers.get("Origin"))
        if allowed is None:
            return
        response.headers["Access-Control-Allow-Origin"] = allowed
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Authorization, Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
