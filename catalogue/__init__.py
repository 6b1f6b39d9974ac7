"""The framework catalogue: WHO code lists and the crosswalks between them, as RDF.

Built once by ``hsfhs build`` (hsfhs/build.py), never by a load: ``codelists`` states
what each code list says (frameworks, capacities, indicators, benchmarks and actions,
levels, countries), ``crosswalks`` adds the reviewed links between lists
(``crosswalk_links`` writes each with its status, rationale and source), and
``benchmark_sources``, ``groups``, ``diseases``, ``determinants`` and ``context`` add the
parts of the framework that come from one document or list each.
"""

from .codelists import build_catalogue, build_codelists

__all__ = ["build_catalogue", "build_codelists"]
