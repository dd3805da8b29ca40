"""Helpers for leads and dossiers: counting and re-reading leads, the mails of intake
conversations and dossiers, the invitation attached, approving a whole checklist."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import func, select

from app.extensions import db
from app.outbox.models import OutboxMessage
from dossiers.leads.models import Lead, LeadRegistration
from tests.support.registrations import queued_mails


def count_leads() -> int:
    return db.session.scalar(select(func.count()).select_from(Lead))


def count_links() -> int:
    return db.session.scalar(select(func.count()).select_from(LeadRegistration))


def lead_of(email: str) -> Lead | None:
    db.session.rollback()
    return db.session.scalar(
        select(Lead).where(Lead.email == email).execution_options(populate_existing=True)
    )


def intake_mails(address: str, kind: str | None = None) -> list[OutboxMessage]:
    """The intake mails queued for `address`, rendered as the worker renders them."""
    return queued_mails(address, "intake.%", f"intake.{kind}" if kind else None)


def invitation(mail: OutboxMessage):
    """(METHOD, the one VEVENT) of the calendar attached to a mail."""
    assert mail.ics is not None, f"{mail.kind} has no calendar"
    calendar = Calendar.from_ical(mail.ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return str(calendar["METHOD"]), events[0]


def approve_all(dossier, by) -> None:
    """Receive and approve every required element, as staff would one by one."""
    from dossiers import services
    from dossiers.models import ItemStatus

    for item in list(dossier.items):
        if not item.required or item.status == ItemStatus.APPROVED:
            continue
        if not item.element.record_only:
            services.update_item(dossier, item.id, by=by, status=ItemStatus.RECEIVED)
        services.update_item(dossier, item.id, by=by, status=ItemStatus.APPROVED)


def dossier_mails(address: str, kind: str | None = None) -> list[OutboxMessage]:
    """The dossier mails queued for `address`, rendered as the worker renders them."""
    return queued_mails(address, "dossier.%", f"dossier.{kind}" if kind else None)


def html_of(client, url: str) -> str:
    """A staff page that must open (200), as text."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)
