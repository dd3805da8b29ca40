"""The mails of a follow-up mailing: one kind per segment, and the test mail an expert sends to
themselves. The send writes an intent per recipient (the mailing and the registration); the
outbox's worker renders each through `rendering.render`, as the preview does.

A mail is dropped unsent when its registration is gone or anonymised, or — for news — when the
address unsubscribed after the mailing started: an unsubscribe counts at once.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.outbox.kinds import MailIntent, MailKind, mail_kind
from materials.mailings import rendering
from materials.mailings.models import Mailing, Segment, Unsubscribe
from registrations.models import Registration

GONE = _l(
    "Niet verstuurd: de ontvanger schreef zich uit voor nieuws, of de gegevens werden gewist, voor "
    "deze mail vertrok."
)


def _found(intent: MailIntent) -> tuple[Mailing, Registration] | None:
    mailing = db.session.get(Mailing, intent.id("mailing"))
    registration = db.session.get(Registration, intent.id("registration"))
    if mailing is None or registration is None or registration.anonymised_at is not None:
        return None
    return mailing, registration


def _render(intent: MailIntent) -> rendering.AddressedMail | None:
    found = _found(intent)
    if found is None:
        return None
    mailing, registration = found
    if registration.email != intent.to:
        return None
    if mailing.segment.is_news and db.session.scalar(
        select(Unsubscribe.id).where(Unsubscribe.email == registration.email)
    ):
        return None
    return rendering.render(mailing, registration, keep_links=not intent.preview)


def _render_test(intent: MailIntent) -> rendering.AddressedMail | None:
    """The mail as the chosen registrant would get it, to the expert, "[TEST]" before the subject."""
    found = _found(intent)
    if found is None:
        return None
    mail = rendering.render(*found, keep_links=not intent.preview)
    return replace(mail, to=intent.to, subject=f"[TEST] {mail.subject}"[:500])


SEGMENT_KINDS: dict[Segment, MailKind] = {
    Segment.ATTENDEES: mail_kind("mailing.attendees", _l("Opvolgmail aan wie er was"), _render, gone=GONE),
    Segment.NO_SHOWS: mail_kind("mailing.no_shows", _l("Opvolgmail aan wie niet kwam"), _render, gone=GONE),
    Segment.WAITLISTED: mail_kind(
        "mailing.waitlisted_never_seated", _l("Opvolgmail aan de wachtlijst"), _render, gone=GONE
    ),
    Segment.CANCELLED: mail_kind(
        "mailing.cancelled", _l("Opvolgmail aan wie annuleerde"), _render, gone=GONE
    ),
}
TEST = mail_kind("mailing.test", _l("Testmail van een opvolgmail"), _render_test, gone=GONE)
MAIL_KINDS = (*SEGMENT_KINDS.values(), TEST)  # registered by init_app (app.outbox.kinds.KINDS)


def intent(mailing: Mailing, registration: Registration, dedup_key: str) -> MailIntent:
    """One recipient's mail of `mailing`, to queue (in bulk) in the transaction of the send."""
    session = registration.session
    return MailIntent(
        kind=SEGMENT_KINDS[mailing.segment],
        to=registration.email,
        dedup_key=dedup_key,
        ids={"mailing": mailing.id, "registration": registration.id},
        locale=session.language if session.language in ("nl", "en") else "nl",
        reference=f"mailing:{mailing.id}",
    )


def test_intent(mailing: Mailing, registration: Registration, to: str, dedup_key: str) -> MailIntent:
    """The test mail: `registration`'s mail, to the expert's address `to`. Kept apart from the
    mailing's own mails (its reference), so it never counts in the mailing's progress."""
    return replace(
        intent(mailing, registration, dedup_key),
        kind=TEST,
        to=to,
        reference=f"mailing-test:{mailing.id}",
    )
