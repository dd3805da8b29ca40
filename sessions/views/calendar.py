"""The calendar files as served (blueprint `ics`): one session's .ics, the public feed with the
catalogue's filters, and a presenter's private feed. Built by `sessions.ics`."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _

from app.cache import FragmentCache
from app.errors import NotFound
from app.extensions import limiter
from sessions import services
from sessions.ics import FEED_REFRESH, build_calendar, changed_at, presenter_for_token

bp = Blueprint("ics", __name__)

MEDIA_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(
    body: bytes,
    *,
    filename: str,
    attachment: bool,
    last_modified: datetime | None,
    private: bool = False,
    etag: str | None = None,
) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.content_type = MEDIA_TYPE
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(etag or hashlib.sha256(body).hexdigest()[:32])
    if private:
        # The address is the key: keep it out of shared caches, referrers and search engines.
        response.cache_control.private = True
        response.cache_control.no_cache = True
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
    else:
        response.cache_control.public = True
        response.cache_control.max_age = 300
    if last_modified is not None:  # (None would stamp "now")
        response.last_modified = last_modified
    return response.make_conditional(request)


@bp.get("/sessies/<int:session_id>.ics")
def session_file(session_id: int):
    try:
        session = services.get_public_session(session_id)
    except NotFound:
        abort(404)
    body = build_calendar([session], method="PUBLISH")
    return _calendar_response(
        body, filename=f"infosessie-{session.id}.ics", attachment=True, last_modified=changed_at(session)
    )


# Built feeds, keyed by what decides their bytes (language, filters, the last change of any
# public session, topic or venue). Calendar apps that poll get a 304 without the feed being
# built at all.
FEEDS = FragmentCache("ics-feeds", 64)


@bp.get("/sessies.ics")
@limiter.limit(lambda: current_app.config["FEED_RATE_LIMIT"])
def feed():
    filters = services.CatalogueFilters.from_args(request.args)
    # A feed shows no seat counts: only the last change of what it shows matters (a registration
    # must not throw the built feed away, nor make every subscriber download it again).
    version = services.catalogue_version()
    changed = version.details_changed_at
    key = (str(get_locale()), tuple(sorted(filters.as_public_args().items())), version.details)
    etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
        response.set_etag(etag)
        return response
    body = FEEDS.get_or_make(
        key,
        lambda: build_calendar(
            services.list_feed(filters),
            method="PUBLISH",
            name=_("Infosessies kinderopvang starten"),
            refresh=FEED_REFRESH,
        ),
    )
    return _calendar_response(
        body, filename="infosessies.ics", attachment=False, last_modified=changed, etag=etag
    )


@bp.get("/agenda/<token>.ics")
@limiter.limit(lambda: current_app.config["FEED_RATE_LIMIT"])
def presenter_feed(token: str):
    user = presenter_for_token(token)
    if user is None:
        abort(404)
    sessions = services.presenter_sessions(user)
    body = build_calendar(
        sessions,
        method="PUBLISH",
        include_private=True,
        name=_("Mijn infosessies (Startklaar)"),
        refresh=FEED_REFRESH,
    )
    response = _calendar_response(
        body, filename="mijn-infosessies.ics", attachment=False, last_modified=None, private=True
    )
    # Shown, but not used for If-Modified-Since: taking a presenter off a session leaves no
    # date behind, so only the ETag can tell that this feed is unchanged.
    if sessions:
        response.last_modified = max(changed_at(s) for s in sessions)
    return response
