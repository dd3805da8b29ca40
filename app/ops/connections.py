"""A database connection that dies under a request (a PostgreSQL restart or failover, a proxy's
idle timeout) must cost that one request at most — never a page already made, never the next
request.

Flask-SQLAlchemy ends every request with `session.remove()`, which rolls back on the connection.
On a connection the server has just closed that rollback raises; the exception escapes Flask's
error pages and gunicorn answers with its bare "Internal Server Error", even when the view had
already produced its page (tests/core/test_faults.py caught /healthz answering so). This
teardown runs before Flask-SQLAlchemy's: it closes the session itself and, when the connection
turns out to be dead, throws the connection away — the pool opens a fresh one, checked first by
pool_pre_ping — and forgets the session, so the request's own answer goes out.
"""

import logging

from sqlalchemy.exc import DBAPIError

from app.extensions import db

log = logging.getLogger(__name__)


def _discard_dead_session() -> None:
    try:
        db.session().invalidate()
    except DBAPIError:
        log.debug("invalidating an already broken session", exc_info=True)
    db.session.registry.clear()


def init_app(app) -> None:
    """Register after database.init_app: teardowns run in reverse order, so this one goes first."""

    @app.teardown_appcontext
    def close_session(_error) -> None:
        try:
            db.session.remove()
        except DBAPIError:
            log.warning("database connection lost at the end of a request; discarded", exc_info=True)
            _discard_dead_session()
