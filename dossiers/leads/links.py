"""The signed link a lead gets to pick, move or cancel an intake conversation. It carries the
lead's secret token, never its id, and expires."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PICK_VALID = timedelta(days=90)


class LinkInvalid(Exception):
    pass


class LinkExpired(LinkInvalid):
    pass


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="lead-intake-pick")


def make_token(lead) -> str:
    return _serializer().dumps(lead.token)


def read_token(signed: str) -> str:
    """The lead token inside a signed link; raises LinkExpired or LinkInvalid."""
    try:
        return _serializer().loads(signed, max_age=int(PICK_VALID.total_seconds()))
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error


def pick_url(lead) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/kennismakingsgesprek/kies/{make_token(lead)}"
