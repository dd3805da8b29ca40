"""The floor under a registration: what the same work costs through the same libraries with
nothing of the app around it, beside the app and the bare insert, in one process and one run.

    .venv/bin/python bench/registration_floor.py [--admin-url postgresql://postgres@localhost:5432/postgres]
                                                 [--runs 300] [--sqlite]

`registration.py` and `load.py` compare a registration with a bare Flask insert (one row, no
form, no CSRF, no cookie). This bench asks what part of the gap is the app's and what part is
the work itself, done through the libraries' front door. Three POSTs, each through Flask's
test client and timed round-robin (`_common.measure`):

- **bare insert**: `_bare_insert.py`, as the other benches use it;
- **floor**: a Flask app of a few lines doing what a registration must do, the way the libraries
  document it, and nothing else: Flask-WTF's CSRF check and the app's own registration form
  (its 31 fields built and validated, in Dutch through Flask-Babel), then one transaction
  through the SQLAlchemy ORM: the session's row locked (`SELECT … FOR UPDATE`), its seat
  counter raised, the registration inserted, a line for the reports and a mail intent inserted
  (Core), the commit; the address kept in the signed session cookie, and a redirect. Its tables
  have the columns the app writes. It reads the session's questions first, as the app does
  (there are none, as in the other benches), in the same transaction. No app factory, no
  extension points, no services, no rules on the data, no listeners;
- **app**: the real application (`wsgi`'s factory, `_common.bench_app`), the same form posted to
  `/sessies/<id>/inschrijven`.

Reported: CPU per POST (this process, median), its ratio to the bare insert's, and Python calls
per POST (`sys.setprofile`, deterministic where the CPU time is not). The floor's ratio to the
bare insert is what any app doing this work with these libraries starts from; the app's ratio
to the floor is what the app itself adds. A report, not a test: the exit code is 0 whatever the
figures. On PostgreSQL by default (a throwaway database, dropped at the end); `--sqlite` runs on
temporary SQLite files instead.

The floor can also be served by gunicorn (`FLOOR_DATABASE_URL`, tables made by `prepare_floor`):
`bench/registration.py --floor` puts it under the same load as the app and the bare insert.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import sys
from datetime import UTC, datetime, timedelta

import _common as common
from registration import ADMIN_URL, CSRF, FORM, postgresql_database, sqlite_database
from sqlalchemy import JSON, ForeignKey, String, create_engine, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

# --------------------------------------------------------------------------- the floor


class Base(DeclarativeBase):
    pass


class FloorSession(Base):
    __tablename__ = "floor_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)


class FloorRegistration(Base):
    __tablename__ = "floor_registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("floor_sessions.id"))
    email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    postcode: Mapped[str | None] = mapped_column(String(4))
    childcare_type: Mapped[str] = mapped_column(String(30))
    planned_places: Mapped[int | None]
    legal_form: Mapped[str] = mapped_column(String(30))
    enterprise_number: Mapped[str | None] = mapped_column(String(20))
    statute: Mapped[str] = mapped_column(String(30))
    experience: Mapped[str | None] = mapped_column(String(30))
    qualification: Mapped[str | None] = mapped_column(String(30))
    location: Mapped[str | None] = mapped_column(String(30))
    questions: Mapped[str] = mapped_column(String(1000))
    news_opt_in: Mapped[bool]
    attends: Mapped[str] = mapped_column(String(10))
    answers: Mapped[dict | None] = mapped_column(JSON)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[datetime]
    hold_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC))


class FloorQuestion(Base):
    __tablename__ = "floor_questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("floor_sessions.id"))
    label: Mapped[str] = mapped_column(String(200))


class FloorChange(Base):
    __tablename__ = "floor_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int]


class FloorOutbox(Base):
    __tablename__ = "floor_outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    ids: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime]


def prepare_floor(url: str) -> None:
    """The floor's tables and its one session (capacity one billion), in `url`'s database."""
    engine = create_engine(common.normalise_url(url))
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(FloorSession), [{"id": 1, "capacity": 10**9}])
    engine.dispose()


def floor_app(url: str):
    """The floor (see the module's docstring): Flask, Flask-WTF, Flask-Babel, the SQLAlchemy ORM."""
    from flask import Flask, redirect, session
    from flask_babel import Babel
    from flask_wtf import CSRFProtect

    from registrations.forms import RegistrationForm

    engine = create_engine(common.normalise_url(url), pool_pre_ping=True)  # as the app's main engine
    Session = sessionmaker(engine)
    by_session = select(FloorQuestion).where(FloorQuestion.session_id == 1)

    app = Flask("registration_floor")
    app.config.update(SECRET_KEY="floor", WTF_I18N_ENABLED=False)  # noqa: S106 - a bench's key
    CSRFProtect(app)
    Babel(app, locale_selector=lambda: "nl_BE")

    @app.get("/form")
    def form_page():
        return f'<input name="csrf_token" value="{RegistrationForm().csrf_token.current_token}">'

    @app.post("/register")
    def register():
        with Session() as db:
            db.scalars(by_session).all()  # in the transaction that writes: one BEGIN for both
            form = RegistrationForm()
            if not form.validate_on_submit():
                return "invalid", 422
            now = datetime.now(UTC)
            seat = db.scalars(select(FloorSession).where(FloorSession.id == 1).with_for_update()).one()
            seat.seats_taken += 1
            registration = FloorRegistration(
                session_id=seat.id,
                email=form.email.data.strip().lower(),
                first_name=form.first_name.data.strip(),
                last_name=form.last_name.data.strip(),
                phone=form.phone.data or None,
                postcode=form.postcode.data or None,
                childcare_type=form.childcare_type.data,
                planned_places=form.planned_places.data,
                legal_form=form.legal_form.data,
                enterprise_number=form.enterprise_number.data or None,
                statute=form.statute.data,
                experience=form.experience.data or None,
                qualification=form.qualification.data or None,
                location=form.location.data or None,
                questions=form.questions.data or "",
                news_opt_in=bool(form.news_opt_in.data),
                attends=form.attends.data or "on_site",
                answers=None,
                token=secrets.token_urlsafe(32),
                status="pending",
                source="online",
                consented_at=now,
                hold_expires_at=now + timedelta(hours=24),
            )
            db.add(registration)
            db.flush()
            db.execute(insert(FloorChange), [{"session_id": seat.id}])
            db.execute(
                insert(FloorOutbox),
                [
                    {
                        "dedup_key": f"reg:{registration.id}:confirm-link:{registration.token}",
                        "kind": "confirm_link",
                        "recipient": registration.email,
                        "ids": {"registration": registration.id},
                        "created_at": now,
                    }
                ],
            )
            db.commit()
        session["sent_to"] = {"session": 1, "email": form.email.data}
        return redirect("/done")

    return app


# --------------------------------------------------------------------------- the run


def calls_per_post(post, count: int = 50) -> float:
    """Python and C calls per POST, counted with sys.setprofile (deterministic)."""
    calls = 0

    def counter(_frame, event, _arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(counter)
    try:
        for _ in range(count):
            post()
    finally:
        sys.setprofile(None)
    return calls / count


def poster(client, path: str, form_path: str, expect: int = 302):
    """A function that POSTs the registration form (a new address each time) and checks the answer."""
    page = client.get(form_path).get_data(as_text=True)
    found = CSRF.search(page)
    token = found.group(1) if found else "bare"
    numbers = iter(range(10**9))

    def post():
        n = next(numbers)
        email = f"p{n}.{secrets.token_hex(3)}@example.be"
        response = client.post(path, data={**FORM, "email": email, "csrf_token": token})
        if response.status_code != expect:
            raise SystemExit(f"{path}: {response.status_code} {response.get_data(as_text=True)[:500]}")
        return response.status_code, b""

    return post


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin-url", default=ADMIN_URL, help="to create the throwaway database")
    parser.add_argument("--sqlite", action="store_true", help="temporary SQLite files instead")
    parser.add_argument("--runs", type=int, default=300, help="timed POSTs per case")
    args = parser.parse_args()

    import _bare_insert

    print(f"CPython {platform.python_version()}; {args.runs} POSTs per case, round-robin, in-process")
    # The throwaway databases of registration.py: the app's, and the one of the bare insert and
    # the floor (on PostgreSQL one database for all three; on SQLite two files).
    with sqlite_database() if args.sqlite else postgresql_database(args.admin_url) as database:
        print(f"on {database.where}")
        app_url, floor_url = database.url, database.bare_url
        bare = _bare_insert.create_app(floor_url)
        engine = _bare_insert.make_engine(floor_url)
        _bare_insert.metadata.create_all(engine)
        engine.dispose()
        prepare_floor(floor_url)
        floor = floor_app(floor_url)
        app = common.bench_app(app_url)
        common.migrate(app)
        rng, catalogue = random.Random(2026), common.Catalogue()
        common.seed_reference(app, catalogue, rng)
        seeded = common.seed_sessions(app, catalogue, 5, 0, rng, now=common.utc_now())
        onsite = next(row for row in seeded if row["format"] == "on_site")
        with app.app_context():
            from sqlalchemy import update

            from app.extensions import db
            from sessions.models import InfoSession

            db.session.execute(
                update(InfoSession).where(InfoSession.id == onsite["id"]).values(capacity=10**9)
            )
            db.session.commit()

        posts = {
            "bare insert": poster(bare.test_client(), "/insert", "/form"),
            "floor: the same work, the same libraries": poster(floor.test_client(), "/register", "/form"),
            "app: register": poster(
                app.test_client(), f"/sessies/{onsite['id']}/inschrijven", f"/sessies/{onsite['id']}"
            ),
        }
        cases = [common.Case(name, post) for name, post in posts.items()]
        common.measure(cases, runs=args.runs, budget=0)
        calls = {name: calls_per_post(post) for name, post in posts.items()}
        errors = app.extensions["bench_errors"]

    bare_cpu = cases[0].cpu_ms
    rows = [
        [c.name, f"{c.cpu_ms:.2f}", f"{c.cpu_ms / bare_cpu:.1f}x", f"{calls[c.name]:,.0f}"] for c in cases
    ]
    print(common.table(["POST", "CPU ms (median)", "CPU / bare insert", "calls per POST"], rows))
    floor_cpu, app_cpu = cases[1].cpu_ms, cases[2].cpu_ms
    print(
        f"- The app costs {app_cpu / floor_cpu:.2f} x the floor's CPU ({app_cpu - floor_cpu:+.2f} ms) "
        f"and {calls[cases[2].name] / calls[cases[1].name]:.2f} x its calls: what the app adds to the work."
    )
    print(
        f"- The floor alone costs {floor_cpu / bare_cpu:.1f} x the bare insert's CPU: where the CPU is "
        f"the limit, this work through these libraries runs at most about {bare_cpu / floor_cpu:.2f} x "
        f"the bare insert's rate, before the database's own share is counted."
    )
    if errors:
        print("app errors: " + "; ".join(errors[:5]))


if "FLOOR_DATABASE_URL" in os.environ:  # served by gunicorn (bench/registration.py --floor)
    app = floor_app(os.environ["FLOOR_DATABASE_URL"])

if __name__ == "__main__":
    main()
