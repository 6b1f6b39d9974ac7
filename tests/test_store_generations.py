"""Store generations: what clean-up keeps and deletes (issue 10, finding 5).

Writes that are killed leave their copy (an orphan generation) behind. The clean-up
after the next write must delete those orphans and keep what is reachable from
``CURRENT`` (it and its two ancestors), and never delete a generation that a reader,
such as a running server's worker, still holds open, however old.

Orphans are made for real: a ``python`` process starts a write whose graph blocks while
it is being written, and is killed with SIGKILL there.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from hsfhs.store import EmbeddedStore

EX = "urn:hsfhs-test:"
KILLED_WRITE = """
import sys, time
from pathlib import Path
from hsfhs.store import EmbeddedStore

marker = Path(sys.argv[2])

class Blocking(list):
    def __iter__(self):
        marker.write_text("writing")
        time.sleep(60)  # killed here, inside the write
        return super().__iter__()

EmbeddedStore(sys.argv[1]).replace_graphs({"urn:hsfhs-test:killed": Blocking()})
"""


def _graph(n: int) -> list[ox.Triple]:
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    return [ox.Triple(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}n"), ox.Literal(str(n), datatype=integer))]


def _write(store: EmbeddedStore, n: int) -> str:
    store.replace_graphs({f"{EX}g": _graph(n)})
    return (store.path / "CURRENT").read_text().strip()


def _generations(path: Path) -> set[str]:
    return {p.name for p in (path / "generations").iterdir() if p.is_dir()}


def _killed_write(path: Path, tmp: Path) -> None:
    marker = tmp / f"writing-{time.time_ns()}"
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITE, str(path), str(marker)])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the write ended before it could be killed"
            assert time.monotonic() < deadline, "the write never started"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def _value(store: EmbeddedStore) -> int:
    rows = store.select(f"SELECT ?n WHERE {{ <{EX}s> <{EX}n> ?n }}")
    return int(rows.rows[0]["n"].value)


def test_clean_up_deletes_orphans_and_keeps_what_current_reaches(tmp_path: Path):
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    published = [_write(store, n) for n in range(3)]
    for _ in range(2):
        _killed_write(path, tmp_path)
    orphans = _generations(path) - set(published)
    assert len(orphans) == 2  # what killed writes leave behind, newer than the valid ones
    assert _value(EmbeddedStore(path)) == 2  # and the store is as it was

    newest = _write(store, 3)
    # CURRENT and its two ancestors stay; the orphans and the oldest generation go
    assert _generations(path) == {newest, published[2], published[1]}
    assert not any(p.name.startswith(tuple(orphans)) for p in (path / "generations").iterdir())
    assert _value(EmbeddedStore(path)) == 3


def test_a_generation_a_reader_holds_is_never_deleted(tmp_path: Path):
    path = tmp_path / "store"
    writer = EmbeddedStore(path)
    held = _write(writer, 0)
    reader = EmbeddedStore(path)  # as a server's query worker reads
    assert _value(reader) == 0
    for n in range(1, 5):  # four writes: the held generation is no longer reachable
        _write(writer, n)
    assert held in _generations(path)
    assert len(_generations(path)) == 4  # the three reachable ones and the held one
    # the reader's next query sees the new data and lets the old generation go ...
    assert _value(reader) == 4
    _write(writer, 5)
    # ... so the next clean-up deletes it
    assert held not in _generations(path)
    assert len(_generations(path)) == 3
