"""The rules of planning info sessions, and every query the session pages need, in rooms:
`topics` and `venues` (what a session is about and where), `planning` (one session's rules and
its life from draft to published, completed or cancelled, under the session's lock), `series`
(a series of sessions at once), `catalogue` (what the public sees: filters, pages, the
session's agenda, whether one can register), `versions` (what the caches of the public pages
and feeds key on), `finding` (the online sessions beside a province's, an empty result's way
out), `queries` (the staff's lists) and `widget` (the websites that may embed the widget).
Everything is re-exported here, so callers write `from sessions import services` and
`services.publish_session(...)`.

All writes and state changes of topics, venues and sessions happen here. Views, the API, the
CLI and the demo call these functions; none of them commits on its own.
"""

from sessions.services.catalogue import (
    FORMAT_API,
    FORMAT_SLUGS,
    MOMENT_API,
    MOMENT_SLUGS,
    WIDGET_DEFAULT_LIMIT,
    AgendaItem,
    CatalogueFilters,
    Page,
    agenda_times,
    catalogue_query,
    get_public_session,
    list_catalogue,
    list_feed,
    list_news,
    list_widget,
    month_choices,
    next_sessions_of_topic,
    registration_is_open,
    registration_open_in_sql,
    widget_limit,
)
from sessions.services.finding import Alternatives, EmptyHelp, empty_help, online_alternatives
from sessions.services.planning import (
    EVENING_DEFAULT_END,
    EVENING_DEFAULT_START,
    EVENING_FROM,
    TRANSITIONS,
    TRAVEL_MARGIN,
    HolidayWarning,
    SessionData,
    cancel_session,
    complete_session,
    create_session,
    duplicate_session,
    lock_session,
    publish_session,
    session_data_from,
    slot_flags,
    update_session,
    validate_session,
)
from sessions.services.queries import (
    PRESENTER_PAST,
    get_session,
    list_presenters,
    list_staff_sessions,
    presenter_sessions,
)
from sessions.services.series import (
    PlannedDate,
    SeriesRule,
    create_series,
    plan_series,
    publish_series,
    series_dates,
)
from sessions.services.topics import get_topic, list_topic_choices, list_topics, save_topic, slugify
from sessions.services.venues import get_venue, list_venues, save_venue
from sessions.services.versions import (
    CatalogueVersion,
    SessionPageVersion,
    catalogue_version,
    session_page_version,
)
from sessions.services.widget import (
    add_origin,
    allowed_origins,
    check_configured_origins,
    configured_origins,
    list_origins,
    normalise_origin,
    remove_origin,
)

__all__ = [
    "EVENING_DEFAULT_END",
    "WIDGET_DEFAULT_LIMIT",
    "EVENING_DEFAULT_START",
    "EVENING_FROM",
    "FORMAT_API",
    "FORMAT_SLUGS",
    "MOMENT_API",
    "MOMENT_SLUGS",
    "PRESENTER_PAST",
    "TRANSITIONS",
    "TRAVEL_MARGIN",
    "AgendaItem",
    "Alternatives",
    "CatalogueFilters",
    "CatalogueVersion",
    "EmptyHelp",
    "HolidayWarning",
    "Page",
    "PlannedDate",
    "SeriesRule",
    "SessionData",
    "agenda_times",
    "cancel_session",
    "catalogue_query",
    "catalogue_version",
    "session_page_version",
    "SessionPageVersion",
    "complete_session",
    "create_series",
    "create_session",
    "duplicate_session",
    "empty_help",
    "get_public_session",
    "get_session",
    "get_topic",
    "get_venue",
    "list_catalogue",
    "list_feed",
    "list_news",
    "list_widget",
    "list_presenters",
    "list_staff_sessions",
    "list_topic_choices",
    "list_topics",
    "list_venues",
    "lock_session",
    "month_choices",
    "next_sessions_of_topic",
    "online_alternatives",
    "plan_series",
    "presenter_sessions",
    "publish_series",
    "publish_session",
    "registration_is_open",
    "registration_open_in_sql",
    "save_topic",
    "save_venue",
    "series_dates",
    "session_data_from",
    "slot_flags",
    "slugify",
    "update_session",
    "validate_session",
    "widget_limit",
    "add_origin",
    "allowed_origins",
    "check_configured_origins",
    "configured_origins",
    "list_origins",
    "normalise_origin",
    "remove_origin",
]
