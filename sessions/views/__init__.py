"""The sessions' pages, in rooms: `public` (the catalogue and a session's page), `staff` (the
experts' planning pages under /beheer, topics and venues), `calendar` (the .ics files and
feeds), `feeds` (the Atom feed) and `widget` (the embeddable widget and its admin page). Each
room has its blueprint; the names of the endpoints (`sessions.detail`, `sessions_admin.edit`,
`ics.feed`, …) are part of the templates' contract."""

from sessions.views import calendar, feeds, public, staff, widget
from sessions.views.public import render_detail, session_page_panels, session_page_version_parts
from sessions.views.staff import admin_session_panels

__all__ = [
    "admin_session_panels",
    "calendar",
    "feeds",
    "public",
    "render_detail",
    "session_page_panels",
    "session_page_version_parts",
    "staff",
    "widget",
]
