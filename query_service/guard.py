"""What a query or update may do on this server, decided from its tokens before it runs.

**Federation and remote loads.** pyoxigraph evaluates ``SERVICE <url>`` and
``LOAD <url>`` by sending HTTP requests from the server, so an open endpoint that
allowed them could be made to reach hosts only the server can see (server-side request
forgery; the answer, or its status, tells the caller what is there). pyoxigraph has no
switch to turn that off, so the guard reads the text with a lexer that follows the
grammar (``lexer.py``) and refuses any ``SERVICE`` keyword, wherever it sits. It is
strict where the engine is lenient: the engine reads ``1SERVICE``, ``trueSERVICE``,
``SERVICESILENT`` and ``SERVICE:x`` as the keyword followed by more, so *any* bare word or
prefix name containing "service" is refused, as is ``.service`` glued into a name.
Variables (``?service``), local names (``ex:service``), strings, IRIs and comments never
count. Both readings of ``\\u`` escapes are checked (see ``lexer.views``).

**Complexity.** The engine parses and evaluates recursively: 3,000 nested groups or
10,000 UNION branches overflow a worker's stack and kill it. So the text is measured
first: its size, its nesting depth (``{``, ``(``, ``[``) and its operators (keywords
that add a node to the algebra, groups, path and expression operators). Each limit is
a setting, and a query past one is a 400 that names it.

**Datasets.** ``FROM`` / ``FROM NAMED`` are honoured: the executor then lets the query's
own dataset stand instead of the union of graphs (``Shape.has_dataset``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hsfhs.sparql_lexer import Token, tokens, views

from .errors import FederationRefused, LoadRefused, QueryTooComplex

# Keywords that each add a node (a join, a union, a filter, a subquery...) to the algebra.
_OPERATOR_WORDS = frozenset(
    {"union", "optional", "minus", "filter", "bind", "exists", "graph", "service", "select"}
)
_PATH_OPERATORS = frozenset({"|", "/", "^", "!"})  # count anywhere
_EXPRESSION_OPERATORS = frozenset({"||", "&&", "!=", "=", "<", ">", "<=", ">=", "+", "-", "*"})
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")

# SPARQL 1.1 keywords and built-in function names (and Oxigraph's LATERAL), lower case.
_KEYWORD_LIST = """a abs add all as asc ask avg base bind bnode bound by ceil clear coalesce concat
    construct contains copy count create data datatype day default delete desc describe
    distinct drop encode_for_uri exists false filter floor from graph group group_concat
    having hours if in insert into iri isblank isiri isliteral isnumeric isuri lang
    langmatches lateral lcase limit load max md5 min minus minutes month move named not now
    offset optional order prefix rand reduced regex replace round sameterm sample seconds
    select separator service sha1 sha256 sha384 sha512 silent str strafter strbefore strdt
    strends strlang strlen strstarts struuid substr sum timezone to true tz ucase undef
    union uri using uuid values where with year"""
KEYWORDS = frozenset(_KEYWORD_LIST.split())


@dataclass(frozen=True)
class Limits:
    """How large a query may be before the engine sees it (see docs/service.md)."""

    max_chars: int = 100_000
    max_depth: int = 100
    max_operators: int = 1000


@dataclass(frozen=True)
class Shape:
    """What the guard learnt about a query it let through."""

    has_dataset: bool = False
    uses_service: bool = False


def check_query(text: str, limits: Limits, *, allow_service: bool = False) -> Shape:
    """Refuse a query that is too complex, or that federates while that is disabled."""
    if len(text) > limits.max_chars:
        raise _too_complex(f"has {len(text)} characters", limits.max_chars, "QUERY_MAX_CHARS")
    found = list(tokens(text))
    _check_complexity(found, limits)
    service = uses_service(text)
    if service and not allow_service:
        raise FederationRefused(
            "SERVICE (federated query) is disabled on this server: it would make the server "
            "send requests on the caller's behalf. (Names that contain 'service' outside a "
            "variable, a local name, a string or an IRI are read as the keyword too.)"
        )
    has_dataset = any(t.kind == "word" and t.text.lower() == "from" for t in found)
    return Shape(has_dataset=has_dataset, uses_service=service)


def check_update(
    text: str, limits: Limits, *, allow_service: bool = False, allowed_loads: Iterable[str] = ()
) -> None:
    """Refuse an update that is too complex, federates, or LOADs what is not allowed."""
    _check_complexity(list(tokens(text)), limits)
    if not allow_service and uses_service(text):
        raise FederationRefused(
            "SERVICE (federated query) is disabled on this server, in updates as in queries: "
            "it would make the server send requests."
        )
    allowed = set(allowed_loads)
    for view in views(text):
        for iri in _load_targets(list(tokens(view))):
            if iri is None:
                raise LoadRefused(
                    "LOAD must name its source as a full <IRI> that the server's LOAD_ALLOW "
                    "setting lists (and no name may contain 'load' outside a variable, a "
                    "local name, a string or an IRI).",
                    allowed=sorted(allowed),
                )
            if iri not in allowed:
                raise LoadRefused(
                    f"LOAD <{iri}> is not allowed: the server fetches only the IRIs its "
                    "LOAD_ALLOW setting lists.",
                    allowed=sorted(allowed),
                )


# --- the keyword scan ------------------------------------------------------------------------


def uses_service(text: str) -> bool:
    """Whether the engine could read ``SERVICE`` anywhere in the text, in either reading."""
    return any(_names_keyword(t, "service") for view in views(text) for t in tokens(view))


def _names_keyword(token: Token, keyword: str) -> bool:
    """Whether the engine could read ``keyword`` in this token (see the module docstring).

    The engine matches keywords without looking at what follows, so ``trueSERVICE`` is
    ``true`` then ``SERVICE``. A bare word or a prefix name counts when the keyword sits at
    its start or after text made only of keywords and numbers; ``myservice`` does not.
    """
    lowered = token.text.lower()
    if token.kind == "word":
        return _glued(lowered, keyword)
    if token.kind == "pname":
        prefix, _, local = lowered.partition(":")
        return _glued(prefix, keyword) or "." + keyword in local
    if token.kind == "bnode":
        return "." + keyword in lowered
    return False


def _glued(name: str, keyword: str) -> bool:
    """Whether ``keyword`` occurs in ``name`` after nothing but keywords and numbers."""
    start = name.find(keyword)
    while start != -1:
        if _splits_into_keywords(name[:start]):
            return True
        start = name.find(keyword, start + 1)
    return False


def _splits_into_keywords(text: str) -> bool:
    """Whether ``text`` is a run of SPARQL keywords and numbers (empty included).

    Long runs are taken to be one (the check is quadratic, and the answer only stricter).
    """
    if len(text) > 64:
        return True
    ends = {0}
    for end in range(1, len(text) + 1):
        if any(
            text[start:end] in KEYWORDS or text[start:end].isdigit()
            for start in ends
            if start < end
        ):
            ends.add(end)
    return len(text) in ends


def _load_targets(found: list[Token]) -> list[str | None]:
    """The IRI after each LOAD (SILENT skipped); None where it is not a plain absolute IRI."""
    targets: list[str | None] = []
    for i, token in enumerate(found):
        if not _names_keyword(token, "load"):
            continue
        if token.kind != "word" or token.text.lower() != "load":
            targets.append(None)
            continue
        rest = found[i + 1 : i + 3]
        if rest and rest[0].kind == "word" and rest[0].text.lower() == "silent":
            rest = rest[1:]
        iri = rest[0].text[1:-1] if rest and rest[0].kind == "iri" else ""
        targets.append(iri if "://" in iri else None)
    return targets


# --- complexity ------------------------------------------------------------------------------


def _check_complexity(found: list[Token], limits: Limits) -> None:
    depth = deepest = operators = parens = 0
    for token in found:
        text = token.text
        if token.kind == "punct":
            if text in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
                parens += text == "("
                operators += text == "{"
            elif text in _CLOSE:
                depth = max(0, depth - 1)
                parens = max(0, parens - (text == ")"))
            elif text in _PATH_OPERATORS or (parens and text in _EXPRESSION_OPERATORS):
                operators += 1
        elif token.kind == "word" and text.lower() in _OPERATOR_WORDS:
            operators += 1
        if deepest > limits.max_depth:
            raise _too_complex(
                f"nests deeper than {limits.max_depth} levels", limits.max_depth, "QUERY_MAX_DEPTH"
            )
        if operators > limits.max_operators:
            raise _too_complex(
                f"has more than {limits.max_operators} operators",
                limits.max_operators,
                "QUERY_MAX_OPERATORS",
            )


def _too_complex(what: str, limit: int, setting: str) -> QueryTooComplex:
    return QueryTooComplex(
        f"The query {what}; this server takes at most {limit} ({setting}, env "
        f"HSFHS_{setting}). Split it or simplify it.",
        limit=setting,
        maximum=limit,
    )
