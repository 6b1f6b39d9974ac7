"""Human-readable HTML documentation of the ontology, generated from the Turtle by pyLODE."""

from __future__ import annotations

import logging
from pathlib import Path

from hsfhs.resources import ontology_file


def ontology_html() -> str:
    """The pyLODE page for ontology/hsfhs.ttl (imports pyLODE lazily: it is an extra)."""
    from pylode import OntPub

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    return OntPub(ontology=str(ontology_file())).make_html()


def write_ontology_html(out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(ontology_html(), encoding="utf-8")
