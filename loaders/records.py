"""The tidy record: the one shape every source format is read into before it becomes RDF.

Source file -> records -> RDF, one way. Parsers know spreadsheets and nothing of RDF;
``to_rdf`` knows RDF and nothing of spreadsheets. A record keeps the row and column it
came from so every triple, and every validation error, can point back at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from .errors import LoadError


class Kind(StrEnum):
    """What a value means, which decides the measure property it is written with."""

    PERCENT = "percent"  # SPAR indicator score as published (level x 20)
    CAPACITY_PERCENT = "capacity-percent"  # SPAR capacity average as published
    OVERALL_PERCENT = "overall-percent"  # SPAR total average (SDG 3.d.1) as published
    LEVEL = "level"  # a capacity level 1-5 as given by the source (JEE)
    VALUE = "value"  # any other number (GHO, tidy CSV, half-level JEE scores)
    CATEGORY = "category"  # a category individual in ``term`` (World Bank income group)
    DATE = "date"  # an xsd:date literal in ``term`` (NAPHS completion)
    BOOLEAN = "boolean"  # an xsd:boolean literal in ``term`` (NAPHS published)


@dataclass(frozen=True, slots=True)
class Record:
    """One value of one country for one indicator and year, from one cell."""

    row: int
    column: str
    country: str  # ISO 3166-1 alpha-3
    indicator: URIRef
    period: int
    value: Decimal
    kind: Kind
    source: URIRef
    term: Node | None = None  # the value of a CATEGORY, DATE or BOOLEAN record (value is 0)
    note: str | None = None  # the source's own comment on the value, kept as rdfs:comment


@dataclass
class ParsedFile:
    """Everything a parser learned from one file: records, problems, and extra definitions.

    ``extra`` holds individuals the file itself introduces (GHO indicators not in the
    catalogue become determinants); they are stored in the file's graph with its data.
    ``scores`` are the capacity scores computed from ``records`` (``scores.capacity_scores``).
    """

    path: Path
    format: str
    sha256: str
    sheet: str | None = None
    rows: int = 0
    records: list[Record] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    notices: list[LoadError] = field(default_factory=list)
    extra: Graph = field(default_factory=Graph)
    scores: list = field(default_factory=list)  # scores.CapacityScore, derived from records
    # what the reader recognised, for the load summary (load.FileResult)
    layout: str = ""
    framework: str = ""
    period: str = ""
    period_source: str = ""
    skipped: list[LoadError] = field(default_factory=list)  # bad cells, --skip-invalid
    absent: int = 0  # cells marked "NA", "not assessed", "no data": no value, no error

    @property
    def skipped_cells(self) -> int:
        """Distinct cells skipped (one cell may break more than one rule)."""
        return len({(e.sheet, e.row, e.column) for e in self.skipped})
