"""The audit trail: who changed what and when, for any package that needs one.

An entry is written by the service that makes the change, in the same transaction, so a change
and its entry are committed together or not at all. Entries are append-only: the ORM refuses to
update or delete one (mapper events for loaded objects, a session hook for bulk statements), and
on PostgreSQL a trigger (migration 0008) refuses it even to a hand-typed SQL statement.

`changes` holds {field: [old, new]} with JSON-friendly values (dates as ISO text, enums as their
codes), so the trail can be shown and exported without the models that wrote it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db


class ActorKind(enum.StrEnum):
    USER = "user"  # a logged-in staff member
    ORGANISER = "organiser"  # the candidate organiser, through their signed link
    SYSTEM = "system"  # a CLI command or a background job


ORGANISER = ActorKind.ORGANISER
SYSTEM = ActorKind.SYSTEM


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity_type", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    # A readable name for the thing (a dossier's reference), kept even if the thing is renamed.
    reference: Mapped[str | None] = mapped_column(String(60))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The actor's name at the time: the trail must read the same after a user is renamed.
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor_user = relationship("User", lazy="joined")

    def __repr__(self) -> str:
        return f"<AuditEntry {self.entity_type}:{self.entity_id} {self.action} by {self.actor_name}>"


class AuditEntryImmutable(RuntimeError):
    """A programming error: the trail is never rewritten."""


def plain(value: Any) -> Any:
    """A value as the trail stores it: JSON-friendly and readable without the model."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def snapshot(obj, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, to compare with after a change (`diff`)."""
    return {name: plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record(
    entity_type: str,
    entity_id: int | str,
    action: str,
    *,
    actor=None,
    changes: dict[str, list] | None = None,
    reference: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one entry to the current transaction (never commits).

    `actor` is a User, `ActorKind.ORGANISER`, or None/`ActorKind.SYSTEM` for the CLI and jobs.
    """
    if actor is None or actor == ActorKind.SYSTEM:
        kind, user_id, name = ActorKind.SYSTEM, None, "systeem"
    elif actor == ActorKind.ORGANISER:
        kind, user_id, name = ActorKind.ORGANISER, None, "organisator"
    else:
        kind, user_id, name = ActorKind.USER, actor.id, actor.name
    entry = AuditEntry(
        entity_type=entity_type,
        entity_id=str(entity_id),
        reference=reference,
        actor_kind=kind.value,
        actor_user_id=user_id,
        actor_name=name[:120],
        action=action,
        changes={key: plain(value) for key, value in (changes or {}).items()},
        at=at or utcnow(),
    )
    db.session.add(entry)
    return entry


def entries_for(entity_type: str, entity_id: int | str) -> list[AuditEntry]:
    """The trail of one thing, newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id.desc())
        )
    )


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AuditEntryImmutable(f"audit entries are never changed ({target!r})")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AuditEntryImmutable(f"audit entries are never deleted ({target!r})")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state) -> None:
    # `session.execute(update(AuditEntry)...)` skips the mapper events above.
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEntry for mapper in state.all_mappers
    ):
        raise AuditEntryImmutable("audit entries are never changed or deleted")
