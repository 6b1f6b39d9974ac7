"""Parameters bound into a query as a VALUES block, placed by the SPARQL tokenizer.

The block opens the query's top-level WHERE group, found among the query's tokens
(``sparql_lexer``), so ``WHERE {`` in a comment, a string or an IRI, or the WHERE of a
subquery, never takes it. Values are rdflib terms written with rdflib's own N3
escaping, never raw user text, and the same query text runs on every SPARQL 1.1 store.

pyoxigraph's own ``substitutions`` would bind without touching the text on the embedded
store, but it accepts only variables the query projects, and most canned-query
parameters (the country, the year) are not projected; so both stores take the block.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib.term import Node

from hsfhs.sparql_lexer import tokens


def where_group(query: str) -> int:
    """The offset just after the ``{`` that opens the query's top-level WHERE group."""
    depth = 0
    after_where = False
    for token in tokens(query):
        if token.kind == "punct" and token.text == "{":
            if depth == 0 and after_where:
                return token.start + 1
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            depth -= 1
        after_where = depth == 0 and token.kind == "word" and token.text.upper() == "WHERE"
    raise ValueError("a query with parameters needs an explicit 'WHERE {'")


def bind_values(query: str, bindings: Mapping[str, Node] | None) -> str:
    """``query`` with ``VALUES (?a ?b) { (x y) }`` at the top of its WHERE group."""
    if not bindings:
        return query
    at = where_group(query)
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return f"{query[:at]}\n  VALUES ({names}) {{ ({values}) }}\n{query[at:]}"
