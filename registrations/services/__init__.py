"""Registering for a session, in rooms: `data` (what a person tells us and its rules),
`registering` (register, confirm, cancel: the capacity rule under the session's lock), `waitlist`
(promotions and lapsed holds), `moving` (staff, or the person themselves, move to another date),
`session_events`
(what a rescheduled, cancelled or enlarged session means for its registrants), `reminders`, and
`queries` (finding, listing, locking). Everything is re-exported here, so callers write
`from registrations import services` and `services.register(...)`.

The capacity rule is read only through `InfoSession.seats_left_for` (per way of attending: a hybrid
session has seats on site and online places). Mails are queued as intents
(`registrations.mails.queue`) in the transaction of the change; the outbox's worker renders them.
"""

from registrations.services.companions import (
    MAX_COMPANIONS,
    CompanionData,
    WhenFull,
    active_companions,
    outcome_group,
)
from registrations.services.data import Outcome, RegistrationData, clean, settings
from registrations.services.moving import move_choices, move_registration, self_move_refusal
from registrations.services.queries import (
    get_by_link,
    get_registration,
    list_registrations,
    lock_registration,
    status_counts,
    waitlist_position,
)
from registrations.services.registering import (
    can_cancel,
    cancel_registration,
    confirm_registration,
    register,
)
from registrations.services.reminders import reminder_due, send_reminders
from registrations.services.session_events import (
    on_capacity_raised,
    on_session_cancelled,
    on_session_rescheduled,
)
from registrations.services.waitlist import expire_holds, expire_stale, promote_from_waitlist, promote_next

__all__ = [
    "MAX_COMPANIONS",
    "CompanionData",
    "WhenFull",
    "active_companions",
    "outcome_group",
    "Outcome",
    "RegistrationData",
    "can_cancel",
    "cancel_registration",
    "clean",
    "confirm_registration",
    "expire_holds",
    "expire_stale",
    "get_by_link",
    "get_registration",
    "list_registrations",
    "lock_registration",
    "move_choices",
    "move_registration",
    "on_capacity_raised",
    "on_session_cancelled",
    "on_session_rescheduled",
    "promote_from_waitlist",
    "promote_next",
    "register",
    "reminder_due",
    "self_move_refusal",
    "send_reminders",
    "settings",
    "status_counts",
    "waitlist_position",
]
