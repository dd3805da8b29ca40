"""The public catalogue and session pages (blueprint `sessions`), and the panels packages further
along add to the session pages (extension points, app/hooks.py)."""

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from app import hooks
from app.cache import FragmentCache
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


# Catalogue cards and whole catalogue bodies, keyed by everything they show (app/cache.py).
CARDS = FragmentCache("catalogue-cards", 4096)
CATALOGUE_BODIES = FragmentCache("catalogue-bodies", 256)


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


@bp.get("/sessies")
def catalogue():
    filters = services.CatalogueFilters.from_args(request.args)
    page_number = page_or_first(request.args.get("page"))
    # Everything the list shows follows from the filters, the page, the language, today's month
    # (the month menu) and the catalogue's version (its last change and seat counts).
    key = (
        str(get_locale()),
        tuple(sorted(filters.as_public_args().items())),
        filters.invalid,
        page_number,
        services.month_choices()[0],
        services.catalogue_version(),
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

    return render_template(
        "sessions/catalogue.html",
        body=CATALOGUE_BODIES.get_or_make(key, body),
        filter_args=filters.as_public_args(),
    )


@bp.get("/sessies/<int:session_id>")
@bp.get("/sessies/<int:session_id>-<slug>")
def detail(session_id: int, slug: str | None = None):
    try:
        session = services.get_public_session(session_id)
    except NotFound:
        abort(404)
    return render_detail(session)


def render_detail(session, status: int = 200):
    """The public session page; packages further along add panels (the registration form)."""
    return render_template(
        "sessions/detail.html",
        s=session,
        agenda=services.agenda_times(session),
        registration_open=services.registration_is_open(session),
        is_past=session.ends_at <= utcnow(),
        next_sessions=services.next_sessions_of_topic(session.topic_id, exclude_id=session.id),
        calendar_links=calendar_links(session),
        extra_panels=session_page_panels.send(session),
    ), status
