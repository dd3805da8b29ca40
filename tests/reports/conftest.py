"""Fixtures for the reports: a session whose evening is past."""

from datetime import timedelta

import pytest

from app.db import utcnow
from app.extensions import db
from sessions.models import SessionStatus


@pytest.fixture
def past_session(make_session, make_topic):
    """A published session that started three days ago (published by hand, as the demo does:
    no service publishes the past)."""

    def make(topic=None, **kw):
        starts_at = utcnow() - timedelta(days=3)
        session = make_session(topic=topic or make_topic(), starts_at=starts_at, status="draft", **kw)
        session.status, session.published_at = SessionStatus.PUBLISHED, starts_at - timedelta(days=30)
        db.session.commit()
        return session

    return make
