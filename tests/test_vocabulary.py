"""One vocabulary: every hsfhs: term the code, the queries and the shapes use is one the
ontology defines, and the catalogue's frameworks are those of hsfhs/vocabulary.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib.namespace import SKOS

from hsfhs.namespaces import HSFHS, ID, ontology_terms
from hsfhs.vocabulary import FRAMEWORKS, LEVEL, PERCENT, SCORED, on_scale, reported_by

ROOT = Path(__file__).resolve().parents[1]
TERM = re.compile(r"\bhsfhs:([A-Za-z][A-Za-z0-9_]*)")
USES = [*ROOT.glob("query_service/queries/*.rq"), *ROOT.glob("query_service/*.rq"),
        *ROOT.glob("hsfhs/rules/*.rq"), *ROOT.glob("hsfhs/checks/*.rq"),
        *ROOT.glob("loaders/*.rq"), *ROOT.glob("shapes/*.ttl")]


def test_a_misspelt_term_fails_where_it_is_written() -> None:
    assert str(HSFHS.scorePercent) == "https://w3id.org/hsfhs/ontology#scorePercent"
    with pytest.raises(AttributeError, match="scorePercnt"):
        HSFHS.scorePercnt  # noqa: B018


@pytest.mark.parametrize("path", USES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_term_a_query_or_shape_uses_is_defined(path: Path) -> None:
    text = re.sub(r'@prefix\s+hsfhs:[^\n]*|PREFIX\s+hsfhs:[^\n]*', "", path.read_text())
    unknown = sorted(set(TERM.findall(text)) - ontology_terms())
    assert unknown == [], f"{path.name} uses terms the ontology does not define"


def test_the_catalogue_frameworks_are_the_vocabulary(catalogue_graph) -> None:
    g = catalogue_graph
    found = {str(g.value(f, SKOS.notation)) for f in g.subjects(None, HSFHS.AssessmentFramework)}
    assert found == set(FRAMEWORKS)
    for slug, framework in FRAMEWORKS.items():
        iri = ID[f"framework/{slug}"]
        scale = g.value(iri, HSFHS.scoreScale)
        expected = {PERCENT: HSFHS.percentScale, LEVEL: HSFHS.levelScale}.get(framework.scale)
        assert scale == expected, slug
        sources = {str(s).rsplit("/", 1)[-1] for s in g.subjects(HSFHS.reportsFramework, iri)}
        assert sources == ({framework.reported_by} if framework.reported_by else set()), slug


def test_the_lists_agree_with_each_other() -> None:
    assert set(reported_by("espar")) == set(on_scale(PERCENT)) == {"spar2018", "spar2"}
    assert set(reported_by("jee")) == set(on_scale(LEVEL)) == {"jee1", "jee2", "jee3"}
    assert set(SCORED) == set(FRAMEWORKS) - {"benchmarks2019"}


def test_the_cli_offers_every_format_the_loaders_detect():
    """``--format``'s choices are typed in the CLI to keep its start fast: they must be
    the loaders' own list, or a new format would load but not be choosable."""
    from hsfhs.cli_data import DATA_FORMATS
    from hsfhs.loaders.detect import FORMATS

    assert list(FORMATS) == DATA_FORMATS


def test_older_editions_point_to_a_current_one_of_the_same_tool():
    """The note an answer from an older edition carries names the edition that replaced it."""
    from hsfhs.vocabulary import CURRENT, PREFERENCE

    assert CURRENT == ("spar2", "jee3")
    assert sorted(PREFERENCE) == sorted(SCORED) and PREFERENCE[:2] == CURRENT
    for slug, framework in FRAMEWORKS.items():
        newer = framework.superseded_by
        if newer is not None:
            assert newer in CURRENT, slug
            assert FRAMEWORKS[newer].reported_by == framework.reported_by, slug
