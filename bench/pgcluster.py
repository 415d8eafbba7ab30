"""A throwaway PostgreSQL cluster of the benchmarks' own, on a port of its own.

The load, fault and restore benchmarks kill, archive and restore PostgreSQL; doing that to the
machine's shared server would break everyone else's databases, so they start a cluster here
with `initdb` and `pg_ctl` (as the postgres user when run as root, since PostgreSQL refuses to
run as root) and remove it when asked.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
OWNER = "postgres"


def _as_owner(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", OWNER, "--", *args]
    return subprocess.run(args, check=True, text=True, capture_output=True,  # noqa: S603
                          **kwargs)


class Cluster:
    def __init__(self, folder: Path, port: int):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = port

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def exists(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self, settings: dict | None = None) -> None:
        """initdb with trust on loopback, then append `settings` to postgresql.conf."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, OWNER, OWNER)
        _as_owner([str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                   "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
        conf = {"port": self.port, "listen_addresses": "'127.0.0.1'",
                "unix_socket_directories": f"'{self.folder}'", "fsync": "on",
                "shared_buffers": "'256MB'", "max_connections": 100, **(settings or {})}
        with (self.data / "postgresql.conf").open("a") as f:
            f.writelines(f"{k} = {v}\n" for k, v in conf.items())

    def start(self, data: Path | None = None) -> None:
        _as_owner([str(BIN / "pg_ctl"), "-D", str(data or self.data), "-w", "-t", "600",
                   "-l", str(self.folder / "server.log"), "start"])

    def stop(self, data: Path | None = None) -> None:
        _as_owner([str(BIN / "pg_ctl"), "-D", str(data or self.data), "-m", "fast", "-w",
                   "stop"])

    def running(self) -> bool:
        return subprocess.run([str(BIN / "pg_isready"), "-h", "127.0.0.1", "-p",  # noqa: S603
                               str(self.port)], capture_output=True).returncode == 0

    def postmaster_pid(self, data: Path | None = None) -> int:
        return int((Path(data or self.data) / "postmaster.pid").read_text().split()[0])

    def kill9(self) -> int:
        """SIGKILL the postmaster, as a crash or the OOM killer would; returns its pid."""
        pid = self.postmaster_pid()
        os.kill(pid, signal.SIGKILL)
        return pid

    def wait_ready(self, seconds: float = 120) -> float:
        start = time.perf_counter()
        while not self.running():
            if time.perf_counter() - start > seconds:
                raise RuntimeError(f"PostgreSQL on {self.port} not ready after {seconds} s")
            time.sleep(0.2)
        return time.perf_counter() - start

    def psql(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(  # noqa: S603
            [str(BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", database, "-At", "-c", sql], check=True, text=True,
            capture_output=True).stdout.strip()

    def remove(self) -> None:
        if self.exists() and (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
