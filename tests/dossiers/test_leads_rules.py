"""Lead rules: when a person becomes a lead, one lead per person, reruns and the backfill."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from app.db import utcnow
from app.extensions import db
from dossiers.leads import capture, rules
from dossiers.leads.models import LeadRegistration, LeadRule, LeadStatus, LeadTrigger
from registrations import privacy, signals
from registrations import services as registrations
from registrations.models import ChildcareType, LegalForm, Registration
from sessions.models import InfoSession
from tests.support.dossiers import count_leads, count_links, lead_of

TODAY = date(2026, 11, 29)


def _rule(**filters) -> LeadRule:
    return LeadRule(name="r", trigger=LeadTrigger.REGISTRATION, **filters)


def _profile(**values):
    defaults = {
        "childcare_type": ChildcareType.GROEPSOPVANG,
        "province": "oost-vlaanderen",
        "legal_form": LegalForm.BV,
        "planned_start": date(2027, 9, 1),
    }
    defaults.update(values)
    return type("Profile", (), defaults)


@pytest.mark.parametrize(
    ("filters", "profile", "expected"),
    [
        ({}, {}, True),
        ({"childcare_types": ["groepsopvang"]}, {}, True),
        ({"childcare_types": ["gezinsopvang", "bso"]}, {}, False),
        ({"provinces": ["oost-vlaanderen", "limburg"]}, {}, True),
        ({"provinces": ["limburg"]}, {}, False),
        ({"provinces": ["limburg"]}, {"province": None}, False),
        ({"legal_forms": ["bv"]}, {}, True),
        ({"legal_forms": ["vzw"]}, {}, False),
        ({"start_within_months": 12}, {}, True),
        ({"start_within_months": 12}, {"planned_start": date(2027, 11, 1)}, True),
        ({"start_within_months": 12}, {"planned_start": date(2027, 12, 1)}, False),
        ({"start_within_months": 6}, {}, False),
        ({"start_within_months": 12}, {"planned_start": None}, False),
        ({"start_within_months": 12}, {"planned_start": date(2026, 1, 1)}, True),
        ({"childcare_types": ["groepsopvang"], "provinces": ["limburg"]}, {}, False),
    ],
)
def test_rule_filters_match_the_interest_profile(filters, profile, expected):
    assert rules.matches(_rule(**filters), _profile(**profile), TODAY) is expected


def test_a_confirmed_registration_matching_a_rule_makes_a_lead_with_its_profile(make_rule, make_registration):
    make_rule(childcare_types=["groepsopvang"])
    registration = make_registration(
        email="karima@example.com",
        status="confirmed",
        childcare_type=ChildcareType.GROEPSOPVANG,
        planned_places=18,
    )
    lead = lead_of("karima@example.com")
    assert lead is not None
    assert lead.status == LeadStatus.NEW
    assert lead.childcare_type == ChildcareType.GROEPSOPVANG
    assert lead.planned_places == 18
    assert lead.municipality == "Gent" and lead.province == "oost-vlaanderen"
    assert [link.registration_id for link in lead.links] == [registration.id]


def test_a_registration_that_matches_no_rule_makes_no_lead(make_rule, make_registration):
    make_rule(childcare_types=["groepsopvang"])
    make_registration(email="wim@example.com", status="confirmed", childcare_type=ChildcareType.GEZINSOPVANG)
    assert lead_of("wim@example.com") is None


def test_an_unconfirmed_registration_makes_no_lead_until_the_address_is_confirmed(
    make_rule, make_registration
):
    make_rule()
    registration = make_registration(email="an@example.com", status="pending")
    assert lead_of("an@example.com") is None
    registrations.confirm_registration(registration)
    assert lead_of("an@example.com") is not None


def test_an_inactive_rule_makes_no_lead(make_rule, make_registration):
    make_rule(active=False)
    make_registration(email="an@example.com", status="confirmed")
    assert count_leads() == 0


def test_one_person_is_one_lead_across_sessions(make_rule, make_registration, make_session):
    make_rule(childcare_types=["groepsopvang"])
    first = make_registration(
        session=make_session(days=5),
        email="An@Example.com",
        status="confirmed",
        childcare_type=ChildcareType.GROEPSOPVANG,
    )
    # The second answer says "not sure yet": the lead gathers it, but keeps the type it knew.
    second = make_registration(session=make_session(days=9), email="an@example.com", status="confirmed")
    assert count_leads() == 1
    lead = lead_of("an@example.com")
    assert sorted(link.registration_id for link in lead.links) == sorted([first.id, second.id])
    assert lead.childcare_type == ChildcareType.GROEPSOPVANG


def test_a_lead_gathers_later_registrations_that_match_no_rule(make_rule, make_registration, make_session):
    make_rule(childcare_types=["groepsopvang"])
    make_registration(session=make_session(days=5), email="an@example.com", status="confirmed",
                      childcare_type=ChildcareType.GROEPSOPVANG)  # fmt: skip
    later = make_registration(session=make_session(days=9), email="an@example.com", status="confirmed",
                              childcare_type=ChildcareType.BSO)  # fmt: skip
    lead = lead_of("an@example.com")
    assert later.id in [link.registration_id for link in lead.links]
    assert lead.childcare_type == ChildcareType.BSO  # the newest answer wins


def test_attendance_rule_fires_when_the_person_attended(make_rule, make_registration):
    make_rule(LeadTrigger.ATTENDANCE)
    registration = make_registration(email="an@example.com", status="confirmed")
    assert lead_of("an@example.com") is None  # confirming is not attending
    db.session.execute(
        update(Registration).where(Registration.id == registration.id).values(status="attended")
    )
    signals.registration_attended.send(db.session.get(Registration, registration.id))
    db.session.commit()
    assert lead_of("an@example.com") is not None


def test_rerunning_the_rules_never_makes_a_duplicate(make_rule, make_registration):
    make_rule()
    make_registration(email="an@example.com", status="confirmed")
    make_registration(email="bo@example.com", status="confirmed")
    assert (count_leads(), count_links()) == (2, 2)
    first = capture.backfill()
    second = capture.backfill()
    assert (first.leads_made, second.leads_made, second.registrations_gathered) == (0, 0, 0)
    assert (count_leads(), count_links()) == (2, 2)


def test_backfill_applies_a_new_rule_to_past_sessions(make_rule, make_registration, make_session):
    session = make_session(days=3)
    old = make_registration(session=session, email="an@example.com", status="confirmed",
                            childcare_type=ChildcareType.GROEPSOPVANG)  # fmt: skip
    make_registration(session=session, email="bo@example.com", status="confirmed",
                      childcare_type=ChildcareType.GEZINSOPVANG)  # fmt: skip
    make_registration(session=session, email="cy@example.com", status="pending",
                      childcare_type=ChildcareType.GROEPSOPVANG)  # fmt: skip
    # The session is long over by the time the rule is written.
    past = utcnow() - timedelta(days=60)
    db.session.execute(
        update(InfoSession)
        .where(InfoSession.id == session.id)
        .values(starts_at=past, ends_at=past + timedelta(hours=2))
    )
    db.session.commit()
    rule = make_rule(childcare_types=["groepsopvang"])
    assert count_leads() == 0

    result = capture.backfill(rule.id)

    assert (result.leads_made, result.registrations_gathered) == (1, 1)
    lead = lead_of("an@example.com")
    assert [(link.registration_id, link.rule_id) for link in lead.links] == [(old.id, rule.id)]
    assert lead_of("cy@example.com") is None  # never confirmed their address


def test_backfill_cli_reports_and_is_idempotent(make_rule, make_registration, runner):
    make_registration(email="an@example.com", status="confirmed")
    make_rule()
    first = runner.invoke(args=["leads", "apply-rules"])
    second = runner.invoke(args=["leads", "apply-rules"])
    assert first.exit_code == 0 and "1 new leads, 1 registrations gathered" in first.output
    assert "0 new leads, 0 registrations gathered" in second.output
    assert count_leads() == 1


def test_backfill_of_an_inactive_rule_is_refused(make_rule):
    from app.errors import DomainError

    rule = make_rule(active=False)
    with pytest.raises(DomainError):
        capture.backfill(rule.id)


def test_two_concurrent_triggers_for_one_person_make_one_lead(
    app, make_rule, make_registration, make_session
):
    """Two sessions' registrations of one person confirmed at the same moment, in two threads
    with their own connections: one lead, both registrations gathered."""
    pending = [
        make_registration(session=make_session(days=d), email="an@example.com", status="pending")
        for d in (4, 6)
    ]
    make_rule()
    ids = [r.id for r in pending]
    barrier = threading.Barrier(2)
    errors = []

    def confirm(registration_id):
        with app.app_context():
            try:
                registration = db.session.get(Registration, registration_id)
                barrier.wait(timeout=10)
                registrations.confirm_registration(registration)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.rollback()  # read what the threads committed
    assert count_leads() == 1
    lead = lead_of("an@example.com")
    assert sorted(link.registration_id for link in lead.links) == sorted(ids)


def test_privacy_purge_keeps_registrations_of_a_lead(app, make_rule, make_registration, make_session):
    kept = make_registration(session=make_session(days=2), email="an@example.com", status="confirmed")
    make_rule(childcare_types=["groepsopvang"])
    make_registration(session=make_session(days=4), email="an@example.com", status="confirmed",
                      childcare_type=ChildcareType.GROEPSOPVANG)  # fmt: skip
    gone = make_registration(session=make_session(days=6), email="bo@example.com", status="confirmed")
    later = utcnow() + timedelta(days=800)
    assert privacy.purge(now=later) >= 1
    db.session.rollback()
    assert db.session.get(Registration, kept.id).anonymised_at is None
    assert db.session.get(Registration, gone.id).anonymised_at is not None
    assert db.session.scalar(select(LeadRegistration).where(LeadRegistration.registration_id == kept.id))


def test_a_lead_never_gathers_a_registration_whose_address_was_not_confirmed(
    make_rule, make_registration, make_session
):
    unconfirmed = make_registration(session=make_session(days=3), email="an@example.com", status="pending")
    make_rule()
    make_registration(session=make_session(days=5), email="an@example.com", status="confirmed")
    lead = lead_of("an@example.com")
    assert unconfirmed.id not in [link.registration_id for link in lead.links]
    assert len(lead.links) == 1
