"""The organiser's expiring link to their dossier (`/dossier/<token>`).

The link leads to the dossier's secret token, never its id or reference, so one dossier's link
can never be turned into another's. A fresh link goes out with every mail; DOSSIER_LINK_DAYS says
how long one stays valid. Mails carry a short link (22 opaque characters, app.links); the staff
page shows a signed one, as mails did before, and those keep working until they expire.
"""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import links as short_links
from dossiers.models import Dossier

PURPOSE = "dossier.organiser"

SALT = "dossier-organiser"


class LinkInvalid(Exception):
    pass


class LinkExpired(LinkInvalid):
    pass


def lifetime() -> timedelta:
    return timedelta(days=int(current_app.config.get("DOSSIER_LINK_DAYS", 60)))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(dossier: Dossier) -> str:
    return _serializer().dumps(dossier.token)


def read_token(signed: str) -> str:
    """The dossier token behind a link (short or signed); raises LinkExpired or LinkInvalid."""
    if short_links.looks_short(signed):
        try:
            return short_links.resolve(signed, PURPOSE)
        except short_links.LinkExpired as error:
            raise LinkExpired from error
        except short_links.LinkInvalid as error:
            raise LinkInvalid from error
    try:
        return _serializer().loads(signed, max_age=int(lifetime().total_seconds()))
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error


def organiser_url(dossier: Dossier) -> str:
    return f"{current_app.config['BASE_URL']}/dossier/{make_token(dossier)}"


def mail_url(dossier: Dossier) -> str:
    """The short link a mail carries, issued in the current transaction."""
    token = short_links.issue(PURPOSE, dossier.token, lifetime())
    return f"{current_app.config['BASE_URL']}/dossier/{token}"


def staff_url(dossier: Dossier) -> str:
    return f"{current_app.config['BASE_URL']}/beheer/dossiers/{dossier.reference}"
