"""Operations: `flask check`, `flask backup`, scheduled jobs under a database lock, and the
settings for running behind a reverse proxy. See docs/production.md."""

from datetime import time, timedelta

from flask import current_app

from app.database import atomic
from app.db import utcnow
from app.extensions import db


@atomic
def purge_outbox() -> int:
    """Delete sent and failed mail older than OUTBOX_RETENTION_DAYS: the bodies hold names and
    addresses, and the viewer needs only recent history. Queued mail is never touched."""
    from app.outbox import services

    days = current_app.config["OUTBOX_RETENTION_DAYS"]
    count = services.purge(utcnow() - timedelta(days=days))
    db.session.commit()
    return count


def init_app(app) -> None:
    """Call after database.init_app (the connection teardown must run before the session's)."""
    from app.ops import cli, connections, jobs, models, proxy  # noqa: F401 - models register their table

    proxy.init_app(app)
    connections.init_app(app)
    jobs.register_job(app, "outbox-purge", purge_outbox, daily_at=time(4, 15))
    app.cli.add_command(cli.check)
    app.cli.add_command(cli.backup)
    app.cli.add_command(cli.jobs)
