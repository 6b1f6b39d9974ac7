"""What the command line checks before it reads a store, and how it reads a query argument.

A new user's first trap was a store that is not there: the README built into ``./store``,
later commands fell back to ``~/.local/share/hsfhs/store``, and ``hsfhs gaps`` answered
"no country with ISO3 code 'KEN' is known" and ``hsfhs query`` "(0 rows)". So every
command that reads a store first checks that it holds the catalogue, and otherwise
stops with the store's location, why that location was used, and the commands that
fill it.
"""

from __future__ import annotations

import os
from pathlib import Path

from hsfhs.namespaces import CATALOGUE_GRAPH
from hsfhs.store import ENV_ENDPOINT, ENV_STORE, EmbeddedStore, Store, StoreError

QUERY_FILE_SUFFIXES = (".rq", ".sparql")


class EmptyStore(Exception):
    """The store a command was about to read holds no catalogue (or does not exist)."""


def store_origin(store_dir: Path | None, endpoint: str | None) -> str:
    """Why this store: an option, an environment variable, or the default."""
    if endpoint:
        return f"given by ${ENV_ENDPOINT}" if _from_env(ENV_ENDPOINT, endpoint) else "given by --endpoint"
    if store_dir is None:
        return f"the default, as neither --store nor ${ENV_STORE} is set"
    return f"given by ${ENV_STORE}" if _from_env(ENV_STORE, store_dir) else "given by --store"


def _from_env(name: str, value: str | Path) -> bool:
    return bool(os.environ.get(name)) and str(os.environ[name]) == str(value)


def fill_commands(store: Store, store_dir: Path | None, endpoint: str | None) -> str:
    """The commands that fill this very store, written as the user would type them."""
    if endpoint:
        where = "" if _from_env(ENV_ENDPOINT, endpoint) else f" --endpoint {endpoint}"
    elif store_dir is not None and not _from_env(ENV_STORE, store_dir):
        where = f" --store {store_dir}"
    else:
        where = ""
    return f"hsfhs build{where} && hsfhs load{where} --bundled"


def has_catalogue(store: Store) -> bool:
    """Whether the store holds the catalogue graph (what ``hsfhs build`` writes)."""
    if isinstance(store, EmbeddedStore) and not store.exists():
        return False
    rows = store.select(
        "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", {"g": CATALOGUE_GRAPH}
    )
    return bool(rows.rows)


def has_data(store: Store) -> bool:
    """Whether the store holds any triple in any named graph."""
    try:
        return bool(store.select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1").rows)
    except StoreError:
        return False


def require_filled(store: Store, store_dir: Path | None, endpoint: str | None) -> None:
    """Raise ``EmptyStore`` naming the store and the commands that fill it."""
    try:
        filled = has_catalogue(store)
    except StoreError as exc:
        raise EmptyStore(f"cannot read the store {store.location}: {exc}") from exc
    if filled:
        return
    if isinstance(store, EmbeddedStore) and not store.path.exists():
        state = "does not exist"
    elif isinstance(store, EmbeddedStore) and not store.exists():
        state = "is empty: it was never built"
    else:
        state = "holds no catalogue: it was never built"
    hint = ""
    if store_dir is None and not endpoint and Path("store", "CURRENT").is_file():
        hint = " There is a store in ./store: use it with --store store."
    raise EmptyStore(
        f"the store {store.location} {state} ({store_origin(store_dir, endpoint)}). "
        f"Fill it with: {fill_commands(store, store_dir, endpoint)}, or give a filled one "
        f"with --store DIR (or ${ENV_STORE}).{hint}"
    )


def query_text(argument: str) -> tuple[str, Path | None]:
    """The query an argument of ``hsfhs query`` means, and the file it came from, if any.

    Text is text: an argument with a space, a brace or a line break is never looked up
    as a path (a long query used to fail with "File name too long"). A ``.rq`` or
    ``.sparql`` name must exist; another single word is a file only if one exists.
    """
    looks_like_text = any(ch in argument for ch in " \t\r\n{}")
    is_query_file = argument.lower().endswith(QUERY_FILE_SUFFIXES) and "\n" not in argument
    if looks_like_text and not is_query_file:
        return argument, None
    path = Path(argument)
    try:
        exists = path.is_file()
    except OSError:
        exists = False
    if not exists:
        if is_query_file:
            raise FileNotFoundError(f"no such query file: {path}")
        return argument, None
    return path.read_text(encoding="utf-8"), path
