"""`flask demo` gives a newcomer a living system: every state shows up somewhere."""

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.outbox import services as outbox
from app.outbox.kinds import KINDS
from app.outbox.models import OutboxMessage
from dossiers.leads.models import Lead, LeadStatus
from dossiers.models import Dossier, DossierState
from materials.mailings.models import Mailing, MailingStatus
from registrations.models import Registration, RegistrationStatus


def test_the_demo_loads_once_with_every_state_and_a_year_of_history(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo logins" in result.output and "admin" in result.output

    statuses = dict(
        db.session.execute(select(Registration.status, func.count()).group_by(Registration.status)).all()
    )
    S = RegistrationStatus
    for status in (S.PENDING, S.CONFIRMED, S.WAITLISTED, S.CANCELLED):
        assert statuses.get(status, 0) > 0, f"no {status.value} registration in the demo"
    kinds = set(db.session.scalars(select(OutboxMessage.kind).distinct()))
    assert {"registration.confirm_link", "registration.confirmed", "registration.promoted"} <= kinds
    # Every kind of mail the demo wrote is registered, named in words, and renders.
    for kind in kinds:
        assert KINDS.find(kind) is not None, f"{kind} is not a registered kind of mail"
        first = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).limit(1)).one()
        shown = outbox.preview(first)
        assert shown.error is None and (shown.subject or shown.gone), kind

    lead_statuses = set(db.session.scalars(select(Lead.status).distinct()))
    assert lead_statuses == set(LeadStatus)
    assert set(db.session.scalars(select(Dossier.state).distinct())) == set(DossierState)
    assert db.session.scalar(
        select(func.count()).select_from(Mailing).where(Mailing.status == MailingStatus.SENT)
    )

    # A year of history: every report has something to show.
    from reports import services as reports

    filters, _ = reports.Filters.from_args(MultiDict())
    assert [table.slug for table in reports.all_reports(filters) if table.empty] == []

    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "not empty" in again.output


def test_the_demo_plans_no_session_that_has_begun_when_it_is_loaded_on_a_monday_evening(
    runner, app, monkeypatch
):
    """The demo's plan starts this week, and this week's first evening can be today at 19:30:
    loaded after that, the session has begun (and could not be published). It is left out."""
    from datetime import time, timedelta

    from app.db import utcnow
    from app.timezone import from_local, local
    from sessions import demo as sessions_demo
    from sessions.models import InfoSession

    today = local(utcnow()).date()
    coming_monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    loaded_at = from_local(coming_monday, time(19, 45))  # a Monday evening, after the first slot
    monkeypatch.setattr(sessions_demo, "utcnow", lambda: loaded_at)

    result = runner.invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    begun_that_day = select(func.count()).where(
        InfoSession.starts_at >= from_local(coming_monday, time(0, 0)), InfoSession.starts_at <= loaded_at
    )
    assert db.session.scalar(begun_that_day) == 0
