"""Refuse SPARQL federation (``SERVICE``) from outside callers.

pyoxigraph evaluates ``SERVICE <url>`` by sending HTTP requests from the server, so an
open endpoint that allowed it could be used to reach hosts only the server can see
(server-side request forgery). The check runs on the query's tokens, not its raw text:
strings, IRIs and comments are blanked first, so ``"SERVICE"`` in a literal,
``?service`` or ``ex:service`` never trip it.
"""

from __future__ import annotations

import re

# Long strings first, so '''...''' is not read as three short strings.
_BLANKABLE = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''"""
    r'''|"""(?:[^"\\]|\\.|"(?!""))*"""'''
    r"""|'(?:[^'\\\n]|\\.)*'"""
    r'''|"(?:[^"\\\n]|\\.)*"'''
    r"""|<[^<>"{}|^`\\\s]*>"""
    r"""|\#[^\n]*""",
)
_SERVICE = re.compile(r"(?<![\w?$:\-.])SERVICE(?![\w:\-])", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """Whether the query contains the ``SERVICE`` keyword (outside strings, IRIs, comments)."""
    return _SERVICE.search(_BLANKABLE.sub(" ", query)) is not None
