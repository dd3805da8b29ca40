"""Demo: a year of history, so every report shows real shapes instead of empty charts.

Each past month gets a weekday evening and a Saturday morning session (a weekday afternoon one
every third month), people who registered two weeks ahead, most of whom confirmed, the
check-in at the door and the completed session; the demo's lead rules turn the attendees into
leads as they would have then. Some of those leads became dossiers weeks later, and most of
those reached a decision. Everything goes through the services with a `now` in the past; only
publishing a past session and the delivery of its mails are set by hand (no service publishes
history, and no SMTP server runs during `flask demo`). Runs after every other loader.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from app.timezone import from_local, local
from dossiers import checklist
from dossiers import services as dossiers
from dossiers.demo import enterprise_number
from dossiers.leads.models import Lead, LeadRegistration, LeadStatus
from dossiers.models import DossierState, ItemStatus, ProposalOutcome
from registrations import attendance
from registrations import services as registrations
from registrations.demo import _data as registration_data
from registrations.models import Registration, RegistrationStatus
from sessions import services as sessions
from sessions.models import SessionFormat, SessionStatus

MONTHS = 12
# (weekday, hour, minute, how likely a confirmed person comes): evenings and Saturdays are
# when starters can come, and they do come more often than to an afternoon session.
SLOTS = ((1, 19, 30, 0.85), (5, 9, 30, 0.8), (3, 13, 30, 0.65))
TO_DECISION = (DossierState.DOCUMENTS, DossierState.COMPLETENESS_CHECK, DossierState.ANALYSIS)


def _day(first_of_month, weekday: int, week: int):
    day = first_of_month + timedelta(days=7 * week)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _past_session(context: dict, starts_at: datetime, index: int, presenter):
    topics, venues = context["topics"], context["venues"]
    session = sessions.create_session(
        sessions.SessionData(
            topic_id=topics[index % len(topics)].id,
            format=SessionFormat.ON_SITE,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            capacity=random.Random(index).choice([12, 15, 20]),
            presenter_ids=[presenter.id],
            venue_id=venues[index % len(venues)].id,
            allow_holiday=True,
        )
    )
    session.status, session.published_at = SessionStatus.PUBLISHED, starts_at - timedelta(days=45)
    db.session.commit()
    return session


def _hold(session, presenter, rng: random.Random, first_n: int, come: float) -> list[int]:
    """Registrations two weeks ahead, confirmations, the check-in, then the session completed."""
    booked_at = session.starts_at - timedelta(days=14)
    ids = []
    for n in range(first_n, first_n + session.capacity + rng.randint(-5, 4)):
        registration = registrations.register(
            session.id, registration_data(rng, n), now=booked_at
        ).registration
        if rng.random() < 0.85:
            registrations.confirm_registration(
                registration, now=booked_at + timedelta(hours=rng.randint(1, 30))
            )
        ids.append(registration.id)
    door = session.starts_at - timedelta(minutes=15)
    for registration_id in ids:
        registration = db.session.get(Registration, registration_id)
        if registration.status == RegistrationStatus.CONFIRMED and rng.random() < come:
            attendance.check_in(registration, presenter, now=door)
    sessions.complete_session(sessions.get_session(session.id))
    return ids


def _decide(lead: Lead, staff, rng: random.Random, held_at: datetime, now: datetime) -> None:
    """The lead became a dossier some weeks after the session; most reached a decision."""
    data = dossiers.data_from_lead(lead)
    if data.childcare_type not in checklist.DOSSIER_TYPES:
        return
    places = 8 if data.childcare_type == checklist.DOSSIER_TYPES[0] else 18
    data = replace(
        data,
        street=f"Kerkstraat {rng.randint(1, 200)}",
        postcode=lead.postcode or "9000",
        # An organisation's dossier needs its name (the lead never gave one).
        organisation_name=f"Kinderopvang {lead.last_name}".strip(),
        enterprise_number=enterprise_number(rng),
        is_21_or_older=True,
        planned_places=places,
        owner_id=staff.id,
    )
    opened = held_at + timedelta(days=rng.randint(10, 45))
    dossier = dossiers.create_dossier(data, by=staff, lead=lead, now=opened)
    moment = opened
    for state in TO_DECISION:
        moment += timedelta(days=rng.randint(5, 20))
        if state == DossierState.ANALYSIS:
            for item in dossier.items:
                if item.required and not item.element.record_only:
                    dossiers.update_item(dossier, item.id, by=staff, status=ItemStatus.RECEIVED, now=moment)
                if item.required:
                    dossiers.update_item(dossier, item.id, by=staff, status=ItemStatus.APPROVED, now=moment)
        dossiers.change_state(dossier, state, by=staff, now=moment)
    decided = moment + timedelta(days=rng.randint(10, 40))
    if decided >= now:
        return  # still in analysis: not every dossier of the year is decided yet
    dossiers.change_state(dossier, DossierState.DECISION_PROPOSAL, by=staff, now=decided - timedelta(days=3))
    dossiers.save_proposal(
        dossier,
        analysis="Volledig dossier; het kennismakingsgesprek toonde voldoende beleidsvoerend vermogen.",
        outcome=ProposalOutcome.FAVOURABLE,
        text="Wij stellen voor de vergunning toe te kennen voor het gevraagde aantal plaatsen.",
        by=staff,
    )
    dossiers.change_state(dossier, DossierState.DECISION, by=staff, now=decided)


def load(context: dict) -> None:
    rng = random.Random(2031)
    now = utcnow()
    users = context["users"]
    experts = [u for u in users if u.role == Role.EXPERT]
    staff = next(u for u in users if u.role == Role.STAFF)
    this_month = local(now).date().replace(day=1)
    history: list[int] = []
    first_n, index = 20_000, 0
    held: list[tuple[datetime, list[int]]] = []
    for months_back in range(MONTHS, 0, -1):
        first_of_month = this_month - relativedelta(months=months_back)
        for slot, (weekday, hour, minute, come) in enumerate(SLOTS):
            if slot == 2 and months_back % 3:
                continue
            index += 1
            starts_at = from_local(_day(first_of_month, weekday, 1 + slot), time(hour, minute))
            presenter = experts[index % len(experts)]
            session = _past_session(context, starts_at, index, presenter)
            ids = _hold(session, presenter, rng, first_n, come)
            first_n += 100
            history += ids
            held.append((starts_at, ids))

    # Some of the attendees of the first nine months opened a dossier.
    for starts_at, ids in held[: len(held) * 3 // 4 : 2]:
        lead = db.session.scalar(
            select(Lead)
            .join(LeadRegistration, LeadRegistration.lead_id == Lead.id)
            .join(Registration, Registration.id == LeadRegistration.registration_id)
            .where(
                Registration.id.in_(ids),
                Registration.status == RegistrationStatus.ATTENDED,
                Lead.status != LeadStatus.CONVERTED,
            )
            .order_by(Lead.id)
            .limit(1)
        )
        if lead is not None:
            _decide(lead, staff, rng, starts_at, now)

    # The history's mails went out back then.
    references = [f"registration:{registration_id}" for registration_id in history]
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.reference.in_(references), OutboxMessage.status == MailStatus.QUEUED)
        .values(status=MailStatus.SENT, attempts=1, sent_at=now)
    )
    db.session.commit()
