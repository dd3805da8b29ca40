"""Links in follow-up mails: one-click unsubscribe, and one-click registration for another date.
They lead to an address or a registration's secret token, never a sequential id alone.

Mails carry short links (22 opaque characters, app.links); signed links sent before keep working
(an unsubscribe link for ever, an invitation until it expires).
"""

import json
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from app import links as short_links
from registrations.models import Registration

UNSUBSCRIBE = "mailing.unsubscribe"
INVITE = "mailing.invite"

# An invitation is only worth something while the sessions it offers are ahead.
INVITE_MAX_AGE = timedelta(days=120)


class LinkInvalid(Exception):
    pass


def _base() -> str:
    return current_app.config["BASE_URL"]


def _unsubscribe_serializer() -> URLSafeSerializer:
    # Not timed: an unsubscribe link must keep working for as long as the mail sits in an inbox.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mailing-unsubscribe")


def unsubscribe_url(email: str, mailing_id: int | None = None, *, keep: bool = True) -> str:
    """A short unsubscribe link (it never expires), stored in the current transaction with
    `keep` (the same link every time: app.links.issue_stable)."""
    payload = json.dumps([email.lower(), mailing_id])
    token = short_links.issue_stable(UNSUBSCRIBE, payload, f"mailing:{mailing_id}", None, keep=keep)
    return f"{_base()}/uitschrijven/{token}"


def _short(token: str, purpose: str) -> list:
    try:
        return json.loads(short_links.resolve(token, purpose))
    except (short_links.LinkInvalid, ValueError) as error:
        raise LinkInvalid from error


def read_unsubscribe(signed: str) -> tuple[str, int | None]:
    """(address, mailing id) behind an unsubscribe link (short or signed); raises LinkInvalid."""
    if short_links.looks_short(signed):
        email, mailing_id = _short(signed, UNSUBSCRIBE)
        return email, mailing_id
    try:
        email, mailing_id = _unsubscribe_serializer().loads(signed)
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
    return email, mailing_id


def _invite_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="mailing-invite")


def invite_url(registration: Registration, session_id: int, mailing_id: int, *, keep: bool = True) -> str:
    """Register for session `session_id` with the data of `registration`, after one confirm button.
    A short link, stored with `keep` (the same every time for this mailing: app.links.issue_stable)."""
    # The payload starts with the token, so erasing the registration forgets the link.
    payload = f"{registration.token}:{int(session_id)}"
    token = short_links.issue_stable(INVITE, payload, f"mailing:{mailing_id}", INVITE_MAX_AGE, keep=keep)
    return f"{_base()}/opvolging/inschrijven/{token}"


def read_invite(signed: str) -> tuple[str, int]:
    """(registration token, session id) behind an invitation (short or signed); raises
    LinkInvalid (also expired)."""
    if short_links.looks_short(signed):
        try:
            token, _, session_id = short_links.resolve(signed, INVITE).rpartition(":")
        except short_links.LinkInvalid as error:
            raise LinkInvalid from error
        return token, int(session_id)
    try:
        token, session_id = _invite_serializer().loads(signed, max_age=int(INVITE_MAX_AGE.total_seconds()))
    except (BadSignature, ValueError, TypeError) as error:
        raise LinkInvalid from error
    return token, int(session_id)
