"""An OpenLink Virtuoso of its own for a test or a benchmark: started on 127.0.0.1, stopped after.

Debian's ``virtuoso-opensource-7-bin`` (``/usr/bin/virtuoso-t``, ``/usr/bin/isql-vt``) runs in
the foreground with an ini file written to a temporary folder: its database, its two
free ports (SQL and HTTP), no VAD packages, and ``ResultSetMaxRows`` raised so that a
graph read back with CONSTRUCT is never cut at the default 10 000 rows. Once it answers,
the ``dba`` password is changed to a random one through ``isql-vt``, so the credentials
the client uses are the ones given to it here, never Virtuoso's well-known default.

Queries: ``http://127.0.0.1:PORT/sparql`` (a query without FROM sees every graph, the
union hsfhs expects). Updates: ``/sparql-auth`` with HTTP digest authentication.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from service_fixtures import free_port, stop_process

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"

INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
NumberOfBuffers = 40000
MaxDirtyBuffers = 30000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


def available() -> str | None:
    """None if Virtuoso can run here, else why not (the reason a test skips with)."""
    for binary in (VIRTUOSO, ISQL):
        if not Path(binary).exists():
            return (
                f"{binary} not found: install Debian's virtuoso-opensource-7-bin "
                "(apt-get install virtuoso-opensource-7-bin; .ci/run does)"
            )
    return None


@dataclass
class Virtuoso:
    process: subprocess.Popen[bytes]
    folder: Path
    http_port: int
    sql_port: int
    user: str
    password: str

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    def env(self, chunk: int = 1000) -> dict[str, str]:
        """How hsfhs is told about this store: the documented environment variables."""
        return {
            "HSFHS_ENDPOINT": self.query_url,
            "HSFHS_UPDATE_ENDPOINT": self.update_url,
            "HSFHS_ENDPOINT_USER": self.user,
            "HSFHS_ENDPOINT_PASSWORD": self.password,
            "HSFHS_UPDATE_CHUNK": str(chunk),
        }

    @classmethod
    def start(cls, folder: Path, ready_s: float = 90) -> Virtuoso:
        folder.mkdir(parents=True, exist_ok=True)
        http_port, sql_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(INI.format(db=folder, sql_port=sql_port, http_port=http_port))
        log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - kept open for the process
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = cls(process, folder, http_port, sql_port, "dba", "dba")
        server._wait(ready_s)
        server._set_password(secrets.token_urlsafe(16))
        return server

    def _wait(self, ready_s: float) -> None:
        deadline = time.monotonic() + ready_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited:\n{self.log()}")
            try:
                urllib.request.urlopen(f"{self.query_url}?query=ASK%7B%7D", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer in {ready_s} s:\n{self.log()}")

    def _set_password(self, password: str) -> None:
        """Replace the well-known dba/dba with a password only this run knows."""
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", self.user, self.password,
             f"exec=user_set_password('{self.user}', '{password}');"],
            capture_output=True, text=True, timeout=30, env={**os.environ, "HOME": str(self.folder)},
        )
        if result.returncode != 0:
            raise RuntimeError(f"isql-vt could not set the password: {result.stdout}{result.stderr}")
        self.password = password

    def log(self) -> str:
        parts = []
        for name in ("stdout.log", "virtuoso.log"):
            path = self.folder / name
            if path.exists():
                parts.append(path.read_text(errors="replace")[-3000:])
        return "\n".join(parts)

    def stop(self) -> None:
        """SIGTERM (Virtuoso checkpoints and exits), SIGKILL after 10 s."""
        stop_process(self.process)
