"""A throwaway PostgreSQL 15 cluster for the store's tests: ``initdb`` in a temporary folder,
``pg_ctl start`` on a Unix socket in that folder (no TCP port), password login, stopped and
deleted at the end.

PostgreSQL refuses to run as root: under root the cluster runs as the unprivileged ``postgres``
user (``runuser``), which then owns the folder. The binaries are looked up on ``PATH``, then in
``/usr/lib/postgresql/15/bin``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

USER, PASSWORD = "planner", "s3cret-pw"
PORT = 5433  # only names the socket file: the cluster listens on no TCP port
SEARCH = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")


def binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for folder in SEARCH:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


class Cluster:
    """A running cluster; :meth:`url` gives a fresh database's SQLAlchemy URL."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        # A short path: a Unix socket's path is limited to about 100 characters.
        self.folder = Path(tempfile.mkdtemp(prefix="planner-pg-", dir="/tmp"))
        self.data = self.folder / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.folder, 0o700)
        password_file = self.folder / "pw"
        password_file.write_text(PASSWORD)
        if self.as_user:
            os.chown(password_file, pwd.getpwnam("postgres").pw_uid, -1)
        self._run(
            "initdb",
            "-D", str(self.data),
            "-U", USER,
            f"--pwfile={password_file}",
            "--auth=scram-sha-256",
            "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        options = f"-c listen_addresses='' -k {self.folder} -p {PORT} -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w",
            "start",
        )  # fmt: skip
        self._databases = 0

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def url(self, database: str, *, password: str = PASSWORD) -> str:
        """The SQLAlchemy URL of ``database`` in this cluster."""
        return f"postgresql+psycopg://{USER}:{password}@/{database}?host={self.folder}&port={PORT}"

    def new_database(self) -> str:
        """A new, empty database's URL."""
        self._databases += 1
        name = f"test_{self._databases}"
        with psycopg.connect(
            host=str(self.folder), port=PORT, user=USER, password=PASSWORD, dbname="postgres",
            autocommit=True,
        ) as connection:  # fmt: skip
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
