"""The public catalogue and session pages (blueprint `sessions`), and the panels packages further
along add to the session pages (extension points, app/hooks.py)."""

import secrets
from collections.abc import Callable
from typing import NamedTuple

from flask import Blueprint, abort, current_app, get_template_attribute, render_template, request, url_for
from flask import session as session_cookie
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app import hooks
from app.branding import logo_header
from app.cache import FragmentCache, RecentReads
from app.db import utcnow
from app.errors import NotFound
from app.geo import PROVINCES
from app.parsing import page_or_first
from sessions import services
from sessions.ics import calendar_links
from sessions.models import InfoSession

bp = Blueprint("sessions", __name__)


@hooks.hook
def session_page_panels(session: InfoSession) -> dict | None:
    """A panel of a package further along on the public session page (the registration form,
    the handouts): {"template": …, and what it shows; "cta": a call to action}, or None."""


@hooks.hook
def session_page_version_parts() -> list:
    """What else decides a package's panel on the public session page, for the page's cache:
    SQL scalar expressions correlated to InfoSession (e.g. the count and newest stamp of the
    session's handouts). Any change to what the panel shows must change one of them."""


# Catalogue cards and catalogue bodies, keyed by everything they show (app/cache.py), and the
# whole catalogue page as a visitor who is not logged in and has no messages sees it.
CARDS = FragmentCache("catalogue-cards", 4096)
CATALOGUE_BODIES = FragmentCache("catalogue-bodies", 256)
WHOLE_CATALOGUES = FragmentCache("catalogue-pages-whole", 256)
# Session pages (title, description, content; the CSRF token left out), keyed by their version,
# and the whole page as such a visitor sees it.
SESSION_PAGES = FragmentCache("session-pages", 256)
WHOLE_PAGES = FragmentCache("session-pages-whole", 2048)
# The versions a visitor's visit used last, for their maximum age (PAGE_VERSION_MAX_AGE).
CATALOGUE_VERSIONS = RecentReads("catalogue-versions", 1)
VERSIONS = RecentReads("session-page-versions", 4096)
# Stands for the request's CSRF token in a cached session page; random, so no text can contain it.
CSRF_SLOT = f"csrf-{secrets.token_hex(16)}"


def _card(session, level: int = 2) -> Markup:
    venue = session.venue
    key = (
        session.id,
        level,
        session.updated_at,
        session.topic.updated_at,
        venue.updated_at if venue else None,
        str(get_locale()),
    )
    # render_template output is autoescaped HTML, safe to mark as such.
    return CARDS.get_or_make(
        key,
        lambda: Markup(render_template("sessions/_card.html", s=session, level=level)),  # noqa: S704
    )


def _personal() -> bool:
    """Whether a public page is drawn for this person: the header names a logged-in person, and
    the messages are the visitor's. They also read its version afresh, as they may have just
    changed the page; anyone else's visit may use the one read a moment ago (RecentReads)."""
    return current_user.is_authenticated or bool(session_cookie.get("_flashes"))


def _version(recent: RecentReads, key, read: Callable, personal: bool):
    return read() if personal else recent.get_or_read(key, read)


def _layout_parts() -> tuple:
    """What the layout adds around a visitor's page, for the key of a whole page: the path (its
    canonical and language links), the language asked for, and the logo."""
    return (request.path, request.args.get("lang"), logo_header())


@bp.get("/sessies")
def catalogue():
    filters = services.CatalogueFilters.from_args(request.args)
    page_number = page_or_first(request.args.get("page"))
    personal = _personal()
    # Everything the list shows follows from the filters, the page, the language, today's month
    # (the month menu) and the catalogue's version (its last change and seat counts).
    key = (
        str(get_locale()),
        tuple(sorted(filters.as_public_args().items())),
        filters.invalid,
        page_number,
        services.month_choices()[0],
        _version(CATALOGUE_VERSIONS, None, services.catalogue_version, personal),
    )

    def body() -> Markup:
        page = services.list_catalogue(filters, page_number, current_app.config["CATALOGUE_PAGE_SIZE"])
        html = render_template(
            "sessions/_catalogue_body.html",
            page=page,
            alternatives=services.online_alternatives(filters),
            empty=services.empty_help(filters) if not page.total else None,
            # Session alerts (sessions/alerts) start from the wish the filters express.
            alert_url=url_for("alerts.subscribe", provincie=filters.province, thema=filters.topic),
            filters=filters,
            filter_args=filters.as_public_args(),
            topics=services.list_topic_choices(),
            months=services.month_choices(),
            provinces=PROVINCES,
            card=_card,
        )
        return Markup(html)  # noqa: S704 - autoescaped template

    def whole() -> str:
        return render_template(
            "sessions/catalogue.html",
            body=CATALOGUE_BODIES.get_or_make(key, body),
            filter_args=filters.as_public_args(),
        )

    if personal:
        return whole()
    return WHOLE_CATALOGUES.get_or_make(key + _layout_parts(), whole)


class SessionPage(NamedTuple):
    """A session page's own parts; the layout around them (header, flashes) is drawn per request."""

    title: Markup
    description: Markup
    body: Markup


@bp.get("/sessies/<int:session_id>")
@bp.get("/sessies/<int:session_id>-<slug>")
def detail(session_id: int, slug: str | None = None):
    personal = _personal()

    # Everything the page shows follows from its version (the session, its seats, topic, venue,
    # presenters, the topic's next dates, the panels' data, the clock's part) and the language.
    def read() -> services.SessionPageVersion | None:
        return services.session_page_version(session_id, _version_parts())

    version = _version(VERSIONS, session_id, read, personal)
    if version is None:
        abort(404)

    def build() -> SessionPage:
        try:
            session = services.get_public_session(session_id)
        except NotFound:  # gone since the version was read
            abort(404)
        token = generate_csrf()
        page = _page(session)
        return page._replace(body=Markup(page.body.replace(token, CSRF_SLOT)))  # noqa: S704

    key = (session_id, str(get_locale()), version)
    if personal:
        html = render_template("sessions/detail.html", page=SESSION_PAGES.get_or_make(key, build))
    else:
        # A visitor's page is everyone's at this address (the layout shows the path, the language
        # and the logo): kept whole.
        key += _layout_parts()
        html = WHOLE_PAGES.get_or_make(
            key,
            lambda: render_template("sessions/detail.html", page=SESSION_PAGES.get_or_make(key[:3], build)),
        )
    return html.replace(CSRF_SLOT, generate_csrf())


def _version_parts() -> tuple:
    """The panels' parts of the page version, gathered once per application (they are SQL
    expressions: the same for every request)."""
    parts = current_app.extensions.get("startklaar.session_page_version_parts")
    if parts is None:
        parts = tuple(part for found in session_page_version_parts.send() for part in found)
        current_app.extensions["startklaar.session_page_version_parts"] = parts
    return parts


def _page(session) -> SessionPage:
    meta = "sessions/_detail_meta.html"
    body = render_template(
        "sessions/_detail_body.html",
        s=session,
        agenda=services.agenda_times(session),
        registration_open=services.registration_is_open(session),
        is_past=session.ends_at <= utcnow(),
        next_sessions=services.next_sessions_of_topic(session.topic_id, exclude_id=session.id),
        calendar_links=calendar_links(session),
        extra_panels=session_page_panels.send(session),
    )
    return SessionPage(
        Markup(get_template_attribute(meta, "title")(session)),  # noqa: S704 - autoescaped macro
        Markup(get_template_attribute(meta, "description")(session)),  # noqa: S704
        Markup(body),  # noqa: S704 - autoescaped template
    )


def render_detail(session, status: int = 200):
    """The public session page, uncached (the registration form shown again with its errors);
    packages further along add panels (the registration form)."""
    return render_template("sessions/detail.html", page=_page(session)), status
