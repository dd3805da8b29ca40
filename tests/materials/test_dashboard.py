"""An expert's home page lists what is left to do around the sessions they present."""

from datetime import timedelta

from sqlalchemy import update

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from materials.mailings import services as mailings
from materials.mailings.models import MailingStatus
from sessions.models import InfoSession, SessionStatus


def held(session, days_ago: int, status=SessionStatus.PUBLISHED) -> None:
    """Move a session into the past, as if it took place `days_ago` days ago."""
    shift = session.starts_at - (utcnow() - timedelta(days=days_ago))
    db.session.execute(
        update(InfoSession)
        .where(InfoSession.id == session.id)
        .values(starts_at=session.starts_at - shift, ends_at=session.ends_at - shift, status=status)
    )
    db.session.commit()


def home(client) -> str:
    return client.get("/beheer/").get_data(as_text=True)


def test_open_check_ins_follow_ups_and_decks_to_review(client, login, make_session):
    expert = login(Role.EXPERT)
    unclosed = make_session(presenters=[expert], days=30, title="Nog af te ronden")
    done = make_session(presenters=[expert], days=31, title="Vorige week afgerond")
    make_session(presenters=[expert], days=3, title="Volgende week")
    make_session(days=3, title="Van een collega")
    held(unclosed, days_ago=1)
    held(done, days_ago=5, status=SessionStatus.COMPLETED)

    html = home(client)

    assert "Aanwezigheden afronden: Nog af te ronden" in html
    assert "Opvolgmail versturen: Vorige week afgerond" in html
    assert "Presentatie nakijken: Volgende week" in html
    assert "Van een collega" not in html

    mailing = mailings.create_mailing(done.id, "attendees", expert)
    mailing.status = MailingStatus.SENT
    db.session.commit()
    assert "Opvolgmail versturen" not in home(client)


def test_nothing_to_do_shows_no_list(client, login):
    login(Role.EXPERT)
    assert "Te doen" not in home(client)
