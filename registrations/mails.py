"""Every mail a registrant receives: its kind, queued as an intent in the transaction of the change
(`queue`), and its renderer, which the outbox's worker calls when the mail goes out.

What a mail shows about the session is read when it is rendered, seconds later: the title, the
time, the place and the meeting link as they are then. So a confirmation rendered after a
reschedule shows the new time (and its invitation the new SEQUENCE), and a venue renamed in
between is named as it is now. What the change itself was is kept in the intent's snapshot and
never read again: the registration's status at that moment (an "already" mail written for a
pending registration asks to confirm, also when the person clicked the link since), until when
the seat was held, what was rescheduled, why the session was cancelled, which reminder it is.

A mail is dropped unsent when its registration is gone, anonymised, or carries a new token (moved
to another session, registered anew, erased): the links it would carry are not those of the
change it was about, and the mail of the later change says what is true now.

Each mail carries the links to manage the registration and to one's data. Invitations carry an
.ics (METHOD:REQUEST, or CANCEL) with the session's stable UID.
"""

from __future__ import annotations

import hashlib
from functools import partial

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.i18n import long_datetime
from app.outbox.kinds import MailIntent, MailKind, RenderedMail, mail_kind
from app.outbox.services import enqueue_many
from registrations import links
from registrations.models import Registration, RegistrationStatus
from sessions import services as sessions
from sessions.ics import build_calendar, session_url
from sessions.models import InfoSession

GONE = _l(
    "Niet verstuurd: de inschrijving werd gewist, verplaatst of vernieuwd voor deze mail werd "
    "opgemaakt. De mail over die latere wijziging zegt wat nu klopt."
)


def _digest(token: str) -> str:
    """Which token the links of a mail were for, without keeping the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def locale_of(session: InfoSession) -> str:
    return session.language if session.language in ("nl", "en") else "nl"


def _render(name: str, intent: MailIntent) -> RenderedMail | None:
    """The mail of `intent` as it goes out now; None when its registration is gone (see above)."""
    registration = db.session.get(Registration, intent.id("registration"))
    if (
        registration is None
        or registration.anonymised_at is not None
        or registration.email != intent.to
        or _digest(registration.token) != intent.snapshot.get("token")
    ):
        return None
    if intent.kind is REMINDER and registration.status != RegistrationStatus.CONFIRMED:
        return None  # cancelled (or checked in) since it was queued: nothing to remind of
    kind, session = intent.kind, registration.session
    subject = str(SUBJECTS[kind] % {"title": session.display_title, "date": long_datetime(session.starts_at)})
    context = {
        "r": registration,
        "s": session,
        "status": RegistrationStatus(intent.snapshot["status"]),
        "hold_expires_at": intent.moment("hold_expires_at"),
        "changes": set(intent.snapshot.get("changes", ())),
        "spec": intent.snapshot.get("spec"),
        "reason": intent.snapshot.get("reason", ""),
        "confirm_url": links.confirm_url(registration),
        "manage_url": links.manage_url(registration),
        "privacy_url": links.privacy_url(registration),
        "session_url": session_url(session),
        "kind": name,
    }
    if kind is SESSION_CANCELLED:
        context["next_sessions"] = sessions.next_sessions_of_topic(session.topic_id, exclude_id=session.id)
    layout = "outbox/mail.html"
    if kind in CHECKIN_QR:
        context["checkin_qr_url"] = links.qr_image_url(registration)
        layout = "registrations/mail/confirmed.html"
    text = render_template(f"registrations/mail/{name}.txt", subject=subject, **context)
    # The HTML part says exactly what the text part says, laid out for a mail client.
    html = render_template(layout, subject=subject, text=text, lang=intent.locale, **context)
    method = ICS_METHODS.get(kind) if intent.snapshot.get("invite") else None
    ics = None
    if method:
        ics = build_calendar(
            [session],
            method=method,
            include_private=True,
            organizer=current_app.config["MAIL_FROM"],
            attendee=f"{registration.full_name} <{registration.email}>",
        )
    return RenderedMail(subject=subject, text=text, html=html, ics=ics, ics_method=method)


def _kind(name: str, label, gone=GONE) -> MailKind:
    return mail_kind(f"registration.{name}", label, partial(_render, name), gone=gone)


CONFIRM_LINK = _kind("confirm_link", _l("Vraag om de inschrijving te bevestigen"))
CONFIRM_WAITLIST = _kind("confirm_waitlist", _l("Vraag om de plaats op de wachtlijst te bevestigen"))
ALREADY = _kind("already", _l("Al ingeschreven"))
CONFIRMED = _kind("confirmed", _l("Bevestiging van inschrijving"))
WAITLISTED = _kind("waitlisted", _l("Op de wachtlijst"))
PROMOTED = _kind("promoted", _l("Plaats vrijgekomen: ingeschreven"))
CANCELLED = _kind("cancelled", _l("Inschrijving geannuleerd"))
LEFT_WAITLIST = _kind("left_waitlist", _l("Niet meer op de wachtlijst"))
UPDATED = _kind("updated", _l("Sessie gewijzigd"))
SESSION_CANCELLED = _kind("session_cancelled", _l("Sessie geannuleerd"))
REMINDER = _kind(
    "reminder",
    _l("Herinnering aan de sessie"),
    _l("Niet verstuurd: de inschrijving was geannuleerd of gewist voor de herinnering vertrok."),
)
MOVED = _kind("moved", _l("Inschrijving verplaatst"))

SUBJECTS = {
    CONFIRM_LINK: _l("Bevestig je inschrijving: %(title)s"),
    CONFIRM_WAITLIST: _l("Bevestig je plaats op de wachtlijst: %(title)s"),
    ALREADY: _l("Je bent al ingeschreven: %(title)s"),
    CONFIRMED: _l("Ingeschreven: %(title)s op %(date)s"),
    WAITLISTED: _l("Je staat op de wachtlijst: %(title)s"),
    PROMOTED: _l("Er is een plaats vrij: je bent ingeschreven voor %(title)s"),
    CANCELLED: _l("Je inschrijving is geannuleerd: %(title)s"),
    LEFT_WAITLIST: _l("Je staat niet meer op de wachtlijst: %(title)s"),
    UPDATED: _l("Gewijzigd: %(title)s"),
    SESSION_CANCELLED: _l("Geannuleerd: %(title)s op %(date)s"),
    REMINDER: _l("Herinnering: %(title)s op %(date)s"),
    MOVED: _l("Je inschrijving is verplaatst: %(title)s"),
}

# Mails to someone who holds a confirmed seat carry their check-in QR code, in an HTML layout
# that shows it. The outbox sends no inline images, so the code is a signed image URL.
CHECKIN_QR = frozenset({CONFIRMED, PROMOTED, REMINDER})

# Mails that come with a calendar item, and which iTIP method it has.
ICS_METHODS = {
    CONFIRMED: "REQUEST",
    PROMOTED: "REQUEST",
    UPDATED: "REQUEST",
    MOVED: "REQUEST",
    REMINDER: "REQUEST",
    CANCELLED: "CANCEL",
    SESSION_CANCELLED: "CANCEL",
}


def queue(kind: MailKind, registration: Registration, dedup_key: str, **snapshot) -> None:
    """Queue a mail of `kind` about `registration` in the current transaction: it goes out only if
    the change commits, rendered by the worker. `snapshot` adds what the mail must say as it was
    now (JSON values): `changes` (updated), `reason` (session_cancelled), `spec` (reminder)."""
    kept = {
        "token": _digest(registration.token),
        "status": registration.status.value,
        # An invitation goes only to an address someone confirmed (never to a typo).
        "invite": kind in ICS_METHODS and registration.email_confirmed_at is not None,
        **snapshot,
    }
    if registration.hold_expires_at is not None:
        kept["hold_expires_at"] = registration.hold_expires_at.isoformat()
    intent = MailIntent(
        kind=kind,
        to=registration.email,
        dedup_key=dedup_key,
        ids={"registration": registration.id},
        snapshot=kept,
        locale=locale_of(registration.session),
        reference=f"registration:{registration.id}",
    )
    enqueue_many([intent])  # one INSERT, without reading the row back
