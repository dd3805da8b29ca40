"""The organiser's signed, expiring link to their dossier (`/dossier/<signed>`).

The link carries the dossier's secret token, never its id or reference, so one dossier's link
can never be turned into another's. A fresh link (a new timestamp) goes out with every mail;
DOSSIER_LINK_DAYS says how long one stays valid.
"""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from dossiers.models import Dossier

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
    """The dossier token inside a signed link; raises LinkExpired or LinkInvalid."""
    try:
        return _serializer().loads(signed, max_age=int(lifetime().total_seconds()))
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error


def organiser_url(dossier: Dossier) -> str:
    return f"{current_app.config['BASE_URL']}/dossier/{make_token(dossier)}"


def staff_url(dossier: Dossier) -> str:
    return f"{current_app.config['BASE_URL']}/beheer/dossiers/{dossier.reference}"
