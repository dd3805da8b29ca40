"""The cached public session page (sessions/views/public.py) with CSRF on, as in production: the
token is put in per request, so every visitor gets their own and can register with it."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.support import csrf_token
from tests.support.registrations import FORM_DEFAULTS

BODY = "sessions/_detail_body.html"


def page(client, session) -> str:
    db.session.commit()
    db.session.expire_all()
    response = client.get(f"/sessies/{session.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def app_config(app_config):
    # These tests post the form as a browser does: with its CSRF token.
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_each_visitor_gets_their_own_csrf_token_and_can_register_with_it(app, make_session, rendered):
    session = make_session(capacity=5)
    first, second = app.test_client(), app.test_client()
    token_one = csrf_token(page(first, session))
    token_two = csrf_token(page(second, session))
    assert rendered[BODY] == 1  # the second visitor was served from the cache
    assert token_one != token_two
    # A cached page carries no token of its own to hand out: each one works for its visitor only.
    response = second.post(
        f"/sessies/{session.id}/inschrijven", data={**FORM_DEFAULTS, "csrf_token": token_one}
    )
    assert response.status_code in (400, 422)
    response = second.post(
        f"/sessies/{session.id}/inschrijven",
        data={**FORM_DEFAULTS, "email": "tweede@example.com", "csrf_token": token_two},
    )
    assert response.status_code == 302
    assert "nog 4 plaatsen" in page(first, session)
