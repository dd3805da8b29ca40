"""The Atom feed of the catalogue (blueprint `feeds`): `/sessies.atom`, with the catalogue's
filters, newest sessions first. Built by `sessions.atom`."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request
from flask_babel import get_locale

from app.cache import FragmentCache
from app.extensions import limiter
from sessions import services
from sessions.atom import MEDIA_TYPE, build_feed
from sessions.ics import base_url

bp = Blueprint("feeds", __name__)

# Built feeds, keyed like the calendar feed (language, filters, the catalogue's last change):
# a feed shows no seat counts, so a registration does not throw it away.
ATOM_FEEDS = FragmentCache("atom-feeds", 64)


@bp.get("/sessies.atom")
@limiter.limit(lambda: current_app.config["FEED_RATE_LIMIT"])
def atom():
    filters = services.CatalogueFilters.from_args(request.args)
    args = filters.as_public_args()
    version = services.catalogue_version()
    changed = version.details_changed_at
    key = (str(get_locale()), tuple(sorted(args.items())), version.details)
    etag = hashlib.sha256(repr(("atom", key)).encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
        response.set_etag(etag)
        return response
    query = ("?" + urlencode(sorted(args.items()))) if args else ""

    def body() -> bytes:
        return build_feed(
            services.list_news(filters),
            self_url=f"{base_url()}/sessies.atom{query}",
            catalogue_url=f"{base_url()}/sessies{query}",
            updated=changed,
        )

    response = Response(ATOM_FEEDS.get_or_make(key, body))
    response.content_type = MEDIA_TYPE
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    if changed is not None:
        response.last_modified = changed
    return response.make_conditional(request)
