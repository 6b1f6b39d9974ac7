"""Canned queries: headers, typed parameters, data-driven defaults, and that each one runs.

The store is the real catalogue plus the real 2022 e-SPAR file (tests/qs_data.py); the
queries run on it directly (no service), as ``hsfhs query --named`` runs them.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from qs_data import ID, espar_rows, expected_gaps, query_store
from rdflib import Literal, URIRef

from hsfhs.cli import cli
from hsfhs.query_service import analysis
from hsfhs.query_service.named_queries import (
    bind,
    get_query,
    load_queries,
    parse_examples,
    parse_query_file,
    run_named,
)
from hsfhs.query_service.params import TYPES, NotFoundError, ParamError
from hsfhs.store import EmbeddedStore


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore(query_store())


def test_every_query_has_a_title_and_typed_params():
    queries = load_queries()
    assert {
        "gaps",
        "action-plan",
        "unmet-indicators",
        "country-profile",
        "capacity",
        "capacity-countries",
        "compare",
        "region-blockers",
        "frameworks",
        "alignment",
        "function-capacities",
    } <= set(queries)
    for query in queries.values():
        assert query.title and query.description, query.name
        for p in query.params:
            assert p.type in TYPES, (query.name, p)
            assert p.required or p.default is not None or p.type in ("function", "year"), (
                query.name,
                p.name,
            )


def test_header_parsing():
    query = parse_query_file(
        "x",
        "# title: T\n# description: a: b\n"
        "# param country: iso3 required -- the country\n"
        "# param year: year optional default=latest\n"
        "# example: country=NGA\nSELECT * WHERE { ?s ?p ?o }\n",
    )
    assert query.title == "T" and query.description == "a: b"
    assert [(p.name, p.type, p.required, p.default) for p in query.params] == [
        ("country", "iso3", True, None),
        ("year", "year", False, "latest"),
    ]
    assert query.examples == ("country=NGA",)
    with pytest.raises(ValueError):
        parse_query_file("bad", "# title: T\n# param x: nosuchtype required\nSELECT * {}")


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_canned_query_runs_with_its_example(store, name):
    query = get_query(name)
    raw = parse_examples(query.examples[0]) if query.examples else {}
    bound, rows = run_named(name, raw, store)
    assert rows.rows, f"{name} answered nothing for {raw}"
    assert set(bound.bindings) >= set(raw)


@pytest.mark.parametrize(
    ("type_", "value", "term"),
    [
        ("iso3", "nga", URIRef(ID + "country/NGA")),
        ("function", "Detect", URIRef(ID + "function/detect")),
        (
            "year",
            "2022",
            Literal("2022", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
        ),
        ("framework", "spar2", URIRef(ID + "framework/spar2")),
        ("region", "afro", URIRef(ID + "region/AFRO")),
        ("capacity", "spar2/C5", URIRef(ID + "spar2/C5")),
        ("capacity", ID + "jee3/PoE", URIRef(ID + "jee3/PoE")),
        ("level", "3", Literal(3)),
        ("iri", ID + "spar2/C5.1", URIRef(ID + "spar2/C5.1")),
    ],
)
def test_types_turn_values_into_terms(type_, value, term):
    assert TYPES[type_].parse("p", value) == term


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("iso3", "NGA> } ; DROP ALL ; #"),
        ("iso3", "NG"),
        ("function", "detekt"),
        ("year", "22"),
        ("year", '2022" .'),
        ("framework", "spar3"),
        ("threshold", "120"),
        ("threshold", "NaN"),
        ("threshold", "abc"),
        ("region", "EUR"),
        ("capacity", "spar2/C5> ?p ?o"),
        ("capacity", "spar9/C5"),
        ("level", "6"),
        ("iri", "http://example.org/x"),
        ("iri", ID + "spar2/C5> } #"),
        ("iri", ID + "../../etc"),
    ],
)
def test_bad_values_are_refused(type_, value):
    with pytest.raises(ParamError) as err:
        TYPES[type_].parse("p", value)
    assert err.value.status == 400


def test_bad_function_lists_the_choices(store):
    with pytest.raises(ParamError) as err:
        bind(get_query("gaps"), {"country": "NGA", "function": "detekt"}, store)
    assert err.value.extensions["choices"] == ["prevent", "detect", "respond"]


def test_unknown_country_is_404_with_close_matches(store):
    with pytest.raises(NotFoundError) as err:
        bind(get_query("gaps"), {"country": "NGX", "function": "detect"}, store)
    assert err.value.status == 404
    assert "NGA" in err.value.extensions["suggestions"]


def test_unknown_parameter_is_refused(store):
    with pytest.raises(ParamError, match="unknown parameter"):
        bind(get_query("gaps"), {"country": "NGA", "function": "detect", "yaer": "2022"}, store)


def test_year_defaults_to_the_latest_and_unknown_years_are_404(store):
    bound = bind(get_query("gaps"), {"country": "NGA", "function": "detect"}, store)
    assert bound.resolved == {"year": "2022", "framework": "spar2"}
    with pytest.raises(NotFoundError) as err:
        bind(get_query("gaps"), {"country": "NGA", "function": "detect", "year": "2019"}, store)
    assert err.value.extensions["years"] == ["2018", "2022"]
    assert "2022" in err.value.detail
    with pytest.raises(NotFoundError, match="no jee3 scores"):
        bind(
            get_query("gaps"), {"country": "NGA", "function": "detect", "framework": "jee3"}, store
        )


def test_gaps_match_the_hand_computation(store):
    answer = analysis.gaps(store, {"country": "NGA", "function": "detect"})
    got = {g["code"]: {"relation": g["relation"], "score": g["score"]} for g in answer["gaps"]}
    assert got == expected_gaps("Nigeria", "detect")
    # checked by hand against the TSV row: C14 (Chemical events) 20; C1 20 and C3 30 via C7
    assert got == {
        "C14": {"relation": "direct", "score": 20},
        "C1": {"relation": "indirect", "score": 20},
        "C3": {"relation": "indirect", "score": 30},
    }
    paths = {g["code"]: g["path"] for g in answer["gaps"]}
    assert paths["C14"] == ["C14"]
    assert paths["C3"] == ["C11", "C7", "C3"]  # PoE needs emergency management, which financing


def test_indirect_paths_follow_dependencies(store):
    answer = analysis.gaps(store, {"country": "KEN", "function": "respond", "threshold": "100"})
    from qs_data import spar2_dependencies

    edges = spar2_dependencies()
    for gap in answer["gaps"]:
        path = gap["path"]
        assert path[-1] == gap["code"]
        for a, b in zip(path, path[1:], strict=False):
            assert b in edges[a], (gap["code"], path)


def test_a_capacity_without_a_published_average_takes_its_indicators_mean():
    """The fallback: scores of indicators only (a JEE-like file), no capacity column."""
    import pyoxigraph as ox

    from hsfhs.store import bind_values, solutions_to_rows

    h, sd, prov, dct = (
        "https://w3id.org/hsfhs/ontology#",
        "http://purl.org/linked-data/sdmx/2009/dimension#",
        "http://www.w3.org/ns/prov#",
        "http://purl.org/dc/terms/",
    )
    skos = "http://www.w3.org/2004/02/skos/core#"
    XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"  # noqa: N806
    cap, fn, fw = ID + "x/C1", ID + "function/detect", ID + "framework/spar2"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    triples = [
        (ID + "country/NGA", rdf_type, h + "Country"),
        (cap, h + "contributesTo", fn),
        (cap, h + "framework", fw),
        (cap, skos + "notation", '"C1"'),
        (cap, skos + "prefLabel", '"Cap"'),
    ]
    for n, level in ((1, 2), (2, 3)):  # indicator levels 2 and 3: mean 50 percent
        ind, obs = f"{ID}x/C1.{n}", f"{ID}obs/{n}"
        triples += [
            (ind, h + "indicatorOf", cap),
            (ind, h + "framework", fw),
            (obs, h + "refIndicator", ind),
            (obs, sd + "refArea", ID + "country/NGA"),
            (obs, sd + "refPeriod", '"2022"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
            (obs, h + "levelScore", f'"{level}"^^<{XSD_INTEGER}>'),
            (obs, h + "dataSource", ID + "source/x"),
            (obs, prov + "wasDerivedFrom", ID + "row/1"),
            (ID + "row/1", dct + "isPartOf", ID + "file/1"),
        ]
    store = ox.Store()

    def term(o: str) -> str:
        return o if o.startswith('"') else f"<{o}>"

    nt = "".join(f"<{s}> <{p}> {term(o)} .\n" for s, p, o in triples)
    store.load(nt.encode(), ox.RdfFormat.N_TRIPLES)

    class Runner:
        def select(self, sparql, bindings=None):
            return solutions_to_rows(store.query(bind_values(sparql, bindings)))

    answer = analysis.gaps(
        Runner(), {"country": "NGA", "function": "detect", "year": "2022", "framework": "spar2"}
    )
    (gap,) = answer["gaps"]
    assert (gap["code"], gap["score"], gap["level"]) == ("C1", 50, 2)
    assert gap["scoreKind"] == "mean of indicator scores"


def test_threshold_is_a_strict_bound(store):
    # Nigeria's C4 (Laboratory) is exactly 60 in the TSV: not unmet at 60, unmet at 60.5
    assert espar_rows()["Nigeria"]["C.4"] == "60"
    at_60 = analysis.gaps(store, {"country": "NGA", "function": "detect", "threshold": "60"})
    above = analysis.gaps(store, {"country": "NGA", "function": "detect", "threshold": "60.5"})
    assert "C4" not in {g["code"] for g in at_60["gaps"]}
    assert "C4" in {g["code"] for g in above["gaps"]}


def test_cli_named_query_and_gaps():
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "query",
            "--store",
            str(query_store()),
            "--named",
            "gaps",
            "--param",
            "country=NGA",
            "--param",
            "function=detect",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "C14" in result.stdout
    result = runner.invoke(
        cli,
        [
            "gaps",
            "--store",
            str(query_store()),
            "--country",
            "NGA",
            "--function",
            "detect",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"C14"' in result.stdout
    result = runner.invoke(
        cli, ["gaps", "--store", str(query_store()), "--country", "NGX", "--function", "detect"]
    )
    assert result.exit_code == 1
    assert "NGA (Nigeria)" in result.output
    result = runner.invoke(
        cli, ["query", "--store", str(query_store()), "--named", "gaps", "--param", "country"]
    )
    assert result.exit_code == 2
