"""A working morning under load: 50 people on the production server while partner feeds arrive.

    python -m bench.load [--children N] [--reuse] [--minutes M] [--users 50] [--rate 50]
                         [--faults] [--keep]

Starts a throwaway PostgreSQL cluster of its own (`bench/pgcluster.py`, port 5497 under
/tmp/bench-load; never the machine's shared server), fills it as `make demo` does (a synthetic
city of N children ending today, linked, the demo accounts and caseloads, the last fortnight
replayed through the rules), then serves it as `make serve-prod` does: gunicorn with WhiteNoise
(2 workers) and the django-q2 worker cluster as separate processes, on loopback.

Against it, for `--minutes`: a locust swarm (locust as a library, headless, in a process of its
own so its CPU can be counted) of `--users` people, each waiting 5-15 s between pages, in the
journeys' proportions: Hub practitioners on the triage queue and its concerns (20%),
practitioners of four agencies on their task inbox, their work and their children's pages
(50%), locality chairs on the meetings and their agendas (10%), strategic leads and analysts on
the three apps (20%). Meanwhile partner feeds arrive at `--rate` events a second through the
partner API (an ED knife-assault attendance of a 17-year-old each, so each must become a
rapid-response task); event-to-task latency is from the send to the task being committed.

`--faults` adds, at a quarter, half and three quarters of the run: kill -9 of a gunicorn worker
(its master starts another), kill -9 of the whole worker cluster (restarted after 5 s, as
systemd's `Restart=always` does) and kill -9 of the PostgreSQL postmaster (restarted after 5 s
with `pg_ctl start`, the one command `systemctl start postgresql` stands for). A partner whose
send failed sends again with the same idempotency key, as the API asks. Afterwards it checks
that every message the API accepted (2xx) is in the inbox exactly once and became exactly one
task, and that `audit verify` passes.

`--reuse` serves the city an earlier run left (with `--keep`, or the cluster is removed at the
end). The 100,000-child city takes long to build on a 2-core machine; the full-size run is

    python -m bench.load --children 100000 --keep      # then: --reuse [--faults]

Targets (issue 18, 100,000 children): page p95 <= 300 ms, p99 <= 1 s, no errors without
faults, event-to-task p95 <= 1 s.
"""

import contextlib
import http.client
import json
import os
import random
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import parser, progress, report

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
FOLDER = Path(os.environ.get("BENCH_LOAD_DIR", "/tmp/bench-load"))  # noqa: S108 - throwaway
PG_PORT = int(os.environ.get("BENCH_LOAD_PG_PORT", "5497"))
WEB_PORT = int(os.environ.get("BENCH_LOAD_WEB_PORT", "8790"))
DATABASE = "bench_load"
TOKEN = secrets.token_urlsafe(24)
RUN = secrets.token_hex(4)
TARGETS = {"page_p95_ms": 300, "page_p99_ms": 1000, "errors": 0, "event_to_task_p95_s": 1.0}
# The journeys' roles, their share of the people signed in, and their demo accounts.
ROLES = {
    "hub": (0.2, ["hub_practitioner"]),
    "practitioner": (0.5, ["social_worker", "lead_worker", "early_help_worker",
                           "police_officer"]),
    "chair": (0.1, ["locality_chair"]),
    "analyst": (0.2, ["strategic_lead", "analyst"]),
}


def environment(cluster) -> dict:
    """What `make serve-prod` gives the processes, on the bench's own cluster and folder."""
    env = dict(os.environ)
    var = FOLDER / "var"
    var.mkdir(parents=True, exist_ok=True)
    (FOLDER / "metrics").mkdir(exist_ok=True)
    key = FOLDER / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(50))
    env.update({
        "DATABASE_URL": cluster.url(DATABASE), "SAFEROPTIONS_VAR_DIR": str(var),
        "SAFEROPTIONS_EVALUATION_DIR": str(var / "evaluation"),
        "DJANGO_SECRET_KEY": key.read_text().strip(), "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_COOKIES": "0", "SAFEROPTIONS_STATIC_MANIFEST": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(FOLDER / "metrics"), "SAFEROPTIONS_Q_SYNC": "0",
        "SAFEROPTIONS_BIND": f"127.0.0.1:{WEB_PORT}", "SAFEROPTIONS_MONITORING_TOKEN": TOKEN,
        "DJANGO_LOG_LEVEL": "WARNING", "SAFEROPTIONS_DEMO": "1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    })
    return env


def manage(env: dict, *args: str) -> str:
    progress(f"manage.py {' '.join(args)}")
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, text=True,  # noqa: S603
                          capture_output=True)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def build(cluster, env: dict, children: int, reuse: bool) -> dict:
    figures = {}
    if reuse:
        if not cluster.exists():
            sys.exit(f"--reuse: no earlier city under {FOLDER} (run once with --keep)")
        if not cluster.running():
            cluster.start()
        # The kept city was built by older code: bring its schema up to this code's, as an
        # upgrade would (docs/deploy.md), so the run measures the code under test.
        manage(env, "migrate", "--noinput")
        return figures
    cluster.remove()
    cluster.init({"max_connections": 200})
    cluster.start()
    cluster.psql(f"CREATE DATABASE {DATABASE}")
    started = time.perf_counter()
    manage(env, "migrate", "--noinput")
    manage(env, "generate_city", "--children", str(children), "--seed", "1", "--ending-today")
    figures["city_seconds"] = round(time.perf_counter() - started, 1)
    manage(env, "create_demo_accounts")
    manage(env, "assign_demo_caseloads")
    manage(env, "bring_demo_to_life")
    figures["build_seconds"] = round(time.perf_counter() - started, 1)
    (FOLDER / "children").write_text(str(children))
    return figures


def pages_by_role() -> dict:
    """For each role: its demo accounts' sessions and the pages those people open."""
    from django.conf import settings
    from django.test import Client

    from saferoptions.accounts import demo
    from saferoptions.cases.models import Concern, TeamAroundChildMember
    from saferoptions.cases.selectors.triage import _queue_q
    from saferoptions.core.models import Role
    from saferoptions.meetings.models import LocalityMeeting

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    out = {}
    for role, (_, names) in ROLES.items():
        accounts = []
        for name in names:
            user = demo.user_for(Role(name))
            if role == "hub":
                urls = ["/cases/triage/?sort=due", "/cases/triage/"] + [
                    f"/cases/concerns/{pk}/" for pk in Concern.objects.filter(
                        _queue_q(user), outcome="").order_by("due_at")
                    .values_list("pk", flat=True)[:15]]
            elif role == "practitioner":
                urls = ["/tasks/", "/cases/my-work/"] + [
                    f"/people/{m.person.public_id}/" for m in TeamAroundChildMember.objects
                    .filter(user=user, ended_on=None).select_related("person")[:15]]
            elif role == "chair":
                urls = ["/meetings/"] + [f"/meetings/{pk}/" for pk in LocalityMeeting.objects
                                         .filter(locality=user.locality_id).order_by("-pk")
                                         .values_list("pk", flat=True)[:6]]
            else:
                urls = ["/dashboard/safer-options/",
                        "/dashboard/violence-reduction/", "/dashboard/exploitation/"]
            client = Client()
            client.force_login(user)
            working = [u for u in urls if client.get(u).status_code == 200]
            if len(working) < len(urls):
                progress(f"  {name}: {len(urls) - len(working)} of {len(urls)} pages not 200, "
                         "left out")
            sessions = []
            for _ in range(25):
                c = Client()
                c.force_login(user)
                sessions.append(c.cookies["sessionid"].value)
            accounts.append({"user": name, "urls": working, "sessions": sessions})
        out[role] = accounts
    return out


# ----------------------------------------------------------------------------- the processes

class Services:
    """gunicorn and the worker cluster, as `make serve-prod` starts them."""

    def __init__(self, env: dict):
        self.env = env
        self.web = self.worker = None
        (FOLDER / "logs").mkdir(exist_ok=True)

    def _start(self, args: list[str], log: str) -> subprocess.Popen:
        out = (FOLDER / "logs" / log).open("ab")
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=out,  # noqa: S603
                                stderr=out, start_new_session=True)

    def start(self) -> None:
        metrics = FOLDER / "metrics"
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir()
        self.web = self._start([str(Path(PY).parent / "gunicorn"), "-c",
                                "deploy/gunicorn.conf.py", "saferoptions.wsgi"], "web.log")
        self.start_worker()
        for _ in range(300):
            if get("/healthz")[0] == 200:
                return
            time.sleep(0.2)
        sys.exit("gunicorn did not answer /healthz within 60 s")

    def start_worker(self) -> None:
        self.worker = self._start([PY, "manage.py", "qcluster"], "worker.log")

    def web_workers(self) -> list[int]:
        import psutil

        return [p.pid for p in psutil.Process(self.web.pid).children()]

    def stop(self) -> None:
        for p in (self.web, self.worker):
            if p and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in (self.web, self.worker):
            if p:
                try:
                    p.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)


def get(path: str, headers: dict | None = None) -> tuple[int, bytes]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=10)
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    except OSError:
        return 0, b""


# ------------------------------------------------------------------------- the partner feeds

class Feeds(threading.Thread):
    """Partner systems posting at `rate` a second; a failed send is sent again, same key."""

    def __init__(self, token: str, rate: float, seconds: float):
        super().__init__(daemon=True)
        self.token, self.rate, self.seconds = token, rate, seconds
        self.watcher = Watcher()
        self.sent_at: dict[str, float] = {}
        self.accepted: set[str] = set()
        self.answers: dict[int, int] = {}
        self.retries = 0
        self.unaccepted: set[str] = set()
        self.lock = threading.Lock()
        self.local = threading.local()

    def post(self, n: int) -> None:
        key = f"load-{RUN}-{n}"
        payload = body(key)
        with self.lock:
            self.sent_at.setdefault(key, time.time())
        self.watcher.expect(key)
        for attempt in range(30):  # about 3 minutes of a partner's retries
            code = self._send(payload)
            with self.lock:
                self.answers[code] = self.answers.get(code, 0) + 1
                if 200 <= code < 300:
                    self.accepted.add(key)
                    return
                if attempt:
                    self.retries += 1
            time.sleep(min(2 ** attempt * 0.5, 10))
        with self.lock:
            self.unaccepted.add(key)

    def _send(self, payload: bytes) -> int:
        if not hasattr(self.local, "conn"):
            self.local.conn = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=30)
        try:
            self.local.conn.request("POST", "/api/feeds/ed_assault/messages/", body=payload,
                                    headers={"Authorization": f"Bearer {self.token}",
                                             "Content-Type": "application/json"})
            response = self.local.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.local.conn.close()
            del self.local.conn
            return 0

    def run(self) -> None:
        self.watcher.start()
        start = time.time() + 0.2
        pool = ThreadPoolExecutor(max_workers=24)
        for i in range(int(self.rate * self.seconds)):
            delay = start + i / self.rate - time.time()
            if delay > 0:
                time.sleep(delay)
            pool.submit(self.post, i)
        # Sends a slow server left queued past the run's end are not offered: the run is
        # bounded in time, and the rate achieved is reported beside the rate asked for.
        pool.shutdown(wait=True, cancel_futures=True)


def body(key: str) -> bytes:
    """bench.feeds' message: an ED knife-assault attendance of a 17-year-old."""
    import datetime as dt

    from saferoptions.core import clock

    now = clock.now()
    return json.dumps({
        "idempotency_key": key, "source_reference": key,
        "occurred_at": (now - dt.timedelta(hours=1)).isoformat(),
        "arrival_at": (now - dt.timedelta(minutes=30)).isoformat(),
        "assault_method": "knife_sharp", "location_type": "street", "patient_age": 17,
    }).encode()


class Watcher(threading.Thread):
    """When each message's task is committed (accepted in the same transaction), every 50 ms;
    it keeps watching while PostgreSQL restarts."""

    def __init__(self):
        super().__init__(daemon=True)
        self.seen: dict[str, float] = {}
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def expect(self, key: str) -> None:
        with self.lock:
            self.pending.add(key)

    def run(self) -> None:
        from django.db import close_old_connections, connection

        from saferoptions.feeds.models import InboxMessage

        while not self.stopping.wait(0.05):
            with self.lock:
                pending = list(self.pending)[:2000]
            if not pending:
                continue
            try:
                accepted = list(InboxMessage.objects.filter(
                    idempotency_key__in=pending, status="accepted").values_list(
                    "idempotency_key", flat=True))
            except Exception:  # noqa: BLE001 - the database is restarting; ask again
                connection.close()
                time.sleep(0.5)
                continue
            now = time.time()
            with self.lock:
                for key in accepted:
                    self.seen.setdefault(key, now)
                    self.pending.discard(key)
        close_old_connections()

    def wait_for(self, keys: list[str], seconds: float) -> dict[str, float]:
        deadline = time.time() + seconds
        while time.time() < deadline and any(k not in self.seen for k in keys):
            time.sleep(0.2)
        return {k: self.seen[k] for k in keys if k in self.seen}


def partner_token() -> str:
    from saferoptions.core.models import Agency
    from saferoptions.feeds import services

    _, token = services.create_partner_system(
        actor=None, name=f"bench-load-{RUN}", agency=Agency.objects.get(slug="hospital-ed"),
        feed_types=["ed_assault"])
    return token


# ------------------------------------------------------------------------------ the swarm

def swarm(config_path: str) -> None:
    """Run locust in this process (it patches the standard library with gevent)."""
    import gevent
    from locust import HttpUser, between, events, task
    from locust.env import Environment

    config = json.loads(Path(config_path).read_text())
    timings: list[tuple[float, str, float, bool]] = []

    def on_request(request_type, name, response_time, response_length, exception=None, **kw):
        timings.append((time.time(), name, response_time, exception is None))
    events.request.add_listener(on_request)

    def user_class(role: str, share: float, accounts: list) -> type:
        counter = iter(range(10**6))

        class Person(HttpUser):
            host = f"http://127.0.0.1:{WEB_PORT}"
            wait_time = between(5, 15)
            fixed_count = max(1, round(config["users"] * share))

            def on_start(self):
                n = next(counter)
                account = accounts[n % len(accounts)]
                self.urls = account["urls"]
                self.client.cookies.set("sessionid", account["sessions"][
                    (n // len(accounts)) % len(account["sessions"])])

            @task
            def open_page(self):
                url = random.choice(self.urls)  # noqa: S311 - not security
                name = f"{role} {url.split('?')[0].rstrip('/').rsplit('/', 1)[0]}/…"
                with self.client.get(url, name=name, allow_redirects=False,
                                     catch_response=True) as r:
                    if r.status_code != 200:
                        r.failure(f"{r.status_code}")

        Person.__name__ = f"{role.title()}User"
        return Person

    classes = [user_class(role, ROLES[role][0], accounts)
               for role, accounts in config["roles"].items()]
    env = Environment(user_classes=classes, events=events)
    runner = env.create_local_runner()
    wall, cpu = time.time(), _cpu()
    runner.start(config["users"], spawn_rate=config["users"] / 10)
    gevent.spawn_later(config["seconds"], runner.quit)
    runner.greenlet.join()
    out = {"wall_s": time.time() - wall, "cpu_s": _cpu() - cpu, "timings": timings,
           "users": runner.user_count if runner.user_count else config["users"],
           "failures": {f"{e.name}: {e.error}": e.occurrences
                        for e in env.stats.errors.values()}}
    Path(config["out"]).write_text(json.dumps(out))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ------------------------------------------------------------------------------- the faults

def faults(services: "Services", cluster, seconds: float, log: list) -> None:
    def at(share: float, what: str, action) -> None:
        time.sleep(max(0.0, start + share * seconds - time.time()))
        log.append({"at_s": round(time.time() - start, 1), "fault": what, **action()})
        progress(f"fault: {log[-1]}")

    def web_worker():
        pid = services.web_workers()[0]
        os.kill(pid, signal.SIGKILL)
        return {"pid": pid, "recovered": "gunicorn's master starts a new worker"}

    def worker_cluster():
        pid = services.worker.pid
        os.killpg(pid, signal.SIGKILL)
        services.worker.wait()
        time.sleep(5)
        services.start_worker()
        return {"pid": pid, "recovered": "restarted after 5 s (systemd Restart=always)"}

    def postgres():
        pid = cluster.kill9()
        time.sleep(5)
        while True:  # the killed postmaster's backends leave as they notice it has gone
            try:
                cluster.start()
                break
            except subprocess.CalledProcessError:
                time.sleep(1)
        return {"pid": pid, "ready_after_restart_s": round(cluster.wait_ready(), 1),
                "recovered": "pg_ctl start after 5 s (systemctl start postgresql)"}

    start = time.time()
    at(0.25, "kill -9 a gunicorn worker", web_worker)
    at(0.50, "kill -9 the django-q2 worker cluster", worker_cluster)
    at(0.75, "kill -9 the PostgreSQL postmaster", postgres)


# ------------------------------------------------------------------------------- the checks

def ledger(feeds: Feeds) -> dict:
    """Every accepted message once in the inbox, each become exactly one task."""
    from django.db import connection
    from django.db.models import Count

    from saferoptions.feeds.models import InboxMessage
    from saferoptions.tasks.models import Task

    connection.close()  # PostgreSQL may have restarted under this process
    keys = sorted(feeds.accepted)
    rows = InboxMessage.objects.filter(idempotency_key__in=keys)
    per_key = rows.values("idempotency_key").annotate(n=Count("pk"))
    doubled_messages = sum(1 for r in per_key if r["n"] > 1)
    statuses = dict(rows.values_list("status").annotate(n=Count("pk")))
    events = rows.exclude(event=None).values("event_id")
    tasks = Task.objects.filter(event_id__in=events)
    doubled_tasks = tasks.values("event_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {"accepted_2xx": len(keys), "in_inbox": per_key.count(),
            "lost": len(keys) - per_key.count(), "doubled_messages": doubled_messages,
            "statuses": statuses, "tasks": tasks.count(), "doubled_tasks": doubled_tasks,
            "never_accepted": len(feeds.unaccepted), "partner_retries": feeds.retries,
            "answers": {str(k): v for k, v in sorted(feeds.answers.items())}}


def settle(feeds: Feeds, seconds: float) -> int:
    """Wait for every accepted message to be processed (the sweep re-queues the stranded)."""
    from saferoptions.feeds.models import InboxMessage

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            waiting = InboxMessage.objects.filter(
                idempotency_key__in=list(feeds.accepted), status="received").count()
        except Exception:  # noqa: BLE001 - the database may still be coming back
            from django.db import connection

            connection.close()
            waiting = -1
        if waiting == 0:
            return 0
        time.sleep(2)
    return waiting


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def process_cpu(services: "Services", cluster) -> dict:
    """CPU seconds used so far by the web, the worker and PostgreSQL, each with its children.

    A process's own time plus what its children that have ended took (the kernel adds a reaped
    child's time to its parent's): gunicorn replaces a worker after `max_requests`, django-q2
    recycles its workers and PostgreSQL's backends and autovacuum workers come and go, and
    counting only the processes alive at the end missed most of the run's CPU."""
    import psutil

    def tree(pid: int) -> float:
        try:
            top = psutil.Process(pid)
            total = 0.0
            for proc in [top, *top.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    t = proc.cpu_times()
                    total += t.user + t.system + t.children_user + t.children_system
            return total
        except psutil.Error:
            return 0.0
    with contextlib.suppress(OSError, ValueError):
        postgres = tree(cluster.postmaster_pid())
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {"web": tree(services.web.pid), "worker": tree(services.worker.pid),
            "postgres": postgres if "postgres" in locals() else 0.0,
            # The partner systems' sends and the task watcher run in this process: the bench's
            # own cost on the machine, beside locust's.
            "bench_feeds_and_watcher": own.ru_utime + own.ru_stime}


def machine_cpu() -> tuple[float, float]:
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]  # total, idle + iowait


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 100,000 (quick 2,000)")
    p.add_argument("--reuse", action="store_true", help="serve the city an earlier run kept")
    p.add_argument("--keep", action="store_true", help="leave the cluster for --reuse")
    p.add_argument("--minutes", type=float, default=None, help="default 10 (quick 1)")
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--rate", type=float, default=50, help="partner events a second")
    p.add_argument("--faults", action="store_true", help="kill -9 web, worker and PostgreSQL")
    p.add_argument("--swarm", help=argparse_hidden())
    args = p.parse_args()
    if args.swarm:
        return swarm(args.swarm)
    children = args.children or (2_000 if args.quick else 100_000)
    seconds = 60 * (args.minutes or (1 if args.quick else 10))
    from bench.pgcluster import Cluster

    cluster = Cluster(FOLDER / "pg", PG_PORT)
    env = environment(cluster)
    figures: dict = {"faults": args.faults, "users": args.users, "feed_rate_per_s": args.rate,
                     "seconds": seconds, **build(cluster, env, children, args.reuse)}
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update(env)
    from bench.common import setup_django

    setup_django()
    from saferoptions.people.models import Person

    figures["children"] = int((FOLDER / "children").read_text())
    figures["people"] = Person.objects.count()  # the city's children and adults
    progress("signing in the journeys' people...")
    roles = pages_by_role()
    token = partner_token()
    services = Services(env)
    services.start()
    try:
        figures.update(run(services, cluster, roles, token, seconds, args))
    finally:
        services.stop()
        if not args.keep:
            cluster.remove()
    report("load", figures)
    if not figures.get("target_met"):
        sys.exit(1 if not args.faults else 0)


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


def run(services, cluster, roles, token, seconds, args) -> dict:
    out: dict = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
    feeds = Feeds(token, args.rate, seconds)
    config = Path(tempfile.mkdtemp(prefix="bench-load-")) / "swarm.json"
    result_path = config.with_name("result.json")
    config.write_text(json.dumps({"users": args.users, "seconds": seconds, "roles": roles,
                                  "out": str(result_path)}))
    fault_log: list = []
    total0, idle0 = machine_cpu()
    cpu0 = process_cpu(services, cluster)
    progress(f"{args.users} people and {args.rate:g} events/s for {seconds / 60:g} minutes...")
    swarm_process = subprocess.Popen([PY, "-m", "bench.load", "--swarm", str(config)],  # noqa: S603
                                     cwd=ROOT)
    feeds.start()
    if args.faults:
        threading.Thread(target=faults, args=(services, cluster, seconds, fault_log),
                         daemon=True).start()
    swarm_process.wait()
    feeds.join()
    total1, idle1 = machine_cpu()
    cpu1 = process_cpu(services, cluster)
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result = json.loads(result_path.read_text())
    progress("waiting for the worker to finish the accepted messages...")
    out["still_waiting_after_settle"] = settle(feeds, 240 if args.faults else 60)
    pages = [t for t in result["timings"]]
    page_ms = [t[2] for t in pages if t[3]]
    errors = sum(1 for t in pages if not t[3])
    keys = sorted(feeds.accepted)
    seen = feeds.watcher.wait_for(keys, seconds=30)
    feeds.watcher.stopping.set()
    latencies = [seen[k] - feeds.sent_at[k] for k in keys if k in seen]
    out.update({
        "page_requests": len(pages), "requests_per_s": round(len(pages) / result["wall_s"], 2),
        "page_p50_ms": round(percentile(page_ms, 0.50) or 0, 1),
        "page_p95_ms": round(percentile(page_ms, 0.95) or 0, 1),
        "page_p99_ms": round(percentile(page_ms, 0.99) or 0, 1),
        "errors": errors, "error_kinds": result["failures"],
        "by_role": by_role(pages),
        "feed_messages_per_s": round(len(feeds.sent_at) / seconds, 1),
        "feed_messages_offered": int(args.rate * seconds), "feed_messages_sent": len(feeds.sent_at),
        "event_to_task_p50_s": round(percentile(latencies, 0.50) or 0, 3),
        "event_to_task_p95_s": round(percentile(latencies, 0.95) or 0, 3),
        "event_to_task_p99_s": round(percentile(latencies, 0.99) or 0, 3),
        "locust_cpu_share_of_two_cores": round(
            result["cpu_s"] / (result["wall_s"] * (os.cpu_count() or 2)), 3),
        "machine_cpu_busy_share": round(1 - (idle1 - idle0) / (total1 - total0), 3),
        # Where the served work went: CPU seconds per page and per partner message, the figures
        # a partnership sizes its machines by (docs/scaling.md). Approximate under faults.
        "cpu_seconds": {k: round(cpu1[k] - cpu0[k], 1) for k in cpu1},
    })
    out["all_requests_per_s"] = round(out["requests_per_s"] + out["feed_messages_per_s"], 1)
    if args.faults:
        out["fault_log"] = fault_log
        out["errors_by_phase"] = phases(pages, fault_log, result["wall_s"])
    out["ledger"] = ledger(feeds)
    verify = subprocess.run([PY, "manage.py", "audit", "verify"], cwd=ROOT,  # noqa: S603
                            env=services.env, capture_output=True, text=True)
    out["audit_verify"] = {"exit": verify.returncode,
                           "said": (verify.stdout + verify.stderr).strip()[-300:]}
    status, body = get("/readyz", {"Authorization": f"Bearer {TOKEN}"})
    out["readyz_after"] = {"status": status, **(json.loads(body) if status in (200, 503)
                                                  and body.startswith(b"{") else {})}
    ledger_ok = (out["ledger"]["lost"] == 0 and out["ledger"]["doubled_messages"] == 0
                 and out["ledger"]["doubled_tasks"] == 0
                 and out["ledger"]["tasks"] == out["ledger"]["accepted_2xx"])
    out["nothing_lost_or_doubled"] = ledger_ok
    out["targets"] = TARGETS
    out["target_met"] = ledger_ok and verify.returncode == 0 and (args.faults or (
        out["page_p95_ms"] <= TARGETS["page_p95_ms"]
        and out["page_p99_ms"] <= TARGETS["page_p99_ms"] and errors == 0
        and out["event_to_task_p95_s"] <= TARGETS["event_to_task_p95_s"]))
    return out


def by_role(timings: list) -> dict:
    out: dict = {}
    for _, name, ms, ok in timings:
        out.setdefault(name.split()[0], []).append((ms, ok))
    return {role: {"requests": len(v), "p95_ms": round(percentile([m for m, ok in v if ok], 0.95)
                                                       or 0, 1),
                   "errors": sum(1 for _, ok in v if not ok)} for role, v in out.items()}


def phases(timings: list, log: list, wall: float) -> list:
    """Page errors in each stretch between faults, so a fault's cost can be seen."""
    if not timings:
        return []
    start = timings[0][0]
    bounds = [0.0, *[f["at_s"] for f in log], wall + 60]
    out = []
    for low, high in zip(bounds, bounds[1:], strict=False):
        inside = [t for t in timings if low <= t[0] - start < high]
        out.append({"from_s": low, "requests": len(inside),
                    "errors": sum(1 for t in inside if not t[3])})
    return out


if __name__ == "__main__":
    main()
