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
.ics (METHOD:REQUEST, or CANCEL) with the session's stable UID. A move sends two: the new
session's invitation (`moved`) and the old one cancelled (`moved_from`, its snapshot names the
session left, which the mail is about).
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
from registrations import mail_parts as parts
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
    if intent.snapshot.get("session"):
        # A mail about the session they left (moved_from): its invitation is cancelled.
        session = db.session.get(InfoSession, intent.snapshot["session"])
        if session is None:
            return None
    subject = str(SUBJECTS[kind] % {"title": session.display_title, "date": long_datetime(session.starts_at)})
    status = RegistrationStatus(intent.snapshot["status"])
    urls = {
        "confirm_url": _confirm_url(name, status, registration),
        "manage_url": links.mail_url(registration, "manage"),
        "privacy_url": links.mail_url(registration, "privacy"),
        "session_url": session_url(session),
    }
    method = ICS_METHODS.get(kind) if intent.snapshot.get("invite") else None
    meeting_link = parts.shows_meeting_link(name, status)
    context = {
        "r": registration,
        "s": session,
        "status": status,
        "hold_expires_at": intent.moment("hold_expires_at"),
        "changes": set(intent.snapshot.get("changes", ())),
        "spec": intent.snapshot.get("spec"),
        "reason": intent.snapshot.get("reason", ""),
        **urls,
        "kind": name,
        "snapshot": intent.snapshot,
        "action": parts.action(name, status, urls),
        "summary": parts.summary(
            session,
            urls["session_url"],
            meeting_link=meeting_link,
            ended=parts.ended(name),
            mode=registration.mode,
        ),
        "calendar": None,
    }
    if ICS_METHODS.get(kind) == "REQUEST" and status == RegistrationStatus.CONFIRMED:
        context["calendar"] = parts.calendar_links(
            session,
            urls["session_url"],
            meeting_link=meeting_link,
            with_ics=method is not None,
            mode=registration.mode,
        )
    if kind is SESSION_CANCELLED:
        context["next_sessions"] = sessions.next_sessions_of_topic(session.topic_id, exclude_id=session.id)
    layout = "outbox/mail.html"
    if kind in CHECKIN_QR:
        context["checkin_qr_url"] = links.qr_image_url(registration)
        layout = "registrations/mail/confirmed.html"
    text = render_template(f"registrations/mail/{name}.txt", subject=subject, **context)
    # The HTML part says exactly what the text part says, laid out for a mail client.
    html = render_template(layout, subject=subject, text=text, lang=intent.locale, **context)
    ics = None
    if method:
        ics = build_calendar(
            [session],
            method=method,
            include_private=True,
            organizer=current_app.config["MAIL_FROM"],
            attendee=f"{registration.full_name} <{registration.email}>",
            attends=registration.attends,
        )
    return RenderedMail(subject=subject, text=text, html=html, ics=ics, ics_method=method)


def _confirm_url(name: str, status: RegistrationStatus, registration: Registration) -> str | None:
    """Only the mails that ask to confirm carry a confirm link (one short link less elsewhere)."""
    pending = name == "already" and status == RegistrationStatus.PENDING
    if name in ("confirm_link", "confirm_waitlist") or pending:
        return links.mail_url(registration, "confirm")
    return None


SUBJECTS: dict[MailKind, object] = {}
# Mails to someone who holds a confirmed seat carry their check-in QR code, in an HTML layout
# that shows it. The outbox sends no inline images, so the code is a signed image URL.
CHECKIN_QR: set[MailKind] = set()
# Mails that come with a calendar item, and which iTIP method it has.
ICS_METHODS: dict[MailKind, str] = {}


def registration_kind(
    name: str, label, subject, *, gone=GONE, ics_method: str | None = None, checkin_qr: bool = False
) -> MailKind:
    """Register a kind of mail about one registration: its text is the template
    `registrations/mail/<name>.txt` (its HTML part laid out from it), `subject` a lazy string that
    may use %(title)s and %(date)s (the session's), `ics_method` REQUEST or CANCEL for an
    invitation (only to a confirmed address), `checkin_qr` to show the check-in QR code. Queue it
    with `queue`. The template gets r (the registration), s (its session), status, the links,
    and `snapshot` (what the change kept)."""
    kind = mail_kind(f"registration.{name}", label, partial(_render, name), gone=gone)
    SUBJECTS[kind] = subject
    if ics_method:
        ICS_METHODS[kind] = ics_method
    if checkin_qr:
        CHECKIN_QR.add(kind)
    return kind


CONFIRM_LINK = registration_kind(
    "confirm_link",
    _l("Vraag om de inschrijving te bevestigen"),
    _l("Bevestig je inschrijving: %(title)s"),
)
CONFIRM_WAITLIST = registration_kind(
    "confirm_waitlist",
    _l("Vraag om de plaats op de wachtlijst te bevestigen"),
    _l("Bevestig je plaats op de wachtlijst: %(title)s"),
)
ALREADY = registration_kind("already", _l("Al ingeschreven"), _l("Je bent al ingeschreven: %(title)s"))
CONFIRMED = registration_kind(
    "confirmed",
    _l("Bevestiging van inschrijving"),
    _l("Ingeschreven: %(title)s op %(date)s"),
    ics_method="REQUEST",
    checkin_qr=True,
)
WAITLISTED = registration_kind(
    "waitlisted", _l("Op de wachtlijst"), _l("Je staat op de wachtlijst: %(title)s")
)
PROMOTED = registration_kind(
    "promoted",
    _l("Plaats vrijgekomen: ingeschreven"),
    _l("Er is een plaats vrij: je bent ingeschreven voor %(title)s"),
    ics_method="REQUEST",
    checkin_qr=True,
)
CANCELLED = registration_kind(
    "cancelled",
    _l("Inschrijving geannuleerd"),
    _l("Je inschrijving is geannuleerd: %(title)s"),
    ics_method="CANCEL",
)
LEFT_WAITLIST = registration_kind(
    "left_waitlist",
    _l("Niet meer op de wachtlijst"),
    _l("Je staat niet meer op de wachtlijst: %(title)s"),
)
UPDATED = registration_kind(
    "updated", _l("Sessie gewijzigd"), _l("Gewijzigd: %(title)s"), ics_method="REQUEST"
)
SESSION_CANCELLED = registration_kind(
    "session_cancelled",
    _l("Sessie geannuleerd"),
    _l("Geannuleerd: %(title)s op %(date)s"),
    ics_method="CANCEL",
)
REMINDER = registration_kind(
    "reminder",
    _l("Herinnering aan de sessie"),
    _l("Herinnering: %(title)s op %(date)s"),
    gone=_l("Niet verstuurd: de inschrijving was geannuleerd of gewist voor de herinnering vertrok."),
    ics_method="REQUEST",
    checkin_qr=True,
)
MOVED = registration_kind(
    "moved",
    _l("Inschrijving verplaatst"),
    _l("Je inschrijving is verplaatst: %(title)s"),
    ics_method="REQUEST",
)
MOVED_FROM = registration_kind(
    "moved_from",
    _l("Oude datum vrijgegeven na verplaatsen"),
    _l("Niet meer op deze datum: %(title)s op %(date)s"),
    ics_method="CANCEL",
)


# Every kind above, for init_app to register (app.outbox.kinds.KINDS).
MAIL_KINDS = tuple(SUBJECTS)


def queue(kind: MailKind, registration: Registration, dedup_key: str, **snapshot) -> None:
    """Queue a mail of `kind` about `registration` in the current transaction: it goes out only if
    the change commits, rendered by the worker. `snapshot` adds what the mail must say as it was
    now (JSON values): `changes` (updated), `reason` (session_cancelled), `spec` (reminder),
    `session` (the id of the session the mail is about, when not the registration's: moved_from),
    `invite` (False: no calendar item, even for a kind that has one), `group` (who of a group is
    where). A companion registered without an address gets no mail: the person who registered
    them manages them."""
    if not registration.email:
        return
    invite = bool(snapshot.pop("invite", True))
    kept = {
        "token": _digest(registration.token),
        "status": registration.status.value,
        # An invitation goes only to an address someone confirmed (never to a typo).
        "invite": invite and kind in ICS_METHODS and registration.email_confirmed_at is not None,
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
