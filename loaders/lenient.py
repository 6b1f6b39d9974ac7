"""``--skip-invalid`` after SHACL: cells the shapes reject are skipped, listed and counted.

The readers catch the bad cells they can see (text in a score column, a formula, an
unknown country); the shapes catch the rest (a percent of 120, a level 0, a second value
for the same country, indicator and year). In the strict default both stop the load.
With ``--skip-invalid`` a shape result that names one cell becomes a skipped cell of its
file: its record is dropped, the result moves to the file's ``skipped`` list with its
rule, and the file's graph is built and validated again. A result that names no single
cell (a whole data set) stays an error.
"""

from __future__ import annotations

from .errors import LoadError
from .records import ParsedFile


def skip_rejected_cells(parsed: dict[str, ParsedFile],
                        errors: list[LoadError]) -> tuple[list[LoadError], set[str]]:
    """The errors that stay errors, and the graphs (by IRI) whose records changed."""
    by_name = {p.path.name: iri for iri, p in parsed.items()}
    present = {iri: {(r.row, r.column) for r in p.records} for iri, p in parsed.items()}
    cells: dict[str, set[tuple[int, str]]] = {}
    left = []
    for error in errors:
        iri = by_name.get(error.file)
        if iri is None or error.row is None or error.column is None:
            left.append(error)
            continue
        key = (error.row, error.column)
        if key not in present[iri]:
            left.append(error)
            continue
        cells.setdefault(iri, set()).add(key)
        parsed[iri].skipped.append(error)
    for iri, keys in cells.items():
        parsed[iri].records = [r for r in parsed[iri].records if (r.row, r.column) not in keys]
    return left, set(cells)
