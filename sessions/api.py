"""The public JSON API for the agency's website: /api/v1/sessions.

Read-only and public: it shows exactly what the catalogue page shows (the same service query),
never a draft, a meeting link or anyone's e-mail address. Absolute URLs are built from BASE_URL,
not from the request's host, so they stay right behind a proxy.
"""

import json
from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _

from app.db import utcnow
from app.errors import NotFound
from app.parsing import InvalidValue, parse_page, parse_page_size
from app.timezone import local
from sessions import services
from sessions.ics import base_url, session_ics_url, session_url
from sessions.models import InfoSession
from sessions.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

FILTER_PARAMS = ("province", "format", "moment", "topic", "month")


def _iso(value: datetime) -> str:
    """ISO 8601 on the Brussels clock with its offset: 2027-01-16T09:30:00+01:00."""
    return local(value).isoformat(timespec="seconds")


def session_to_json(session: InfoSession, *, detail: bool = False, now: datetime | None = None) -> dict:
    """The public face of a session; the one serialisation both endpoints use.

    `detail` adds the presenters' names (get_public_session loads them with the session), which
    the list leaves out so a page costs the same number of queries whatever its size.
    """
    venue = session.venue
    registration_open = services.registration_is_open(session, now)
    data = {
        "id": session.id,
        "title": session.display_title,
        "topic": {"slug": session.topic.slug, "title": session.topic.title},
        "starts_at": _iso(session.starts_at),
        "ends_at": _iso(session.ends_at),
        "format": session.format.value,
        "venue": None
        if venue is None
        else {
            "name": venue.name,
            "address": venue.address,
            "postcode": venue.postcode,
            "municipality": venue.municipality,
            "province": venue.province,
            "step_free": venue.step_free,
        },
        "capacity": session.capacity,
        "online_capacity": session.online_capacity if session.is_hybrid else None,
        "seats_left": session.seats_left,
        "seats_left_by_mode": session.seats_left_by_mode,
        "registration_open": registration_open,
        "waitlist_open": registration_open and session.is_full,
        "evening": session.is_evening,
        "weekend": session.is_weekend,
        "status": session.status.value,
        "cancel_reason": session.cancel_reason,
        "language": session.language,
        "url": session_url(session),
        "ics_url": session_ics_url(session),
    }
    if detail:
        data["presenters"] = [{"name": presenter.name} for presenter in session.presenters]
    return data


def _error(code: int, message, fields: list[str] | None = None):
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return jsonify(error=body), code


def _query_value(name: str) -> str:
    return (request.args.get(name) or "").strip()


def _list_url(page: int, per_page: int) -> str:
    args = {name: request.args[name].strip() for name in FILTER_PARAMS if request.args.get(name, "").strip()}
    args.update(page=page, per_page=per_page)
    return f"{base_url()}{request.path}?{urlencode(args)}"


@bp.get("/sessions")
def list_sessions():
    filters = services.CatalogueFilters.from_args(request.args, api=True)
    invalid = list(filters.invalid)
    try:
        page = parse_page(_query_value("page"))
    except InvalidValue:
        invalid.append("page")
    try:
        per_page = parse_page_size(
            _query_value("per_page"),
            default=current_app.config["API_PAGE_SIZE"],
            maximum=current_app.config["API_MAX_PAGE_SIZE"],
        )
    except InvalidValue:
        invalid.append("per_page")
    if invalid:
        return _error(
            400,
            _(
                "Ongeldige waarde voor: %(fields)s. De toegelaten waarden staan in /api/v1/openapi.json.",
                fields=", ".join(invalid),
            ),
            invalid,
        )
    result = services.list_catalogue(filters, page, per_page)
    now = utcnow()
    return jsonify(
        data=[session_to_json(session, now=now) for session in result.items],
        meta={"page": result.page, "per_page": result.per_page, "total": result.total, "pages": result.pages},
        links={
            "self": _list_url(result.page, per_page),
            "next": _list_url(result.page + 1, per_page) if result.has_next else None,
            "prev": _list_url(min(result.page - 1, result.pages), per_page) if result.has_prev else None,
        },
    )


@bp.get("/sessions/<int:session_id>")
def session_detail(session_id: int):
    try:
        session = services.get_public_session(session_id)
    except NotFound as error:
        return _error(404, error.message)
    return jsonify(session_to_json(session, detail=True))


@bp.get("/openapi.json")
def openapi():
    document = openapi_document(
        base_url=base_url(),
        page_size=current_app.config["API_PAGE_SIZE"],
        max_page_size=current_app.config["API_MAX_PAGE_SIZE"],
    )
    # json.dumps keeps the document in the order it was written, which reads better than sorted.
    return current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json"
    )


@bp.after_request
def public_headers(response):
    # Public data for the agency's website: any origin may read it, and a minute of caching
    # spares the database when the website's front page is busy.
    response.headers["Access-Control-Allow-Origin"] = "*"
    if response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=60"
    return response
