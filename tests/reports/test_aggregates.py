"""The reports are counted once per change, not per request, and still show every change at once:
a registration, a check-in, a completed session, a dossier and its decision appear in the next
report without a rebuild, and the counts kept up to date change by change equal the counts made
from scratch."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession
from werkzeug.datastructures import MultiDict

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.ops import jobs
from app.timezone import local
from registrations import attendance
from registrations import services as registrations
from registrations.models import ChildcareType, Registration, RegistrationStatus
from reports import aggregates, services
from reports.models import (
    ReportChange,
    ReportCube,
    ReportCubeSessions,
    ReportDossier,
    ReportSession,
    ReportSessionCount,
)
from sessions import services as sessions

TABLES = (ReportSession, ReportSessionCount, ReportCube, ReportCubeSessions, ReportDossier)


def snapshot() -> dict[str, set[tuple]]:
    """Every aggregate row; rows whose counts all went back to zero count as absent."""
    found = {}
    for model in TABLES:
        table = model.__table__
        keys = {c.name for c in table.primary_key.columns} | {
            "month",
            "topic_id",
            "moment",
            "held",
            "province",
        }
        rows = set()
        for row in db.session.execute(select(table)).mappings():
            values = [
                v for k, v in row.items() if k not in keys and isinstance(v, int) and not isinstance(v, bool)
            ]
            if model in (ReportCube, ReportCubeSessions) and not any(values):
                continue
            rows.add(tuple(sorted((k, str(v)) for k, v in row.items())))
        found[table.name] = rows
    return found


def period() -> services.Filters:
    this_month = local(utcnow()).date().replace(day=1)
    start = this_month - timedelta(days=40)
    end = this_month + timedelta(days=40)
    found, problems = services.Filters.from_args(MultiDict({"van": f"{start:%Y-%m}", "tot": f"{end:%Y-%m}"}))
    assert problems == []
    return found


def totals(by: str = "month") -> dict[str, int]:
    table = services.funnel(period(), by)
    names = [name for name, _ in services.STAGES]
    return {name: sum(row[1 + i] for row in table.rows) for i, name in enumerate(names)}


def test_a_registration_a_check_in_and_a_completed_session_show_at_once(past_session, registration_data):
    session = past_session()
    assert totals()["registrations"] == 0  # the aggregates are built here, before the changes
    booked = session.starts_at - timedelta(days=10)
    came = registrations.register(session.id, registration_data("an@example.com"), now=booked).registration
    missed = registrations.register(
        session.id, registration_data("bram@example.com"), now=booked
    ).registration
    assert totals()["registrations"] == 2

    for registration in (came, missed):
        registrations.confirm_registration(registration, now=booked + timedelta(hours=1))
    attendance.check_in(came, None, now=session.starts_at - timedelta(minutes=10))
    assert (totals()["confirmed"], totals()["attended"]) == (2, 1)

    sessions.complete_session(sessions.get_session(session.id))  # Bram becomes a no-show
    rows = {row[0]: row[1:] for row in services.moments(period()).rows}
    assert sum(row[0] for row in rows.values()) == 1
    assert [row[2:] for row in rows.values() if row[0]] == [[1, 1, 50.0]]
    no_shows = {row[0]: row[1:] for row in services.no_shows(period()).rows}
    assert no_shows[session.topic.title] == [1, 1, 50.0]


def test_a_dossier_and_its_decision_show_at_once(past_session, registration_data, make_user):
    from dossiers import services as dossiers
    from dossiers.leads import capture
    from dossiers.leads.models import Lead, LeadTrigger
    from dossiers.models import DossierState, ProposalOutcome
    from tests.support.dossiers import approve_all

    capture.save_rule(None, capture.RuleData(name="Iedereen", trigger=LeadTrigger.REGISTRATION))
    session = past_session()
    booked = session.starts_at - timedelta(days=10)
    registration = registrations.register(
        session.id, registration_data("an@example.com"), now=booked
    ).registration
    registrations.confirm_registration(registration, now=booked)
    attendance.check_in(registration, None, now=session.starts_at)
    assert totals()["leads"] == 1 and totals()["dossiers"] == 0
    assert services.lead_times(period()).rows[0][1] == 0

    staff = make_user(Role.STAFF)
    lead = db.session.scalar(select(Lead).where(Lead.email == "an@example.com"))
    data = replace(
        dossiers.data_from_lead(lead),
        childcare_type=ChildcareType.GEZINSOPVANG,
        planned_places=8,
        street="Kouter 1",
        enterprise_number="0566.988.259",
        is_21_or_older=True,
    )
    dossier = dossiers.create_dossier(data, by=staff, lead=lead)
    assert (totals()["dossiers"], totals()["decisions"]) == (1, 0)
    assert services.lead_times(period()).rows[0][1:] == [1, 3.0]  # three days after the session

    approve_all(dossier, staff)
    for state in ("documents", "completeness_check", "analysis", "decision_proposal"):
        dossiers.change_state(dossier, state, by=staff)
    dossiers.save_proposal(
        dossier, analysis="In orde.", outcome=ProposalOutcome.FAVOURABLE, text="Ja.", by=staff
    )
    dossiers.change_state(dossier, DossierState.DECISION, by=staff)
    assert totals()["decisions"] == 1
    assert services.lead_times(period()).rows[1][1:] == [1, 0.0]


def test_counting_change_by_change_equals_counting_from_scratch(
    past_session, make_session, make_topic, registration_data
):
    from dossiers.leads import capture
    from dossiers.leads.models import LeadTrigger

    capture.save_rule(None, capture.RuleData(name="Iedereen", trigger=LeadTrigger.ATTENDANCE))
    family, group = make_topic("Gezinsopvang starten"), make_topic("Groepsopvang starten")
    held = past_session(topic=family, capacity=2)
    ahead = make_session(topic=group, days=20, capacity=2)
    aggregates.refresh()
    booked = held.starts_at - timedelta(days=10)
    people = [
        registrations.register(
            held.id, registration_data(f"p{n}@example.com", postcode=pc), now=booked
        ).registration
        for n, pc in enumerate(("9000", "2000", "3500"))  # the third waits: the session is full
    ]
    for registration in people[:2]:
        registrations.confirm_registration(registration, now=booked)
    attendance.check_in(people[0], None, now=held.starts_at)
    registrations.cancel_registration(people[1], now=booked + timedelta(days=1))  # the third moves up
    registrations.confirm_registration(
        db.session.get(Registration, people[2].id), now=booked + timedelta(days=1)
    )
    sessions.complete_session(sessions.get_session(held.id))
    for n in range(3):
        registrations.register(ahead.id, registration_data(f"q{n}@example.com", postcode="8000"))
    moved = db.session.scalar(select(Registration).where(Registration.email == "q0@example.com"))
    other = make_session(topic=family, days=45, capacity=5)
    registrations.move_registration(moved, other.id)
    later = other.starts_at + timedelta(days=35)  # into another month
    sessions.update_session(
        other,
        replace(sessions.session_data_from(other), starts_at=later, ends_at=later + timedelta(hours=2)),
    )

    aggregates.refresh()
    assert db.session.scalar(select(func.count()).select_from(ReportChange)) == 0
    incremental = snapshot()
    assert incremental["report_sessions"] and incremental["report_cube"]
    aggregates.rebuild()
    assert snapshot() == incremental


def test_a_request_with_nothing_changed_counts_nothing(past_session):
    past_session()
    assert aggregates.refresh() is True  # the first time: everything
    assert aggregates.refresh() is False
    assert aggregates.up_to_date()


def test_the_rebuild_runs_every_night_and_on_the_command_line(app, runner, past_session):
    job = jobs.scheduled_jobs.get("reports-rebuild")
    assert job.daily_at is not None
    session = past_session()
    result = runner.invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0 and "rebuilt" in result.output
    assert db.session.get(ReportSession, session.id) is not None


def test_a_change_that_is_rolled_back_leaves_no_note(past_session, registration_data):
    session = past_session()
    aggregates.refresh()
    db.session.add(
        Registration(
            session_id=session.id,
            status=RegistrationStatus.CONFIRMED,
            first_name="X",
            last_name="Y",
            email="x@example.com",
            privacy_version="1",
            consented_at=utcnow(),
        )
    )
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(ReportChange)) == 1
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReportChange)) == 0
    assert aggregates.up_to_date()


def _registration(session_id: int, email: str) -> Registration:
    return Registration(
        session_id=session_id,
        status=RegistrationStatus.CONFIRMED,
        first_name="X",
        last_name="Y",
        email=email,
        province="antwerpen",
        privacy_version="1",
        consented_at=utcnow(),
        confirmed_at=utcnow(),
    )


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="SQLite lets one writer at a time: a refresh cannot run beside an open write there",
)
def test_a_change_committed_while_a_refresh_runs_is_counted_by_the_next(past_session):
    session = past_session()
    aggregates.refresh()
    db.session.add(_registration(session.id, "first@example.com"))
    db.session.commit()  # waiting to be counted
    writer = OrmSession(db.engine)
    try:
        writer.add(_registration(session.id, "second@example.com"))
        writer.flush()  # its note is written, not committed
        assert aggregates.refresh() is True
        assert totals()["registrations"] == 1
        writer.commit()
    finally:
        writer.close()
    assert totals()["registrations"] == 2


def test_registrations_and_refreshes_at_the_same_time_lose_nothing(app, make_session, registration_data):
    session_id = make_session(days=12, capacity=40).id
    aggregates.refresh()
    people = [[f"t{t}-{n}@example.com" for n in range(4)] for t in range(4)]
    done = threading.Event()
    errors: list[BaseException] = []

    def register(addresses: list[str]) -> None:
        with app.app_context():
            try:
                for address in addresses:
                    registrations.register(session_id, registration_data(address))
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                errors.append(error)
            finally:
                db.session.remove()

    def refresh() -> None:
        with app.app_context():
            try:
                while not done.is_set():
                    aggregates.refresh()
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                errors.append(error)
            finally:
                db.session.remove()

    refresher = threading.Thread(target=refresh)
    refresher.start()
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        list(pool.map(register, people))
    done.set()
    refresher.join()
    assert errors == []
    db.session.commit()  # read what the threads committed
    assert totals()["registrations"] == 16
    counted = snapshot()
    aggregates.rebuild()
    assert snapshot() == counted


def test_the_report_tables_match_their_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert [d for d in differences if "report_" in repr(d)] == []
