"""Store generations: immutable Oxigraph directories, one ``CURRENT``, and safe clean-up.

The layout of an embedded store directory::

    CURRENT                      the name of the generation readers open
    generations/<name>/          one RocksDB, never written once published
    generations/<name>.parent    the generation it was copied from
    generations/<name>.readers   readers hold a shared flock on it while they read <name>
    .write.lock                  writers hold an exclusive flock: one write at a time

A write copies the current generation (a RocksDB checkpoint: hard links, milliseconds),
changes the copy, and switches ``CURRENT`` with an atomic rename. A killed write leaves
its copy behind, never published: an orphan.

Clean-up runs after each write, under the write lock, so no other write is under way.
It keeps what is reachable from ``CURRENT`` (the current generation and its ``keep - 1``
ancestors, by the ``.parent`` chain) and every generation a reader holds; it deletes the
rest: orphans of killed writes and old generations nobody reads. Holding is a shared
``flock`` that readers keep for as long as they have a generation open (a server's query
worker keeps its generation until the next query sees a new ``CURRENT``), so a running
server never loses the files under a query; the pruner asks for the lock without waiting.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox


class StoreError(Exception):
    """A store could not be opened, read or written; the message says which and why.

    ``public`` says what went wrong without naming local paths, for HTTP answers; the
    message (with the path) is for logs and the command line.
    """

    def __init__(self, message: str, public: str = "The store could not be read.") -> None:
        super().__init__(message)
        self.public = public


class Reader:
    """An open read-only generation and the shared lock that keeps it from being pruned."""

    def __init__(self, name: str, store: ox.Store, lock_fd: int | None) -> None:
        self.name = name
        self.store = store
        self._lock_fd = lock_fd
        self.users = 0
        self.retired = False

    def close(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None


class Generations:
    """The generations of one store directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dir = path / "generations"

    def current(self) -> str | None:
        """The name in ``CURRENT``; None if there is none (a store never written, or deleted)."""
        try:
            return (self.path / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"cannot read {self.path / 'CURRENT'}: {exc.strerror or exc}",
                public="The store cannot be read (its CURRENT file is not readable).",
            ) from exc

    def parent(self, name: str) -> str | None:
        try:
            return (self.dir / f"{name}.parent").read_text().strip() or None
        except OSError:
            return None

    def reachable(self, keep: int) -> list[str]:
        """``CURRENT`` and its ancestors, newest first, at most ``keep`` of them."""
        chain: list[str] = []
        name = self.current()
        while name is not None and name not in chain and len(chain) < keep:
            chain.append(name)
            name = self.parent(name)
        return chain

    # reading
    def open_reader(self, name: str) -> Reader:
        """Open generation ``name`` read-only, holding its readers lock first.

        Raises ``StoreError`` if it is gone (pruned after the caller read ``CURRENT``:
        read it again) or unreadable.
        """
        lock_fd = self._hold(name)
        try:
            if not (self.dir / name).is_dir():
                raise FileNotFoundError(f"no generation {name}")
            store = ox.Store.read_only(str(self.dir / name))
        except OSError as exc:
            if lock_fd is not None:
                os.close(lock_fd)
            raise StoreError(
                f"cannot open store generation {self.dir / name}: {exc}",
                public="The store's current generation cannot be opened (deleted or unreadable).",
            ) from exc
        return Reader(name, store, lock_fd)

    def _hold(self, name: str) -> int | None:
        """A shared flock on ``<name>.readers`` (created if need be); None where impossible."""
        path = self.dir / f"{name}.readers"
        for flags in (os.O_RDONLY | os.O_CREAT, os.O_RDONLY):
            try:
                fd = os.open(path, flags, 0o644)
                break
            except OSError:
                continue
        else:
            return None  # a read-only medium: nothing can prune it either
        fcntl.flock(fd, fcntl.LOCK_SH)
        return fd

    def _claim(self, name: str) -> tuple[bool, int | None]:
        """Whether no reader holds ``name``; if so, the exclusive lock kept while deleting."""
        try:
            fd = os.open(self.dir / f"{name}.readers", os.O_RDONLY)
        except OSError:
            return True, None  # no readers file: an orphan, or a generation from before them
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False, None
        return True, fd

    # writing
    @contextlib.contextmanager
    def writing(self, keep: int) -> Iterator[ox.Store]:
        """A writable copy of the current generation, published only if the block succeeds."""
        lock = self._write_lock()
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            current = self.current()
            name = f"g{time.time_ns()}-{os.getpid()}"
            target = self.dir / name
            try:
                store = self._copy(current, target)
                yield store
                store.optimize()  # ~0.1 s a write; readers never compact their generation
                store.flush()
                del store
                self._publish(name)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                for suffix in (".parent", ".readers"):
                    (self.dir / f"{name}{suffix}").unlink(missing_ok=True)
                raise
            with contextlib.suppress(OSError):
                self.prune(keep)

    def _write_lock(self):  # noqa: ANN202 - a text file object
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            return open(self.path / ".write.lock", "a")  # noqa: SIM115 - closed by the caller
        except OSError as exc:
            raise StoreError(
                f"cannot write to store {self.path}: {exc.strerror or exc}",
                public="The store cannot be written.",
            ) from exc

    def _copy(self, current: str | None, target: Path) -> ox.Store:
        try:
            if current is not None:
                ox.Store.read_only(str(self.dir / current)).backup(str(target))
            store = ox.Store(str(target))
            (self.dir / f"{target.name}.parent").write_text((current or "") + "\n")
            (self.dir / f"{target.name}.readers").touch()
        except OSError as exc:
            raise StoreError(
                f"cannot write to store {self.path}: {exc}", public="The store cannot be written."
            ) from exc
        return store

    def _publish(self, name: str) -> None:
        tmp = self.path / "CURRENT.tmp"
        try:
            with open(tmp, "w") as fh:
                fh.write(name + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path / "CURRENT")
        except OSError as exc:
            raise StoreError(
                f"cannot write to store {self.path}: {exc.strerror or exc}",
                public="The store cannot be written.",
            ) from exc

    def prune(self, keep: int) -> list[str]:
        """Delete generations not reachable from CURRENT and not held by a reader.

        Call it only under the write lock (``writing`` does), so that no generation being
        written is mistaken for an orphan. Returns the names deleted.
        """
        if not self.dir.is_dir():
            return []
        kept = set(self.reachable(keep))
        names = {p.name if p.is_dir() else p.name.rsplit(".", 1)[0] for p in self.dir.iterdir()}
        deleted = []
        for name in sorted(names - kept):
            free, fd = self._claim(name)
            if not free:
                continue
            try:
                shutil.rmtree(self.dir / name, ignore_errors=True)
                for suffix in (".parent", ".readers"):
                    with contextlib.suppress(OSError):
                        (self.dir / f"{name}{suffix}").unlink(missing_ok=True)
            finally:
                if fd is not None:
                    os.close(fd)
            deleted.append(name)
        return deleted
