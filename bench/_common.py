"""What the benches share: a database to run on, realistic catalogue data inserted in bulk, a
query counter, a timer that interleaves its cases, and a plain-text table.

Nothing here is imported by the app; the benches are scripts, not tests.
"""

from __future__ import annotations

import csv
import gc
import math
import random
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from flask import got_request_exception
from sqlalchemy import event, func, insert, select, text

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTCODES = PROJECT_ROOT / "app" / "data" / "postcodes.csv"


# --------------------------------------------------------------------------- database and app


def normalise_url(url: str) -> str:
    """`postgresql://user@host/db` as written, routed to psycopg 3 (as app.config does)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def bench_app(url: str, **overrides):
    """The real application, on `url`, with rate limits off (the bench is one client)."""
    from app import create_app

    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
    config.update(overrides)
    app = create_app(config)
    app.extensions["bench_errors"] = []

    def remember(sender, exception, **_extra):
        sender.extensions["bench_errors"].append(f"{type(exception).__name__}: {exception}")

    got_request_exception.connect(remember, app, weak=False)
    return app


@contextmanager
def database(url: str | None) -> Iterator[tuple[str, str]]:
    """Yield (url, description). Without a URL: a fresh SQLite file in a temporary directory,
    removed afterwards. With one: that database, as it is (nothing created or dropped)."""
    if url:
        yield normalise_url(url), "given database"
        return
    with tempfile.TemporaryDirectory(prefix="startklaar-bench-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'bench.sqlite'}", "fresh SQLite file (temporary)"


def migrate(app) -> None:
    """Bring the schema to the latest migration, as `flask db upgrade` does."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def count_rows(app, model) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


# --------------------------------------------------------------------------- query counting


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class QueryCounter:
    """Counts the SQL statements an engine sends (SQLAlchemy's before_cursor_execute), leaving
    out transaction control, and the time spent inside the driver's execute() (fetching the rows
    afterwards is not in it)."""

    def __init__(self, engine) -> None:
        self.count = 0
        self.seconds = 0.0
        self.statements: list[str] = []
        self.keep = False
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        # Transaction control is not a query: the app sends its own BEGIN on SQLite only, and
        # counting it would make the same page look dearer there than on PostgreSQL.
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.count += 1
        if self.keep:
            self.statements.append(statement)
        self._started = time.perf_counter()

    def _after(self, *_args) -> None:
        self.seconds += time.perf_counter() - self._started

    def reset(self, keep: bool = False) -> None:
        self.count, self.seconds, self.statements, self.keep = 0, 0.0, [], keep


def engine_of(app):
    from app.extensions import db

    with app.app_context():
        return db.engine


# --------------------------------------------------------------------------- the data


TOPICS = [
    (
        "gezinsopvang-starten",
        "Gezinsopvang starten",
        "Je wilt thuis opvang bieden aan maximaal acht kinderen. We overlopen het starterstraject, de "
        "vergunning, de kwaliteitseisen, de infrastructuur, de subsidies en wat je van het agentschap "
        "mag verwachten. Na de sessie weet je welke documenten je nodig hebt en hoe je een "
        "kennismakingsgesprek aanvraagt.",
    ),
    (
        "groepsopvang-starten",
        "Groepsopvang starten",
        "Een opvang voor negen kinderen of meer: ondernemingsvorm, ondernemingsplan, brandveiligheid, "
        "personeel en kwalificaties, de vergunningsaanvraag en de subsidietrappen. Met tijd voor "
        "vragen over jouw locatie en jouw plannen.",
    ),
    (
        "buitenschoolse-opvang",
        "Buitenschoolse opvang organiseren",
        "Opvang voor en na school en in de vakanties: samenwerken met scholen en de gemeente, de "
        "regels rond groepsgrootte en begeleiding, en hoe je aan een vergunning komt.",
    ),
    (
        "subsidies-en-financiering",
        "Subsidies en financiering",
        "Welke subsidies bestaan er, wat vraagt elke trap van je, en hoe maak je een sluitend "
        "financieel plan voor de eerste drie jaar van je opvang.",
    ),
    (
        "ondernemingsplan",
        "Je ondernemingsplan schrijven",
        "Van idee tot plan: doelgroep, locatie, personeel, prijzen, risico's. We bouwen samen het "
        "skelet van een ondernemingsplan dat je bij je aanvraag kunt voegen.",
    ),
]
AGENDA = [("Welkom", 10), ("Het starterstraject", 25), ("De vergunning", 30), ("Vragen", 25)]
STREETS = ["Kerkstraat", "Stationsstraat", "Marktplein", "Schoolstraat", "Dorpsstraat", "Kouter"]
EXPERTS = [
    "An Peeters",
    "Bram Janssens",
    "Chloé Maes",
    "Dries Jacobs",
    "Els Mertens",
    "Fatima El Amrani",
    "Gert Willems",
    "Hanne Claes",
    "Ilias Goossens",
    "Jolien Wouters",
]
VENUES_PER_PROVINCE = 5


@dataclass
class Catalogue:
    """What was inserted, kept in memory so a baseline can use the same data without a database."""

    topics: dict[int, dict] = field(default_factory=dict)
    venues: dict[int, dict] = field(default_factory=dict)
    experts: list[int] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)  # the rows as inserted, with their id

    @property
    def seats_taken(self) -> int:
        return sum(s["seats_taken"] for s in self.sessions)


def _venue_places(rng: random.Random) -> list[tuple[str, str, str]]:
    """A few real postcodes per province (postcode, municipality, province)."""
    from app.geo import PROVINCES

    by_province: dict[str, list[tuple[str, str, str]]] = {p: [] for p in PROVINCES}
    seen = set()
    with POSTCODES.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["province"] in by_province and row["postcode"] not in seen:
                seen.add(row["postcode"])
                by_province[row["province"]].append((row["postcode"], row["municipality"], row["province"]))
    places = []
    for province, rows in by_province.items():
        if not rows:
            raise SystemExit(f"no postcode for province {province} in {POSTCODES}")
        places.extend(rng.sample(rows, min(VENUES_PER_PROVINCE, len(rows))))
    return places


def seed_reference(app, catalogue: Catalogue, rng: random.Random) -> None:
    """Topics with their agenda, venues in every province, ten experts; bulk inserts."""
    from app.auth.models import Role, User
    from app.extensions import db
    from sessions.models import AgendaBlock, Topic, Venue

    tag = secrets.token_hex(3)  # a second run on a kept database must not clash on unique columns
    with app.app_context():
        topic_rows = [
            {"slug": f"{slug}-{tag}", "title": title, "description": description, "audience": ""}
            for slug, title, description in TOPICS
        ]
        result = db.session.execute(
            insert(Topic).returning(Topic.id, sort_by_parameter_order=True), topic_rows
        ).all()
        ids = [topic_id for (topic_id,) in result]
        for topic_id, row in zip(ids, topic_rows, strict=True):
            catalogue.topics[topic_id] = row
        db.session.execute(
            insert(AgendaBlock),
            [
                {"topic_id": t, "position": i, "key": title.lower(), "title": title, "minutes": minutes}
                for t in ids
                for i, (title, minutes) in enumerate(AGENDA)
            ],
        )
        venue_rows = [
            {
                "name": f"Ontmoetingscentrum {municipality}",
                "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                "postcode": postcode,
                "municipality": municipality,
                "province": province,
                "capacity": rng.choice((40, 60, 80, 120)),
                "step_free": rng.random() < 0.7,
            }
            for postcode, municipality, province in _venue_places(rng)
        ]
        result = db.session.execute(
            insert(Venue).returning(Venue.id, sort_by_parameter_order=True), venue_rows
        ).all()
        for (venue_id,), row in zip(result, venue_rows, strict=True):
            catalogue.venues[venue_id] = row
        user_rows = [
            {
                "email": f"{name.split()[0].lower()}.{tag}@bench.startklaar.local",
                "name": name,
                "role": Role.EXPERT,
                "password_hash": "!bench-no-login",
                "session_token": secrets.token_hex(16),
            }
            for name in EXPERTS
        ]
        result = db.session.execute(
            insert(User).returning(User.id, sort_by_parameter_order=True), user_rows
        ).all()
        catalogue.experts = [user_id for (user_id,) in result]
        db.session.commit()


def _slot(rng: random.Random, today: date) -> tuple[str, date, dtime, int]:
    """(format, day, local start, minutes): mostly weekday evenings, some Saturday mornings,
    some online, a few hybrid; never on a public holiday."""
    from app.geo import holiday_name

    kind = rng.random()
    while True:
        day = today + timedelta(days=rng.randint(1, 365))
        if kind < 0.12:  # Saturday morning, on site
            day += timedelta(days=(5 - day.weekday()) % 7)
            fmt, start, minutes = "on_site", dtime(rng.choice((9, 10)), 30 * rng.randint(0, 1)), 180
        else:
            # Monday to Thursday of that week, evenly (next week's if that day has passed).
            day += timedelta(days=rng.randint(0, 3) - day.weekday())
            if day <= today:
                day += timedelta(days=7)
            if kind < 0.80:
                fmt, start, minutes = "on_site", dtime(19, rng.choice((0, 30))), 120
            elif kind < 0.95:
                fmt, minutes = "online", 90
                start = dtime(12, 0) if rng.random() < 0.3 else dtime(20, 0)
            else:
                fmt, start, minutes = "hybrid", dtime(19, 30), 120
        if day - today <= timedelta(days=366) and not holiday_name(day):
            return fmt, day, start, minutes


def _spread(total: int, caps: list[int], rng: random.Random) -> list[int]:
    """`total` seats over sessions, none above its cap, unevenly (popular sessions exist)."""
    if total > sum(caps):
        raise SystemExit(f"{total} seats do not fit in {sum(caps)} places: lower the registrations")
    weights = [rng.paretovariate(2.5) for _ in caps]
    scale = total / sum(weights)
    seats = [min(int(w * scale), cap) for w, cap in zip(weights, caps, strict=True)]
    room = [i for i, (s, cap) in enumerate(zip(seats, caps, strict=True)) if s < cap]
    missing = total - sum(seats)
    while missing > 0:
        i = rng.choice(room)
        seats[i] += 1
        missing -= 1
        if seats[i] == caps[i]:
            room.remove(i)
    return seats


def seed_sessions(
    app, catalogue: Catalogue, count: int, registrations: int, rng: random.Random, *, now: datetime
) -> list[dict]:
    """`count` published sessions over the next twelve months whose seats_taken add up to
    `registrations`, with one or two presenters each; bulk inserts. Returns the new rows."""
    from app.extensions import db
    from app.timezone import from_local, local
    from sessions.models import InfoSession, SessionFormat, SessionStatus, session_presenters
    from sessions.services import slot_flags

    today = local(now).date()
    topic_ids, venue_ids = list(catalogue.topics), list(catalogue.venues)
    rows = []
    for _ in range(count):
        fmt, day, start, minutes = _slot(rng, today)
        topic_id = rng.choice(topic_ids)
        venue_id = rng.choice(venue_ids) if fmt != "online" else None
        venue_cap = catalogue.venues[venue_id]["capacity"] if venue_id else 100
        starts_at = from_local(day, start)
        evening, weekend = slot_flags(starts_at)
        title = None
        if venue_id and rng.random() < 0.2:
            title = f"{catalogue.topics[topic_id]['title']} in {catalogue.venues[venue_id]['municipality']}"
        rows.append(
            {
                "uid": uuid.uuid4().hex,
                "topic_id": topic_id,
                "title": title,
                "format": SessionFormat(fmt),
                "venue_id": venue_id,
                "meeting_url": None
                if fmt == "on_site"
                else f"https://meet.example.com/{secrets.token_hex(5)}",
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(minutes=minutes),
                "is_evening": evening,
                "is_weekend": weekend,
                "capacity": min(rng.choice((20, 25, 30, 40, 50, 60)), venue_cap),
                "language": "nl",
                "status": SessionStatus.PUBLISHED,
                "notes": "",
                "sequence": 0 if rng.random() < 0.85 else rng.randint(1, 3),
                "seats_taken": 0,
                "waitlist_count": 0,
                "created_by_id": rng.choice(catalogue.experts),
                "published_at": now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 1440)),
            }
        )
    seats = _spread(registrations, [r["capacity"] for r in rows], rng)
    for row, taken in zip(rows, seats, strict=True):
        row["seats_taken"] = taken
        if taken == row["capacity"]:
            row["waitlist_count"] = rng.randint(1, 12)
    with app.app_context():
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            result = db.session.execute(
                insert(InfoSession).returning(InfoSession.id, sort_by_parameter_order=True), chunk
            ).all()
            for (session_id,), row in zip(result, chunk, strict=True):
                row["id"] = session_id
        presenters = []
        for row in rows:
            for user_id in rng.sample(catalogue.experts, 1 if rng.random() < 0.6 else 2):
                presenters.append({"session_id": row["id"], "user_id": user_id})
        db.session.execute(insert(session_presenters), presenters)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE info_sessions, session_presenters, venues, topics"))
            db.session.commit()
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    catalogue.sessions.extend(rows)
    return rows


def remove_seeded(app, catalogue: Catalogue) -> None:
    """Delete exactly the rows a bench inserted (used on a database the caller gave us)."""
    from app.auth.models import User
    from app.extensions import db
    from sessions.models import AgendaBlock, InfoSession, Topic, Venue, session_presenters

    session_ids = [s["id"] for s in catalogue.sessions]
    with app.app_context():
        for start in range(0, len(session_ids), 1000):
            chunk = session_ids[start : start + 1000]
            db.session.execute(session_presenters.delete().where(session_presenters.c.session_id.in_(chunk)))
            db.session.execute(InfoSession.__table__.delete().where(InfoSession.id.in_(chunk)))
        db.session.execute(
            AgendaBlock.__table__.delete().where(AgendaBlock.topic_id.in_(list(catalogue.topics)))
        )
        db.session.execute(Topic.__table__.delete().where(Topic.id.in_(list(catalogue.topics))))
        db.session.execute(Venue.__table__.delete().where(Venue.id.in_(list(catalogue.venues))))
        db.session.execute(User.__table__.delete().where(User.id.in_(catalogue.experts)))
        db.session.commit()


# --------------------------------------------------------------------------- timing


@dataclass
class Case:
    """One thing to time: `run()` does the work once and returns (status, body)."""

    name: str
    run: Callable[[], tuple[int, bytes]]
    counter: QueryCounter | None = None
    path: str = ""
    body: bytes = b""
    error: str = ""
    samples: list[float] = field(default_factory=list)  # seconds
    queries: int | None = None
    sql_samples: list[float] = field(default_factory=list)  # seconds inside execute()
    cpu_samples: list[float] = field(default_factory=list)  # this process's CPU seconds
    status: int | None = None
    runs: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu_samples) * 1000

    @property
    def sql_ms(self) -> float | None:
        return statistics.median(self.sql_samples) * 1000 if self.sql_samples else None

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)] * 1000

    def once(self) -> float:
        if self.counter:
            self.counter.reset()
        cpu, started = time.process_time(), time.perf_counter()
        self.status, self.body = self.run()
        elapsed = time.perf_counter() - started
        self.cpu_samples.append(time.process_time() - cpu)
        if self.counter:
            self.queries = self.counter.count
            self.sql_samples.append(self.counter.seconds)
        return elapsed


SLOW = 0.5  # seconds: a case this slow gets fewer runs


def measure(cases: list[Case], *, runs: int | None, budget: float, log=print) -> None:
    """Warm every case up, then time them round-robin (so drift and load hit all alike).

    With `runs` each case runs that often. Without, the cases share `budget` seconds: a slow
    case (over half a second) gets its equal share but at least 5 runs, the others divide what
    is left, with 15 to 300 runs each.
    """
    warm = {}
    for case in cases:
        first = case.once()
        warm[case.name] = first if first >= SLOW else statistics.median([first, case.once(), case.once()])
        case.samples, case.sql_samples, case.cpu_samples = [], [], []
    slow = [c for c in cases if warm[c.name] >= SLOW]
    for case in slow:
        case.runs = runs or max(int(budget / len(cases) / warm[case.name]), 5)
    left = max(budget - sum(c.runs * warm[c.name] for c in slow), budget / 4)
    fast = [c for c in cases if c not in slow]
    for case in fast:
        share = left / len(fast) / max(warm[case.name], 1e-6)
        case.runs = runs or int(min(max(share, 15), 300))
    log("  runs: " + ", ".join(f"{c.name} {c.runs}" for c in cases))
    for round_ in range(max(c.runs for c in cases)):
        for case in cases:
            if round_ < case.runs:
                case.samples.append(case.once())
        gc.collect()  # between rounds, so one case does not pay for another's garbage


# --------------------------------------------------------------------------- output


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join("{:<%d}" % w for w in widths)  # noqa: UP031 - a format built from widths
    out = [line.format(*headers), "  ".join("-" * w for w in widths)]
    out += [line.format(*[str(x) for x in row]) for row in rows]
    return "\n".join(out)


def utc_now() -> datetime:
    return datetime.now(UTC)
