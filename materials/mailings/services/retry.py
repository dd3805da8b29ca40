"""Trying a failed mail of a mailing again, for one recipient."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l

from app.database import atomic
from app.errors import DomainError, NotFound
from app.extensions import db
from app.outbox.models import MailStatus
from app.outbox.services import enqueue
from materials.mailings import mails
from materials.mailings.models import Mailing, MailingRecipient
from materials.mailings.services.progress import newest_message
from registrations.models import Registration


def retry_key(mailing_id: int, failed_message_id: int) -> str:
    return f"mailing:{mailing_id}:retry:{failed_message_id}"


@atomic
def retry_recipient(mailing: Mailing, recipient_id: int) -> MailingRecipient:
    """Queue the mail of one recipient again after it failed (the server refused it, or it ran
    out of attempts); the worker renders and sends it as it did the first.

    The retry is a new intent of the mailing's own kind, keyed on the failed outbox row
    (`retry_key`), rather than a byte copy of the failed mail (`outbox.resend`): a double click,
    or a stale page posted again, queues it once, since a second key is only made once this retry
    failed in turn; and it is rendered afresh, so an unsubscribe or an erasure since the failure
    counts (the worker then closes it unsent, with the reason).

    Raises NotFound for a recipient of another mailing, DomainError when their mail did not fail
    (it waits, left, or was closed unsent) or their registration is gone.
    """
    recipient = db.session.get(MailingRecipient, recipient_id)
    if recipient is None or recipient.mailing_id != mailing.id:
        raise NotFound(_l("Deze ontvanger hoort niet bij deze mailing."))
    message = newest_message(mailing, recipient)
    if message is not None and message.status == MailStatus.QUEUED:
        raise DomainError(_l("De mail aan %(name)s staat al in de wachtrij.", name=recipient.name))
    if message is None or message.status != MailStatus.FAILED:
        raise DomainError(
            _l("De mail aan %(name)s is niet mislukt: er is niets opnieuw te versturen.", name=recipient.name)
        )
    registration = (
        db.session.get(Registration, recipient.registration_id) if recipient.registration_id else None
    )
    if registration is None or registration.anonymised_at is not None:
        raise DomainError(
            _l("De inschrijving van deze persoon bestaat niet meer: de mail kan niet opnieuw vertrekken.")
        )
    key = retry_key(mailing.id, message.id)
    # To the address the mailing went to: should the registration's address have changed since,
    # the renderer closes the retry unsent rather than mail someone the mailing never reached.
    enqueue(replace(mails.intent(mailing, registration, key), to=recipient.email))
    db.session.commit()
    return recipient
