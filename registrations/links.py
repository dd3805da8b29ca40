"""Every link to a registration, together: the expiring links in registrants' mails (confirm,
manage, privacy, intake) and the check-in code behind the QR code. A link carries the
registration's secret token, never its sequential id; rotating the token kills every old link.

Mails carry short links (`mail_url`: 22 opaque characters, app.links); the pages themselves and
mails sent before short links carry signed payloads (`make_token`), which keep working until they
expire. `read_token` reads both.
"""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select

from app import links as short_links
from app.extensions import db
from registrations.models import Registration

PURPOSES = {
    # purpose: how long a link stays valid
    "confirm": timedelta(days=7),
    "manage": timedelta(days=400),  # view, cancel, leave the waiting list
    "privacy": timedelta(days=400),  # export or erase one's data
    "intake": timedelta(days=400),  # ask for an intake conversation (dossiers.leads)
}


class LinkInvalid(Exception):
    pass


class LinkExpired(LinkInvalid):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"registration-{purpose}")


def make_token(registration: Registration, purpose: str) -> str:
    return _serializer(purpose).dumps(registration.token)


def read_token(signed: str, purpose: str) -> str:
    """The registration token behind a link (short or signed); raises LinkExpired or LinkInvalid."""
    if short_links.looks_short(signed):
        try:
            return short_links.resolve(signed, f"registration.{purpose}")
        except short_links.LinkExpired as error:
            raise LinkExpired from error
        except short_links.LinkInvalid as error:
            raise LinkInvalid from error
    try:
        return _serializer(purpose).loads(signed, max_age=int(PURPOSES[purpose].total_seconds()))
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error


def _base() -> str:
    return current_app.config["BASE_URL"]


def short_token(registration: Registration, purpose: str) -> str:
    """A new short link token for `purpose`, in the current transaction (the outbox's worker
    commits it with the mail that carries it)."""
    return short_links.issue(f"registration.{purpose}", registration.token, PURPOSES[purpose])


_PATHS = {
    "confirm": "/inschrijving/{}/bevestigen",
    "manage": "/inschrijving/{}",
    "privacy": "/inschrijving/{}/mijn-gegevens",
    "intake": "/kennismakingsgesprek/{}",
}


def mail_url(
    registration: Registration, purpose: str, *, stable: str | None = None, keep: bool = True
) -> str:
    """The short link for `purpose` that a mail carries (confirm, manage, privacy, intake). With
    `stable` ("mailing:12") the same link every time, stored only with `keep`
    (app.links.issue_stable): what a mailing's preview and its frame need."""
    if stable is None:
        token = short_token(registration, purpose)
    else:
        token = short_links.issue_stable(
            f"registration.{purpose}", registration.token, stable, PURPOSES[purpose], keep=keep
        )
    return _base() + _PATHS[purpose].format(token)


def forget(registration: Registration) -> None:
    """Delete the short links to `registration` (its data is erased or its token rotated)."""
    short_links.forget(registration.token, "registration.")
    short_links.forget_starting(f"{registration.token}:")  # invitations to other dates


def confirm_url(registration: Registration) -> str:
    return f"{_base()}/inschrijving/{make_token(registration, 'confirm')}/bevestigen"


def manage_url(registration: Registration) -> str:
    return f"{_base()}/inschrijving/{make_token(registration, 'manage')}"


def privacy_url(registration: Registration) -> str:
    return f"{_base()}/inschrijving/{make_token(registration, 'privacy')}/mijn-gegevens"


def intake_url(registration: Registration) -> str:
    """The one-click "I want an intake conversation" link in follow-up mails."""
    return f"{_base()}/kennismakingsgesprek/{make_token(registration, 'intake')}"


# --------------------------------------------------------------------------- the check-in QR code


def _checkin_serializer() -> URLSafeSerializer:
    # Not timed: the same registration always gets the same code, so a mail rendered twice is the
    # same mail. The link expires with its session instead (attendance.QR_LINK_AFTER_SESSION).
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="registration-checkin")


def checkin_token(registration: Registration) -> str:
    return _checkin_serializer().dumps(registration.token)


def read_checkin_token(signed: str) -> str:
    """The registration token inside a check-in code; raises LinkInvalid."""
    try:
        return _checkin_serializer().loads(signed)
    except BadSignature as error:
        raise LinkInvalid from error


def checkin_url(registration: Registration) -> str:
    """Where the QR code in the confirmation mail points: the registrant's own check-in, which
    only a logged-in presenter, expert or admin can use."""
    return f"{_base()}/beheer/sessies/{registration.session_id}/aanwezigheden/{checkin_token(registration)}"


def qr_image_url(registration: Registration) -> str:
    """The QR code as a PNG that a mail client can load (the outbox carries no inline images)."""
    return f"{_base()}/aanwezigheid/{checkin_token(registration)}/qr.png"


# --------------------------------------------------------------------------- the certificate


def _certificate_serializer() -> URLSafeSerializer:
    # Not timed: a certificate printed today must still verify in years. It stops verifying when
    # the registration is no longer attended, or is anonymised (its token rotates).
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="registration-certificate")


def certificate_token(registration: Registration) -> str:
    return _certificate_serializer().dumps(registration.token)


def certificate_url(registration: Registration) -> str:
    """The verification address in a certificate's QR code."""
    return f"{_base()}/attest/{certificate_token(registration)}"


def certificate_pdf_url(registration: Registration) -> str:
    """Where the person downloads their certificate (behind their manage link)."""
    return f"{manage_url(registration)}/attest.pdf"


def registration_for_certificate(signed: str) -> Registration | None:
    """The registration a verification token names, or None for a forged or stale one."""
    try:
        token = _certificate_serializer().loads(signed)
    except BadSignature:
        return None
    if not isinstance(token, str):
        return None
    return db.session.scalar(select(Registration).where(Registration.token == token))
