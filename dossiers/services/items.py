"""The checklist of one dossier: staff's verdicts, the organiser's uploads, what is missing,
and the reminders when a due date passes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, uploads
from app.auth.models import User
from app.database import atomic
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.timezone import local
from dossiers import checklist, links, mails
from dossiers.models import ChecklistItem, Dossier, DossierDocument, DossierState, ItemStatus
from dossiers.services.dossiers import _refuse_when_final, lock_dossier, record

#: What an organiser may upload: documents and photos/scans of them.
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpeg"})
UPLOAD_AREA = "dossiers"


def _item_of(dossier: Dossier, item_id: int) -> ChecklistItem:
    item = next((i for i in dossier.items if i.id == item_id), None)
    if item is None:
        # Never another dossier's item, whatever id is posted.
        raise NotFound(_l("Dit element hoort niet bij dit dossier."))
    return item


@atomic
def update_item(
    dossier: Dossier,
    item_id: int,
    *,
    by: User,
    status: ItemStatus | str | None = None,
    comment: str | None = None,
    due_on: date | None | bool = False,
    now: datetime | None = None,
) -> ChecklistItem:
    """Set an item's status, comment and/or due date (`due_on=False` leaves it), and commit.

    The status must be one the checklist allows from where the item is. Rejecting needs a
    comment: the organiser must know what to change. Raises DomainError, NotFound.
    """
    now = now or utcnow()
    dossier = lock_dossier(dossier.id)
    _refuse_when_final(dossier)
    item = _item_of(dossier, item_id)
    before = audit.snapshot(item, ("status", "comment", "due_on"))
    if status is not None:
        try:
            status = ItemStatus(status)
        except ValueError as error:
            raise DomainError(_l("Deze status bestaat niet.")) from error
        if status != item.status:
            if status not in checklist.allowed_item_moves(item):
                raise DomainError(
                    _l(
                        "‘%(element)s’ kan niet van ‘%(old)s’ naar ‘%(new)s’.",
                        element=item.element.name,
                        old=checklist.ITEM_STATUS_LABELS[item.status],
                        new=checklist.ITEM_STATUS_LABELS[status],
                    )
                )
            item.status = status
    if comment is not None:
        text = comment.strip()
        if len(text) > 2000:
            raise DomainError(_l("Een opmerking is hoogstens 2000 tekens lang."), field="comment")
        item.comment = text
    if item.status == ItemStatus.REJECTED and not item.comment:
        raise DomainError(_l("Zeg bij een afkeuring wat er moet veranderen."), field="comment")
    if due_on is not False:
        item.due_on = due_on
    changes = audit.diff(before, audit.snapshot(item, ("status", "comment", "due_on")))
    if not changes:
        return item
    item.changed_at, item.changed_by, item.changed_by_organiser = now, by, False
    record(dossier, "item_changed", by, {"element": [None, item.element.code], **changes})
    db.session.commit()
    return item


# --------------------------------------------------------------------------- the organiser


def get_by_link(signed: str) -> Dossier:
    """The dossier an organiser's signed link points to.

    Raises links.LinkExpired (the page says so and what to do) or NotFound for a link that was
    tampered with or made for something else. A closed dossier still opens: the organiser sees
    that nothing more is asked.
    """
    try:
        token = links.read_token(signed)
    except links.LinkExpired:
        raise
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze link klopt niet.")) from error
    dossier = db.session.scalar(select(Dossier).where(Dossier.token == token))
    if dossier is None:
        raise NotFound(_l("Deze link is niet meer geldig."))
    return dossier


def uploadable(item: ChecklistItem) -> bool:
    """The organiser can send a document for this item (not for record-only elements)."""
    return not item.element.record_only and item.status in (ItemStatus.MISSING, ItemStatus.REJECTED)


@atomic
def upload_document(
    dossier: Dossier, item_id: int, stream: BinaryIO, filename: str | None, *, now: datetime | None = None
) -> DossierDocument:
    """The organiser sends a document for one missing (or rejected) item, and commit.

    The file is checked by its content and size (app.uploads); the item becomes "received" and
    the owner gets a mail. Raises UploadRefused, DomainError, NotFound.
    """
    now = now or utcnow()
    dossier = lock_dossier(dossier.id)
    if dossier.state not in (DossierState.INTAKE, DossierState.DOCUMENTS, DossierState.COMPLETENESS_CHECK):
        raise DomainError(_l("Voor dit dossier nemen we geen documenten meer aan via deze pagina."))
    item = _item_of(dossier, item_id)
    if not uploadable(item):
        if item.element.record_only:
            raise DomainError(
                _l("Dit document bewaren we niet: toon het aan je dossierbeheerder."), field="file"
            )
        raise DomainError(_l("Voor dit element hebben we al een document."), field="file")
    stored = uploads.store_upload(stream, filename=filename, area=UPLOAD_AREA, allowed=DOCUMENT_KINDS)
    try:
        document = DossierDocument(
            dossier=dossier,
            item=item,
            storage_key=stored.key,
            original_name=stored.original_name,
            kind=stored.kind,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by_organiser=True,
            uploaded_at=now,
        )
        db.session.add(document)
        old = item.status
        item.status = ItemStatus.RECEIVED
        item.changed_at, item.changed_by, item.changed_by_organiser = now, None, True
        db.session.flush()
        record(
            dossier,
            "document_uploaded",
            audit.ORGANISER,
            {
                "element": [None, item.element.code],
                "status": [old.value, ItemStatus.RECEIVED.value],
                "document": [None, stored.original_name],
            },
        )
        mails.send_uploaded(dossier, document)
        db.session.commit()
    except BaseException:
        uploads.delete_stored(stored.key)  # nothing on disk that the database does not know
        raise
    return document


def get_document(dossier: Dossier, document_id: int) -> DossierDocument:
    document = next((d for d in dossier.documents if d.id == document_id), None)
    if document is None:
        raise NotFound(_l("Dit document bestaat niet (meer)."))
    return document


# --------------------------------------------------------------------------- what is missing


def open_items(dossier: Dossier) -> list[ChecklistItem]:
    """What the organiser still has to deliver: missing or rejected items."""
    return [item for item in dossier.items if item.is_open]


@atomic
def send_missing_list(dossier: Dossier, *, by: User, now: datetime | None = None) -> int:
    """Mail the organiser what is still missing ("stuur herinnering"), and commit.

    A double click within the same minute sends one mail. Returns the number of items listed.
    Raises DomainError when nothing is missing.
    """
    now = now or utcnow()
    dossier = lock_dossier(dossier.id)
    _refuse_when_final(dossier)
    items = open_items(dossier)
    if not items:
        raise DomainError(_l("Er ontbreekt niets meer: er is geen herinnering nodig."))
    mails.send_missing(dossier, items, f"dossier.missing:{dossier.id}:{now:%Y%m%d%H%M}", reminder=False)
    record(dossier, "missing_list_sent", by, {"elements": [None, [i.element.code for i in items]]})
    db.session.commit()
    return len(items)


@dataclass
class ReminderReport:
    dossiers: int = 0
    items: int = 0


@atomic
def remind_overdue(now: datetime | None = None) -> ReminderReport:
    """Mail each organiser whose items passed their due date, once per item and due date, and
    commit. Safe to run as often as you like (`flask dossiers remind`): an item is remembered
    with the due date it was reminded for, so only a new due date reminds again."""
    now = now or utcnow()
    today = local(now).date()
    report = ReminderReport()
    dossier_ids = db.session.scalars(
        select(ChecklistItem.dossier_id)
        .join(Dossier)
        .where(
            ChecklistItem.status.in_([ItemStatus.MISSING, ItemStatus.REJECTED]),
            ChecklistItem.due_on < today,
            Dossier.state.not_in([DossierState.CLOSED, DossierState.WITHDRAWN, DossierState.ON_HOLD]),
        )
        .distinct()
    ).all()
    for dossier_id in dossier_ids:
        dossier = lock_dossier(dossier_id)
        due = [item for item in dossier.items if item.is_overdue(today) and item.reminded_for != item.due_on]
        if not due or not dossier.state.is_open or dossier.state == DossierState.ON_HOLD:
            continue
        key = hashlib.sha256(",".join(f"{i.id}@{i.due_on:%Y%m%d}" for i in due).encode()).hexdigest()[:32]
        mails.send_missing(dossier, due, f"dossier.reminder:{dossier.id}:{key}", reminder=True)
        for item in due:
            item.reminded_for = item.due_on
        record(
            dossier,
            "reminder_sent",
            audit.SYSTEM,
            {"elements": [None, [i.element.code for i in due]]},
        )
        db.session.commit()
        report.dossiers += 1
        report.items += len(due)
    return report
