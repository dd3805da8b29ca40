"""An expert's home page shows their own sessions' figures beside the whole team's."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from app.auth.models import Role
from registrations import attendance
from registrations import services as registrations
from sessions import services as sessions


@pytest.fixture
def held(past_session, registration_data):
    """held(presenter, came=…, missed=…, questions=…): a completed session of the presenter."""
    counter = iter(range(10_000))

    def make(presenter, *, came: int, missed: int, questions: int = 0):
        session = past_session(presenters=[presenter])
        booked = session.starts_at - timedelta(days=7)
        for n in range(came + missed):
            asked = "Welke subsidies zijn er?" if n < questions else ""
            data = registration_data(f"p{next(counter)}@example.com", questions=asked)
            registration = registrations.register(session.id, data, now=booked).registration
            registrations.confirm_registration(registration, now=booked)
            if n < came:
                attendance.check_in(registration, presenter, now=session.starts_at)
        sessions.complete_session(sessions.get_session(session.id))  # the others: no-shows
        return session

    return make


def figures(page: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="table report-figures">.*?</table>', page, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        name = (
            re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
            .split("(")[0]
            .strip()
        )
        rows[name] = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
    return rows


def test_an_expert_sees_their_own_figures_beside_the_teams(client, login, make_user, held):
    me, colleague = make_user(Role.EXPERT), make_user(Role.EXPERT)
    held(me, came=1, missed=1, questions=2)
    held(colleague, came=3, missed=1, questions=0)
    login(user=me)
    html = client.get("/beheer/").get_data(as_text=True)
    assert "Mijn sessies in cijfers" in html
    assert figures(html) == {
        "Sessies gegeven": ["1", "2"],
        "Aanwezigheid": ["50,0 %", "66,7 %"],
        "Niet gekomen": ["1", "2"],
        "Niet gekomen, per sessie": ["1,0", "1,0"],
        "Vragen gesteld": ["2", "2"],
        "Vragen, per sessie": ["2,0", "1,0"],
    }


def test_a_new_expert_sees_the_teams_figures(client, login, make_user, held):
    held(make_user(Role.EXPERT), came=2, missed=2)
    login(Role.EXPERT)
    html = client.get("/beheer/").get_data(as_text=True)
    assert figures(html)["Aanwezigheid"] == ["–", "50,0 %"]
    assert "Je gaf in die periode nog geen sessie" in html


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_who_does_not_present_sessions_gets_no_figures(client, login, make_user, held, role):
    held(make_user(Role.EXPERT), came=2, missed=0)
    login(role)
    response = client.get("/beheer/")
    assert response.status_code == 200
    assert "Mijn sessies in cijfers" not in response.get_data(as_text=True)


def test_an_admin_who_presents_sees_their_figures(client, login, make_user, held):
    admin = make_user(Role.ADMIN)
    held(admin, came=1, missed=0)
    login(user=admin)
    assert figures(client.get("/beheer/").get_data(as_text=True))["Sessies gegeven"] == ["1", "1"]
