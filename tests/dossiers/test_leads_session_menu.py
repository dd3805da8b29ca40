"""The lead inbox's menu of sessions to filter on (dossiers.leads.services.sessions_with_leads):
the sessions that brought in a lead, newest first, none older than the window, a bounded number.
It walks the sessions newest first and asks each whether it has a lead (bench/load.py: the work
no longer grows with the number of registrations)."""

from __future__ import annotations

from dossiers.leads import services
from dossiers.leads.services import inbox


def test_the_menu_lists_sessions_with_a_lead_newest_first(make_lead, make_session, make_registration):
    soon, later, without = make_session(days=3), make_session(days=30), make_session(days=10)
    make_lead(email="an@example.com", session=soon)
    make_lead(email="bert@example.com", session=later)
    make_registration(session=without, email="geen.lead@example.com")  # pending: no lead
    assert [s.id for s in services.sessions_with_leads()] == [later.id, soon.id]


def test_the_menu_stops_at_its_maximum_keeping_the_newest(monkeypatch, make_lead, make_session):
    sessions = [make_session(days=day) for day in (3, 6, 9)]
    for n, session in enumerate(sessions):
        make_lead(email=f"persoon{n}@example.com", session=session)
    monkeypatch.setattr(inbox, "SESSION_FILTER_MAX", 2)
    assert [s.id for s in services.sessions_with_leads()] == [sessions[2].id, sessions[1].id]


def test_inbox_pages_show_new_leads_first_then_the_rest_by_latest_change(monkeypatch, make_lead, make_user):
    from datetime import timedelta

    from app.auth.models import Role
    from app.db import utcnow
    from app.extensions import db
    from dossiers.leads.models import LeadStatus

    staff = make_user(Role.STAFF)
    leads = [make_lead(email=f"lead{n}@example.com") for n in range(7)]
    start = utcnow() - timedelta(days=30)
    for lead in leads[1::2]:  # the odd ones were contacted
        services.change_status(lead, LeadStatus.CONTACTED, staff)
    for n, lead in enumerate(leads):  # each lead's latest change a day after the one before
        lead.status_changed_at = start + timedelta(days=n)
    db.session.commit()
    new = [lead.id for lead in reversed(leads) if lead.status == LeadStatus.NEW]
    rest = [lead.id for lead in reversed(leads) if lead.status != LeadStatus.NEW]
    monkeypatch.setattr(inbox, "PER_PAGE", 3)
    pages = [services.list_leads(services.LeadFilters(), page=n) for n in (1, 2, 3, 4)]
    assert [lead.id for page in pages for lead in page.items] == new + rest
    assert [page.total for page in pages] == [7] * 4 and pages[0].pages == 3
    assert pages[3].items == []  # past the end: empty, never an error
    contacted = services.list_leads(services.LeadFilters(status=LeadStatus.CONTACTED))
    assert [lead.id for lead in contacted.items] == rest
