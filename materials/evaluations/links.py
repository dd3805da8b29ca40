"""The signed link to a registration's evaluation. It carries the registration's secret token
(which changes when the registration is anonymised, so old links stop working), never an id."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.extensions import db
from registrations.models import Registration


def _serializer() -> URLSafeSerializer:
    # Not timed: the evaluation itself closes (services.is_open), with a clear message.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="evaluation")


def evaluation_url(registration: Registration, score: int | None = None) -> str:
    url = f"{current_app.config['BASE_URL']}/evaluatie/{_serializer().dumps(registration.token)}"
    return f"{url}?score={score}" if score is not None else url


def registration_by_link(signed: str) -> Registration | None:
    try:
        token = _serializer().loads(signed)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(token, str):
        return None
    return db.session.scalar(select(Registration).where(Registration.token == token))
