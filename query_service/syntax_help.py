"""SPARQL syntax errors a person can read: where in *their* text, at what, and what to do.

The engine's message (``error at 13:37: expected one of GRAPH, MINUS, ['A' ..= 'Z' |
'\\u{00C0}'..='\\u{00D6}' | ...]``) counts lines and columns in the text it parsed, which
starts with the predeclared prefixes, and lists Unicode ranges nobody can act on. This
module turns it into ``line 1, column 24, at 'foo:bar': the prefix foo: is not declared
...``: the position in the user's own text, the token there, the expected items people
can type, and a hint for the slips people make most (an undeclared prefix, an unescaped
``/`` in a prefixed name, a misspelt keyword, a string left open).

The hints come from reading the user's text with the guard's lexer, not from the
engine's wording, so they also help with the messages of other engines (Virtuoso).

The predeclared prefixes go on the *same* line as the user's first line (``PREFIX_LINE``,
no line break), so line numbers in the engine's message are already right and only
columns on line 1 move, by a known amount.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from hsfhs.namespaces import PREFIXES
from hsfhs.sparql_lexer import Token, tokens

from .errors import QuerySyntaxError
from .guard import KEYWORDS

PREFIX_LINE = "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items())
"""Every project prefix on one line, to go in front of a query people typed."""

_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)
_SHOWN_EXPECTED = 10


def with_prefixes(text: str) -> str:
    """``text`` with the project prefixes predeclared; its own PREFIX lines still win."""
    return PREFIX_LINE + text


@dataclass
class SyntaxHelp:
    """What went wrong, in the user's terms; ``message`` is the sentence to show."""

    message: str
    line: int | None = None
    column: int | None = None
    token: str | None = None
    expected: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    def extensions(self) -> dict[str, Any]:
        """The parts as problem+json extensions, for programs."""
        out: dict[str, Any] = {}
        if self.line is not None:
            out["line"], out["column"] = self.line, self.column
        if self.token is not None:
            out["token"] = self.token
        if self.expected:
            out["expected"] = self.expected
        if self.hints:
            out["hints"] = self.hints
        return out


def explain(message: str, text: str, *, offset: int = 0, predeclared: bool = True) -> SyntaxHelp:
    """Read the engine's ``message`` about ``text`` (the user's own, without prefixes).

    ``offset``: characters the engine saw in front of ``text`` on line 1 (``PREFIX_LINE``).
    ``predeclared``: whether the project prefixes were declared for the user.
    """
    hints = _hints(text, predeclared)
    match = _POSITION.match(message.strip())
    if match is None:  # another engine's wording: keep it, add what the text shows
        return SyntaxHelp(_sentence(message.strip(), hints), hints=hints)
    line, column = int(match.group(1)), int(match.group(2))
    if line == 1:
        column = max(1, column - offset)
    expected = summarise_expected(match.group(3))
    at = _offset_of(text, line, column)
    token = _token_near(text, at)
    where = f"line {line}, column {column}"
    where += f", at {_quoted(token.text)}" if token is not None else ", at the end of the query"
    what = f"expected {_join(expected)}" if expected else "the query cannot be read here"
    return SyntaxHelp(
        _sentence(f"{where}: {what}", hints),
        line,
        column,
        token.text if token is not None else None,
        expected,
        hints,
    )


def _sentence(head: str, hints: list[str]) -> str:
    return head + "".join(f". Hint: {h}" for h in hints)


def readable_syntax_error(exc: QuerySyntaxError, text: str) -> QuerySyntaxError:
    """The engine's message about ``PREFIX_LINE + text``, told in terms of ``text``."""
    help_ = explain(exc.detail, text, offset=len(PREFIX_LINE))
    return QuerySyntaxError(help_.message, **{**exc.extensions, **help_.extensions()})


def summarise_expected(text: str) -> list[str]:
    """The engine's "expected one of ..." list as things a person can type.

    Character classes (``['A' ..= 'Z' | ...]``) become "a name" or "a number"; the bare
    ``[_]`` (any other token) and "Prefix not found" are left out, the hints say those.
    """
    text = re.sub(r"^expected( one of)?\s*", "", text.strip())
    out: list[str] = []
    for item in _split_items(text):
        item = item.strip()
        if not item or item in ("[_]", "Prefix not found"):
            continue
        if item.startswith("["):
            word = "a name" if "'A'" in item or "'a'" in item else "a number" if "'0'" in item else ""
        elif item.startswith('"') and item.endswith('"'):
            word = item[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        else:
            word = item
        if word and word not in out:
            out.append(word)
    return out


def _split_items(text: str) -> list[str]:
    """Split on the commas that are not inside brackets or quotes."""
    items, depth, quote, start = [], 0, "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
        i += 1
    items.append(text[start:])
    return items


def _join(items: list[str]) -> str:
    shown = [_quoted(i) for i in items[:_SHOWN_EXPECTED]]
    more = len(items) - len(shown)
    if more > 0:
        shown.append(f"{more} more")
    if len(shown) == 1:
        return shown[0]
    return "one of " + ", ".join(shown)


def _quoted(item: str) -> str:
    if item.startswith("a "):  # "a name", "a number": words, not tokens
        return item
    return f'"{item}"' if "'" in item else f"'{item}'"


def _offset_of(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based line and column (lines end at \\n)."""
    lines = text.split("\n")
    if line > len(lines):
        return len(text)
    return min(sum(len(x) + 1 for x in lines[: line - 1]) + column - 1, len(text))


def _line_column(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _token_near(text: str, at: int) -> Token | None:
    """The token at ``at``, else the last one before it (the engine points just past it);
    None at the end of the text."""
    if at >= len(text.rstrip()):
        return None
    before = None
    for tok in tokens(text):
        if tok.start <= at < tok.start + len(tok.text):
            return tok
        if tok.start > at:
            break
        before = tok
    return before


def _misspelt_keywords(toks: list[Token]) -> list[str]:
    """Bare words that are no SPARQL keyword but close to one (LIMT, SELCT, OPTINAL)."""
    hints = []
    for i, tok in enumerate(toks):
        if tok.kind != "word" or tok.text.lower() in KEYWORDS:
            continue
        if i > 0 and toks[i - 1].text == "/" and toks[i - 1].start + 1 == tok.start:
            continue  # the local name after an unescaped slash: that hint says it
        close = difflib.get_close_matches(tok.text.lower(), sorted(KEYWORDS), n=1, cutoff=0.75)
        if close:
            hint = f"{tok.text} is not a SPARQL keyword: did you mean {close[0].upper()}?"
            if hint not in hints:
                hints.append(hint)
    return hints


def _hints(text: str, predeclared: bool) -> list[str]:
    """The slips the text shows, whatever the engine said."""
    toks = list(tokens(text))
    declared = {
        toks[i + 1].text[:-1]
        for i, tok in enumerate(toks[:-1])
        if tok.kind == "word" and tok.text.lower() == "prefix" and toks[i + 1].kind == "pname"
    }
    known = declared | (set(PREFIXES) if predeclared else set())
    hints: list[str] = []
    undeclared: list[str] = []
    for i, tok in enumerate(toks):
        if tok.kind != "pname":
            continue
        prefix = tok.text.split(":", 1)[0]
        is_declaration = i > 0 and toks[i - 1].text.lower() == "prefix"
        if not is_declaration and prefix not in known and prefix not in undeclared:
            undeclared.append(prefix)
        slash = _unescaped_slash(toks, i)
        if slash is not None:
            hints.append(slash)
    hints += _misspelt_keywords(toks)
    quote = next((t for t in toks if t.kind == "other" and t.text in "\"'"), None)
    if quote is not None:
        line, column = _line_column(text, quote.start)
        hints.append(f"the string opened with {quote.text} at line {line}, column {column} is "
                     "not closed on its line (use triple quotes for text across lines)")
    for prefix in reversed(undeclared):
        hint = f"the prefix {prefix}: is not declared; add PREFIX {prefix}: <...> before the query"
        if predeclared:
            hint += " (predeclared here: " + ", ".join(f"{p}:" for p in PREFIXES) + ")"
        hints.insert(0, hint)
    return hints


def _unescaped_slash(toks: list[Token], i: int) -> str | None:
    """``id:spar2/C5``: a prefixed name, ``/`` and a bare word or number, with no spaces.

    A property path puts a name, ``a``, ``^``, ``(`` or ``!`` after ``/``, never a bare
    word or a number, so this is a local name whose ``/`` was not escaped.
    """
    if i + 2 >= len(toks):
        return None
    name, slash, rest = toks[i], toks[i + 1], toks[i + 2]
    glued = (
        slash.text == "/"
        and slash.start == name.start + len(name.text)
        and rest.start == slash.start + 1
    )
    if not glued or rest.kind not in ("word", "number") or rest.text == "a":
        return None
    written = f"{name.text}/{rest.text}"
    fixed = f"{name.text}\\/{rest.text}"
    prefix, local = name.text.split(":", 1)
    iri = f" or the full IRI <{PREFIXES[prefix]}{local}/{rest.text}>" if prefix in PREFIXES else ""
    return f"a '/' in a prefixed name must be escaped: write {fixed} instead of {written}{iri}"
