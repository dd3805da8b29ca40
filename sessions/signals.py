"""What the sessions package tells packages further along (registrations, materials).

Extension points (app/hooks.py): registrations registers its receivers from its init_app. They
are called inside the service's transaction, before the commit, with the session row locked, so
a receiver's writes (an outbox mail, a promoted registration) commit or roll back together with
the change. Receivers never commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app import hooks

if TYPE_CHECKING:
    from sessions.models import InfoSession


@hooks.hook
def session_rescheduled(session: InfoSession, *, changes: set[str]) -> None:
    """A published session moved: `changes` holds "time" and/or "place"."""


@hooks.hook
def session_cancelled(session: InfoSession) -> None:
    """A published session was cancelled (status already cancelled, cancel_reason set)."""


@hooks.hook
def session_capacity_raised(session: InfoSession, *, old_capacity: int) -> None:
    """A published session has more free seats than before (on site, or online places on a hybrid
    session; `old_capacity` is the former capacity on site): the waiting list may move."""


@hooks.hook
def session_completed(session: InfoSession) -> None:
    """A session was marked as held."""
