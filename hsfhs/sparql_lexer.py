"""A SPARQL 1.1 tokenizer, for reading a query as the engine will before it sees it.

pyoxigraph offers no parser and no switch to turn federation off, so the guard
(``query_service/guard.py``) reads the query itself; ``hsfhs/bindings.py`` finds where a
query's WHERE group opens with it, so a comment or a string never misplaces a binding.
Both must read the text as the engine does, or a query could hide ``SERVICE`` where the
guard sees a string and the engine sees code. So this follows the SPARQL 1.1 grammar's terminals (§19.8), left to right, longest match:

* strings, short and long, with their escapes (a short string ends at ``\\n`` or ``\\r``);
* IRIs: ``<`` then no space, ``<>"{}|^`\\``, then ``>`` (``\\uXXXX`` escapes allowed);
* comments: ``#`` to the end of the line, where a line ends at ``\\r`` *or* ``\\n``;
* variables, blank-node labels, language tags, prefixed names, numbers, bare words
  (keywords), and punctuation; anything else is one ``other`` character.

SPARQL 1.1 §19.2 says ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes are replaced before parsing;
pyoxigraph 0.5 does it only inside strings and IRIs. ``views`` gives both readings (the
text as written and with the escapes replaced) so the guard can check each.

Where the grammar would refuse the text (an unterminated string, say), the lexer reads
the offending character as ``other`` and goes on: that reads *more* of the text as code,
which can only make the guard stricter, never blind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The grammar's character classes (SPARQL 1.1 §19.8, productions 164-172).
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_EXP = r"[eE][+-]?[0-9]+"

# (kind, pattern), tried in this order at each position; the first that matches wins.
_RULES: list[tuple[str, str]] = [
    ("space", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("string", r"'''(?:(?:''|')?(?:[^'\\]|\\[\s\S]))*'''"),
    ("string", r'"""(?:(?:""|")?(?:[^"\\]|\\[\s\S]))*"""'),
    ("string", r"'(?:[^'\\\n\r]|\\[^\n\r])*'"),
    ("string", r'"(?:[^"\\\n\r]|\\[^\n\r])*"'),
    ("iri", r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"),
    ("var", rf"[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
    ("bnode", rf"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("pname", rf"(?:{_PREFIX})?:(?:{_LOCAL})?"),
    ("number", rf"[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP}|[0-9]*\.[0-9]+|[0-9]+"),
    ("word", rf"[{_U}][{_CHARS}]*"),
    ("punct", r"\|\||&&|!=|<=|>=|\^\^|[{}()\[\];,.*+\-/|^!=<>?]"),
]
_LEXER = re.compile(
    "|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_RULES))
)
_KINDS = {f"{kind}{i}": kind for i, (kind, _) in enumerate(_RULES)}
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str
    """string, iri, var, bnode, langtag, pname, number, word, punct or other."""
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` (spaces and comments left out), left to right."""
    pos, end = 0, len(text)
    while pos < end:
        match = _LEXER.match(text, pos)
        if match is None:
            yield Token("other", text[pos], pos)
            pos += 1
            continue
        kind = _KINDS[match.lastgroup or ""]
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), pos)
        pos = match.end()


def unescape_codepoints(text: str) -> str:
    """``text`` with ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced, as SPARQL 1.1 §19.2 says."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group()
        return chr(code)

    return _CODEPOINT.sub(replace, text)


def views(text: str) -> list[str]:
    """The readings an engine may take: as written, and with codepoint escapes replaced."""
    unescaped = unescape_codepoints(text)
    return [text] if unescaped == text else [text, unescaped]
