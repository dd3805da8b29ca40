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
