"""How leads are made, in rooms: `people` (one person is one lead: making it, gathering the
person's registrations, the newest answers), `triggers` (the lead rules on a confirmed
registration and on attendance, and their backfill), `lead_rules` (the rules as admins keep
them) and `requests` (intake requests: the public form and the one-click link in follow-up
mails). Everything is re-exported here: `from dossiers.leads import capture`.

The receivers run inside the registrations service's transaction and never commit; the other
services commit once, at the end.
"""

from dossiers.leads.capture.lead_rules import RuleData, delete_rule, get_rule, list_rules, save_rule
from dossiers.leads.capture.requests import MESSAGE_MAX, IntakeRequestData, request_intake, request_intake_for
from dossiers.leads.capture.triggers import (
    BackfillResult,
    active_rules,
    apply_rules,
    backfill,
    on_registration_attended,
    on_registration_confirmed,
)

__all__ = [
    "MESSAGE_MAX",
    "BackfillResult",
    "IntakeRequestData",
    "RuleData",
    "active_rules",
    "apply_rules",
    "backfill",
    "delete_rule",
    "get_rule",
    "list_rules",
    "on_registration_attended",
    "on_registration_confirmed",
    "request_intake",
    "request_intake_for",
    "save_rule",
]
