"""Reading leads as staff work them: the inbox and its filters, one person's history, the
sessions and staff to filter on, call-backs, the intake outcomes a dossier shows, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.db import utcnow
from app.errors import NotFound
from app.extensions import db
from app.geo import PROVINCES
from app.parsing import InvalidValue, id_or_none, parse_month
from dossiers.leads.models import ConversationStatus, IntakeConversation, Lead, LeadRegistration, LeadStatus
from dossiers.leads.services.common import S, today_in_brussels
from registrations.models import ChildcareType, Registration
from sessions.models import InfoSession

PER_PAGE = 25


# --------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class LeadFilters:
    childcare_type: ChildcareType | None = None
    province: str | None = None
    start_before: date | None = None  # planned start in or before this month
    session_id: int | None = None
    owner_id: int | None = None  # -1: nobody
    status: LeadStatus | None = None
    open_only: bool = False  # hide converted and dropped

    @classmethod
    def from_args(cls, args, me: User | None = None) -> LeadFilters:
        def enum_or_none(enum_cls, raw):
            try:
                return enum_cls(raw) if raw else None
            except ValueError:
                return None

        try:
            start = parse_month((args.get("start") or "").strip())
        except InvalidValue:
            start = None
        owner = args.get("eigenaar")
        province = (args.get("provincie") or "").strip() or None
        return cls(
            childcare_type=enum_or_none(ChildcareType, args.get("type")),
            province=province if province in PROVINCES else None,
            start_before=start,
            session_id=id_or_none(args.get("sessie")),
            owner_id=(me.id if me else None) if owner == "mij" else id_or_none(owner),
            status=enum_or_none(LeadStatus, args.get("status")),
            open_only=args.get("open") == "1",
        )


def list_leads(filters: LeadFilters, page: int = 1):
    """New leads first, then the rest by most recent change of status."""
    query = select(Lead)
    if filters.childcare_type is not None:
        query = query.where(Lead.childcare_type == filters.childcare_type)
    if filters.province:
        query = query.where(Lead.province == filters.province)
    if filters.start_before is not None:
        query = query.where(Lead.planned_start <= filters.start_before)
    if filters.session_id is not None:
        query = query.where(
            Lead.id.in_(
                select(LeadRegistration.lead_id)
                .join(Registration, Registration.id == LeadRegistration.registration_id)
                .where(Registration.session_id == filters.session_id)
            )
        )
    if filters.owner_id == -1:
        query = query.where(Lead.owner_id.is_(None))
    elif filters.owner_id is not None:
        query = query.where(Lead.owner_id == filters.owner_id)
    if filters.status is not None:
        query = query.where(Lead.status == filters.status)
    elif filters.open_only:
        query = query.where(Lead.status.not_in((S.CONVERTED, S.DROPPED)))
    return NewFirst(select=query, session=db.session(), page=max(page, 1), per_page=PER_PAGE, error_out=False)


class NewFirst(SelectPagination):
    """A page of the inbox: new leads first, then the rest, each by most recent change of status.

    Read as two walks along an index each (ix_leads_status_changed for the new ones,
    ix_leads_changed for the rest) that stop once the page is full, instead of sorting every
    lead on "is it new?" (which grows with the leads: bench/load.py). Counting the new ones is
    needed only for a page past them all."""

    def _query_items(self) -> list:
        query, session = self._query_args["select"], self._query_args["session"]
        order = (Lead.status_changed_at.desc(), Lead.id.desc())
        offset, wanted = self._query_offset, self.per_page
        new = query.where(Lead.status == S.NEW)
        items = list(session.execute(new.order_by(*order).offset(offset).limit(wanted)).unique().scalars())
        if len(items) < wanted:
            skip = 0
            if not items and offset:
                skip = offset - session.scalar(select(func.count()).select_from(new.subquery()))
            rest = query.where(Lead.status != S.NEW).order_by(*order).offset(skip)
            items += session.execute(rest.limit(wanted - len(items))).unique().scalars()
        return items


def get_lead(lead_id: int) -> Lead:
    lead = db.session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(_l("Deze lead bestaat niet."))
    return lead


def history(lead: Lead) -> list[Registration]:
    """All the person's registrations (sessions, status, answers, questions), newest first."""
    return list(
        db.session.scalars(
            select(Registration)
            .join(LeadRegistration, LeadRegistration.registration_id == Registration.id)
            .where(LeadRegistration.lead_id == lead.id)
            .order_by(Registration.created_at.desc())
        )
    )


SESSION_FILTER_MONTHS = 6
SESSION_FILTER_MAX = 100


def sessions_with_leads() -> list[InfoSession]:
    """The sessions the inbox can filter on: those of the last six months (and later) that
    brought in at least one lead, newest first, a hundred at most — a menu of every session of
    past years would be thousands long and slow to build (bench/load.py).

    Walked from the sessions, newest first, each asked whether one of its registrations belongs
    to a lead (an index probe), until a hundred are found: the work follows the menu's length,
    not the number of registrations."""
    since = utcnow() - timedelta(days=31 * SESSION_FILTER_MONTHS)
    has_lead = (
        select(LeadRegistration.id)
        .join(Registration, Registration.id == LeadRegistration.registration_id)
        .where(Registration.session_id == InfoSession.id)
        .exists()
    )
    return list(
        db.session.scalars(
            select(InfoSession)
            .where(InfoSession.starts_at >= since, has_lead)
            .order_by(InfoSession.starts_at.desc())
            .limit(SESSION_FILTER_MAX)
        )
    )


def staff_members() -> list[User]:
    """Who can own a lead."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def callbacks(user: User) -> list[Lead]:
    """The user's open leads with a call-back date, soonest (and overdue) first."""
    return list(
        db.session.scalars(
            select(Lead)
            .where(
                Lead.owner_id == user.id,
                Lead.callback_on.is_not(None),
                Lead.status.not_in((S.CONVERTED, S.DROPPED)),
            )
            .order_by(Lead.callback_on, Lead.id)
        )
    )


def is_overdue(lead: Lead, today: date | None = None) -> bool:
    return lead.callback_on is not None and lead.callback_on < (today or today_in_brussels())


def intake_outcomes(lead: Lead) -> list[IntakeConversation]:
    """The intake conversations of this lead whose outcome is recorded, oldest first (the
    dossier page shows them)."""
    return list(
        db.session.scalars(
            select(IntakeConversation)
            .where(
                IntakeConversation.lead_id == lead.id, IntakeConversation.status == ConversationStatus.HELD
            )
            .order_by(IntakeConversation.starts_at)
        )
    )


def my_leads_widget(user: User):
    """Dashboard: the user's call-backs (staff) — overdue ones first."""
    if user.role not in (Role.STAFF, Role.ADMIN, Role.EXPERT):
        return None
    due = callbacks(user)
    new_count = db.session.scalar(select(func.count()).select_from(Lead).where(Lead.status == S.NEW))
    if not due and not new_count:
        return None
    return {
        "title": _l("Leads"),
        "template": "dossiers/leads/_widget.html",
        "callbacks": due,
        "new_count": new_count,
        "today": today_in_brussels(),
    }
