"""The rules of planning info sessions, and every query the session pages need, in rooms:
`topics` and `venues` (what a session is about and where), `planning` (one session's rules and
its life from draft to published, completed or cancelled, under the session's lock), `series`
(a series of sessions at once), `catalogue` (what the public sees: filters, pages, the version
caches key on) and `queries` (the staff's lists). Everything is re-exported here, so callers
write `from sessions import services` and `services.publish_session(...)`.

All writes and state changes of topics, venues and sessions happen here. Views, the API, the
CLI and the demo call these functions; none of them commits on its own.
"""

from sessions.services.catalogue import (
    FORMAT_API,
    FORMAT_SLUGS,
    MOMENT_API,
    MOMENT_SLUGS,
    AgendaItem,
    CatalogueFilters,
    CatalogueVersion,
    Page,
    agenda_times,
    catalogue_query,
    catalogue_version,
    get_public_session,
    list_catalogue,
    list_feed,
    list_news,
    month_choices,
    next_sessions_of_topic,
    registration_is_open,
)
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

__all__ = [
    "EVENING_DEFAULT_END",
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
    "CatalogueFilters",
    "CatalogueVersion",
    "HolidayWarning",
    "Page",
    "PlannedDate",
    "SeriesRule",
    "SessionData",
    "agenda_times",
    "cancel_session",
    "catalogue_query",
    "catalogue_version",
    "complete_session",
    "create_series",
    "create_session",
    "duplicate_session",
    "get_public_session",
    "get_session",
    "get_topic",
    "get_venue",
    "list_catalogue",
    "list_feed",
    "list_news",
    "list_presenters",
    "list_staff_sessions",
    "list_topic_choices",
    "list_topics",
    "list_venues",
    "lock_session",
    "month_choices",
    "next_sessions_of_topic",
    "plan_series",
    "presenter_sessions",
    "publish_series",
    "publish_session",
    "registration_is_open",
    "save_topic",
    "save_venue",
    "series_dates",
    "session_data_from",
    "slot_flags",
    "slugify",
    "update_session",
    "validate_session",
]
