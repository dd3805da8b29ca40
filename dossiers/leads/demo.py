"""Demo leads: the rules, leads new, contacted, intake planned and dropped (the dossiers' demo,
which runs next, converts some), with owners, notes and call-backs (one overdue), intake slots
(free and booked) and one conversation with its outcome. Runs after the
registrations' demo and goes through the real services, so the outbox holds the mails."""

from datetime import time, timedelta

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.timezone import from_local, local
from dossiers.leads import capture, intake, services
from dossiers.leads.models import (
    Assessment,
    ConversationStatus,
    Guidance,
    IntakeConversation,
    IntakeSlot,
    LeadStatus,
    LeadTrigger,
    SlotMode,
)
from registrations.models import ChildcareType

S = LeadStatus

REQUESTS = [
    ("Karima", "Benali", "karima.benali@voorbeeld.be", "9000", ChildcareType.GROEPSOPVANG,
     "Ik heb een pand gevonden in Gent en wil graag weten wat de volgende stappen zijn."),
    ("Wim", "Verstraete", "wim.verstraete@voorbeeld.be", "8500", ChildcareType.GEZINSOPVANG,
     "Ik werk nu als kinderbegeleider en wil zelfstandig onthaalouder worden."),
    ("Lien", "Coppens", "lien.coppens@voorbeeld.be", "3500", ChildcareType.BSO, ""),
]  # fmt: skip


def load(context: dict) -> None:
    now = utcnow()
    users = context["users"]
    staff = next(u for u in users if u.role == Role.STAFF)
    admin = next(u for u in users if u.role == Role.ADMIN)
    expert = next(u for u in users if u.role == Role.EXPERT)

    capture.save_rule(
        None,
        capture.RuleData(
            name="Groepsopvang, start binnen 12 maanden",
            trigger=LeadTrigger.REGISTRATION,
            childcare_types=[ChildcareType.GROEPSOPVANG.value],
            start_within_months=12,
        ),
    )
    capture.save_rule(
        None, capture.RuleData(name="Aanwezig op een infosessie", trigger=LeadTrigger.ATTENDANCE)
    )
    capture.save_rule(
        None, capture.RuleData(name="Vraagt een kennismakingsgesprek", trigger=LeadTrigger.INTAKE_REQUEST)
    )
    capture.backfill()
    for first, last, email, postcode, kind, message in REQUESTS:
        capture.request_intake(
            capture.IntakeRequestData(
                first_name=first,
                last_name=last,
                email=email,
                postcode=postcode,
                childcare_type=kind,
                message=message,
            )
        )

    leads = list(services.list_leads(services.LeadFilters(), page=1).items)
    today = local(now).date()
    # Spread the leads over the funnel; the first few stay new. "Converted" comes from the
    # dossiers' demo, which turns contacted leads into dossiers (a converted lead has a dossier).
    plan = [
        S.NEW,
        S.NEW,
        S.CONTACTED,
        S.CONTACTED,
        S.CONTACTED,
        S.DROPPED,
        S.CONTACTED,
        S.CONTACTED,
        S.CONTACTED,
    ]
    for index, lead in enumerate(leads[3 : 3 + len(plan)]):
        target = plan[index]
        owner = staff if index % 3 else admin
        services.assign(lead, owner.id, admin)
        if target in (S.CONTACTED, S.DROPPED):
            services.change_status(lead, S.CONTACTED, owner)
            services.add_note(lead, "Telefonisch gesproken: wil eerst de locatie rond hebben.", owner)
        if target == S.DROPPED:
            services.change_status(lead, S.DROPPED, owner, reason="Start toch niet: andere job gevonden.")
        if target == S.CONTACTED:
            # One call-back is overdue, the others are coming up.
            services.set_callback(lead, today + timedelta(days=-2 if index == 2 else index), owner)

    # Slots over the next two weeks, on site and online, for the staff member and an expert.
    venue = next((s.venue for s in context["sessions"] if s.venue is not None), None)
    slots = []
    weekdays = [today + timedelta(days=n) for n in range(2, 24) if (today + timedelta(days=n)).weekday() < 5]
    for day, date in enumerate(weekdays[::2][:6]):
        for hour, who in ((10, staff), (14, expert)):
            start = from_local(date, time(hour, 0))
            online = (day + hour) % 3 == 0
            slots.append(
                intake.create_slot(
                    intake.SlotData(
                        starts_at=start,
                        ends_at=start + timedelta(minutes=60),
                        mode=SlotMode.ONLINE if online else SlotMode.ON_SITE,
                        staff_id=who.id,
                        venue_id=None if online or venue is None else venue.id,
                        address=None if online or venue is not None else "Havenlaan 88, 1000 Brussel",
                        meeting_url="https://meet.example.com/startklaar-intake" if online else None,
                    ),
                    now=now,
                )
            )
    contacted = [lead for lead in leads if lead.status == S.CONTACTED]
    for lead, slot in zip(contacted[:2], slots[::3], strict=False):
        intake.book(lead, slot.id, now=now)

    # A conversation last week, with its outcome, for a lead that has gone on to "intake planned".
    held_lead = next((lead for lead in leads if lead.status == S.NEW), None)
    if held_lead is not None:
        start = from_local(today - timedelta(days=6), time(10, 0))
        past = IntakeSlot(
            starts_at=start, ends_at=start + timedelta(hours=1), mode=SlotMode.ONLINE, staff_id=expert.id,
            meeting_url="https://meet.example.com/startklaar-intake",
        )  # fmt: skip
        db.session.add(past)
        db.session.flush()
        conversation = IntakeConversation(
            lead=held_lead,
            slot=past,
            status=ConversationStatus.BOOKED,
            starts_at=past.starts_at,
            ends_at=past.ends_at,
            staff_id=expert.id,
        )
        db.session.add(conversation)
        services.move_for_intake(held_lead, S.INTAKE_PLANNED, now)
        db.session.commit()
        intake.record_outcome(
            conversation,
            intake.OutcomeData(
                assessment=Assessment.SUFFICIENT,
                guidance=Guidance.RECOMMENDED,
                notes="Heldere visie op het pedagogisch beleid; financieel plan nog dun. "
                "Begeleiding aangeraden.",
            ),
            expert,
            now=now,
        )
