"""A live ``hsfhs serve`` for tests, started the way users start it (Datasette's pattern).

``LiveServer.start`` runs ``sys.executable -m hsfhs serve`` on 127.0.0.1 and a free port,
polls until it answers, and ``stop`` terminates it (SIGTERM, which also ends its query
workers). ``request`` is a thin ``http.client`` call: it sends exactly the headers it is
given (urllib would add a Content-Type to every POST, hiding the missing-type cases).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Params = Mapping[str, str] | Sequence[tuple[str, str]]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    def json(self) -> dict:
        import json

        return json.loads(self.body)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server a fixture started; kill it if it does not stop in 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@dataclass
class LiveServer:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    @classmethod
    def start(
        cls,
        store: Path | None,
        log: Path,
        *args: str,
        ready_s: float = 60,
        env: Mapping[str, str] | None = None,
        endpoint: str | None = None,
    ) -> LiveServer:
        """``env``: extra environment, for settings without a CLI option (``HSFHS_*``);
        ``endpoint``: serve a remote store (``--endpoint``) instead of ``store``."""
        port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        env.pop("HSFHS_ENDPOINT", None)
        where = ["--endpoint", endpoint] if endpoint else ["--store", str(store)]
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "hsfhs", "serve", *where]
                + ["--port", str(port), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        server = cls(process, port, log)
        server.wait_until_responds(ready_s)
        return server

    def wait_until_responds(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hsfhs serve exited:\n{self.log.read_text()}")
            try:
                if self.request("GET", "/sparql", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"hsfhs serve did not answer in {timeout_s} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        stop_process(self.process)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: bytes | str | None = None,
        form: Params | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30,
        source: str | None = None,
    ) -> Reply:
        """One HTTP request; ``form`` is sent url-encoded with its Content-Type.

        ``source`` is the client's address (any of 127.0.0.0/8 on Linux), so a test can be
        several clients, as the per-client limits see them.
        """
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if isinstance(body, str):
            body = body.encode("utf-8")
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=timeout, source_address=(source, 0) if source else None
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()
