"""An expert's home page shows their next sessions: seats, waiting list, questions sent in."""

import re

from app.auth.models import Role
from sessions.models import SessionFormat


def test_an_expert_sees_their_next_sessions_with_seats_and_questions(
    client, login, make_session, make_registration
):
    expert = login(Role.EXPERT)
    mine = make_session(presenters=[expert], capacity=2, title="Mijn sessie")
    make_session(title="Sessie van een collega")
    make_registration(
        mine, "an@example.com", status="confirmed", questions="Hoeveel kinderen mag ik opvangen?"
    )
    make_registration(mine, "bram@example.com", status="confirmed")
    make_registration(mine, "chris@example.com", status="waitlisted", questions="Is er subsidie?")

    html = client.get("/beheer/").get_data(as_text=True)

    assert "Mijn volgende sessies" in html
    assert "Mijn sessie" in html and "Sessie van een collega" not in html
    row = html[html.index("Mijn sessie") :]
    cells = re.findall(r'<td class="number"[^>]*>([^<]*)<', row)[:3]
    assert [cell.strip() for cell in cells] == ["2 / 2", "1", "2"]


def test_staff_do_not_get_the_presenters_widget(client, login):
    login(Role.STAFF)
    assert "Mijn volgende sessies" not in client.get("/beheer/").get_data(as_text=True)


def test_a_hybrid_session_counts_its_seats_on_site_and_its_online_places_apart(
    client, login, make_session, make_registration
):
    """Ten people online and one in the room of a session with two seats on site is not "11 / 2"."""
    expert = login(Role.EXPERT)
    hybrid = make_session(
        presenters=[expert],
        capacity=2,
        online_capacity=None,
        format=SessionFormat.HYBRID,
        meeting_url="https://meet.example.com/abc-defg-hij",
        title="Hybride sessie",
    )
    make_registration(hybrid, status="confirmed", attends="on_site")
    for _ in range(3):
        make_registration(hybrid, status="confirmed", attends="online")

    for page in ("/beheer/", "/beheer/sessies?scope=mine"):
        html = client.get(page).get_data(as_text=True)
        row = html[html.index("Hybride sessie") :]
        cell = re.search(r'<td class="number" data-label="Plaatsen">(.*?)</td>', row, re.S).group(1)
        assert re.sub(r"<[^>]+>|\s+", " ", cell).split() == [
            "1",
            "/",
            "2",
            "online",
            "3",
            "/",
            "onbeperkt",
        ], page
