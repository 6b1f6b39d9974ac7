"""The ``hsfhs`` command line: one click group, one function per subcommand.

Every subcommand takes ``--store DIR`` (default ``$HSFHS_STORE`` or
``~/.local/share/hsfhs/store``) or ``--endpoint URL`` (``$HSFHS_ENDPOINT``) and prints
which store it uses, so a user always knows where the data went.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from hsfhs import vocabulary
from hsfhs.store import ENV_ENDPOINT, ENV_STORE, Store, StoreError, default_store_dir, open_store

store_dir_option = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=ENV_STORE,
    help=f"Store directory (embedded Oxigraph). Default: ${ENV_STORE} or {default_store_dir()}",
)
endpoint_option = click.option(
    "--endpoint",
    envvar=ENV_ENDPOINT,
    help=f"URL of a remote SPARQL 1.1 query endpoint instead of a directory (${ENV_ENDPOINT}).",
)


def remote_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """How to write to a remote store: its update URL, user and request size (docs: README)."""
    for decorator in reversed(
        [
            click.option(
                "--update-endpoint",
                envvar="HSFHS_UPDATE_ENDPOINT",
                help="The remote store's update URL if not --endpoint's (Virtuoso: "
                ".../sparql-auth) ($HSFHS_UPDATE_ENDPOINT).",
            ),
            click.option(
                "--endpoint-user",
                envvar="HSFHS_ENDPOINT_USER",
                help="User for the remote store (digest or basic authentication); the password "
                "is read from $HSFHS_ENDPOINT_PASSWORD only ($HSFHS_ENDPOINT_USER).",
            ),
            click.option(
                "--update-chunk",
                type=click.IntRange(0),
                envvar="HSFHS_UPDATE_CHUNK",
                help="Write at most this many triples per update request, through staging "
                "graphs (Virtuoso: 1000); 0 = one request ($HSFHS_UPDATE_CHUNK).",
            ),
        ]
    ):
        func = decorator(func)
    return func


def _store_options(func: Callable[..., Any], filled: bool) -> Callable[..., Any]:
    @store_dir_option
    @endpoint_option
    @remote_options
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        store_dir: Path | None,
        endpoint: str | None,
        update_endpoint: str | None,
        endpoint_user: str | None,
        update_chunk: int | None,
        **kwargs: Any,
    ) -> Any:
        store = open_store(
            store_dir,
            endpoint,
            update_endpoint=update_endpoint,
            user=endpoint_user,
            chunk=update_chunk,
        )
        click.echo(f"store: {store.location}", err=True)
        if filled:
            _require_filled(store, store_dir, endpoint)
        return func(*args, store=store, **kwargs)

    return wrapper


def store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--store`` / ``--endpoint``, resolved into an open ``store`` argument."""
    return _store_options(func, filled=False)


def filled_store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """As ``store_options``, for commands that read the store: an empty one is an error."""
    return _store_options(func, filled=True)


def _require_filled(store: Store, store_dir: Path | None, endpoint: str | None) -> None:
    from hsfhs.cli_support import EmptyStore, require_filled

    try:
        require_filled(store, store_dir, endpoint)
    except EmptyStore as exc:
        raise click.ClickException(str(exc)) from exc


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
@filled_store_options
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
    from hsfhs.output import write_result

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


# --- commands added by the loaders (issue 3) below this line ---

BUNDLED_CONTEXT = ("worldbank_CLASS_2023.xlsx", "naphs_dates_cghss.tsv")  # data/reference
DATA_FORMATS = ["espar", "jee", "gho", "tidy", "worldbank", "naphs"]  # hsfhs.loaders.detect.FORMATS, kept light


def data_file_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--format``, ``--period``, ``--skip-invalid``, ``--report``, ``--json`` and FILEs."""
    for decorator in reversed(
        [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(DATA_FORMATS),
                help="Layout of the files; detected from their content when not given.",
            ),
            click.option(
                "--period",
                type=click.IntRange(1990, 2100),
                metavar="YEAR",
                help="Report year of files that state none (the e-SPAR portal's "
                "IHRScoreperCapacity_<timestamp> export); wins over a file name, and a "
                "file or row stating another year is an error.",
            ),
            click.option(
                "--skip-invalid",
                is_flag=True,
                help="Load the valid cells and skip invalid ones, each listed in the report "
                "and counted in the file's PROV record (default: any invalid cell, nothing "
                "is written).",
            ),
            click.option(
                "--report",
                "report_path",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Write the SHACL validation report to this file as Turtle.",
            ),
            click.option("--json", "as_json", is_flag=True, help="Print the report as JSON."),
            click.argument(
                "paths", nargs=-1, required=False, metavar="FILE_OR_DIR...",
                type=click.Path(exists=True, path_type=Path),
            ),
        ]
    ):
        func = decorator(func)
    return func


@cli.command()
@store_options
@data_file_options
@click.option(
    "--bundled",
    is_flag=True,
    help="Also load the real WHO data shipped with hsfhs (data/espar, data/jee, data/gho) and "
    "the country context (World Bank income groups, CGHSS NAPHS dates in data/reference).",
)
def load(
    store: Store,
    fmt: str | None,
    period: int | None,
    skip_invalid: bool,
    report_path: Path | None,
    as_json: bool,
    paths: tuple[Path, ...],
    bundled: bool,
) -> None:
    """Validate data files (e-SPAR, JEE, GHO, tidy CSV) and load them, all or nothing.

    FILE_OR_DIR: files, or directories whose .tsv/.csv/.xlsx files are loaded. Each file
    goes to its own named graph; loading a file again replaces it. Exit 1 if any file is
    invalid (nothing is written then).
    """
    from hsfhs.loaders.load import load_files
    from hsfhs.resources import data_dir

    if bundled:
        paths = (*paths, *(data_dir() / name for name in ("espar", "jee", "gho")),
                 *(data_dir() / "reference" / name for name in BUNDLED_CONTEXT))

    catalogue = _catalogue_of(store)
    report = _run_with_progress(
        paths,
        lambda files, tick: load_files(
            files, store, catalogue, fmt, tick, period=period, skip_invalid=skip_invalid
        ),
    )
    _finish_data_report(report, report_path, as_json, "loaded")


@cli.command()
@data_file_options
def validate(
    fmt: str | None,
    period: int | None,
    skip_invalid: bool,
    report_path: Path | None,
    as_json: bool,
    paths: tuple[Path, ...],
) -> None:
    """Check data files against the catalogue and the SHACL shapes without loading them.

    Exit 1 if any file is invalid.
    """
    from hsfhs.loaders import catalogue_slice
    from hsfhs.loaders.load import validate_files

    catalogue = catalogue_slice.bundled()
    report = _run_with_progress(
        paths,
        lambda files, tick: validate_files(
            files, catalogue, fmt, tick, period=period, skip_invalid=skip_invalid
        ),
    )
    _finish_data_report(report, report_path, as_json, "valid")


def _catalogue_of(store: Store) -> Any:
    """What a load reads of the store's catalogue; of the bundled one (with a warning) if
    the store has none yet."""
    from hsfhs.loaders import catalogue_slice

    try:
        catalogue = catalogue_slice.from_store(store)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if not catalogue:
        click.echo("warning: the store has no catalogue yet (run 'hsfhs build'); "
                   "validating against the bundled code lists", err=True)
        catalogue = catalogue_slice.bundled()
    return catalogue


def _run_with_progress(paths: tuple[Path, ...], run: Callable[..., Any]) -> Any:
    """Run a load or validation, with a progress bar over the files on a terminal."""
    from hsfhs.loaders.load import expand

    files = expand(paths)
    if not files:
        raise click.UsageError("no data files (.tsv, .csv, .xlsx) in the given paths")
    try:
        if sys.stderr.isatty():
            with click.progressbar(
                length=len(files), label="reading", file=sys.stderr,
                item_show_func=lambda p: p.name if p else "",
            ) as bar:
                return run(files, lambda path: bar.update(1, path))
        return run(files, None)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _finish_data_report(report: Any, report_path: Path | None, as_json: bool, done: str) -> None:
    """Print the files, errors and skipped rows; write --report; exit 1 when invalid."""
    if report_path is not None and report.shacl is not None:
        try:
            report_path.parent.mkdir(parents=True, exist_ok=True)
            report.shacl.serialize(report_path, format="turtle")
        except OSError as exc:
            raise click.ClickException(f"cannot write the report to {report_path}: {exc}") from exc
        click.echo(f"SHACL report written to {report_path}", err=True)
    if as_json:
        click.echo(report.to_json())
    else:
        _print_data_report(report, done)
    if not report.valid:
        sys.exit(1)


def _print_data_report(report: Any, done: str) -> None:
    from collections import Counter

    for f in report.files:
        click.echo(
            f"{f.path.name}: {f.format or '?'}, {f.rows} rows, {f.observations} observations, "
            f"{f.triples} triples -> {f.graph}"
        )
        for line in _file_summary(f):
            click.echo(f"  {line}")
    skipped = Counter(n.type for n in report.notices)
    if skipped:
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
        click.echo(f"skipped or noted: {listed} (--json lists each row)")
    if report.skipped:
        click.echo(f"skipped cells (--skip-invalid), {len(report.skipped)}:")
        _print_cell_table(report.skipped, "Rule", lambda e: e.rule or e.type)
    if report.errors:
        _print_cell_table(report.errors, "Message", lambda e: e.message)
        click.echo(f"{len(report.errors)} error(s); nothing was written.", err=True)
    else:
        verb = "loaded into the store" if done == "loaded" else "valid"
        click.echo(f"{len(report.files)} file(s) {verb}.")


def _file_summary(f: Any) -> list[str]:
    """What the reader recognised in a file: layout, framework, year and its source, counts."""
    lines = []
    if f.layout:
        lines.append(f"layout: {f.layout}")
    if f.framework:
        lines.append(f"framework: {f.framework}")
    if f.period:
        source = f" (from {f.period_source})" if f.period_source else ""
        lines.append(f"{'years' if '-' in f.period else 'report year'}: {f.period}{source}")
    lines.append(f"{f.countries} countries, {f.observations} observations, "
                 f"{f.skipped} skipped cells, {f.absent} absent values (NA, no data)")
    if f.capacity_scores:
        lines.append(f"{f.capacity_scores} capacity scores computed (score, level 1-5, method)")
    return lines


def _print_cell_table(errors: list[Any], last: str, text_of: Callable[[Any], str]) -> None:
    """File, sheet, row, column, type and value of each cell problem, then ``last``."""
    rows = [("File", "Sheet", "Row", "Column", "Type", "Value", last)]
    for e in errors:
        rows.append((e.file, e.sheet or "", "" if e.row is None else str(e.row),
                     _clip(e.column or "", 24), e.type, _clip(e.value or "", 24), text_of(e)))
    if not any(r[1] for r in rows[1:]):  # no workbook sheets: keep the table narrow
        rows = [r[:1] + r[2:] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True))
                   + "  " + r[-1])


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the query service (issue 4) ---


@cli.command()
@store_dir_option
@endpoint_option
@remote_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--threads",
    type=click.IntRange(1),
    default=16,
    show_default=True,
    help="Request threads (keep them above the workers plus QUERY_QUEUE).",
)
@click.option(
    "--workers",
    type=click.IntRange(2),
    default=None,
    help="Query worker processes (default 2, or $HSFHS_QUERY_WORKERS).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Per-query time limit in seconds (default 10, or $HSFHS_QUERY_TIMEOUT_S).",
)
@click.option(
    "--row-limit",
    type=click.IntRange(1),
    default=None,
    help="Most rows a query returns; longer answers are truncated (default 10000).",
)
@click.option(
    "--update-token",
    envvar="HSFHS_UPDATE_TOKEN",
    default=None,
    help="Accept SPARQL Update with 'Authorization: Bearer TOKEN'. Without it: read-only.",
)
@click.option(
    "--trusted-proxy",
    default=None,
    metavar="ADDR",
    help="A reverse proxy's address: its X-Forwarded-For names the client (per-client limits).",
)
def serve(
    store_dir: Path | None,
    endpoint: str | None,
    update_endpoint: str | None,
    endpoint_user: str | None,
    update_chunk: int | None,
    host: str,
    port: int,
    threads: int,
    workers: int | None,
    timeout: float | None,
    row_limit: int | None,
    update_token: str | None,
    trusted_proxy: str | None,
) -> None:
    """Serve the SPARQL endpoint, the API and the web pages (waitress, a production server)."""
    import logging
    import signal

    from waitress import create_server

    from hsfhs.query_service.access_log import AccessLog
    from hsfhs.query_service.app import create_app
    from hsfhs.query_service.executor import EXTENSION_KEY

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config: dict[str, Any] = {}
    # the service opens its remote store for updates itself: the options reach it by env
    for name, value in (
        ("HSFHS_UPDATE_ENDPOINT", update_endpoint),
        ("HSFHS_ENDPOINT_USER", endpoint_user),
        ("HSFHS_UPDATE_CHUNK", update_chunk),
    ):
        if value is not None:
            os.environ[name] = str(value)
    if endpoint:
        config["ENDPOINT"] = endpoint
    else:
        config["STORE_PATH"] = str(store_dir or default_store_dir())
    for key, value in (
        ("QUERY_WORKERS", workers),
        ("QUERY_TIMEOUT_S", timeout),
        ("ROW_LIMIT", row_limit),
        ("UPDATE_TOKEN", update_token),
    ):
        if value is not None:
            config[key] = value
    app = create_app(config)
    executor = app.extensions[EXTENSION_KEY]
    click.echo(f"store: {executor.location}", err=True)
    try:
        _require_filled(open_store(store_dir, endpoint), store_dir, endpoint)
    except click.ClickException:
        executor.close()
        raise
    if threads <= executor.size + app.config["QUERY_QUEUE"]:
        click.echo(
            f"warning: {threads} threads leave none for pages and the API while "
            f"{executor.size} workers and a queue of {app.config['QUERY_QUEUE']} are busy; "
            "raise --threads",
            err=True,
        )
    executor.start(wait=True)
    proxy: dict[str, Any] = {}
    if trusted_proxy:
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_headers": {"x-forwarded-for"},
            "clear_untrusted_proxy_headers": True,
        }
    try:
        # channel_request_lookahead lets waitress see a client close its connection while its
        # request runs (environ["waitress.client_disconnected"]): its query is then stopped.
        server = create_server(
            AccessLog(app),  # one line per request: method, path, status, time
            host=host,
            port=port,
            threads=threads,
            ident="hsfhs",
            channel_request_lookahead=4,
            **proxy,
        )
    except OSError as exc:
        executor.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)  # unwinds to the finally below, so worker processes end too

    signal.signal(signal.SIGTERM, stop)
    mode = "read-write (update token set)" if app.config["UPDATE_TOKEN"] else "read-only"
    url = f"http://{host}:{server.effective_port}"  # type: ignore[union-attr]
    click.echo(
        f"hsfhs serving {url}/  SPARQL: {url}/sparql  ({mode}, query limit "
        f"{app.config['QUERY_TIMEOUT_S']:g} s, {app.config['ROW_LIMIT']} rows)"
    )
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        executor.close()


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
    from hsfhs.output import write_result
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
    import csv
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
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return
    from hsfhs.output import format_table

    for note in answer["assumptions"] + answer["notes"]:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"{answer['country']} {answer['function']} {answer['year']} ({answer['framework']}), "
        f"unmet below level {answer['target']}, dependencies {answer['depth']} deep: "
        f"{answer['count']} capacit{'y' if answer['count'] == 1 else 'ies'}"
    )
    sys.stdout.write(format_table(columns, rows))
    for item in answer["notScored"]:
        click.echo(f"not scored: {item['code']} {item['label']}: {item['reason']}")
    for item in answer["missing"]:
        click.echo(f"no data: {item['code']} {item['label']}")


def _gap_cell(value: Any) -> str:
    if isinstance(value, list):
        return " > ".join(str(v) for v in value)
    return "" if value is None else str(value)
