"""Attempts to make the server fetch a URL: SERVICE in queries and updates, LOAD in updates.

Each entry is ``(name, text, engine_fetches)``. ``{u}`` is the listener's base URL
(``http://127.0.0.1:PORT/``); ``{P}`` declares ``e:`` and ``:`` as prefixes for it.
``engine_fetches`` says whether pyoxigraph, given the text directly, really sends a
request (checked by ``test_ssrf.py``, so the corpus cannot rot into harmless text);
the others are refused to be safe: they would fetch under a reading the engine could
take (SPARQL 1.1 §19.2 escapes, say), or are the guard's conservative side.
"""

from __future__ import annotations

P = "PREFIX e: <{u}> PREFIX : <{u}> "
W = "SELECT * WHERE {{ ?s ?p ?o . "  # a pattern that matches, so joins reach the SERVICE

QUERIES: list[tuple[str, str, bool]] = [
    # spelling and case
    ("plain", "SELECT * WHERE {{ SERVICE <{u}a> {{ ?s ?p ?o }} }}", True),
    ("lower", "select * where {{ service <{u}a> {{ ?s ?p ?o }} }}", True),
    ("mixed-case", "SELECT * WHERE {{ sErViCe <{u}a> {{ ?s ?p ?o }} }}", True),
    ("silent", "SELECT * WHERE {{ SERVICE SILENT <{u}a> {{ ?s ?p ?o }} }}", True),
    ("silent-lower", "SELECT * WHERE {{ service silent <{u}a> {{ }} }}", True),
    ("silent-glued", "SELECT * WHERE {{ SERVICESILENT<{u}a>{{ }} }}", True),
    ("no-spaces", "SELECT*WHERE{{SERVICE<{u}a>{{?s ?p ?o}}}}", True),
    # whitespace
    ("tabs", "SELECT * WHERE {{\tSERVICE\t<{u}a>\t{{ }} }}", True),
    ("newlines", "SELECT * WHERE {{\nSERVICE\n<{u}a>\n{{ }}\n}}", True),
    ("carriage-returns", "SELECT * WHERE {{\rSERVICE\r<{u}a>\r{{ }}\r}}", True),
    ("crlf", "SELECT * WHERE {{\r\nSERVICE\r\n<{u}a>\r\n{{ }}\r\n}}", True),
    ("form-feed", "SELECT * WHERE {{ ?s ?p ?o .\x0cSERVICE <{u}a> {{ }} }}", False),
    ("nbsp", "SELECT * WHERE {{ ?s ?p ?o .\u00a0SERVICE <{u}a> {{ }} }}", False),
    # glued to what comes before
    ("dot-glued", "SELECT * WHERE {{ ?s ?p ?o .SERVICE <{u}a> {{ }} }}", True),
    ("dot-glued-after-var", "SELECT * WHERE {{ ?s ?p ?o.SERVICE <{u}a> {{ }} }}", True),
    ("semicolon-glued", "SELECT * WHERE {{ ?s ?p ?o;SERVICE <{u}a> {{ }} }}", True),
    ("brace-glued", "SELECT * WHERE {{ {{}}SERVICE <{u}a> {{ }} }}", True),
    ("filter-glued", W + "FILTER(true)SERVICE <{u}a> {{ }} }}", True),
    ("optional-glued", W + "OPTIONAL{{}}SERVICE <{u}a> {{ }} }}", True),
    ("bind-glued", W + "BIND(1 AS ?x)SERVICE <{u}a> {{ }} }}", True),
    ("values-glued", "SELECT * WHERE {{ VALUES ?x {{1}}SERVICE <{u}a> {{ }} }}", True),
    ("bnode-glued", "SELECT * WHERE {{ ?s ?p []SERVICE <{u}a> {{ }} }}", True),
    ("nil-glued", "SELECT * WHERE {{ ?s ?p ()SERVICE <{u}a> {{ }} }}", True),
    ("iri-glued", "SELECT * WHERE {{ ?s ?p <urn:x>SERVICE <{u}a> {{ }} }}", True),
    ("string-glued", 'SELECT * WHERE {{ ?s ?p "x"SERVICE <{u}a> {{ }} }}', True),
    ("single-quote-glued", "SELECT * WHERE {{ ?s ?p 'x'SERVICE <{u}a> {{ }} }}", True),
    ("long-string-glued", 'SELECT * WHERE {{ ?s ?p """x"""SERVICE <{u}a> {{ }} }}', True),
    ("integer-glued", "SELECT * WHERE {{ ?s ?p 1SERVICE <{u}a> {{ }} }}", True),
    ("decimal-glued", "SELECT * WHERE {{ ?s ?p 1.5SERVICE <{u}a> {{ }} }}", True),
    ("double-glued", "SELECT * WHERE {{ ?s ?p 1e5SERVICE <{u}a> {{ }} }}", True),
    ("true-glued", "SELECT * WHERE {{ ?s ?p trueSERVICE <{u}a> {{ }} }}", True),
    ("false-glued", "SELECT * WHERE {{ ?s ?p falseSERVICE <{u}a> {{ }} }}", True),
    ("empty-local-glued", P + "SELECT * WHERE {{ ?s ?p e:.SERVICE <{u}a> {{ }} }}", True),
    ("langtag-before", 'SELECT * WHERE {{ ?s ?p "x"@en SERVICE <{u}a> {{ }} }}', True),
    ("datatype-before", P + 'SELECT * WHERE {{ ?s ?p "x"^^e:t SERVICE <{u}a> {{ }} }}', True),
    # comments
    ("comment-ended-by-cr", "SELECT * WHERE {{ ?s ?p ?o # note\rSERVICE <{u}a> {{ }} }}", True),
    ("comment-ended-by-crlf", "SELECT * WHERE {{ # note\r\nSERVICE <{u}a> {{ }} }}", True),
    ("comments-everywhere", "SELECT * WHERE {{#a\rSERVICE#b\r<{u}a>#c\r{{ }} }}", True),
    ("comment-between", "SELECT * WHERE {{ SERVICE#x\n<{u}a>{{ }} }}", True),
    ("silent-comment-cr", P + "SELECT * WHERE {{ SERVICE SILENT#x\re:a {{ }} }}", True),
    ("quote-in-comment", "SELECT * WHERE {{ # it's \"quoted\nSERVICE <{u}a> {{ }} }}", True),
    ("iri-start-in-comment", "SELECT * WHERE {{ # <http://x\nSERVICE <{u}a> {{ }} }}", True),
    # strings and IRIs that hide nothing
    ("hash-in-string", 'SELECT * WHERE {{ ?s ?p "a#b" . SERVICE <{u}a> {{ }} }}', True),
    ("escaped-quote", 'SELECT * WHERE {{ ?s ?p "a\\"b" . SERVICE <{u}a> {{ }} }}', True),
    ("escaped-backslash", 'SELECT * WHERE {{ ?s ?p "a\\\\" . SERVICE <{u}a> {{ }} }}', True),
    ("quotes-in-long", 'SELECT * WHERE {{ ?s ?p """a""b""" . SERVICE <{u}a> {{ }} }}', True),
    ("single-long", "SELECT * WHERE {{ ?s ?p '''a''' SERVICE <{u}a> {{ }} }}", True),
    ("hash-in-iri", "SELECT * WHERE {{ ?s ?p <urn:a#b> . SERVICE <{u}a> {{ }} }}", True),
    # codepoint escapes (SPARQL 1.1 §19.2)
    ("escaped-S", "SELECT * WHERE {{ \\u0053ERVICE <{u}a> {{ }} }}", False),
    ("escaped-E", "SELECT * WHERE {{ SERVIC\\u0045 <{u}a> {{ }} }}", False),
    ("escaped-long-S", "SELECT * WHERE {{ \\U00000053ERVICE <{u}a> {{ }} }}", False),
    (
        "escaped-quotes",  # unescaped, the two strings become one long one around SERVICE
        'SELECT * WHERE {{ ?s ?p "\\u0022" . SERVICE <{u}a> {{ }} ?s ?p "\\u0022" }}',
        True,
    ),
    ("escaped-in-iri", "SELECT * WHERE {{ SERVICE <{u}\\u0061> {{ }} }}", True),
    # nested positions and query forms
    ("subquery", "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{u}a> {{ }} }} }} }}", True),
    ("filter-exists", W + "FILTER EXISTS {{ SERVICE <{u}a> {{ }} }} }}", True),
    ("filter-not-exists", W + "FILTER NOT EXISTS {{ SERVICE <{u}a> {{ }} }} }}", True),
    ("minus", W + "MINUS {{ ?s ?p ?o SERVICE <{u}a> {{ }} }} }}", True),
    ("optional", W + "OPTIONAL {{ SERVICE <{u}a> {{ }} }} }}", True),
    ("union", "SELECT * WHERE {{ {{ }} UNION {{ SERVICE <{u}a> {{ }} }} }}", True),
    ("graph", "SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o SERVICE <{u}a> {{ }} }} }}", True),
    ("service-in-service", "SELECT * WHERE {{ SERVICE <{u}a> {{ SERVICE <{u}b> {{ }} }} }}", True),
    ("bind-exists", "SELECT * WHERE {{ BIND(EXISTS {{ SERVICE <{u}a> {{ }} }} AS ?x) }}", True),
    ("projected-exists", "SELECT (EXISTS {{ SERVICE <{u}a> {{ }} }} AS ?x) WHERE {{ }}", True),
    ("ask", "ASK {{ SERVICE <{u}a> {{ ?s ?p ?o }} }}", True),
    ("construct", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}a> {{ ?s ?p ?o }} }}", True),
    ("describe", "DESCRIBE ?s WHERE {{ SERVICE <{u}a> {{ ?s ?p ?o }} }}", True),
    ("with-from", "SELECT * FROM <urn:g> WHERE {{ SERVICE <{u}a> {{ }} }}", True),
    # variables, prefixed names, BASE
    ("bound-variable", "SELECT * WHERE {{ BIND(<{u}a> AS ?u) SERVICE ?u {{ }} }}", False),
    ("values-variable", "SELECT * WHERE {{ VALUES ?u {{ <{u}a> }} SERVICE ?u {{ }} }}", False),
    ("dollar-variable", "SELECT * WHERE {{ VALUES $u {{ <{u}a> }} SERVICE $u {{ }} }}", False),
    ("prefixed", P + "SELECT * WHERE {{ SERVICE e:a {{ }} }}", True),
    ("empty-prefix", P + "SELECT * WHERE {{ SERVICE :a {{ }} }}", True),
    ("prefix-glued", P + "SELECT * WHERE {{ SERVICE:a{{ }} }}", True),
    (
        "prefix-named-service",
        P + "PREFIX service: <urn:x> SELECT * WHERE {{ service:a{{ }} }}",
        True,
    ),
    ("escaped-local", P + "SELECT * WHERE {{ SERVICE e:a\\.b {{ }} }}", True),
    ("base-relative", "BASE <{u}> SELECT * WHERE {{ SERVICE <a> {{ }} }}", True),
]

UPDATES: list[tuple[str, str, bool]] = [
    ("load", "LOAD <{u}a>", True),
    ("load-silent", "LOAD SILENT <{u}a>", True),
    ("load-into", "LOAD <{u}a> INTO GRAPH <urn:g>", True),
    ("load-lower", "load <{u}a>", True),
    ("load-after-insert", "INSERT DATA {{ <urn:a> <urn:b> 1 }};LOAD<{u}a>", True),
    ("load-prefixed", P + "LOAD e:a", True),
    ("load-base", "BASE <{u}> LOAD <a>", True),
    ("load-cr", "LOAD\r<{u}a>", True),
    ("load-after-comment-cr", "#note\rLOAD <{u}a>", True),
    ("load-escaped", "\\u004cOAD <{u}a>", False),
    ("load-after-clear", "CLEAR SILENT GRAPH <urn:x> ; LOAD <{u}a>", True),
    (
        "insert-where-service",
        "INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ SERVICE <{u}a> {{ ?s ?p ?o }} }}",
        True,
    ),
    (
        "delete-where-service",
        "DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o .SERVICE <{u}a> {{ }} }}",
        True,
    ),
    (
        "with-service-silent",
        "WITH <urn:g> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{u}a> {{ ?s ?p ?o }} }}",
        True,
    ),
    (
        "insert-exists-service",
        "INSERT {{ <urn:a> <urn:b> 1 }} WHERE {{ FILTER EXISTS {{ SERVICE <{u}a> {{ }} }} }}",
        True,
    ),
]

# Queries that only mention "service": answered, and nothing is fetched.
HARMLESS: list[tuple[str, str]] = [
    ("variable", "SELECT ?service WHERE {{ ?service ?p ?o }} LIMIT 1"),
    ("dollar-variable", "SELECT ($service AS ?x) WHERE {{ }}"),
    ("string", 'SELECT * WHERE {{ ?s ?p "SERVICE <{u}a> {{ }}" }} LIMIT 1'),
    ("long-string", "SELECT * WHERE {{ ?s ?p '''\nSERVICE <{u}a> {{ }}''' }} LIMIT 1"),
    ("comment", "SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 # SERVICE <{u}a> {{ }}"),
    ("comment-then-line", "SELECT * WHERE {{ ?s ?p ?o # SERVICE <{u}a>\n}} LIMIT 1"),
    ("iri", "SELECT * WHERE {{ ?s <{u}SERVICE> ?o }} LIMIT 1"),
    ("local-name", "PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:service ?o }}"),
    (
        "local-name-longer",
        "PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:serviceArea ?o }}",
    ),
    ("longer-prefix", "PREFIX myservice: <{u}> SELECT * WHERE {{ ?s myservice:p ?o }}"),
    ("blank-node", "SELECT * WHERE {{ _:service ?p ?o }} LIMIT 1"),
    ("function", 'SELECT * WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "service")) }} LIMIT 1'),
    ("language-tag", 'SELECT * WHERE {{ ?s ?p "SERVICE"@en }} LIMIT 1'),
]
