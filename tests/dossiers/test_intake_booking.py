"""Intake conversations: slots, booking through the signed link, one booking per slot, the
invitations (.ics) for lead and staff, moving, cancelling and the outcome."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import vobject
from sqlalchemy import func, select

from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from dossiers.leads import intake, links, services
from dossiers.leads.models import (
    Assessment,
    ConversationStatus,
    Guidance,
    IntakeConversation,
    Lead,
    LeadStatus,
)
from tests.support.dossiers import intake_mails, invitation


def _fresh(lead: Lead) -> Lead:
    db.session.rollback()
    return db.session.get(Lead, lead.id, populate_existing=True)


def test_picking_a_slot_plans_the_intake_and_invites_both(make_lead, make_slot, make_user):
    staff = make_user(Role.STAFF, name="Sofie De Wilde")
    lead = make_lead(email="karima@example.com")
    slot = make_slot(staff=staff, days=5, hour=10)

    conversation = intake.book(lead, slot.id)

    assert _fresh(lead).status == LeadStatus.INTAKE_PLANNED
    for address, kind in (("karima@example.com", "booked"), (staff.email, "staff_booked")):
        (mail,) = intake_mails(address, kind)
        method, event = invitation(mail)
        assert method == "REQUEST"
        assert str(event["UID"]) == f"intake-{conversation.uid}@startklaar"
        assert int(event["SEQUENCE"]) == 0
        assert event["DTSTART"].dt == slot.starts_at
        assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert "Havenlaan 88" in str(event["LOCATION"])
        attendees = {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE")}
        assert attendees == {"karima@example.com", staff.email}


def test_the_invitation_reads_in_a_second_parser_with_brussels_time(make_lead, make_slot):
    lead = make_lead(email="an@example.com")
    slot = make_slot(days=4, hour=14)
    intake.book(lead, slot.id)
    (mail,) = intake_mails("an@example.com", "booked")
    calendar = vobject.readOne(mail.ics.decode())
    assert calendar.vtimezone.tzid.value == "Europe/Brussels"
    start = calendar.vevent.dtstart.value
    assert start.hour == 14 and start == slot.starts_at


def test_a_booked_slot_cannot_be_booked_by_someone_else(make_lead, make_slot):
    slot = make_slot()
    intake.book(make_lead(email="an@example.com"), slot.id)
    other = make_lead(email="bo@example.com")
    with pytest.raises(DomainError) as refused:
        intake.book(other, slot.id)
    assert "Iemand anders koos dit moment" in str(refused.value)
    assert _fresh(other).status == LeadStatus.NEW
    assert intake_mails("bo@example.com") == []


def test_two_people_clicking_the_same_slot_at_once_get_one_booking(app, make_lead, make_slot):
    slot = make_slot()
    lead_ids = [make_lead(email=f"p{n}@example.com").id for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def pick(lead_id):
        with app.app_context():
            try:
                lead = db.session.get(Lead, lead_id)
                barrier.wait(timeout=10)
                intake.book(lead, slot.id)
                outcomes.append("booked")
            except DomainError:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=pick, args=(i,)) for i in lead_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked", "refused"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(IntakeConversation)) == 1


def test_moving_keeps_the_uid_and_raises_the_sequence(make_lead, make_slot, make_user):
    staff = make_user(Role.STAFF)
    lead = make_lead(email="an@example.com")
    first, second = make_slot(staff=staff, days=3), make_slot(staff=staff, days=4)
    conversation = intake.book(lead, first.id)
    intake.book(lead, second.id)  # the same link, another time

    (moved,) = intake_mails("an@example.com", "moved")
    method, event = invitation(moved)
    assert (method, int(event["SEQUENCE"])) == ("REQUEST", 1)
    assert str(event["UID"]) == f"intake-{conversation.uid}@startklaar"
    assert event["DTSTART"].dt == second.starts_at
    assert intake_mails(staff.email, "staff_moved")
    # The first slot is free again for someone else.
    assert first.id in [s.id for s in intake.free_slots()]
    assert second.id not in [s.id for s in intake.free_slots()]


def test_moving_to_another_staff_member_cancels_in_the_first_ones_calendar(make_lead, make_slot, make_user):
    sofie, els = make_user(Role.STAFF), make_user(Role.EXPERT)
    lead = make_lead(email="an@example.com")
    intake.book(lead, make_slot(staff=sofie, days=3).id)
    intake.book(lead, make_slot(staff=els, days=4).id)
    method, _event = invitation(intake_mails(sofie.email, "staff_cancelled")[0])
    assert method == "CANCEL"
    assert invitation(intake_mails(els.email, "staff_moved")[0])[0] == "REQUEST"


def test_cancelling_frees_the_slot_and_sends_cancel(make_lead, make_slot, make_user):
    staff = make_user(Role.STAFF)
    lead = make_lead(email="an@example.com")
    slot = make_slot(staff=staff)
    conversation = intake.book(lead, slot.id)

    intake.cancel_booking(conversation)
    intake.cancel_booking(conversation)  # twice changes nothing

    for address, kind in (("an@example.com", "cancelled"), (staff.email, "staff_cancelled")):
        (mail,) = intake_mails(address, kind)
        method, event = invitation(mail)
        assert (method, int(event["SEQUENCE"]), str(event["STATUS"])) == ("CANCEL", 1, "CANCELLED")
    assert _fresh(lead).status == LeadStatus.CONTACTED
    assert slot.id in [s.id for s in intake.free_slots()]


def test_a_past_slot_cannot_be_picked(make_lead, make_slot):
    slot = make_slot(days=1)
    with pytest.raises(DomainError):
        intake.book(make_lead(), slot.id, now=slot.starts_at + timedelta(minutes=1))


def test_a_staff_member_cannot_have_two_slots_at_once(make_slot, make_user):
    staff = make_user(Role.STAFF)
    make_slot(staff=staff, days=3, hour=10)
    with pytest.raises(DomainError) as refused:
        make_slot(staff=staff, days=3, hour=10, minutes=30)
    assert "al een gespreksmoment" in str(refused.value)


def test_an_online_slot_needs_a_link(make_user):
    start = utcnow() + timedelta(days=2)
    with pytest.raises(DomainError) as refused:
        intake.create_slot(
            intake.SlotData(
                start, start + timedelta(hours=1), intake.SlotMode.ONLINE, make_user(Role.STAFF).id
            )
        )
    assert refused.value.field == "meeting_url"


def test_a_booked_slot_cannot_be_deleted(make_lead, make_slot):
    slot = make_slot()
    intake.book(make_lead(), slot.id)
    with pytest.raises(DomainError):
        intake.delete_slot(slot.id)


def test_the_outcome_is_recorded_and_offered_to_the_dossier(make_lead, make_slot, make_user):
    expert = make_user(Role.EXPERT)
    lead = make_lead()
    slot = make_slot()
    conversation = intake.book(lead, slot.id)
    with pytest.raises(DomainError):  # not before it took place
        intake.record_outcome(
            conversation, intake.OutcomeData(Assessment.SUFFICIENT, Guidance.NOT_NEEDED), expert
        )
    assert services.intake_outcomes(lead) == []

    intake.record_outcome(
        conversation,
        intake.OutcomeData(
            Assessment.DOUBTFUL, Guidance.RECOMMENDED, exemption_intake=False, notes="Plan nog dun."
        ),
        expert,
        now=slot.ends_at + timedelta(minutes=5),
    )
    (outcome,) = services.intake_outcomes(lead)
    assert outcome.status == ConversationStatus.HELD
    assert (outcome.assessment, outcome.guidance, outcome.outcome_notes) == (
        Assessment.DOUBTFUL,
        Guidance.RECOMMENDED,
        "Plan nog dun.",
    )
    assert outcome.outcome_by_id == expert.id


def test_pick_page_through_the_signed_link(client, make_lead, make_slot):
    lead = make_lead(email="an@example.com")
    slot = make_slot(days=6)
    url = f"/kennismakingsgesprek/kies/{links.make_token(lead)}"

    page = client.get(url)
    assert page.status_code == 200 and "Kies een moment" in page.text

    response = client.post(url, data={"slot_id": str(slot.id)})
    assert response.status_code == 302
    page = client.get(url)
    assert "Je gesprek is gepland" in page.text

    client.post(f"{url}/annuleren", data={})
    assert _fresh(lead).status == LeadStatus.CONTACTED
    assert intake_mails("an@example.com", "cancelled")


def test_pick_page_refuses_a_forged_or_expired_link(client, make_lead, monkeypatch):
    lead = make_lead()
    signed = links.make_token(lead)
    assert client.get(f"/kennismakingsgesprek/kies/{signed[:-3]}xyz").status_code == 404

    import itsdangerous.timed

    old = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner,
        "get_timestamp",
        lambda self: old(self) - int(links.PICK_VALID.total_seconds()) - 60,
    )
    expired = links.make_token(lead)
    monkeypatch.undo()
    page = client.get(f"/kennismakingsgesprek/kies/{expired}")
    assert page.status_code == 404 and "verlopen" in page.text


def test_staff_send_the_pick_link_through_the_outbox(client, login, make_lead):
    login(Role.STAFF)
    lead = make_lead(email="an@example.com")
    assert client.post(f"/beheer/leads/{lead.id}/gesprekslink").status_code == 302
    (mail,) = intake_mails("an@example.com", "pick_link")
    path = re.search(r"https?://[^/\s]+(/kennismakingsgesprek/kies/\S+)", mail.text_body).group(1)
    assert client.get(path).status_code == 200


def test_the_pick_page_says_so_when_the_slot_was_just_taken(client, make_lead, make_slot):
    slot = make_slot()
    intake.book(make_lead(email="an@example.com"), slot.id)
    late = make_lead(email="bo@example.com")
    response = client.post(
        f"/kennismakingsgesprek/kies/{links.make_token(late)}", data={"slot_id": str(slot.id)}
    )
    assert response.status_code == 422
    assert "Iemand anders koos dit moment net" in response.text
    assert intake.active_booking(late) is None
