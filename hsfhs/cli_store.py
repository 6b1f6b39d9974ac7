"""How a command gets its store: ``--store DIR`` or ``--endpoint URL`` and the remote options.

Every subcommand that reads or writes a store takes ``--store DIR`` (default
``$HSFHS_STORE`` or ``~/.local/share/hsfhs/store``) or ``--endpoint URL``
(``$HSFHS_ENDPOINT``) and prints which store it uses, so a user always knows where the
data went; commands that read one refuse an empty store, naming the command that fills it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from hsfhs.store import ENV_ENDPOINT, ENV_STORE, Store, default_store_dir, open_store

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


def _store_options(func: Callable[..., Any], filled: str | None) -> Callable[..., Any]:
    """``filled``: None (any store), "data" (some graph) or "catalogue" (what build writes)."""

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
            require_filled(store, store_dir, endpoint, catalogue=filled == "catalogue")
        return func(*args, store=store, **kwargs)

    return wrapper


def store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--store`` / ``--endpoint``, resolved into an open ``store`` argument."""
    return _store_options(func, filled=None)


def filled_store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """As ``store_options``, for commands that read the framework: a store without the
    catalogue (empty, or never built) is an error."""
    return _store_options(func, filled="catalogue")


def data_store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """As ``store_options``, for commands that query whatever is there (``query``): an
    empty store is an error; data loaded without ``hsfhs build`` is queried, with a warning."""
    return _store_options(func, filled="data")


def require_filled(
    store: Store, store_dir: Path | None, endpoint: str | None, *, catalogue: bool = True
) -> None:
    """An empty or missing store as a command-line error naming the commands that fill it;
    with ``catalogue=False`` a store holding data but no catalogue only gets a warning."""
    from hsfhs.cli_support import EmptyStore, has_data
    from hsfhs.cli_support import require_filled as check_filled

    try:
        check_filled(store, store_dir, endpoint)
    except EmptyStore as exc:
        if not catalogue and has_data(store):
            click.echo(f"warning: {exc}", err=True)
            return
        raise click.ClickException(str(exc)) from exc
