"""`flask demo` gives a newcomer a living system: every state shows up somewhere."""

from sqlalchemy import func, select

from app.extensions import db
from app.outbox.models import OutboxMessage
from registrations.models import Registration, RegistrationStatus


def test_the_demo_loads_once_with_registrations_in_every_state(runner):
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

    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "not empty" in again.output
