"""Registration bench: the real app under gunicorn, many people registering at once for a few
sessions, on SQLite and on PostgreSQL, against a bare Flask insert measured in the same run.

    .venv/bin/python bench/registration.py [--databases sqlite,postgresql] [--worker-classes sync,gthread]
                                           [--clients 48] [--duration 10] [--wrk] [--profile]

For each database and gunicorn worker class (2 workers): a bare Flask app whose one POST inserts
one row (bench/_bare_insert.py), then the app itself (wsgi:app): registrations spread over one
large session and a few small ones that fill up (the rest goes to their waiting lists),
registrations all for one session, and confirmations (the POST behind the link in the mail) of
that one session's registrations. Every load client opens the session page once for its CSRF
token and cookie, as a browser does, then posts the form over a keep-alive connection.

Reported per case: requests per second, p50 and p95 latency, errors, the CPU each request cost in
the gunicorn processes, in PostgreSQL and in the load client (all on the same cores), and where
the workers' time went (running, waiting for a CPU, blocked). Besides: how long a registration
holds the session lock (measured in-process), and, after the run, the capacity check: for every
session `seats_taken` equals its pending plus confirmed registrations, `waitlist_count` its
waiting list, nobody is over capacity, and every change queued its mail.

Aims (the issue's): registrations at least half the bare insert's throughput, and at least 50
confirmed registrations per second for one single session. A report, not a test: the exit code
is 0 whatever the figures; "BELOW AIM" marks a miss. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time as dtime
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import _common as common

BENCH = Path(__file__).resolve().parent
PROJECT_ROOT = common.PROJECT_ROOT
AIM_RATIO, AIM_SINGLE = 0.5, 50.0
SECRET = "bench"  # noqa: S105 - the key _common.bench_app signs with; the server must verify the same links
ADMIN_URL = "postgresql://postgres@localhost:5432/postgres"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The form as the shortest honest registration fills it in (the other fields are optional).
FORM = {
    "first_name": "An",
    "last_name": "Peeters",
    "privacy": "y",
    "childcare_type": "gezinsopvang",
    "postcode": "9000",
    # As a person on a hybrid session's page must say (elsewhere the form ignores it).
    "attends": "on_site",
}
PASSWORD = "bench bench bench bench"  # noqa: S105 - the one staff account of a throwaway database
TICK = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count() or 1
REGISTER_MIXED, REGISTER_ONE, CONFIRM_ONE = (
    "register, {n} sessions",
    "register, 1 session",
    "confirm, 1 session",
)
FLOOR = "floor: same work, same libraries"  # --floor: bench/registration_floor.py under gunicorn


# --------------------------------------------------------------------------- databases


@dataclass
class Database:
    kind: str  # "sqlite" or "postgresql"
    url: str  # the app's (SQLAlchemy form)
    bare_url: str  # the bare insert's
    where: str
    pg_name: str | None = None  # whose backends' CPU to count


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="startklaar-bench-") as tmp:
        yield Database(
            "sqlite",
            f"sqlite:///{Path(tmp) / 'app.sqlite'}",
            f"sqlite:///{Path(tmp) / 'bare.sqlite'}",
            "fresh SQLite files (WAL, synchronous=NORMAL) in a temporary directory",
        )


@contextmanager
def postgresql_database(admin_url: str) -> Iterator[Database]:
    """A throwaway database on the admin URL's server, created here and dropped at the end."""
    import psycopg

    name = f"startklaar_bench_{secrets.token_hex(4)}"
    admin = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    try:
        yield Database(
            "postgresql", common.normalise_url(url), url, f"throwaway database {name} on {base}", name
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- data


@dataclass
class Plan:
    """The sessions of one server run."""

    mixed: list[int]  # one large session and the small ones that fill up
    single: int  # one large session: registrations, then their confirmations
    wrk: int  # one large session for the wrk cross-check
    warmup: int  # a small one, so the waiting-list mails are compiled before the clock runs


class Seeder:
    """Topic, venue and presenter once per database; sessions per server run, through the services."""

    LARGE = 1_000_000  # never full: an online session has no venue to cap it

    def __init__(self, app) -> None:
        from app.auth.models import Role
        from app.auth.services import create_user
        from sessions.services import save_topic, save_venue

        self.app, self.day = app, 14
        with app.app_context():
            self.topic_id = save_topic(
                None,
                title=f"Gezinsopvang starten {secrets.token_hex(2)}",
                description="Van idee tot vergunning.",
                agenda=[("Welkom", 10), ("Het starterstraject", 50)],
            ).id
            self.venue_id = save_venue(
                None, name="Zaal Kouter", street="Kouter 1", postcode="9000", capacity=40
            ).id
            self.user_id = create_user("bench.presentator@example.com", Role.EXPERT, "Bench", PASSWORD).id

    def session(self, capacity: int, online: bool) -> int:
        from app.timezone import from_local, local
        from sessions import services
        from sessions.models import SessionFormat

        self.day += 1  # one a day: the presenter is never in two places at once
        with self.app.app_context():
            starts = from_local(local(common.utc_now()).date() + timedelta(days=self.day), dtime(19, 0))
            data = services.SessionData(
                topic_id=self.topic_id,
                format=SessionFormat.ONLINE if online else SessionFormat.ON_SITE,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=capacity,
                presenter_ids=[self.user_id],
                venue_id=None if online else self.venue_id,
                meeting_url="https://meet.example.com/bench" if online else None,
                allow_holiday=True,
            )
            session = services.create_session(data)
            services.publish_session(session)
            return session.id

    def plan(self, small: int, small_capacity: int) -> Plan:
        small_ids = [self.session(small_capacity, online=False) for _ in range(small)]
        return Plan(
            mixed=[self.session(self.LARGE, online=True), *small_ids],
            single=self.session(self.LARGE, online=True),
            wrk=self.session(self.LARGE, online=True),
            warmup=self.session(10, online=True),
        )


def confirm_paths(app, session_id: int, waitlisted: bool = False) -> list[str]:
    """The confirm links of a session's pending (and waitlisted) registrations, as in their mails."""
    from sqlalchemy import select

    from app.extensions import db
    from registrations import links
    from registrations.models import Registration, RegistrationStatus

    statuses = [RegistrationStatus.PENDING] + ([RegistrationStatus.WAITLISTED] if waitlisted else [])
    with app.app_context():
        rows = db.session.scalars(
            select(Registration)
            .where(Registration.session_id == session_id, Registration.status.in_(statuses))
            .order_by(Registration.id)
        ).all()
        paths = [f"/inschrijving/{links.make_token(r, 'confirm')}/bevestigen" for r in rows]
        db.session.remove()
        db.engine.dispose()  # hold no connection while the server works
    return paths


def check_capacity(app) -> tuple[list[str], list[str]]:
    """(a line per session, the violations): the capacity rule, the denormalised counters, the
    outbox (every registration and every confirmation queued its mail in its transaction)."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.outbox.models import OutboxMessage
    from registrations.models import Registration, RegistrationStatus
    from sessions.models import InfoSession

    S = RegistrationStatus
    lines, bad = [], []
    with app.app_context():
        counts: dict[int, Counter] = {}
        query = select(Registration.session_id, Registration.status, func.count()).group_by(
            Registration.session_id, Registration.status
        )
        for session_id, status, n in db.session.execute(query):
            counts.setdefault(session_id, Counter())[status] = n
        for s in db.session.scalars(select(InfoSession).order_by(InfoSession.id)):
            c = counts.get(s.id, Counter())
            held = c[S.PENDING] + c[S.CONFIRMED]
            lines.append(
                f"session {s.id}: capacity {s.capacity:,}, seats_taken {s.seats_taken:,} "
                f"(pending {c[S.PENDING]:,} + confirmed {c[S.CONFIRMED]:,}), "
                f"waiting list {s.waitlist_count:,} ({c[S.WAITLISTED]:,} rows)"
            )
            if s.seats_taken > s.capacity or held > s.capacity:
                bad.append(f"session {s.id} OVERBOOKED: {held} held, capacity {s.capacity}")
            if s.seats_taken != held:
                bad.append(f"session {s.id}: seats_taken {s.seats_taken} but {held} pending+confirmed rows")
            if s.waitlist_count != c[S.WAITLISTED]:
                bad.append(f"session {s.id}: waitlist_count {s.waitlist_count} but {c[S.WAITLISTED]} rows")
        registrations = sum(sum(c.values()) for c in counts.values())
        confirmed = sum(c[S.CONFIRMED] for c in counts.values())
        # Confirming a place on a waiting list sends a mail too ("waitlisted").
        in_line = db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.status == S.WAITLISTED, Registration.email_confirmed_at.is_not(None))
        )
        mails = db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        lines.append(
            f"outbox: {mails:,} mails for {registrations:,} registrations, {confirmed:,} confirmations "
            f"and {in_line:,} confirmed places on a waiting list"
        )
        if mails != registrations + confirmed + in_line:
            bad.append(f"outbox has {mails} mails, expected {registrations + confirmed + in_line}")
        db.session.remove()
        db.engine.dispose()
    return lines, bad


# --------------------------------------------------------------------------- the critical section


@dataclass
class LockProbe:
    name: str
    request_ms: float  # median wall time of the whole request, in-process
    held_ms: float  # median time from taking the lock to the end of the commit

    @property
    def ceiling(self) -> float:
        return 1000 / self.held_ms


def probe_lock(app, seeder: Seeder, count: int) -> list[LockProbe]:
    """How long a registration and a confirmation hold the session's lock, one request at a
    time through Flask's test client (no contention): from the statement that takes it (BEGIN
    IMMEDIATE on SQLite, SELECT … FOR UPDATE on PostgreSQL) to the end of the commit. Whatever the
    number of workers and cores, one session (on SQLite: the whole database) takes at most
    1000 / held registrations per second."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    engine = common.engine_of(app)
    state: dict = {"t0": None}
    held: list[float] = []

    def before(_conn, _cursor, statement, *_args) -> None:
        if state["t0"] is None and ("BEGIN IMMEDIATE" in statement or "FOR UPDATE" in statement):
            state["t0"] = time.perf_counter()

    def after_commit(_session) -> None:
        if state["t0"] is not None:
            held.append(time.perf_counter() - state["t0"])
            state["t0"] = None

    session_id = seeder.session(Seeder.LARGE, online=True)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(Session, "after_commit", after_commit)
    probes = []
    try:
        client = app.test_client()
        page = client.get(f"/sessies/{session_id}")
        token = CSRF.search(page.get_data(as_text=True)).group(1)
        jobs = {
            "registration": [
                (f"/sessies/{session_id}/inschrijven", {**FORM, "email": f"probe-{n}@example.com"})
                for n in range(count + 10)
            ],
        }
        for name, requests in [*jobs.items(), ("confirmation", None)]:
            if requests is None:
                requests = [(path, {}) for path in confirm_paths(app, session_id)]
            walls = []
            held.clear()
            for path, form in requests:
                started = time.perf_counter()
                response = client.post(path, data={**form, "csrf_token": token})
                walls.append(time.perf_counter() - started)
                if response.status_code != 302:
                    raise SystemExit(f"lock probe: {path} answered {response.status_code}")
            walls, measured = walls[10:], held[10:]  # the first ones compile templates
            probes.append(
                LockProbe(name, statistics.median(walls) * 1000, statistics.median(measured) * 1000)
            )
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(Session, "after_commit", after_commit)
        engine.dispose()
    return probes


# --------------------------------------------------------------------------- CPU accounting


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _backends(database: str) -> list[int]:
    """The PostgreSQL backends serving `database` (the title reads 'postgres: … user db host …')."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres:") and f" {database} " in title:
                pids.append(int(entry.name))
    return pids


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)  # less idle and iowait


def _schedstat(pid: int) -> tuple[int, int]:
    """(ns on a CPU, ns runnable but waiting for a CPU) of all threads of a process."""
    run = wait = 0
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return 0, 0
    for task in tasks:
        try:
            on_cpu, queued, _slices = (int(x) for x in (task / "schedstat").read_text().split())
        except (OSError, ValueError):
            continue
        run, wait = run + on_cpu, wait + queued
    return run, wait


@dataclass
class CpuSample:
    server: int  # clock ticks of the gunicorn master and workers
    postgres: int  # clock ticks of the backends of the bench's database
    client: float  # this process's CPU seconds
    busy: int  # the machine's busy and total jiffies
    total: int
    workers_run: int  # ns the workers' threads ran
    workers_wait: int  # ns they were runnable but no CPU was free
    at: float


def cpu_sample(server_pid: int, pg_name: str | None) -> CpuSample:
    workers = _children(server_pid)
    run = wait = 0
    for pid in workers:
        r, w = _schedstat(pid)
        run, wait = run + r, wait + w
    busy, total = _machine()
    return CpuSample(
        server=sum(_ticks(p) for p in [server_pid, *workers]),
        postgres=sum(_ticks(p) for p in _backends(pg_name)) if pg_name else 0,
        client=time.process_time(),
        busy=busy,
        total=total,
        workers_run=run,
        workers_wait=wait,
        at=time.perf_counter(),
    )


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving `target` (wsgi:app, or a module of bench/: _bare_insert:app,
    registration_floor:app) on 127.0.0.1."""

    def __init__(self, target: str, env: dict, *, workers: int, worker_class: str, threads: int, log: Path):
        self.port, self.log, self.workers = free_port(), log, workers
        self.worker_class = worker_class
        here = BENCH if (BENCH / f"{target.partition(':')[0]}.py").exists() else PROJECT_ROOT
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-k", worker_class,
            "-b", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "5",
            "--error-logfile", "-", "--log-level", "warning", "--chdir", str(here),
        ]  # fmt: skip
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        clean = {
            k: v
            for k, v in os.environ.items()
            if k not in ("SMTP_URL", "REDIS_URL", "STARTKLAAR_ENV", "GUNICORN_CMD_ARGS")
        }
        clean.update(env, BASE_URL=f"http://127.0.0.1:{self.port}")
        self.log_start = log.stat().st_size if log.exists() else 0
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [*command, target], cwd=PROJECT_ROOT, env=clean, stdout=output, stderr=subprocess.STDOUT
            )

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path)
                status = connection.getresponse().status
                connection.close()
                if status == 200 and len(_children(self.process.pid)) >= self.workers:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn did not start:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def errors(self) -> list[str]:
        with self.log.open("rb") as fh:
            fh.seek(self.log_start)
            text = fh.read().decode(errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or "[ERROR]" in line]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


# --------------------------------------------------------------------------- the load client


@dataclass
class Workload:
    """What the clients do: GET `page` once for a CSRF token and cookie, then POST what `next`
    gives — (path, form fields, what the Location of a success redirect contains) — until it
    gives None or the time or count is up."""

    name: str
    page: str
    next: Callable[[int, int], tuple[str, dict, str] | None]


@dataclass
class Result:
    name: str
    server: str = ""
    worker_class: str = ""
    database: str = ""
    requests: int = 0
    ok: int = 0
    errors: Counter = field(default_factory=Counter)
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu: dict = field(default_factory=dict)
    wrk: bool = False
    note: str = ""
    rounds: int = 0
    raw: dict = field(default_factory=dict)
    wrk_percentiles: list[tuple[float, float]] = field(default_factory=list)  # (p50, p95) per round

    @property
    def rate(self) -> float:
        return self.ok / self.wall if self.wall else 0.0

    def percentile(self, q: float) -> float:
        if self.wrk_percentiles:  # wrk's own figures, averaged over the rounds
            return statistics.mean(p[0 if q == 0.5 else 1] for p in self.wrk_percentiles)
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(int(q * len(ordered)), len(ordered) - 1)] * 1000

    @property
    def cpu_ms(self) -> float | None:
        """App, database and client CPU per request: what one request costs the machine."""
        if "server" not in self.cpu:
            return None
        return self.cpu["server"] + (self.cpu["postgres"] or 0) + self.cpu["client"]

    @property
    def ceiling(self) -> float | None:
        """Requests per second if every CPU of the machine did nothing else."""
        return CPUS * 1000 / self.cpu_ms if self.cpu_ms else None


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection; opens again when the server closed it."""

    def __init__(self, port: int) -> None:
        self.port, self.reader, self.writer, self.used = port, None, None, False

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, cookie: str, body: bytes = b"") -> tuple:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        if method == "POST":
            head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        raw = (head + "\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.used = False
            reused = self.used
            try:
                self.writer.write(raw)
                answer = await self._read()
                self.used = True
                return answer
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                self.close()
                # A kept-alive connection the server closed meanwhile: send again on a new one.
                if not (reused and attempt == 1):
                    raise HttpError(f"connection: {type(error).__name__}") from error
        raise AssertionError("unreachable")

    async def _read(self) -> tuple[int, dict, list, bytes]:
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers, cookies = {}, []
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name:
                name, value = name.strip().lower(), value.strip()
                if name == "set-cookie":
                    cookies.append(value.split(";", 1)[0])
                else:
                    headers[name] = value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()  # gunicorn's sync worker answers every request so
        return status, headers, cookies, body


def _merge(jar: dict, cookies: list[str]) -> None:
    for cookie in cookies:
        name, _, value = cookie.partition("=")
        jar[name.strip()] = value


async def _load(port: int, workload: Workload, clients: int, duration: float, limit: int, result, on_start):
    jars: list[dict] = [{} for _ in range(clients)]
    tokens: list[str] = [""] * clients
    connections = [Connection(port) for _ in range(clients)]

    async def prepare(i: int) -> None:
        # As a browser: open the page once, keep its cookie and the form's CSRF token.
        status, _headers, cookies, body = await connections[i].request("GET", workload.page, "")
        _merge(jars[i], cookies)
        match = CSRF.search(body.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise SystemExit(f"{workload.name}: no form on {workload.page} (status {status})")
        tokens[i] = match.group(1)

    await asyncio.gather(*(prepare(i) for i in range(clients)))
    on_start()  # the meters (and the profiler) start here: the pages above are not measured
    started = time.perf_counter()
    deadline, last, issued = started + duration, [started], [0]

    async def client(i: int) -> None:
        n = 0
        while time.perf_counter() < deadline and issued[0] < limit:
            job = workload.next(i, n)
            if job is None:
                return
            issued[0], n = issued[0] + 1, n + 1
            path, fields, expect = job
            body = urlencode({**fields, "csrf_token": tokens[i]}).encode()
            cookie = "; ".join(f"{k}={v}" for k, v in jars[i].items())
            sent = time.perf_counter()
            try:
                status, headers, cookies, _body = await connections[i].request("POST", path, cookie, body)
            except HttpError as error:
                result.requests += 1
                result.errors[str(error)] += 1
                continue
            now = time.perf_counter()
            result.latencies.append(now - sent)
            result.requests += 1
            last[0] = max(last[0], now)
            _merge(jars[i], cookies)
            location = headers.get("location", "")
            if status == 302 and expect in location:
                result.ok += 1
            elif status == 302:
                result.errors[f"302 to {location[:60]}"] += 1
            else:
                result.errors[f"status {status}"] += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    for connection in connections:
        connection.close()
    result.wall = last[0] - started


def run_case(
    server: Server, workload: Workload, args, *, into: Result | None = None, pg_name=None, profile_to=None
) -> Result:
    """One round of a case: `args.clients` clients for `args.duration` seconds; the figures are
    added to `into` (the case's result over all its rounds)."""
    result = into or Result(workload.name)
    started: dict = {}

    def on_start() -> None:
        if profile_to is not None:
            started["spy"] = start_profile(server.process.pid, args.duration, profile_to)
        started["cpu"] = cpu_sample(server.process.pid, pg_name)

    round_ = Result(workload.name)
    asyncio.run(
        _load(server.port, workload, args.clients, args.duration, args.max_requests, round_, on_start)
    )
    before, after = started["cpu"], cpu_sample(server.process.pid, pg_name)
    if "spy" in started:
        started["spy"].wait(timeout=args.duration + 60)
    return accumulate(result, round_, before, after, server.workers, pg_name, after.client - before.client)


def accumulate(result: Result, round_: Result, before, after, workers: int, pg_name, client: float) -> Result:
    """Add one round's counts and CPU to a case's result and work out its figures per request."""
    result.requests += round_.requests
    result.ok += round_.ok
    result.errors.update(round_.errors)
    result.wall += round_.wall
    result.latencies += round_.latencies
    result.rounds += 1
    for key, value in {
        "server": (after.server - before.server) / TICK,
        "postgres": (after.postgres - before.postgres) / TICK,
        "client": client,
        "busy": after.busy - before.busy,
        "total": after.total - before.total,
        "run": (after.workers_run - before.workers_run) / 1e9,
        "queued": (after.workers_wait - before.workers_wait) / 1e9,
        "span": (after.at - before.at) * workers,
    }.items():
        result.raw[key] = result.raw.get(key, 0) + value
    n, raw = max(result.requests, 1), result.raw
    result.cpu = {
        "server": raw["server"] / n * 1000,
        "postgres": raw["postgres"] / n * 1000 if pg_name else None,
        "client": raw["client"] / n * 1000,
        "busy": 100 * raw["busy"] / max(raw["total"], 1),
        # Shares of (workers x wall clock): running, waiting for a CPU, and (sync only) neither:
        # blocked on the database's lock, the database, or the network.
        "run": 100 * raw["run"] / raw["span"],
        "queued": 100 * raw["queued"] / raw["span"],
    }
    return result


def warm_up(server: Server, workloads: list, args) -> None:
    """A few seconds of each kind of request, not measured: every worker compiles its templates,
    reads the postcode list and opens its database connections before the clock runs."""
    quick = argparse.Namespace(**{**vars(args), "clients": 4, "duration": args.warmup / len(workloads)})
    for workload in workloads:
        run_case(server, workload() if callable(workload) else workload, quick)


# --------------------------------------------------------------------------- workloads


def bare_workload(tag: str) -> Workload:
    def next_job(i: int, n: int):
        return "/insert", {"first_name": "An", "email": f"{tag}-{i}-{n}@example.com"}, "/done"

    return Workload("bare insert", "/form", next_job)


def floor_workload(tag: str) -> Workload:
    def next_job(i: int, n: int):
        return "/register", {**FORM, "email": f"{tag}-{i}-{n}@example.com"}, "/done"

    return Workload(FLOOR, "/form", next_job)


def register_workload(name: str, session_ids: list[int], tag: str) -> Workload:
    def next_job(i: int, n: int):
        session_id = session_ids[(i + n) % len(session_ids)]
        fields = {**FORM, "email": f"{tag}-{i}-{n}@example.com"}
        return f"/sessies/{session_id}/inschrijven", fields, f"/sessies/{session_id}/ingeschreven"

    return Workload(name, f"/sessies/{session_ids[0]}", next_job)


def confirm_workload(session_id: int, paths: list[str]) -> Workload:
    queue = list(reversed(paths))

    def next_job(_i: int, _n: int):
        # One event loop and no await in between: popping needs no lock.
        return (queue.pop(), {}, "/inschrijving/") if queue else None

    return Workload(CONFIRM_ONE, f"/sessies/{session_id}", next_job)


# --------------------------------------------------------------------------- wrk (cross-check)


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "{path}", nil, "{before}" .. n .. "{after}")
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95)))
end
"""


def run_wrk(server: Server, workload: Workload, args, tmp: Path, *, into: Result, pg_name=None) -> Result:
    """The same POSTs driven by wrk (C, one thread, as many connections as our clients, one CSRF
    token and cookie for all): if its rate is close to ours, our client is not what limits the
    figures. wrk counts a status of 400 or more as an error, any other answer as a success."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", workload.page)
    response = connection.getresponse()
    html = response.read().decode("utf-8", "replace")
    cookie = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    connection.close()
    path, fields, _expect = workload.next(0, 0)
    body = urlencode({**fields, "csrf_token": CSRF.search(html).group(1), "email": "EMAIL"})
    before, _, after = body.partition("EMAIL")
    tag = f"wrk{secrets.token_hex(3)}"
    before += quote(f"{tag}-", safe="")
    after = quote("@example.com", safe="") + after
    script = tmp / f"{tag}.lua"
    script.write_text(WRK_SCRIPT.format(cookie=cookie, path=path, before=before, after=after))
    seconds = max(round(args.duration), 1)
    command = ["wrk", "-t1", f"-c{args.clients}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script)]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = cpu_sample(server.process.pid, pg_name)
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{server.port}"], capture_output=True, text=True, timeout=seconds + 60
    )
    end = cpu_sample(server.process.pid, pg_name)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = used.ru_utime + used.ru_stime - children.ru_utime - children.ru_stime
    round_ = Result(into.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        into.note = f"wrk failed: {out.stderr.strip()[:200]}"
        return into
    requests, micros, socket_errors, status_errors, p50, p95 = (int(x) for x in line.split()[1:])
    round_.requests, round_.wall, round_.ok = requests, micros / 1e6, requests - status_errors
    if socket_errors:
        round_.errors["socket errors"] = socket_errors
    if status_errors:
        round_.errors["status >= 400"] = status_errors
    into.wrk_percentiles.append((p50 / 1000, p95 / 1000))
    return accumulate(into, round_, start, end, server.workers, pg_name, client)


# --------------------------------------------------------------------------- py-spy (optional)


def py_spy() -> str | None:
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


def start_profile(pid: int, duration: float, output: Path) -> subprocess.Popen:
    command = [
        py_spy(), "record", "--pid", str(pid), "--subprocesses", "--duration", str(max(int(duration), 1)),
        "--rate", "250", "--format", "raw", "--output", str(output), "--nonblocking",
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# (which profile, label, frames any of which puts a sample in it): shares of the workers' samples.
PARTS = [
    ("register", "the registration view (POST …/inschrijven)", ["register (registrations/views.py:"]),
    ("register", "  CSRF check (Flask-WTF)", ["flask_wtf/csrf.py"]),
    ("register", "  the form: build and validate (WTForms)", ["FormMeta.__call__", "validate_on_submit"]),
    ("register", "  get_public_session (before the lock)", ["get_public_session"]),
    ("register", "  services.register", ["register (registrations/services/registering.py:"]),
    ("register", "    clean: e-mail, postcode (before the lock)", ["clean (registrations/services/data.py:"]),
    ("register", "    lock_session: commit, then BEGIN IMMEDIATE / FOR UPDATE", ["lock_session ("]),
    ("register", "    expire_stale (under the lock)", ["expire_stale (registrations/services/waitlist.py:"]),
    ("register", "    flush: INSERT registration, UPDATE session (under the lock)", ["Session.flush ("]),
    ("register", "    mails.queue: the mail intent (under the lock)", ["queue (registrations/mails.py:"]),
    (
        "register",
        "    outbox enqueue_many: INSERT (under the lock)",
        ["enqueue_many (app/outbox/services/queueing.py:"],
    ),
    ("register", "    commit", ["Session.commit ("]),
    ("confirm", "the confirm view (POST …/bevestigen)", ["confirm (registrations/views.py:"]),
    ("confirm", "  get_by_link: check the signed link, load", ["get_by_link ("]),
    ("confirm", "  services.confirm_registration", ["confirm_registration ("]),
    ("confirm", "    lock_session", ["lock_session ("]),
    ("confirm", "    mails.queue: the mail intent (under the lock)", ["queue (registrations/mails.py:"]),
    (
        "confirm",
        "    outbox enqueue_many (under the lock)",
        ["enqueue_many (app/outbox/services/queueing.py:"],
    ),
    ("confirm", "  the manage link for the redirect (loads the row again)", ["make_token ("]),
    ("any", "gunicorn, outside the Flask app", None),
    ("any", "anywhere: SQLAlchemy", ["sqlalchemy/"]),
    ("any", "anywhere: the driver's execute and commit", ["do_execute (", "do_commit ("]),
    ("any", "anywhere: Jinja templates", ["jinja2/"]),
    ("any", "anywhere: Babel, Flask-Babel", ["babel/"]),
]


def summarise_profile(path: Path, view: str) -> list[str]:
    """Inclusive shares of a py-spy raw profile (one 'frame;frame;… count' line per stack)."""
    if not path.exists() or not path.stat().st_size:
        return ["  (no profile written: py-spy needs ptrace on the workers)"]
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack, int(count)))
    total = sum(c for _s, c in stacks) or 1
    out = [
        f"  {total:,} samples of the workers' threads while not asleep (py-spy also counts the wait "
        "for PostgreSQL's answers inside psycopg)"
    ]
    for which, label, needles in PARTS:
        if which not in (view, "any"):
            continue
        if needles is None:
            n = sum(c for s, c in stacks if "Flask.__call__ (" not in s)
        else:
            n = sum(c for s, c in stacks if any(needle in s for needle in needles))
        out.append(f"  {100 * n / total:5.1f} %  {label}")
    by_package = Counter()
    for stack, count in stacks:
        frame = stack.rsplit(";", 1)[-1]
        match = re.search(r"\(([^:)]+)", frame)
        file = match.group(1) if match else frame
        package = file.split("/", 1)[0] if "/" in file else file
        if file.startswith(("app/", "registrations/", "sessions/")) or file.endswith((".html", ".txt")):
            package = "the project's code and templates"
        by_package[package] += count
    out.append("  own time by package (the top 10):")
    out += [f"  {100 * c / total:5.1f} %  {name}" for name, c in by_package.most_common(10)]
    return out


# --------------------------------------------------------------------------- one database


def bench_servers(app, database: Database, plan: Plan, worker_class: str, args, tmp: Path):
    """The bare insert and the app, each under its own gunicorn with the same settings, both up
    at once (the idle one costs nothing) so that the cases can take turns: each case runs
    `--rounds` times, round-robin, and load from elsewhere on the machine hits them alike."""
    options = {"workers": args.workers, "worker_class": worker_class, "threads": args.threads}
    log = tmp / f"gunicorn-{database.kind}-{worker_class}.log"
    tag = f"{database.kind[:2]}{worker_class[:2]}{secrets.token_hex(2)}"
    bare_env = {"SECRET_KEY": SECRET, "BARE_DATABASE_URL": database.bare_url}
    app_env = {"SECRET_KEY": SECRET, "RATELIMIT_ENABLED": "0", "DATABASE_URL": database.url}
    step = f"[{database.kind}, {worker_class}]"
    mixed = REGISTER_MIXED.format(n=len(plan.mixed))
    names = ["bare insert", mixed, REGISTER_ONE, CONFIRM_ONE]
    if args.wrk:
        names[1:1], names[4:4] = ["bare insert (wrk)"], [f"{REGISTER_ONE} (wrk)"]
    if args.floor:
        names.insert(1, FLOOR)
    results = {name: Result(name, wrk=name.endswith("(wrk)")) for name in names}
    servers = []
    profiles: list[tuple[str, Path]] = []
    try:
        bare = Server("_bare_insert:app", bare_env, **options, log=log)
        servers.append(bare)
        server = Server("wsgi:app", app_env, **options, log=log)
        servers.append(server)
        floor = None
        if args.floor:
            floor_env = {"FLOOR_DATABASE_URL": database.bare_url}
            floor = Server("registration_floor:app", floor_env, **options, log=log)
            servers.append(floor)
            floor.wait_ready("/form")
        bare.wait_ready("/form")
        server.wait_ready("/healthz")
        print(f"{step} warm-up", flush=True)
        warm_up(bare, [bare_workload(tag + "w")], args)
        if floor:
            warm_up(floor, [floor_workload(tag + "v")], args)
        warm_up(
            server,
            [
                register_workload("warm-up", [plan.warmup], tag + "u"),
                lambda: confirm_workload(plan.warmup, confirm_paths(app, plan.warmup, waitlisted=True)),
            ],
            args,
        )
        each = argparse.Namespace(**{**vars(args), "duration": args.duration / args.rounds})
        for n in range(args.rounds):
            print(f"{step} round {n + 1} of {args.rounds}", flush=True)
            cases = [
                (bare, "bare insert", lambda n=n: bare_workload(f"{tag}b{n}")),
                (bare, "bare insert (wrk)", lambda n=n: bare_workload(f"{tag}c{n}")),
                (floor, FLOOR, lambda n=n: floor_workload(f"{tag}f{n}")),
                (server, mixed, lambda n=n: register_workload(mixed, plan.mixed, f"{tag}m{n}")),
                (
                    server,
                    REGISTER_ONE,
                    lambda n=n: register_workload(REGISTER_ONE, [plan.single], f"{tag}s{n}"),
                ),
                (server, f"{REGISTER_ONE} (wrk)", lambda: register_workload(REGISTER_ONE, [plan.wrk], "")),
                (server, CONFIRM_ONE, lambda: confirm_workload(plan.single, confirm_paths(app, plan.single))),
            ]
            for target, name, make in cases:
                if name not in results:
                    continue
                into = results[name]
                if into.wrk:
                    run_wrk(target, make(), each, tmp, into=into, pg_name=database.pg_name)
                    continue
                profile = None
                if args.profile and n == args.rounds - 1 and name in (REGISTER_ONE, CONFIRM_ONE):
                    profile = tmp / f"profile-{database.kind}-{worker_class}-{len(profiles)}.txt"
                    profiles.append((name, profile))
                run_case(target, make(), each, into=into, pg_name=database.pg_name, profile_to=profile)
        found = list(results.values())
    finally:
        for running in servers:
            running.stop()
    errors = [line for running in servers for line in running.errors()]
    return found, errors, profiles


def bench_database(database: Database, args, tmp: Path) -> tuple[list[Result], list[str], list[LockProbe]]:
    from _bare_insert import make_engine, metadata

    app = common.bench_app(database.url, SECRET_KEY=SECRET)
    common.migrate(app)
    engine = make_engine(database.bare_url)
    metadata.create_all(engine)
    engine.dispose()
    if args.floor:
        from registration_floor import prepare_floor

        prepare_floor(database.bare_url)
    seeder = Seeder(app)
    print(f"[{database.kind}] the critical section, in-process", flush=True)
    probes = probe_lock(app, seeder, args.probe)
    results: list[Result] = []
    notes: list[str] = []
    for worker_class in args.worker_classes:
        label = f"{args.workers} x {worker_class}"
        if worker_class == "gthread":
            label += f" ({args.threads} threads)"
        plan = seeder.plan(args.small_sessions, args.small_capacity)
        common.engine_of(app).dispose()  # hold no connection while the servers work
        found, errors, profiles = bench_servers(app, database, plan, worker_class, args, tmp)
        for result in found:
            result.server, result.worker_class, result.database = label, worker_class, database.kind
        results += found
        if errors:
            notes.append(f"{database.kind}, {label}: {len(errors)} errors in the gunicorn logs: {errors[0]}")
        for name, profile in profiles:
            notes.append(f"\nWhere the workers' time goes: {database.kind}, {label}, {name} (py-spy)")
            notes += summarise_profile(profile, "confirm" if name == CONFIRM_ONE else "register")

    lines, bad = check_capacity(app)
    verdict = "no overbooking: OK" if not bad else "OVERBOOKING OR DRIFT: " + "; ".join(bad)
    notes.append(f"\n{database.kind}: {verdict}")
    notes += [f"  {line}" for line in lines]
    return results, notes, probes


# --------------------------------------------------------------------------- the report


def main_table(results: list[Result]) -> str:
    headers = [
        "database", "server", "case", "requests", "errors", "req/s", "p50 ms", "p95 ms",
        "CPU ms: app", "PG", "client", "ceiling req/s", "workers run/queued/blocked", "machine",
        "vs bare", "aim", "",
    ]  # fmt: skip
    bare = {(r.database, r.server, r.wrk): r for r in results if r.name.startswith("bare insert")}
    rows = []
    for r in results:
        base = bare.get((r.database, r.server, r.wrk))
        ratio, aim, verdict = "", "", ""
        if (r.name.startswith("register") or r.name == FLOOR) and base and base.rate:
            ratio = f"{r.rate / base.rate:.2f}"
            if "sessions" in r.name:
                aim, verdict = f">= {AIM_RATIO:g}", "ok" if r.rate / base.rate >= AIM_RATIO else "BELOW AIM"
        if r.name == CONFIRM_ONE:
            aim, verdict = f">= {AIM_SINGLE:g}/s", "ok" if r.rate >= AIM_SINGLE else "BELOW AIM"
        cpu = ["", "", "", "", "", ""]
        if r.cpu_ms is not None:
            pg = r.cpu.get("postgres")
            blocked = (
                f" / {max(100 - r.cpu['run'] - r.cpu['queued'], 0):.0f}" if r.worker_class == "sync" else ""
            )
            cpu = [
                f"{r.cpu['server']:.2f}",
                "" if pg is None else f"{pg:.2f}",
                f"{r.cpu['client']:.2f}",
                f"{r.ceiling:,.0f}",
                f"{r.cpu['run']:.0f} / {r.cpu['queued']:.0f}{blocked} %",
                f"{r.cpu['busy']:.0f} %",
            ]
        rows.append(
            [r.database, r.server, r.name, f"{r.requests:,}", f"{sum(r.errors.values()):,}", f"{r.rate:,.0f}",
             f"{r.percentile(0.5):,.0f}", f"{r.percentile(0.95):,.0f}", *cpu, ratio, aim, verdict]
        )  # fmt: skip
    out = [common.table(headers, rows)]
    for r in results:
        if r.errors or r.note:
            detail = ", ".join(f"{k}: {v}" for k, v in r.errors.most_common(4))
            out.append(f"{r.database}, {r.server}, {r.name}: {detail} {r.note}".rstrip())
    return "\n".join(out)


def summary(results: list[Result], probes: dict[str, list[LockProbe]]) -> list[str]:
    out = ["\nAgainst the aims"]
    by = {(r.database, r.server, r.name): r for r in results if not r.wrk}
    for database, server in dict.fromkeys((r.database, r.server) for r in results):
        bare = by.get((database, server, "bare insert"))
        mixed = next(
            (r for (d, s, n), r in by.items() if (d, s) == (database, server) and "sessions" in n), None
        )
        one, confirm = by.get((database, server, REGISTER_ONE)), by.get((database, server, CONFIRM_ONE))
        if not (bare and mixed and one and confirm and bare.rate and one.rate and confirm.rate):
            continue
        ratio = mixed.rate / bare.rate
        both = 1 / (1 / one.rate + 1 / confirm.rate)
        floor = by.get((database, server, FLOOR))
        if floor and floor.rate:
            out.append(
                f"- {database}, {server}: the floor (the same work through the same libraries, "
                f"bench/registration_floor.py) {floor.rate:,.0f}/s = {floor.rate / bare.rate:.2f} x the bare "
                f"insert; the app registers at {mixed.rate / floor.rate:.2f} x the floor's rate "
                f"({one.rate / floor.rate:.2f} x for one session)."
            )
        out.append(
            f"- {database}, {server}: {mixed.rate:,.0f} registrations/s = {ratio:.2f} x the bare insert's "
            f"{bare.rate:,.0f}/s (aim >= {AIM_RATIO:g}: {'ok' if ratio >= AIM_RATIO else 'BELOW AIM'}); "
            f"on CPU alone the ceilings are {mixed.ceiling:,.0f}/s and {bare.ceiling:,.0f}/s "
            f"= {mixed.ceiling / bare.ceiling:.2f}.\n"
            f"  One session: {one.rate:,.0f} registrations/s, {confirm.rate:,.0f} confirmations/s "
            f"(aim >= {AIM_SINGLE:g}/s: {'ok' if confirm.rate >= AIM_SINGLE else 'BELOW AIM'}); a person "
            f"needs both POSTs, so end to end about {both:,.0f} confirmed registrations/s "
            f"({'ok' if both >= AIM_SINGLE else 'BELOW AIM'})."
        )
    wrk_bare = {(b.database, b.server): b for b in results if b.wrk and b.name.startswith("bare")}
    for r in results:
        bare = wrk_bare.get((r.database, r.server))
        if r.wrk and r.name.startswith("register") and bare and bare.rate:
            out.append(
                f"- {r.database}, {r.server}, driven by wrk instead: {r.rate:,.0f} registrations/s (one "
                f"session) = {r.rate / bare.rate:.2f} x the bare insert's {bare.rate:,.0f}/s."
            )
    for database, found in probes.items():
        scope = "one session" if database == "postgresql" else "the whole database"
        for p in found:
            out.append(
                f"- {database}: a {p.name} holds the lock {p.held_ms:.1f} ms of its {p.request_ms:.1f} ms "
                f"(in-process, one at a time): at most {p.ceiling:,.0f}/s for {scope}, whatever the "
                f"workers and cores."
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument(
        "--admin-url", default=os.environ.get("BENCH_ADMIN_URL", ADMIN_URL), help="to create the database"
    )
    parser.add_argument("--worker-classes", default="sync,gthread", help="gunicorn worker classes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker (production: 1)")
    parser.add_argument("--clients", type=int, default=48, help="concurrent load clients (connections)")
    parser.add_argument("--duration", type=float, default=12.0, help="seconds per case, over all rounds")
    parser.add_argument("--rounds", type=int, default=3, help="the cases take turns, this many times")
    parser.add_argument("--max-requests", type=int, default=50_000, help="requests per case at most")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured requests first")
    parser.add_argument("--small-sessions", type=int, default=4, help="small sessions that fill up")
    parser.add_argument("--small-capacity", type=int, default=20)
    parser.add_argument("--probe", type=int, default=100, help="requests of the in-process lock probe")
    parser.add_argument("--wrk", action="store_true", help="cross-check the client with wrk (if on PATH)")
    parser.add_argument(
        "--floor", action="store_true", help="also the floor: the same work through the same libraries"
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the workers (if installed)")
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    args.worker_classes = [w.strip() for w in args.worker_classes.split(",") if w.strip()]
    if not set(args.databases) <= {"sqlite", "postgresql"}:
        parser.error("--databases takes sqlite and/or postgresql")
    if not set(args.worker_classes) <= {"sync", "gthread"}:
        parser.error("--worker-classes takes sync and/or gthread")
    if not (1 <= args.clients <= 512 and 1 <= args.duration <= 120 and 1 <= args.workers <= 16):
        parser.error("--clients 1..512, --duration 1..120 seconds, --workers 1..16")
    if not 1 <= args.rounds <= args.duration:
        parser.error("--rounds 1 to --duration (a round lasts at least a second)")
    if args.wrk and not shutil.which("wrk"):
        print("wrk is not on PATH (Debian: apt-get install wrk): no cross-check", file=sys.stderr)
        args.wrk = False
    if args.profile and not py_spy():
        print("py-spy is not installed (.venv/bin/pip install py-spy): no profile", file=sys.stderr)
        args.profile = False

    load_before = os.getloadavg()[0]
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {CPUS} CPUs, load average "
        f"{load_before:.2f}; {args.clients} clients, {args.duration:g} s per case, gunicorn {args.workers} "
        "workers",
        flush=True,
    )
    results, notes, probes = [], [], {}
    with tempfile.TemporaryDirectory(prefix="startklaar-bench-run-") as tmp:
        for kind in args.databases:
            try:
                context = sqlite_database() if kind == "sqlite" else postgresql_database(args.admin_url)
                with context as database:
                    print(f"{kind}: {database.where}", flush=True)
                    found, said, probes[kind] = bench_database(database, args, Path(tmp))
            except Exception as error:
                if kind == "sqlite":
                    raise
                # PostgreSQL not running must not hide the SQLite figures.
                notes.append(f"\n{kind}: not measured: {type(error).__name__}: {error}")
                continue
            results += found
            notes += said
    print()
    print(main_table(results))
    print("\n".join(summary(results, probes)))
    print("\n".join(notes))
    sync = [r.cpu["queued"] for r in results if r.cpu_ms is not None and r.worker_class == "sync"]
    queued = statistics.mean(sync) if sync else 0
    print(
        "\nreq/s: POSTs answered with the expected redirect, from the first request to the last answer."
        "\nCPU ms per request: app = the gunicorn master and workers, PG = the backends of the bench's "
        "database, client = this script. ceiling = CPUs x 1000 / (app + PG + client): the rate if "
        "nothing else ran on the machine and CPU were the only limit."
        "\nworkers: share of (workers x wall clock) spent running / runnable but waiting for a CPU / "
        "(sync only) blocked on a lock, the database or the network; gthread threads add up."
        f"\nLoad average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after."
        + (
            f" The sync workers waited for a CPU {queued:.0f} % of the time: other work on the machine "
            "took CPU, so read the ceilings and the CPU per request rather than the rates."
            if queued > 20
            else ""
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
