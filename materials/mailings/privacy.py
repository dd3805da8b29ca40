"""A person's data leaves the mailings together with their registration.

The registrations package anonymises a registration (on request, or after the retention period)
without knowing who else holds a copy; a mailing's recipient row keeps the name and address it
went to. So when a flush writes `Registration.anonymised_at`, the same transaction blanks those
rows too. The outbox rows themselves are forgotten or purged by the registrations' privacy code.
"""

from sqlalchemy import event, inspect, update

from app.extensions import db
from materials.mailings.models import MailingRecipient
from registrations.models import Registration


def _forget_anonymised(session, _flush_context) -> None:
    erased = [
        obj.id
        for obj in session.dirty
        if isinstance(obj, Registration)
        and obj.anonymised_at is not None
        and inspect(obj).attrs.anonymised_at.history.has_changes()
    ]
    for registration_id in erased:
        session.connection().execute(
            update(MailingRecipient)
            .where(MailingRecipient.registration_id == registration_id)
            .values(
                name="(gewist)",
                email=f"gewist-{registration_id}@anoniem.invalid",
                outbox_key=f"gewist:{registration_id}",
            )
        )


def init_app(_app) -> None:
    if not event.contains(db.session, "after_flush", _forget_anonymised):
        event.listen(db.session, "after_flush", _forget_anonymised)
