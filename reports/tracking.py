"""Which sessions and dossiers the reports must count again, noted by the changes themselves.

SQLAlchemy announces every flush (`after_flush`, its public session event); this listener looks
at what the flush wrote — registrations, sessions, the links between leads and registrations,
dossiers, topics (the reports show their titles) — and adds a row per affected session or
dossier to `report_changes`, in the same transaction. So a change and the note that it must be
counted commit (or roll back) together, whatever service made it, and the packages lower down
need not know that reports exist.

Not seen: statements that bypass the unit of work (a bulk `update(Registration)`, raw SQL, a
database import). The app's services change counted data only through the unit of work (the one
bulk update, a news opt-out, changes nothing the reports count); for anything else there is the
nightly rebuild and `flask reports rebuild`.
"""

from __future__ import annotations

from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, insert, inspect, literal, select
from sqlalchemy.orm import Session

from dossiers.leads.models import LeadRegistration
from dossiers.models import Dossier
from registrations.models import Registration
from reports.models import ReportChange
from sessions.models import InfoSession, Topic

EXTENSION = "reports"
_CHANGES = ReportChange.__table__
_NOTE = insert(_CHANGES)  # sent by nearly every write: built once (see app.database)


def _values(obj, name: str) -> set:
    """The attribute's value before and after the flush (both, when it changed)."""
    history = inspect(obj).attrs[name].history
    return {v for v in chain(history.added, history.unchanged, history.deleted) if v is not None}


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _after_flush(session: Session, _context) -> None:
    if not has_app_context() or EXTENSION not in current_app.extensions:
        return
    sessions: set[int] = set()
    dossiers: set[int] = set()
    registrations: set[int] = set()
    leads: set[int] = set()  # whose dossiers must be measured again
    dossier_leads: set[int] = set()  # whose registrations' sessions must be counted again
    renamed = False  # a topic: the reports show its title, so their version must change
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Registration):
            sessions |= _values(obj, "session_id")
        elif isinstance(obj, InfoSession):
            sessions.add(obj.id)
        elif isinstance(obj, LeadRegistration):
            registrations |= _values(obj, "registration_id")
            leads |= _values(obj, "lead_id")
        elif isinstance(obj, Topic):
            renamed = True
        elif isinstance(obj, Dossier) and (
            obj in session.new or obj in session.deleted or _changed(obj, "state", "lead_id")
        ):
            dossiers.add(obj.id)
            dossier_leads |= _values(obj, "lead_id")
    if not (sessions or dossiers or registrations or leads or dossier_leads or renamed):
        return
    connection = session.connection()
    rows = [{"session_id": s, "dossier_id": None} for s in sorted(sessions)]
    rows += [{"session_id": None, "dossier_id": d} for d in sorted(dossiers)]
    if renamed and not rows:
        rows = [{"session_id": None, "dossier_id": None}]  # nothing to count again: a new version
    if rows:
        connection.execute(_NOTE, rows)
    if registrations:
        # A registration that joined or left a lead: its session's lead counts change.
        connection.execute(
            insert(_CHANGES).from_select(
                ["session_id"],
                select(Registration.session_id).where(Registration.id.in_(sorted(registrations))).distinct(),
            )
        )
    if leads:
        # The lead's dossiers: their first session may now be another one.
        connection.execute(
            insert(_CHANGES).from_select(
                ["dossier_id", "session_id"],
                select(Dossier.id, literal(None)).where(Dossier.lead_id.in_(sorted(leads))),
            )
        )

    if dossier_leads:
        # A dossier opened, decided, closed: the sessions its person came to count it.
        connection.execute(
            insert(_CHANGES).from_select(
                ["session_id"],
                select(Registration.session_id)
                .join(LeadRegistration, LeadRegistration.registration_id == Registration.id)
                .where(LeadRegistration.lead_id.in_(sorted(dossier_leads)))
                .distinct(),
            )
        )


def init_app(app) -> None:
    app.extensions[EXTENSION] = True
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
