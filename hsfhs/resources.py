"""Where the packaged ontology, shapes and data live, checkout or installed wheel alike."""

from importlib.resources import files
from pathlib import Path


def _package_dir(name: str) -> Path:
    return Path(str(files(f"hsfhs.{name}")))


def ontology_dir() -> Path:
    """The folder holding ``hsfhs.ttl`` (the OWL ontology)."""
    return _package_dir("ontology")


def shapes_dir() -> Path:
    """The folder holding the SHACL shapes (``*.ttl``)."""
    return _package_dir("shapes")


def data_dir() -> Path:
    """The folder holding the bundled WHO data and code lists (see its README.md)."""
    return _package_dir("data")


def ontology_file() -> Path:
    return ontology_dir() / "hsfhs.ttl"
