"""What the registrations package tells packages further along (materials, dossiers).

Extension points (app/hooks.py), called inside the service's transaction, before the commit, so
a receiver's writes (a lead, a mail) commit or roll back together with the change. Receivers
must not commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app import hooks

if TYPE_CHECKING:
    from registrations.models import Registration


@hooks.hook
def registration_confirmed(registration: Registration) -> None:
    """The registration's e-mail address is now confirmed (by the person's click, or because
    staff typed it); its status is confirmed or waitlisted. Sent once per registration."""


@hooks.hook
def registration_attended(registration: Registration) -> None:
    """The registration is now attended (checked in at the door or imported from an online
    meeting's attendee list). Sent once per registration, not again on an undo and redo."""
