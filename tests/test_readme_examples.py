"""README.md's commands, run exactly as written, in order, in a fresh folder that mimics a clone.

The folder links every top-level entry of the checkout except ``store`` (so the README's
``./store`` is its own) and ``.venv``, which links to the virtualenv running this test:
the README's ``python3 -m venv .venv`` and ``pip install`` steps are therefore not run
(the package under test is installed already; ``.ci/run`` installs the wheel from scratch),
and neither is the test command itself (``ruff check .``, ``pytest``). Everything else
runs with bash, one command after the other, each in the environment the one before left
(``. .venv/bin/activate`` and ``export`` carry over as in a person's shell). The
environment starts without ``$HSFHS_STORE``, ``$HSFHS_ENDPOINT``, the virtualenv on
``PATH`` or a default store (``$XDG_DATA_HOME`` is an empty folder): what the README does
not set up, no command finds.

``hsfhs serve`` is started in the background on a free port (``--port`` added), stopped at
the end of the module, and the ``curl`` examples ask that port instead of 8080.

Checks: every command exits 0; where the README shows output beneath a ``$ `` command,
the command prints exactly that (stdout and stderr as a terminal shows them, trailing
spaces aside, a ``...`` line standing for any lines, the ``store: ...`` line every command
prints on stderr left out, as the README's "Commands" says); a command shown without output
must print an answer: JSON that is no error document for ``curl``, rows for queries.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from service_fixtures import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
VENV = Path(sys.prefix)

# Command segments (between ``&&``) not run here, and why.
NOT_RUN = [
    (re.compile(r"^python3 -m venv \.venv$"), "the test runs in the virtualenv .venv links to"),
    (re.compile(r"^(\.venv/bin/)?pip install "), "the package under test is installed already"),
    (re.compile(r"^(ruff check \.|pytest)$"), "the test command itself, which runs this test"),
]
SERVE = re.compile(r"^(\.venv/bin/)?hsfhs serve\b")
README_PORT = "127.0.0.1:8080"

# Examples in README sections this branch does not own that are known to show stale output.
# The command still runs (and must exit 0); only the comparison of its output is expected
# to fail, strictly: once the section is corrected this entry must go.
class OutputDiffers(AssertionError):
    """What a command printed is not the output the README shows beneath it."""


@dataclass
class Example:
    line: int  # README line of the command
    command: str  # as written, continuation lines included
    shown: list[str] | None  # the output shown beneath it; None: none shown

    @property
    def id(self) -> str:
        first = self.command.splitlines()[0]
        return f"L{self.line}: {first[:60]}"


def examples(text: str) -> list[Example]:
    """The shell commands of the README's code blocks, in order.

    In a block with ``$ `` lines, those are the commands and the lines beneath each, up to
    the next ``$ `` line, its output. In a block without them (the ``sh`` blocks, the
    ``curl`` lists) every line is a command and no output is shown. A command goes on over
    the next lines until its quotes are closed.
    """
    out: list[Example] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("```"):
            i += 1
            continue
        start = i + 1
        end = start
        while not lines[end].startswith("```"):
            end += 1
        block = lines[start:end]
        prompted = any(b.startswith("$ ") for b in block)
        j = 0
        while j < len(block):
            if prompted and not block[j].startswith("$ "):
                j += 1
                continue
            first = block[j][2:] if prompted else block[j]
            if not first.strip():
                j += 1
                continue
            at = start + j + 1  # the README's line number (1-based)
            command, j = _whole_command(first, block, j)
            shown = None
            if prompted:
                k = j
                while k < len(block) and not block[k].startswith("$ "):
                    k += 1
                shown = block[j:k] or None
                j = k
            out.append(Example(at, command, shown))
        i = end + 1
    return out


def _whole_command(first: str, block: list[str], j: int) -> tuple[str, int]:
    """The command that starts at block[j], over as many lines as its quotes take."""
    command = first
    j += 1
    while not _closed(command):
        if j >= len(block):
            raise ValueError(f"README command with unclosed quotes: {command!r}")
        command += "\n" + block[j]
        j += 1
    return command, j


def _closed(command: str) -> bool:
    try:
        shlex.split(command, comments=True)
    except ValueError:
        return False
    return True


def segments(command: str) -> list[str]:
    """The command's parts between top-level ``&&`` (outside quotes)."""
    parts, current, quote = [], "", None
    i = 0
    while i < len(command):
        c = command[i]
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif command.startswith("&&", i):
            parts.append(current.strip())
            current = ""
            i += 2
            continue
        current += c
        i += 1
    parts.append(current.strip())
    return parts


def output_matches(shown: list[str], printed: str) -> bool:
    """``printed`` is the shown output, ``...`` lines matching any lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == "..." else re.escape(line.rstrip()) + r"\n"
        for line in shown
    )
    return re.fullmatch(pattern, printed) is not None


def printed_lines(output: str) -> str:
    lines = [line.rstrip() for line in output.splitlines() if not line.startswith("store: ")]
    return "".join(line + "\n" for line in lines)


@dataclass
class Shell:
    """A person's shell, one command after another, in the folder of a clone."""

    folder: Path
    env: dict[str, str]
    port: int | None = None
    servers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    results: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def run(self, example: Example) -> tuple[str, int, str]:
        """(what ran, exit status, what it printed) of one README command, its parts in
        order: those before a server, the server, those after; the first failure stops it."""
        ran: list[str] = []
        printed = ""
        chunk: list[str] = []
        for part in [*segments(example.command), None]:
            why = part and next((reason for rule, reason in NOT_RUN if rule.search(part)), None)
            if why:
                self.notes.append(f"README line {example.line}: not run: {part!r}: {why}")
                continue
            if part is not None and not SERVE.search(part):
                chunk.append(part)
                continue
            if chunk:
                command, status, out = self.bash(" && ".join(chunk), example.shown is not None)
                ran.append(command)
                printed += out
                chunk = []
                if status:
                    return " && ".join(ran), status, printed
            if part is not None:
                self.serve(part)
        return " && ".join(ran), 0, printed

    def bash(self, command: str, interleave: bool) -> tuple[str, int, str]:
        if self.port:
            command = command.replace(README_PORT, f"127.0.0.1:{self.port}")
        env_out = self.folder / ".env-after"
        script = f"{command}\nstatus=$?\nenv -0 > {shlex.quote(str(env_out))}\nexit $status\n"
        # stderr beside stdout where output is shown (a terminal interleaves them); else
        # apart, as a terminal never shows curl's progress meter
        done = subprocess.run(
            ["bash", "-c", script], cwd=self.folder, env=self.env, text=True, timeout=600,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT if interleave else subprocess.PIPE,
        )
        if env_out.exists():
            pairs = env_out.read_bytes().decode().split("\0")
            self.env = dict(p.split("=", 1) for p in pairs if "=" in p)
            env_out.unlink()
        if done.returncode and done.stderr:
            return command, done.returncode, done.stdout + done.stderr
        return command, done.returncode, done.stdout

    def serve(self, part: str) -> None:
        self.port = free_port()
        log = open(self.folder / "serve.log", "wb")  # noqa: SIM115 -- kept open while it runs
        process = subprocess.Popen(
            ["bash", "-c", f"exec {part} --port {self.port}"], cwd=self.folder, env=self.env,
            stdout=log, stderr=subprocess.STDOUT,
        )
        self.servers.append(process)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/sparql", timeout=2).read()
                break
            except OSError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"{part} did not answer: {exc}\n{(self.folder / 'serve.log').read_text()}"
                    ) from exc
                time.sleep(0.2)
        self.notes.append(f"{part!r} runs in the background on port {self.port}")

    def through(self, examples_: list[Example], index: int) -> tuple[str, int, str]:
        """Run the examples up to ``index`` that have not run yet; the result of ``index``."""
        for n in range(index + 1):
            if n not in self.results:
                self.results[n] = self.run(examples_[n])
        return self.results[index]


EXAMPLES = examples(README.read_text(encoding="utf-8"))


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"HSFHS_STORE", "HSFHS_ENDPOINT", "VIRTUAL_ENV", "PYTHONHOME"}}
    bin_dir = str(VENV / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and Path(p).resolve() != Path(bin_dir).resolve())
    (folder / ".xdg").mkdir()
    env["XDG_DATA_HOME"] = str(folder / ".xdg")
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order a terminal shows them
    return env


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory):
    if sys.prefix == sys.base_prefix:
        pytest.skip("the README's commands run in a virtualenv (.venv): run pytest from one")
    folder = tmp_path_factory.mktemp("readme-clone")
    for entry in ROOT.iterdir():
        if entry.name not in {"store", ".venv", ".git"}:
            (folder / entry.name).symlink_to(entry)
    (folder / ".venv").symlink_to(VENV)
    live = Shell(folder, _env(folder))
    yield live
    for process in live.servers:
        stop_process(process)
    print("\n".join(live.notes))


def _param(n: int, example: Example):
    return pytest.param(n, id=example.id)


def test_the_readme_has_the_examples_it_should():
    """The parser sees the README's commands: build and serve, the queries, gaps, curl."""
    commands = [e.command for e in EXAMPLES]
    assert any("hsfhs build" in c for c in commands)
    assert any(SERVE.search(s) for c in commands for s in segments(c))
    assert sum(e.shown is not None for e in EXAMPLES) >= 8
    assert any(c.startswith("curl ") for c in commands)
    frameworks = next(e for e in EXAMPLES if "COUNT(DISTINCT ?c)" in e.command)
    assert frameworks.command.endswith("GROUP BY ?fw ORDER BY ?fw'")
    assert frameworks.shown[-1] == "(6 rows)"


@pytest.mark.parametrize("n", [_param(n, e) for n, e in enumerate(EXAMPLES)])
def test_readme_example(shell, n):
    example = EXAMPLES[n]
    command, status, printed = shell.through(EXAMPLES, n)
    if not command:
        return  # only install steps or the server: see the notes the module prints
    assert status == 0, f"README line {example.line}: exit {status}:\n{command}\n{printed}"
    if example.shown is not None:
        if not output_matches(example.shown, printed_lines(printed)):
            raise OutputDiffers(
                f"README line {example.line} shows:\n" + "\n".join(example.shown)
                + f"\n\nbut {command!r} prints:\n{printed_lines(printed)}"
            )
    elif command.startswith("curl "):
        answer = json.loads(printed)
        assert not (isinstance(answer, dict) and {"type", "title", "status"} <= answer.keys()), (
            f"README line {example.line}: {command} answers an error: {answer}")
    elif " query " in f" {command} ":
        rows = re.search(r"\((\d+) rows?\)\s*$", printed)
        assert rows and int(rows.group(1)) > 0, f"{command} answers no rows:\n{printed}"
