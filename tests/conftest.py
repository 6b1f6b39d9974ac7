"""Shared fixtures: the real catalogue built once per test session into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

from hsfhs.build import build_graphs, build_into
from hsfhs.resources import data_dir
from hsfhs.store import EmbeddedStore

DATA = data_dir()


@pytest.fixture(scope="session")
def catalogue_graphs() -> dict:
    """ontology, catalogue and inferred graphs, by graph IRI, from the bundled code lists."""
    return build_graphs()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """A store with the catalogue built by ``hsfhs build`` (read it; copy it to change it)."""
    store = EmbeddedStore(tmp_path_factory.mktemp("catalogue-store"))
    build_into(store)
    return store


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA
