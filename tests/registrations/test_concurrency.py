"""The capacity rule under real concurrency: a real gunicorn (2 processes x 8 threads) on the
test database, and dozens of people pressing "Inschrijven" at the same moment.

Each simulated person first opens the session page (for the CSRF token and the session cookie,
as a browser does), waits at a barrier with everyone else, then posts the form.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app.extensions import db
from registrations.models import Registration, RegistrationStatus
from sessions.models import AttendMode, InfoSession, SessionFormat
from tests.support import open_form
from tests.support.registrations import FORM_DEFAULTS, mails_to

S = RegistrationStatus
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVER_SECRET = "concurrency-test-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, port: int, log: Path):
        self.port, self.log = port, log

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def errors_logged(self) -> list[str]:
        text = self.log.read_text(errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or "[ERROR]" in line]


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory):
    """gunicorn serving wsgi:app on the test database; the `app` fixture's wipe cleans its rows."""
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SMTP_URL", "REDIS_URL", "DATABASE_URL", "STARTKLAAR_ENV")
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SERVER_SECRET,
        RATELIMIT_ENABLED="0",
        BASE_URL=f"http://127.0.0.1:{port}",
    )
    command = [
        sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "8",
        "-b", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
        # each person connects before the barrier: gunicorn closes a connection that sends
        # nothing for --keep-alive seconds (2 by default), and on a busy machine the barrier
        # can take longer than that to fill
        "--keep-alive", "60",
        "--error-logfile", "-", "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    running = Server(port, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = running.connection()
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _post_together(
    server: Server, path: str, fields: dict, cookies: str, barrier: threading.Barrier
) -> tuple[int, str]:
    """Connect, wait until everyone is connected, post the form; (status, Location)."""
    post = server.connection()
    try:
        post.connect()
        barrier.wait(timeout=30)
        post.request(
            "POST",
            path,
            body=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies},
        )
        response = post.getresponse()
        response.read()
    finally:
        post.close()
    return response.status, response.getheader("Location") or ""


def _register(
    server: Server, session_id: int, address: str, barrier: threading.Barrier, extra: dict | None = None
) -> tuple[int, str]:
    """One person: open the page, wait for everyone, post the form; (status, Location)."""
    token, cookies = open_form(server.port, f"/sessies/{session_id}")
    fields = {**FORM_DEFAULTS, **(extra or {}), "email": address, "csrf_token": token}
    return _post_together(server, f"/sessies/{session_id}/inschrijven", fields, cookies, barrier)


def _all_at_once(
    server: Server, session_id: int, addresses: list[str], answers: list[dict] | None = None
) -> list[tuple[int, str]]:
    """Everyone posts at once; `answers` adds each person's own fields (e.g. how they attend)."""
    db.session.rollback()  # hold no snapshot or lock while the server works
    barrier = threading.Barrier(len(addresses))
    answers = answers or [{}] * len(addresses)
    with ThreadPoolExecutor(max_workers=len(addresses)) as pool:
        futures = [
            pool.submit(_register, server, session_id, a, barrier, extra)
            for a, extra in zip(addresses, answers, strict=True)
        ]
        return [future.result(timeout=60) for future in futures]


def _stored(session_id: int) -> tuple[InfoSession, dict[RegistrationStatus, int]]:
    db.session.rollback()
    session = db.session.get(InfoSession, session_id, populate_existing=True)
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.session_id == session_id)
        .group_by(Registration.status)
    ).all()
    return session, {status: count for status, count in rows}


def test_fifty_people_at_once_for_ten_seats_get_exactly_ten(server, make_session):
    session = make_session(capacity=10)
    started = time.monotonic()

    results = _all_at_once(server, session.id, [f"persoon{n}@example.com" for n in range(50)])

    assert [status for status, _ in results] == [302] * 50, results
    assert all(location.endswith(f"/sessies/{session.id}/ingeschreven") for _, location in results)
    stored, counts = _stored(session.id)
    assert stored.seats_taken == 10
    assert counts.get(S.PENDING, 0) + counts.get(S.CONFIRMED, 0) == 10
    assert counts.get(S.WAITLISTED, 0) == 40 == stored.waitlist_count
    assert sum(counts.values()) == 50
    assert server.errors_logged() == []
    assert time.monotonic() - started < 30


def test_twenty_submissions_of_one_address_make_one_registration(server, make_session):
    session = make_session(capacity=10)

    results = _all_at_once(server, session.id, ["dubbel@example.com"] * 20)

    assert [status for status, _ in results] == [302] * 20, results
    stored, counts = _stored(session.id)
    assert counts == {S.PENDING: 1}
    assert (stored.seats_taken, stored.waitlist_count) == (1, 0)
    assert len(mails_to("dubbel@example.com", "confirm_link")) == 1
    assert len(mails_to("dubbel@example.com", "already")) <= 1  # one reminder an hour, at most
    assert server.errors_logged() == []


def _by_mode(session_id: int) -> dict[tuple[str, RegistrationStatus], int]:
    db.session.rollback()
    rows = db.session.execute(
        select(Registration.attends, Registration.status, func.count())
        .where(Registration.session_id == session_id)
        .group_by(Registration.attends, Registration.status)
    ).all()
    return {(mode.value, status): count for mode, status, count in rows}


def test_two_people_at_once_for_the_last_online_place_get_one(server, make_session):
    session = make_session(format=SessionFormat.HYBRID, capacity=5, online_capacity=1)
    online = {"attends": "online"}

    results = _all_at_once(server, session.id, ["thuis1@example.com", "thuis2@example.com"], [online] * 2)

    assert [status for status, _ in results] == [302, 302], results
    assert _by_mode(session.id) == {("online", S.PENDING): 1, ("online", S.WAITLISTED): 1}
    stored, _counts = _stored(session.id)
    assert (stored.seats_taken_for(AttendMode.ONLINE), stored.waitlist_count_for(AttendMode.ONLINE)) == (1, 1)
    assert stored.seats_left_for(AttendMode.ON_SITE) == 5  # the seats on site are untouched
    assert server.errors_logged() == []


def test_thirty_people_at_once_on_site_and_online_fill_each_pool_exactly(server, make_session):
    session = make_session(format=SessionFormat.HYBRID, capacity=4, online_capacity=6)
    answers = [{"attends": "online" if n % 2 else "on_site"} for n in range(30)]

    results = _all_at_once(server, session.id, [f"persoon{n}@example.com" for n in range(30)], answers)

    assert [status for status, _ in results] == [302] * 30, results
    assert _by_mode(session.id) == {
        ("on_site", S.PENDING): 4,
        ("on_site", S.WAITLISTED): 11,
        ("online", S.PENDING): 6,
        ("online", S.WAITLISTED): 9,
    }
    stored, _counts = _stored(session.id)
    assert (stored.seats_taken, stored.online_seats_taken) == (10, 6)
    assert (stored.waitlist_count, stored.online_waitlist_count) == (20, 9)
    assert stored.is_full
    assert server.errors_logged() == []


# --------------------------------------------------------------------------- moving yourself


def _manage_token(app, registration: Registration) -> str:
    """The signed manage link of the registration, as the server (its own SECRET_KEY) signs it."""
    from registrations import links

    secret = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = SERVER_SECRET
    try:
        return links.make_token(registration, "manage")
    finally:
        app.config["SECRET_KEY"] = secret


def _move(server: Server, signed: str, target_id: int, barrier: threading.Barrier) -> tuple[int, str]:
    """One person on their confirm page ("Verplaatsen naar …?"): wait for the other, say yes."""
    token, cookies = open_form(server.port, f"/inschrijving/{signed}/verplaatsen?naar={target_id}")
    fields = {"naar": target_id, "csrf_token": token}
    return _post_together(server, f"/inschrijving/{signed}/verplaatsen", fields, cookies, barrier)


def _moves_at_once(server: Server, moves: list[tuple[str, int]]) -> list[tuple[int, str]]:
    db.session.rollback()
    barrier = threading.Barrier(len(moves))
    with ThreadPoolExecutor(max_workers=len(moves)) as pool:
        futures = [pool.submit(_move, server, signed, target, barrier) for signed, target in moves]
        return [future.result(timeout=60) for future in futures]


def _where(registration: Registration) -> tuple[int, RegistrationStatus]:
    db.session.rollback()
    stored = db.session.get(Registration, registration.id, populate_existing=True)
    return stored.session_id, stored.status


def test_two_people_moving_into_the_last_seat_at_once_get_one_seat_and_one_place_in_line(
    app, server, make_session, make_topic, make_registration
):
    topic = make_topic()
    here = make_session(topic=topic, capacity=5)
    there = make_session(topic=topic, capacity=1, days=17)
    people = [make_registration(here, f"verhuis{n}@example.com", status="confirmed") for n in range(2)]

    results = _moves_at_once(server, [(_manage_token(app, p), there.id) for p in people])

    assert [status for status, _ in results] == [302, 302], results
    assert all("/inschrijving/" in location for _, location in results)
    assert sorted(_where(p)[1] for p in people) == sorted([S.CONFIRMED, S.WAITLISTED])
    assert {_where(p)[0] for p in people} == {there.id}
    stored, counts = _stored(there.id)
    assert (stored.seats_taken, stored.waitlist_count) == (1, 1)
    assert counts == {S.CONFIRMED: 1, S.WAITLISTED: 1}
    left, _ = _stored(here.id)
    assert (left.seats_taken, left.waitlist_count) == (0, 0)
    assert server.errors_logged() == []


def test_two_people_swapping_dates_at_once_do_not_deadlock(
    app, server, make_session, make_topic, make_registration
):
    topic = make_topic()
    first = make_session(topic=topic, capacity=1)
    second = make_session(topic=topic, capacity=1, days=17)
    one = make_registration(first, "een@example.com", status="confirmed")
    two = make_registration(second, "twee@example.com", status="confirmed")

    started = time.monotonic()
    results = _moves_at_once(
        server, [(_manage_token(app, one), second.id), (_manage_token(app, two), first.id)]
    )

    assert [status for status, _ in results] == [302, 302], results
    assert time.monotonic() - started < 20  # no lock wait ran into a timeout
    # Whoever went first joined the full date's waiting list and got the seat the other freed.
    assert _where(one) == (second.id, S.CONFIRMED)
    assert _where(two) == (first.id, S.CONFIRMED)
    for session in (first, second):
        stored, counts = _stored(session.id)
        assert (stored.seats_taken, stored.waitlist_count) == (1, 0)
        assert counts == {S.CONFIRMED: 1}


def _group(name: str, when_full: str) -> dict:
    return {"companion_1_first_name": name, "companion_1_last_name": "Samen", "when_full": when_full}


def test_two_couples_at_once_for_the_last_two_seats_together_one_couple_gets_both(server, make_session):
    session = make_session(capacity=2)

    results = _all_at_once(
        server, session.id, ["koppel1@example.com", "koppel2@example.com"],
        [_group("Eerste", "together"), _group("Tweede", "together")],
    )  # fmt: skip

    assert [status for status, _ in results] == [302, 302], results
    stored, counts = _stored(session.id)
    assert counts == {S.PENDING: 2, S.WAITLISTED: 2}
    assert (stored.seats_taken, stored.waitlist_count) == (2, 2)
    db.session.rollback()
    rows = db.session.scalars(select(Registration).where(Registration.session_id == session.id)).all()
    by_group = {}
    for r in rows:
        by_group.setdefault(r.companion_of_id or r.id, set()).add(r.status)
    assert sorted(map(frozenset, by_group.values()), key=str) == sorted(
        [frozenset({S.PENDING}), frozenset({S.WAITLISTED})], key=str
    )  # each couple stays together
    assert server.errors_logged() == []


def test_two_couples_at_once_for_three_seats_split_never_overbook(server, make_session):
    session = make_session(capacity=3)

    results = _all_at_once(
        server, session.id, ["koppel1@example.com", "koppel2@example.com"],
        [_group("Eerste", "split"), _group("Tweede", "split")],
    )  # fmt: skip

    assert [status for status, _ in results] == [302, 302], results
    stored, counts = _stored(session.id)
    assert counts == {S.PENDING: 3, S.WAITLISTED: 1}
    assert (stored.seats_taken, stored.waitlist_count) == (3, 1)
    assert server.errors_logged() == []
