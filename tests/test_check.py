"""``hsfhs check`` passes on the real catalogue and fails, naming the fault, on a broken one."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import RDF

from hsfhs.check import check_graphs
from hsfhs.cli import cli
from hsfhs.namespaces import CATALOGUE_GRAPH, HSFHS, INFERRED_GRAPH, ONTOLOGY_GRAPH
from hsfhs.store import EmbeddedStore
from hsfhs.terms import to_oxigraph

ID = "https://w3id.org/hsfhs/id/"
C5_1 = URIRef(ID + "spar2/C5.1")


def copy(graph: list[ox.Triple]) -> list[ox.Triple]:
    return list(graph)


def triple(s, p, o) -> ox.Triple:
    return ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))


def graphs(catalogue_graphs):
    return (
        catalogue_graphs[str(ONTOLOGY_GRAPH)],
        catalogue_graphs[str(CATALOGUE_GRAPH)],
        catalogue_graphs[str(INFERRED_GRAPH)],
    )


def test_real_catalogue_passes_both_checks(catalogue_graphs):
    report = check_graphs(*graphs(catalogue_graphs))
    assert report.reasoner_ran and report.consistent and not report.unsatisfiable
    assert report.shacl_conforms, report.shacl_results
    assert report.ok


def test_an_indicator_with_two_capacities_fails_shacl_naming_it(catalogue_graphs):
    ontology, catalogue, inferred = graphs(catalogue_graphs)
    broken = copy(catalogue)
    broken.append(triple(C5_1, HSFHS.indicatorOf, URIRef(ID + "spar2/C4")))
    report = check_graphs(ontology, broken, inferred, reasoner=False)
    assert not report.ok
    named = [r for r in report.shacl_results if "spar2/C5.1" in r and "indicatorOf" in r]
    assert named, report.shacl_results


def test_an_inconsistent_axiom_fails_hermit_naming_the_individual(catalogue_graphs):
    """spar2/C5.1 typed as a Capacity too: Capacity and Indicator are disjoint classes."""
    ontology, catalogue, inferred = graphs(catalogue_graphs)
    broken = copy(catalogue)
    broken.append(triple(C5_1, RDF.type, HSFHS.Capacity))
    report = check_graphs(ontology, broken, inferred)
    assert report.reasoner_ran and not report.consistent and not report.ok
    assert any("spar2/C5.1" in c and "disjoint" in c for c in report.culprits), report.culprits
    assert "INCONSISTENT" in "\n".join(report.lines())


def test_an_action_with_level_1_target_fails(catalogue_graphs):
    ontology, catalogue, inferred = graphs(catalogue_graphs)
    broken = copy(catalogue)
    action = URIRef(ID + "benchmarks2019/1.1/level-2/action-1")
    broken = [t for t in broken if not (t.subject == to_oxigraph(action)
                                        and t.predicate == to_oxigraph(HSFHS.targetLevel))]
    broken.append(triple(action, HSFHS.targetLevel, URIRef(ID + "level/1")))
    report = check_graphs(ontology, broken, inferred, reasoner=False)
    assert any("action-1" in r and "targetLevel" in r for r in report.shacl_results), report.shacl_results


@pytest.fixture()
def store_copy(built_store, tmp_path) -> EmbeddedStore:
    target = tmp_path / "store"
    shutil.copytree(built_store.path, target)
    return EmbeddedStore(target)


def test_cli_build_then_check_exit_zero(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")
    result = runner.invoke(cli, ["build", "--store", store])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "store" / "catalogue.ttl").stat().st_size > 100_000
    result = runner.invoke(cli, ["check", "--store", store])
    assert result.exit_code == 0, result.output
    assert "check: passed" in result.output


def test_cli_check_fails_on_a_broken_store(store_copy):
    catalogue = store_copy.graph_triples(str(CATALOGUE_GRAPH))
    catalogue.append(triple(C5_1, HSFHS.indicatorOf, URIRef(ID + "spar2/C4")))
    store_copy.replace_graphs({str(CATALOGUE_GRAPH): catalogue})
    result = CliRunner().invoke(cli, ["check", "--no-reasoner", "--store", str(store_copy.path)])
    assert result.exit_code == 1
    assert "spar2/C5.1" in result.output and "FAILED" in result.output


def test_cli_check_on_an_empty_store_says_build_first(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--store", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "hsfhs build" in result.output
