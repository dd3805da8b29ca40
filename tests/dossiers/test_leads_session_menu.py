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
