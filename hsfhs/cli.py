"""The ``hsfhs`` command line: one click group, one function per subcommand.

Every subcommand takes ``--store DIR`` (default ``$HSFHS_STORE`` or
``~/.local/share/hsfhs/store``) or ``--endpoint URL`` (``$HSFHS_ENDPOINT``) and prints
which store it uses, so a user always knows where the data went.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from hsfhs.store import ENV_ENDPOINT, ENV_STORE, Store, StoreError, default_store_dir, open_store


def store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--store`` / ``--endpoint``, resolved into an open ``store`` argument."""

    @click.option(
        "--store",
        "store_dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar=ENV_STORE,
        help=f"Store directory (embedded Oxigraph). Default: ${ENV_STORE} or {default_store_dir()}",
    )
    @click.option(
        "--endpoint",
        envvar=ENV_ENDPOINT,
        help=f"URL of a remote SPARQL 1.1 query endpoint instead of a directory (${ENV_ENDPOINT}).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, store_dir: Path | None, endpoint: str | None, **kwargs: Any) -> Any:
        store = open_store(store_dir, endpoint)
        click.echo(f"store: {store.location}", err=True)
        return func(*args, store=store, **kwargs)

    return wrapper


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
@store_options
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
@store_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv"]),
    default="table",
    show_default=True,
)
@click.argument("query_or_file")
def query(store: Store, fmt: str, query_or_file: str) -> None:
    """Run a SPARQL query (text or a .rq file); the project prefixes are predeclared."""
    from hsfhs.output import write_result

    path = Path(query_or_file)
    text = path.read_text(encoding="utf-8") if path.suffix == ".rq" or path.is_file() else query_or_file
    try:
        result = store.query(_with_prefixes(text))
    except SyntaxError as exc:
        raise click.ClickException(f"SPARQL syntax error: {exc}") from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    write_result(result, fmt, sys.stdout)


def _with_prefixes(text: str) -> str:
    """Predeclare the project prefixes; a query's own PREFIX lines still win (declared later)."""
    from hsfhs.namespaces import sparql_prefixes

    return sparql_prefixes() + text


# --- commands added by the loaders (issue 3) below this line ---


# --- the query service (issue 4) ---


@cli.command()
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=ENV_STORE,
    help=f"Store directory (embedded Oxigraph). Default: ${ENV_STORE} or {default_store_dir()}",
)
@click.option(
    "--endpoint",
    envvar=ENV_ENDPOINT,
    help=f"URL of a remote SPARQL 1.1 query endpoint instead of a directory (${ENV_ENDPOINT}).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--threads", type=click.IntRange(1), default=8, show_default=True, help="Request threads."
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
def serve(
    store_dir: Path | None,
    endpoint: str | None,
    host: str,
    port: int,
    threads: int,
    workers: int | None,
    timeout: float | None,
    row_limit: int | None,
    update_token: str | None,
) -> None:
    """Serve the SPARQL endpoint, the API and the web pages (waitress, a production server)."""
    import logging
    import signal

    from waitress import create_server

    from hsfhs.query_service.app import create_app
    from hsfhs.query_service.executor import EXTENSION_KEY

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    config: dict[str, Any] = {}
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
    executor.start(wait=True)
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="hsfhs")
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
