"""``hsfhs serve``: the SPARQL endpoint, the API and the pages, on waitress."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from hsfhs.cli_store import endpoint_option, remote_options, require_filled, store_dir_option
from hsfhs.store import default_store_dir, open_store


@click.command()
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
        require_filled(open_store(store_dir, endpoint), store_dir, endpoint)
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
