"""The point-in-time recovery drill of docs/deploy.md, carried out and timed on a throwaway
cluster: how much is lost (recovery point) and how long a restore takes (recovery time).

    python -m bench.restore_drill [--quick] [--children N] [--rate R]

1. Starts a PostgreSQL cluster of its own (port 5498 under /tmp/bench-restore; never the
   machine's shared server) configured as docs/deploy.md says: `wal_level = replica`,
   `archive_mode = on`, `archive_timeout = 60`, `archive_command` copying each segment to an
   archive folder. Migrates it and loads a synthetic city.
2. Takes a base backup with `pg_basebackup -Ft -z -Xs --checkpoint=fast`.
3. Writes through the application while it runs: partner messages through the partner API,
   each processed inline into an event, a task and audit rows. Notes a target time and the
   row counts and audit chain at that moment, writes more after it, switches the WAL segment.
4. Restore to the target time: a fresh data folder from the base backup, `restore_command`
   from the archive, `recovery_target_time`, `recovery.signal`; started on another port.
   Recovery time = unpacking plus replay until it accepts connections. Then `audit verify`
   on it and the counts compared with those noted at the target time.
5. The disaster: writes continue at `--rate` a second; the server is killed (kill -9) and its
   disk is treated as lost (its pg_wal is not used). Restore from the base backup and the
   archive alone, replaying to the end. Recovery point = how many acknowledged writes are
   missing and the time between the last one recovered and the crash.
"""

import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

from bench.common import parser, progress, report, setup_django
from bench.pgcluster import Cluster, _as_owner

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(os.environ.get("BENCH_RESTORE_DIR", "/tmp/bench-restore"))  # noqa: S108
PORT, RESTORE_PORT = 5498, 5499
DATABASE = "bench_restore"
TABLES = ("feeds_inboxmessage", "events_event", "tasks_task", "audit_auditentry")
ARCHIVE_TIMEOUT = 60


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 10,000 (quick 1,000)")
    p.add_argument("--rate", type=float, default=5, help="writes a second during the drill")
    args = p.parse_args()
    children = args.children or (1_000 if args.quick else 10_000)
    shutil.rmtree(FOLDER, ignore_errors=True)
    archive, base = FOLDER / "wal-archive", FOLDER / "base"
    source = Cluster(FOLDER / "source", PORT)
    source.init({"wal_level": "replica", "archive_mode": "on",
                 "archive_timeout": ARCHIVE_TIMEOUT,
                 "archive_command": f"'test ! -f {archive}/%f && cp %p {archive}/%f'"})
    archive.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(archive, "postgres", "postgres")
    source.start()
    source.psql(f"CREATE DATABASE {DATABASE}")
    env = _env(source)
    os.environ.update(env)
    setup_django()
    figures: dict = {"children": children, "archive_timeout_s": ARCHIVE_TIMEOUT,
                     "load_average_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "generate_city", "--children", str(children), "--seed", "1",
                "--ending-today")
        writer = Writer()
        writer.write(50)
        progress("base backup...")
        started = time.perf_counter()
        base.mkdir()
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
        _as_owner(["/usr/bin/pg_basebackup", "-h", "127.0.0.1", "-p", str(PORT), "-U",
                   "postgres", "-D", str(base), "-Ft", "-z", "-Xs", "--checkpoint=fast"])
        figures["base_backup_seconds"] = round(time.perf_counter() - started, 1)
        figures["base_backup_mb"] = round(sum(f.stat().st_size for f in base.iterdir()) / 2**20,
                                          1)
        figures["database_mb"] = round(int(source.psql(
            f"SELECT pg_database_size('{DATABASE}')")) / 2**20, 1)
        writer.write(100)
        time.sleep(1.5)
        target = source.psql("SELECT now()")
        at_target = _counts(source)
        time.sleep(1.5)
        writer.write(100)
        source.psql("SELECT pg_switch_wal()")
        _wait_archived(source)
        figures["to_target_time"] = _restore(source, base, archive, at_target, target=target)
        figures["to_target_time"].pop("restored_cluster")
        figures["to_target_time"]["target_time"] = target
        figures["disaster"] = _disaster(source, base, archive, writer, args.rate)
    finally:
        for folder in (FOLDER / "source" / "data", FOLDER / "restored" / "data"):
            if (folder / "postmaster.pid").exists():
                subprocess.run(["runuser", "-u", "postgres", "--",  # noqa: S603, S607
                                "/usr/lib/postgresql/15/bin/pg_ctl", "-D", str(folder),
                                "-m", "immediate", "stop"], capture_output=True)
    figures["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    shutil.rmtree(FOLDER, ignore_errors=True)
    report("restore_drill", figures)
    if not (figures["to_target_time"]["counts_equal"]
            and figures["to_target_time"]["audit_verify_exit"] == 0
            and figures["disaster"]["audit_verify_exit"] == 0):
        sys.exit(1)


def _env(cluster: Cluster) -> dict:
    env = dict(os.environ)
    var = FOLDER / "var"
    var.mkdir(parents=True, exist_ok=True)
    env.update({"DATABASE_URL": cluster.url(DATABASE), "SAFEROPTIONS_VAR_DIR": str(var),
                "SAFEROPTIONS_EVALUATION_DIR": str(var / "evaluation"), "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY",
                                                   secrets.token_urlsafe(50)),
                "SAFEROPTIONS_Q_SYNC": "1", "DJANGO_LOG_LEVEL": "WARNING"})
    return env


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    progress(f"manage.py {' '.join(args)}")
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,  # noqa: S603
                          text=True, capture_output=True)


class Writer:
    """Partner messages through the API, processed inline: an event, a task, audit rows."""

    def __init__(self):
        from django.conf import settings
        from django.test import Client

        from saferoptions.core.models import Agency
        from saferoptions.feeds import services

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        _, self.token = services.create_partner_system(
            actor=None, name=f"bench-restore-{secrets.token_hex(3)}",
            agency=Agency.objects.get(slug="hospital-ed"), feed_types=["ed_assault"])
        self.client = Client()
        self.n = 0
        self.acknowledged: list[tuple[str, float]] = []
        self.stop = threading.Event()

    def one(self) -> None:
        from saferoptions.core import clock

        now, key = clock.now(), f"drill-{self.n}"
        self.n += 1
        body = {"idempotency_key": key, "source_reference": key,
                "occurred_at": (now - dt.timedelta(hours=1)).isoformat(),
                "arrival_at": (now - dt.timedelta(minutes=30)).isoformat(),
                "assault_method": "knife_sharp", "location_type": "street", "patient_age": 17}
        code = self.client.post("/api/feeds/ed_assault/messages/", data=json.dumps(body),
                                content_type="application/json",
                                headers={"Authorization": f"Bearer {self.token}"}).status_code
        if 200 <= code < 300:
            self.acknowledged.append((key, time.time()))

    def write(self, count: int) -> None:
        for _ in range(count):
            self.one()

    def steady(self, rate: float) -> None:
        while not self.stop.is_set():
            try:
                self.one()
            except Exception:  # noqa: BLE001 - the server was killed under us
                return
            time.sleep(1 / rate)


def _counts(cluster: Cluster, port_db: str = DATABASE) -> dict:
    return {t: int(cluster.psql(f"SELECT count(*) FROM {t}", port_db))  # noqa: S608 - ours
            for t in TABLES}


def _wait_archived(cluster: Cluster) -> None:
    for _ in range(120):
        failed, last = cluster.psql(
            "SELECT failed_count, coalesce(last_archived_wal, '') FROM pg_stat_archiver").split("|")
        current = cluster.psql("SELECT pg_walfile_name(pg_current_wal_lsn())")
        if last and last >= _previous(current):
            return
        time.sleep(0.5)
    raise RuntimeError(f"WAL not archived (failures: {failed})")


def _previous(walfile: str) -> str:
    timeline, log, seg = walfile[:8], int(walfile[8:16], 16), int(walfile[16:], 16)
    if seg == 0:
        log, seg = log - 1, 0xFF
    else:
        seg -= 1
    return f"{timeline}{log:08X}{seg:08X}"


def _restore(source: Cluster, base: Path, archive: Path, expected: dict | None,
             target: str | None) -> dict:
    """A fresh data folder from the base backup and the archive; timed until it answers."""
    restored = Cluster(FOLDER / "restored", RESTORE_PORT)
    if restored.data.exists():
        if (restored.data / "postmaster.pid").exists():
            restored.stop()
        shutil.rmtree(restored.data)
    progress(f"restoring to {target or 'the end of the archive'}...")
    started = time.perf_counter()
    restored.data.mkdir(parents=True, mode=0o700)
    with tarfile.open(base / "base.tar.gz") as tar:
        tar.extractall(restored.data, filter="tar")  # our own backup
    with tarfile.open(base / "pg_wal.tar.gz") as tar:
        tar.extractall(restored.data / "pg_wal", filter="tar")
    unpacked = time.perf_counter() - started
    settings = {"port": RESTORE_PORT, "archive_mode": "off",
                "unix_socket_directories": f"'{restored.folder}'",
                "restore_command": f"'cp {archive}/%f %p'",
                "recovery_target_action": "'promote'"}
    if target:
        settings["recovery_target_time"] = f"'{target}'"
    with (restored.data / "postgresql.auto.conf").open("a") as f:
        f.writelines(f"{k} = {v}\n" for k, v in settings.items())
    (restored.data / "recovery.signal").touch()
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", str(restored.folder)],  # noqa: S603, S607
                       check=True)
    restored.start()
    while restored.psql("SELECT pg_is_in_recovery()") != "f":
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    env = _env(restored)
    verify = _manage(env, "audit", "verify")
    counts = _counts(restored)
    out = {"recovery_seconds": round(seconds, 1), "unpack_seconds": round(unpacked, 1),
           "wal_segments_archived": len(list(archive.iterdir())),
           "counts": counts, "audit_verify_exit": verify.returncode,
           "audit_verify_said": (verify.stdout + verify.stderr).strip()[-200:]}
    if expected is not None:
        out["counts_at_target"] = expected
        out["counts_equal"] = counts == expected
    out["restored_cluster"] = restored
    return out


def _disaster(source: Cluster, base: Path, archive: Path, writer: Writer, rate: float) -> dict:
    """Steady writes, kill -9, the disk lost: restore from the base backup and archive only."""
    from django.db import connection

    seconds = 2.5 * ARCHIVE_TIMEOUT
    progress(f"steady writes at {rate:g}/s for {seconds:g} s, then kill -9...")
    thread = threading.Thread(target=writer.steady, args=(rate,), daemon=True)
    written_before = len(writer.acknowledged)
    thread.start()
    time.sleep(seconds)
    crashed_at = time.time()
    source.kill9()
    writer.stop.set()
    thread.join(timeout=30)
    connection.close()
    acknowledged = writer.acknowledged
    result = _restore(source, base, archive, None, target=None)
    restored = result.pop("restored_cluster")
    keys = set(restored.psql(
        "SELECT idempotency_key FROM feeds_inboxmessage WHERE idempotency_key LIKE 'drill-%'",
        DATABASE).split())
    missing = [(k, t) for k, t in acknowledged if k not in keys]
    recovered = [t for k, t in acknowledged if k in keys]
    restored.stop()
    return {**result, "writes_during": len(acknowledged) - written_before,
            "acknowledged": len(acknowledged), "lost": len(missing),
            "recovery_point_seconds": round(crashed_at - max(recovered), 1) if recovered
            else None, "crash_after_seconds": seconds}


if __name__ == "__main__":
    main()
