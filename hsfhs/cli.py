"""The ``hsfhs`` command line: one click group, one function per subcommand.

The store options are ``cli_store.py``'s; ``load`` and ``validate`` live in
``cli_data.py``, ``serve`` in ``cli_serve.py``; query answers are printed by
``hsfhs.output`` (one table, CSV, TSV or JSON writer for every command).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from hsfhs import vocabulary
from hsfhs.cli_data import load, validate
from hsfhs.cli_serve import serve
from hsfhs.cli_store import data_store_options, filled_store_options, store_options
from hsfhs.output import output_rows, write_result
from hsfhs.store import Store, StoreError


@click.group()
@click.version_option(package_name="hsfhs")
def cli() -> None:
    """Knowledge graph of the WHO Health systems for health security framework."""


@cli.command()
@store_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the catalogue as Turtle. Default: STORE/catalogue.ttl",
)
def build(store: Store, out: Path | None) -> None:
    """Build the framework catalogue (code lists, crosswalks, inferences) into the store."""
    from hsfhs.build import build_into

    started = time.perf_counter()
    try:
        summary = build_into(store, out)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"catalogue: {summary.catalogue_triples} triples, inferred: {summary.inferred_triples} "
        f"triples, written to {summary.turtle_path} in {time.perf_counter() - started:.1f} s"
    )


@cli.command()
@filled_store_options
@click.option("--no-reasoner", is_flag=True, help="Skip HermiT (SHACL only).")
def check(store: Store, no_reasoner: bool) -> None:
    """Check the catalogue: OWL reasoner (HermiT) and SHACL shapes. Exit 0 only if both pass."""
    from hsfhs.check import check_store

    report = check_store(store, reasoner=not no_reasoner)
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)


@cli.command()
@data_store_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--named",
    metavar="NAME",
    help="Run a canned query of the query service (see GET /api/queries) instead of text.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="K=V",
    help="A parameter of the --named query, e.g. --param country=NGA (repeatable).",
)
@click.argument("query_or_file", required=False)
def query(
    store: Store, fmt: str, named: str | None, params: tuple[str, ...], query_or_file: str | None
) -> None:
    """Run a SPARQL query (text or a .rq file), or a canned one with --named NAME --param k=v.

    The project prefixes are predeclared for text queries. Canned query parameters are
    checked by type and bound as RDF terms, as the API does.
    """

    if named:
        if query_or_file:
            raise click.UsageError("give either --named NAME or a query, not both")
        _run_named_query(store, fmt, named, params)
        return
    if params:
        raise click.UsageError("--param goes with --named NAME")
    if not query_or_file:
        raise click.UsageError("give a query (text or a .rq file) or --named NAME")
    from hsfhs.cli_support import query_text
    from hsfhs.query_service.syntax_help import PREFIX_LINE, explain, with_prefixes

    try:
        text, path = query_text(query_or_file)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read query file {query_or_file}: {exc}") from exc
    if hasattr(store, "keep_order"):
        store.keep_order = False  # a person's query runs as the engine plans it
    try:
        # the prefixes go on the query's first line, so its line numbers stay the user's
        result = store.query(with_prefixes(text))
    except SyntaxError as exc:
        where = f" in {path}" if path else ""
        help_ = explain(str(exc), text, offset=len(PREFIX_LINE))
        raise click.ClickException(f"SPARQL syntax error{where}: {help_.message}") from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    write_result(result, fmt, sys.stdout)


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("ontology/hsfhs.html"),
    show_default=True,
)
def docs(out: Path) -> None:
    """Generate the ontology's HTML documentation with pyLODE (pip install 'hsfhs[docs]')."""
    from hsfhs.ontology_docs import write_ontology_html

    try:
        write_ontology_html(out)
    except ImportError as exc:
        raise click.ClickException(
            f"pyLODE is not installed ({exc}); run: pip install 'hsfhs[docs]'"
        ) from exc
    click.echo(f"ontology documentation written to {out}")


# --- canned queries and gaps (issue 4, query service) ---


def _param_pairs(params: tuple[str, ...]) -> dict[str, str]:
    """``k=v`` options as a dict; a pair without ``=`` is a usage error."""
    out: dict[str, str] = {}
    for pair in params:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--param {pair!r}: write it as name=value")
        out[key.strip()] = value
    return out


def _service_error(exc: Exception) -> click.ClickException:
    """A parameter or lookup problem as the API would word it, with its choices."""
    detail = getattr(exc, "detail", str(exc))
    return click.ClickException(detail)


def _run_named_query(store: Store, fmt: str, name: str, params: tuple[str, ...]) -> None:
    """``hsfhs query --named``: bind the canned query's typed parameters and print rows."""
    from hsfhs.query_service.errors import ServiceError
    from hsfhs.query_service.named_queries import bind, get_query

    try:
        bound = bind(get_query(name), _param_pairs(params), store)
        for key, value in bound.resolved.items():
            click.echo(f"{key}: {value} (chosen from the data)", err=True)
        result = store.query(bound.query.sparql, bound.bindings)
    except ServiceError as exc:
        raise _service_error(exc) from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    write_result(result, fmt, sys.stdout)


@cli.command()
@filled_store_options
@click.option(
    "--country", required=True, help="ISO 3166-1 alpha-3 code (NGA) or name (Nigeria)."
)
@click.option(
    "--function",
    "function",
    required=True,
    type=click.Choice(list(vocabulary.FUNCTIONS), case_sensitive=False),
)
@click.option("--year", help="Report year; the latest with scores if left out (and said so).")
@click.option(
    "--framework",
    type=click.Choice(list(vocabulary.SCORED)),
    help="Framework of the scores; the one the year's data uses if left out.",
)
@click.option(
    "--target",
    type=click.IntRange(1, 5),
    default=3,
    show_default=True,
    help="A capacity below this level is unmet (3 = developed capacity).",
)
@click.option(
    "--depth",
    type=click.IntRange(1, 3),
    default=1,
    show_default=True,
    help="How many dependencies deep to look for indirect blockers.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
def gaps(
    store: Store,
    country: str,
    function: str,
    year: str | None,
    framework: str | None,
    target: int,
    depth: int,
    fmt: str,
) -> None:
    """Unmet capacities blocking a preparedness function in a country (as GET /api/gaps)."""
    import json

    from hsfhs.query_service.errors import ServiceError
    from hsfhs.query_service.gaps import gaps as compute_gaps

    raw = {"country": country, "function": function, "target": str(target), "depth": str(depth)}
    raw.update({k: v for k, v in (("year", year), ("framework", framework)) if v})
    try:
        answer = compute_gaps(store, raw)
    except ServiceError as exc:
        raise _service_error(exc) from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    columns = ["relation", "code", "label", "score", "level", "path", "fileName"]
    rows = [[_gap_cell(item.get(c)) for c in columns] for item in answer["gaps"]]
    if fmt == "csv":
        output_rows(columns, rows, fmt, sys.stdout)
        return
    for note in answer["assumptions"] + answer["notes"]:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"{answer['country']} {answer['function']} {answer['year']} ({answer['framework']}), "
        f"unmet below level {answer['target']}, dependencies {answer['depth']} deep: "
        f"{answer['count']} capacit{'y' if answer['count'] == 1 else 'ies'}"
    )
    output_rows(columns, rows, fmt, sys.stdout)
    for item in answer["notScored"]:
        click.echo(f"not scored: {item['code']} {item['label']}: {item['reason']}")
    for item in answer["missing"]:
        click.echo(f"no data: {item['code']} {item['label']}")


def _gap_cell(value: Any) -> str:
    if isinstance(value, list):
        return " > ".join(str(v) for v in value)
    return "" if value is None else str(value)


for command in (load, validate, serve):
    cli.add_command(command)
