"""Every mail a registrant receives: rendered once, at the moment of the change, into the outbox.

Each mail carries the links to manage the registration (cancel, leave the waiting list) and to
one's data. Invitations carry an .ics (METHOD:REQUEST, or CANCEL) with the session's stable UID.
"""

from dataclasses import replace

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.outbox.services import OutgoingMail, enqueue_many
from registrations import links
from registrations.models import Registration
from sessions.ics import build_calendar, session_url

SUBJECTS = {
    "confirm_link": _l("Bevestig je inschrijving: %(title)s"),
    "confirm_waitlist": _l("Bevestig je plaats op de wachtlijst: %(title)s"),
    "already": _l("Je bent al ingeschreven: %(title)s"),
    "confirmed": _l("Ingeschreven: %(title)s op %(date)s"),
    "waitlisted": _l("Je staat op de wachtlijst: %(title)s"),
    "promoted": _l("Er is een plaats vrij: je bent ingeschreven voor %(title)s"),
    "cancelled": _l("Je inschrijving is geannuleerd: %(title)s"),
    "left_waitlist": _l("Je staat niet meer op de wachtlijst: %(title)s"),
    "updated": _l("Gewijzigd: %(title)s"),
    "session_cancelled": _l("Geannuleerd: %(title)s op %(date)s"),
    "reminder": _l("Herinnering: %(title)s op %(date)s"),
    "moved": _l("Je inschrijving is verplaatst: %(title)s"),
}

# Mails that carry the registrant's check-in QR code, with the HTML layout that shows it. The
# outbox sends no inline images, so the code is a signed image URL (registrations.attendance).
# Every mail to someone who now holds a confirmed seat carries it.
CHECKIN_QR = dict.fromkeys(("confirmed", "promoted", "reminder"), "registrations/mail/confirmed.html")

# Mails that come with a calendar item, and which iTIP method it has.
ICS_METHODS = {
    "confirmed": "REQUEST",
    "promoted": "REQUEST",
    "updated": "REQUEST",
    "moved": "REQUEST",
    "reminder": "REQUEST",
    "cancelled": "CANCEL",
    "session_cancelled": "CANCEL",
}


def compose(
    kind: str, registration: Registration, dedup_key: str, *, session=None, **context
) -> OutgoingMail:
    """Render one mail. `session` is given when the registration is not (yet) in the database."""
    from app.i18n import long_datetime

    session = session or registration.session
    with force_locale(session.language if session.language in ("nl", "en") else "nl"):
        ctx = {
            "r": registration,
            "s": session,
            "confirm_url": links.confirm_url(registration),
            "manage_url": links.manage_url(registration),
            "privacy_url": links.privacy_url(registration),
            "session_url": session_url(session),
            "kind": kind,
            **context,
        }
        subject = str(
            SUBJECTS[kind] % {"title": session.display_title, "date": long_datetime(session.starts_at)}
        )
        if kind in CHECKIN_QR:
            from registrations import attendance  # attendance builds on the services, which use us

            ctx["checkin_qr_url"] = attendance.qr_image_url(registration)
        text = render_template(f"registrations/mail/{kind}.txt", subject=subject, **ctx)
        # The HTML part says exactly what the text part says, laid out for a mail client.
        layout = CHECKIN_QR.get(kind, "outbox/mail.html")
        html = render_template(layout, subject=subject, text=text, lang=session.language, **ctx)
    method = ICS_METHODS.get(kind)
    ics = None
    if method and registration.email_confirmed_at is not None:
        ics = build_calendar(
            [session],
            method=method,
            include_private=True,
            organizer=current_app.config["MAIL_FROM"],
            attendee=f"{registration.full_name} <{registration.email}>",
        )
    return OutgoingMail(
        to=registration.email,
        subject=subject,
        text=text,
        html=html,
        dedup_key=dedup_key,
        kind=f"registration.{kind}",
        ics=ics,
        ics_method=method if ics else None,
        reference=f"registration:{registration.id}",
    )


def send(kind: str, registration: Registration, dedup_key: str, **context) -> None:
    """Queue a mail in the current transaction (it goes out only if the change commits).

    `enqueue_many` with one mail: the same deduplication, without reading the row back."""
    enqueue_many([compose(kind, registration, dedup_key, **context)])


def send_composed(mail: OutgoingMail, registration: Registration, dedup_key: str) -> None:
    """Queue a mail rendered earlier (before the session was locked), now that the row has its id."""
    enqueue_many([replace(mail, dedup_key=dedup_key, reference=f"registration:{registration.id}")])
