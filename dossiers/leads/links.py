"""The link a lead gets to pick, move or cancel an intake conversation. It leads to the lead's
secret token, never its id, and expires. Mails carry a short link (app.links); signed ones sent
before keep working until they expire."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import links as short_links

PICK_VALID = timedelta(days=90)
PURPOSE = "lead.pick"


class LinkInvalid(Exception):
    pass


class LinkExpired(LinkInvalid):
    pass


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="lead-intake-pick")


def make_token(lead) -> str:
    return _serializer().dumps(lead.token)


def read_token(signed: str) -> str:
    """The lead token behind a link (short or signed); raises LinkExpired or LinkInvalid."""
    if short_links.looks_short(signed):
        try:
            return short_links.resolve(signed, PURPOSE)
        except short_links.LinkExpired as error:
            raise LinkExpired from error
        except short_links.LinkInvalid as error:
            raise LinkInvalid from error
    try:
        return _serializer().loads(signed, max_age=int(PICK_VALID.total_seconds()))
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error


def pick_url(lead) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/kennismakingsgesprek/kies/{make_token(lead)}"


def mail_url(lead) -> str:
    """The short pick link a mail carries, issued in the current transaction."""
    token = short_links.issue(PURPOSE, lead.token, PICK_VALID)
    return f"{current_app.config['BASE_URL'].rstrip('/')}/kennismakingsgesprek/kies/{token}"
