"""Leads as staff work them, in rooms: `inbox` (the inbox and its filters, one person's
history, call-backs, the dashboard), `changes` (the status table in action, owners, call-backs
and notes, the moves other packages make) and `privacy` (the hooks of registrations.privacy);
`common` holds the words for statuses and triggers and the lead's log. Everything is
re-exported here, so callers write `from dossiers.leads import services`.

How leads are made (rules, backfill, intake requests) lives in `dossiers.leads.capture`.
"""

from dossiers.leads.services.changes import (
    add_note,
    assign,
    change_status,
    mark_converted,
    move_for_intake,
    set_callback,
)
from dossiers.leads.services.common import (
    STATUS_LABELS,
    TRIGGER_LABELS,
    log_event,
    printable,
    today_in_brussels,
)
from dossiers.leads.services.inbox import (
    PER_PAGE,
    SESSION_FILTER_MAX,
    SESSION_FILTER_MONTHS,
    LeadFilters,
    callbacks,
    get_lead,
    history,
    intake_outcomes,
    is_overdue,
    list_leads,
    my_leads_widget,
    sessions_with_leads,
    staff_members,
)
from dossiers.leads.services.origins import Origin, age, day, origins
from dossiers.leads.services.privacy import belongs_to_lead, erase_lead, export_lead

__all__ = [
    "PER_PAGE",
    "SESSION_FILTER_MAX",
    "SESSION_FILTER_MONTHS",
    "STATUS_LABELS",
    "TRIGGER_LABELS",
    "LeadFilters",
    "Origin",
    "age",
    "day",
    "origins",
    "add_note",
    "assign",
    "belongs_to_lead",
    "callbacks",
    "change_status",
    "erase_lead",
    "export_lead",
    "get_lead",
    "history",
    "intake_outcomes",
    "is_overdue",
    "list_leads",
    "log_event",
    "mark_converted",
    "move_for_intake",
    "my_leads_widget",
    "printable",
    "sessions_with_leads",
    "set_callback",
    "staff_members",
    "today_in_brussels",
]
