"""Keeping the report aggregates (`reports.models`) up to date, counting again only what changed.

`refresh()` runs at the start of every report request and of the dashboard's figures. When
`report_changes` is empty it costs one small query. Otherwise it recounts the sessions and
dossiers named there (a session has a few dozen registrations), and adds the difference between
their old and new counts to the cubes. So a report shows every committed change at once, and a
request costs the same at 10,000 or 1,000,000 registrations: it never reads the registrations.

`rebuild()` counts everything from scratch: the first time (no state row yet), every night at
03:30 (the scheduled job `reports-rebuild`: a safety net for changes made outside the app's
unit of work, see `reports.tracking`) and on `flask reports rebuild` after a bulk import.

Refreshes take turns: the state row is locked (FOR UPDATE on PostgreSQL; on SQLite the
transaction holds the write lock from its start). Changes committed while a refresh runs keep
their rows in `report_changes`, so the next refresh counts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from sqlalchemy import and_, case, delete, exists, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from app.audit import AuditEntry
from app.database import atomic, begin_write, insert_ignoring
from app.db import utcnow
from app.extensions import db
from app.timezone import local
from dossiers.leads.models import LeadRegistration
from dossiers.models import Dossier, DossierState
from dossiers.services.dossiers import ENTITY as DOSSIER_ENTITY
from registrations.models import Registration, RegistrationStatus
from reports.models import (
    COUNTS,
    ReportChange,
    ReportCube,
    ReportCubeSessions,
    ReportDossier,
    ReportSession,
    ReportSessionCount,
    ReportState,
)
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus
DECIDED = (DossierState.DECISION, DossierState.FOLLOW_UP, DossierState.CLOSED)
CHUNK = 500  # sessions or dossiers per statement: well under every database's parameter limit
SESSION_KEY = ("month", "topic_id", "moment", "held")
CUBE_KEY = (*SESSION_KEY, "province", "childcare_type")
STATE_ID = 1


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _state() -> tuple[datetime | None, bool, int]:
    """(when built, whether changes wait, the version): one query."""
    built, waiting, version = db.session.execute(
        select(
            select(ReportState.built_at).where(ReportState.id == STATE_ID).scalar_subquery(),
            exists(select(ReportChange.id)),
            select(ReportState.version).where(ReportState.id == STATE_ID).scalar_subquery(),
        )
    ).one()
    return built, bool(waiting), int(version or 0)


def up_to_date() -> bool:
    """True when the aggregates were built and no change waits: one query."""
    built, waiting, _version = _state()
    return built is not None and not waiting


def version() -> int:
    """The aggregates' version once they are up to date: what the reports show changes only
    when it does. One query when nothing changed."""
    built, waiting, found = _state()
    if built is None or waiting:
        refresh()
        found = _state()[2]
    return found


@atomic
def refresh(*, full: bool = False, now: datetime | None = None) -> bool:
    """Bring the aggregates up to date with every committed change (everything, with `full` or
    when they were never built). Commits; returns whether there was anything to do."""
    if not full and up_to_date():
        return False
    now = now or utcnow()
    begin_write()
    db.session.execute(insert_ignoring(ReportState.__table__, "id"), [{"id": STATE_ID}])
    state = db.session.scalar(
        select(ReportState)
        .where(ReportState.id == STATE_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if full or state.built_at is None:
        for model in (
            ReportChange,
            ReportSessionCount,
            ReportSession,
            ReportCube,
            ReportCubeSessions,
            ReportDossier,
        ):
            db.session.execute(delete(model))
        sessions = set(
            db.session.scalars(select(InfoSession.id).where(InfoSession.status != SessionStatus.DRAFT))
        )
        dossiers = set(db.session.scalars(select(Dossier.id)))
        state.built_at = now
    else:
        # Exactly the rows this statement sees are removed: one committed later stays for the next.
        changes = db.session.execute(
            delete(ReportChange).returning(ReportChange.session_id, ReportChange.dossier_id)
        ).all()
        sessions = {s for s, _ in changes if s is not None}
        dossiers = {d for _, d in changes if d is not None} | _dossiers_of(sessions)
    for chunk in _chunks(sessions):
        _recount_sessions(chunk)
    for chunk in _chunks(dossiers):
        _measure_dossiers(chunk)
    state.refreshed_at = now
    state.version = (state.version or 0) + 1
    db.session.commit()
    return True


def rebuild() -> bool:
    """Count everything from scratch (the nightly job, `flask reports rebuild`)."""
    return refresh(full=True)


def _dossiers_of(sessions: set[int]) -> set[int]:
    """The dossiers of the people registered for these sessions: their first session may change."""
    found: set[int] = set()
    for chunk in _chunks(sessions):
        found.update(
            db.session.scalars(
                select(Dossier.id)
                .join(LeadRegistration, LeadRegistration.lead_id == Dossier.lead_id)
                .join(Registration, Registration.id == LeadRegistration.registration_id)
                .where(Registration.session_id.in_(chunk))
            )
        )
    return found


# --------------------------------------------------------------------------- sessions


def _moment(is_weekend: bool, is_evening: bool) -> str:
    return "weekend" if is_weekend else "evening" if is_evening else "day"


def _count_query(ids: Sequence[int]):
    """Per session, province and type of childcare: the registrations at every step (COUNTS)."""

    def count_if(condition):
        return func.sum(case((condition, 1), else_=0))

    lead = LeadRegistration.lead_id
    waited = Registration.waitlisted_at.is_not(None)
    return (
        select(
            Registration.session_id,
            Registration.province,
            Registration.childcare_type,
            func.count(Registration.id),
            count_if(Registration.confirmed_at.is_not(None)),
            count_if(Registration.status == S.ATTENDED),
            count_if(Registration.status == S.NO_SHOW),
            count_if(waited),
            count_if(and_(waited, Registration.confirmed_at.is_(None))),
            func.count(LeadRegistration.id),
            count_if(exists().where(Dossier.lead_id == lead)),
            count_if(exists().where(Dossier.lead_id == lead, Dossier.state.in_(DECIDED))),
            count_if(
                and_(Registration.questions != "", Registration.status.not_in((S.CANCELLED, S.EXPIRED)))
            ),
        )
        .select_from(Registration)
        .outerjoin(LeadRegistration, LeadRegistration.registration_id == Registration.id)
        .where(Registration.session_id.in_(ids))
        .group_by(Registration.session_id, Registration.province, Registration.childcare_type)
    )


def _recount_sessions(ids: list[int]) -> None:
    """Replace these sessions' counts, and add the difference to the cubes."""
    columns = [ReportSessionCount.__table__.c[name] for name in COUNTS]
    old_sessions = {
        row["session_id"]: row
        for row in db.session.execute(
            select(ReportSession.__table__).where(ReportSession.session_id.in_(ids))
        ).mappings()
    }
    old_counts = db.session.execute(
        select(
            ReportSessionCount.session_id,
            ReportSessionCount.province,
            ReportSessionCount.childcare_type,
            *columns,
        ).where(ReportSessionCount.session_id.in_(ids))
    ).all()
    live = db.session.execute(
        select(
            InfoSession.id,
            InfoSession.starts_at,
            InfoSession.topic_id,
            InfoSession.is_weekend,
            InfoSession.is_evening,
            InfoSession.status,
            InfoSession.capacity,
        ).where(InfoSession.id.in_(ids), InfoSession.status != SessionStatus.DRAFT)
    ).all()
    new_sessions = {
        sid: {
            "session_id": sid,
            "month": local(starts_at).date().replace(day=1),
            "topic_id": topic_id,
            "moment": _moment(is_weekend, is_evening),
            "held": status == SessionStatus.COMPLETED,
            "capacity": capacity,
            "attended": 0,
            "no_shows": 0,
            "questions": 0,
        }
        for sid, starts_at, topic_id, is_weekend, is_evening, status, capacity in live
    }
    new_counts = []
    if new_sessions:
        for sid, province, kind, *counts in db.session.execute(_count_query(list(new_sessions))):
            counts = [int(c or 0) for c in counts]
            new_counts.append((sid, province or "", str(kind), *counts))
            session = new_sessions[sid]
            for name in ("attended", "no_shows", "questions"):
                session[name] += counts[COUNTS.index(name)]

    cube: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNTS))
    seats: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for sign, sessions, counts in ((-1, old_sessions, old_counts), (1, new_sessions, new_counts)):
        for sid, province, kind, *values in counts:
            session = sessions[sid]
            bucket = cube[(*(session[k] for k in SESSION_KEY), province, kind)]
            for index, value in enumerate(values):
                bucket[index] += sign * value
        for session in sessions.values():
            bucket = seats[tuple(session[k] for k in SESSION_KEY)]
            bucket[0] += sign
            bucket[1] += sign * session["capacity"]

    db.session.execute(delete(ReportSessionCount).where(ReportSessionCount.session_id.in_(ids)))
    db.session.execute(delete(ReportSession).where(ReportSession.session_id.in_(ids)))
    if new_sessions:
        db.session.execute(insert(ReportSession.__table__), list(new_sessions.values()))
    if new_counts:
        keys = ("session_id", "province", "childcare_type", *COUNTS)
        db.session.execute(
            insert(ReportSessionCount.__table__), [dict(zip(keys, row, strict=True)) for row in new_counts]
        )
    _add(ReportCube.__table__, CUBE_KEY, COUNTS, cube)
    _add(ReportCubeSessions.__table__, SESSION_KEY, ("sessions", "capacity"), seats)


def _add(table, key: Sequence[str], names: Sequence[str], deltas: dict[tuple, list[int]]) -> None:
    """Add each delta to its row of the cube, making the row when it is not there yet."""
    rows = [
        {**dict(zip(key, k, strict=True)), **dict(zip(names, values, strict=True))}
        for k, values in deltas.items()
        if any(values)
    ]
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:
        raise NotImplementedError(f"Startklaar supports SQLite and PostgreSQL, not {dialect}")
    statement = module.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={name: table.c[name] + statement.excluded[name] for name in names}
    )
    db.session.execute(statement, rows)


# --------------------------------------------------------------------------- dossiers


def _measure_dossiers(ids: list[int]) -> None:
    """Per dossier: the first session its person attended, the days from there to the dossier,
    and from the dossier to the decision (read from the audit trail, which keeps every change of
    state). A dossier whose person attended no session is not measured."""
    db.session.execute(delete(ReportDossier).where(ReportDossier.dossier_id.in_(ids)))
    first: dict[int, tuple] = {}
    for row in db.session.execute(
        select(
            Dossier.id,
            Dossier.created_at,
            InfoSession.starts_at,
            Registration.id,
            InfoSession.topic_id,
            Registration.province,
        )
        .join(LeadRegistration, LeadRegistration.lead_id == Dossier.lead_id)
        .join(Registration, Registration.id == LeadRegistration.registration_id)
        .join(InfoSession, InfoSession.id == Registration.session_id)
        .where(
            Dossier.id.in_(ids), Registration.status == S.ATTENDED, InfoSession.status != SessionStatus.DRAFT
        )
    ):
        if row[0] not in first or row[2:4] < first[row[0]][2:4]:
            first[row[0]] = tuple(row)
    if not first:
        return
    decided_at: dict[int, datetime] = {}
    for entity_id, changes, at in db.session.execute(
        select(AuditEntry.entity_id, AuditEntry.changes, AuditEntry.at)
        .where(AuditEntry.entity_type == DOSSIER_ENTITY, AuditEntry.action == "state_changed")
        .where(AuditEntry.entity_id.in_([str(d) for d in first]))
        .order_by(AuditEntry.id)
    ):
        state = (changes or {}).get("state") or [None, None]
        if state[1] == DossierState.DECISION.value:
            decided_at.setdefault(int(entity_id), at)
    rows = []
    for dossier_id, created_at, starts_at, _registration, topic_id, province in first.values():
        decided = decided_at.get(dossier_id)
        rows.append(
            {
                "dossier_id": dossier_id,
                "month": local(starts_at).date().replace(day=1),
                "topic_id": topic_id,
                "province": province or "",
                "days_to_dossier": max((created_at - starts_at).days, 0),
                "days_to_decision": None if decided is None else max((decided - created_at).days, 0),
            }
        )
    db.session.execute(insert(ReportDossier.__table__), rows)
