"""Signed links in follow-up mails: one-click unsubscribe, and one-click registration for another
date. They carry an address or a registration's secret token, never a sequential id alone."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from registrations.models import Registration

# An invitation is only worth something while the sessions it offers are ahead.
INVITE_MAX_AGE = timedelta(days=120)


class LinkInvalid(Exception):
    pass


def _base() -> str:
    return current_app.config["BASE_URL"]


def _unsubscribe_serializer() -> URLSafeSerializer:
    # Not timed: an unsubscribe link must keep working for as long as the mail sits in an inbox.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mailing-unsubscribe")


def unsubscribe_url(email: str, mailing_id: int | None = None) -> str:
    return f"{_base()}/uitschrijven/{_unsubscribe_serializer().dumps([email.lower(), mailing_id])}"


def read_unsubscribe(signed: str) -> tuple[str, int | None]:
    """(address, mailing id) inside an unsubscribe link; raises LinkInvalid."""
    try:
        email, mailing_id = _unsubscribe_serializer().loads(signed)
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
    return email, mailing_id


def _invite_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="mailing-invite")


def invite_url(registration: Registration, session_id: int) -> str:
    """Register for session `session_id` with the data of `registration`, after one confirm button."""
    signed = _invite_serializer().dumps([registration.token, session_id])
    return f"{_base()}/opvolging/inschrijven/{signed}"


def read_invite(signed: str) -> tuple[str, int]:
    """(registration token, session id) inside an invitation; raises LinkInvalid (also expired)."""
    try:
        token, session_id = _invite_serializer().loads(signed, max_age=int(INVITE_MAX_AGE.total_seconds()))
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
    return token, int(session_id)
