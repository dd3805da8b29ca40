"""The lead inbox says where each lead came from (the session with its date, or the intake
request; the rule that made it) and how old it is, with one query for the whole page (issue 16)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import event

from app.auth.models import Role
from app.extensions import db
from dossiers.leads import services
from dossiers.leads.models import Lead
from tests.support.dossiers import lead_of

REQUEST = {
    "first_name": "Karima", "last_name": "Benali", "email": "karima@example.com", "phone": "",
    "postcode": "9000", "childcare_type": "groepsopvang", "message": "", "privacy": "y", "website": "",
}  # fmt: skip


def row_of(html: str, email: str) -> str:
    start = html.index(email)
    return html[start : html.index("</tr>", start)]


def test_each_lead_shows_its_session_rule_and_age(client, login, make_lead, make_session, make_rule):
    login(Role.STAFF)
    session = make_session(days=2, title="Starten met gezinsopvang")
    lead = make_lead(email="sessie@example.com", session=session)
    lead.created_at = lead.created_at - timedelta(days=3)
    db.session.commit()
    client.post("/logout")
    client.post("/kennismakingsgesprek", data=REQUEST)
    request_lead = lead_of("karima@example.com")
    login(Role.STAFF)

    html = client.get("/beheer/leads/").text
    row = row_of(html, "sessie@example.com")
    assert f"Infosessie van {services.day(session.starts_at)}" in row and "Starten met gezinsopvang" in row
    assert "Regel: Iedereen" in row and "3 dagen geleden" in row
    row = row_of(html, "karima@example.com")
    assert 'data-origin="intake_request"' in row and "Vraag om kennismakingsgesprek" in row
    assert services.day(request_lead.intake_requested_at) in row and "vandaag" in row


def test_the_inbox_does_not_query_per_lead(client, login, make_lead, make_session):
    login(Role.STAFF)

    def statements() -> int:
        count = []
        db.session.expire_all()
        listener = lambda *_args: count.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            html = client.get("/beheer/leads/").text
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(re.findall(r'data-origin="session"', html)) == db.session.query(Lead).count()
        return len(count)

    make_lead(email="een@example.com", session=make_session(days=3))
    statements()  # the page header reads some settings once a minute: not per row
    few = statements()
    for n in range(6):
        make_lead(email=f"lead{n}@example.com", session=make_session(days=4 + n))
    assert statements() == few
