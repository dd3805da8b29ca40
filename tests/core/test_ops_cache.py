"""Do per-process fragment caches stay right with several processes and servers? (docs/production.md,
"The fragment caches, checked".)

On PostgreSQL two transactions can commit in the other order than the `updated_at` they stamped.
The catalogue page is cached under the newest `updated_at` of the catalogue, so a page rendered
between the two commits keeps being served after the second one, with an old seat count. The
interleaving is played by hand on two connections, as two app workers would produce it.

The catalogue's version (sessions.services.catalogue_version) holds the seat counts besides the
newest timestamp, so the second commit changes the key.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text

from app.db import utcnow
from app.extensions import db

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="on SQLite writers run one at a time, so commits come in the order of their timestamps",
)


def seat_counts(client) -> list[str]:
    db.session.commit()
    db.session.expire_all()  # the test's own session must not hand the page its old rows
    html = client.get("/sessies").get_data(as_text=True)
    return re.findall(r'class="seats[^"]*">([^<]*)<', html)


def test_a_seat_taken_in_a_transaction_that_commits_last_shows_on_the_cached_catalogue(client, make_session):
    first = make_session(capacity=5, days=10)
    second = make_session(capacity=5, days=11)
    db.session.commit()
    engine = create_engine(db.engine.url)
    try:
        with engine.connect() as worker_a, engine.connect() as worker_b:
            # Worker A takes a seat in the first session and is still busy (queueing mail)…
            worker_a.execute(
                text("UPDATE info_sessions SET seats_taken = 1, updated_at = :at WHERE id = :id"),
                {"at": utcnow(), "id": first.id},
            )
            # …while worker B changes the second session, later, and commits first.
            worker_b.execute(
                text("UPDATE info_sessions SET updated_at = :at WHERE id = :id"),
                {"at": utcnow(), "id": second.id},
            )
            worker_b.commit()
            assert seat_counts(client)[0] == "nog 5 plaatsen"  # A has not committed yet: right
            worker_a.commit()
    finally:
        engine.dispose()
    assert seat_counts(client)[0] == "nog 4 plaatsen"
