"""Demo: two sessions that already took place, with check-ins, no-shows and walk-ins, a follow-up
mailing to the attendees that went out (with per-recipient outbox states) and a prepared one for
the no-shows. Runs after the registrations' loader.

The sessions are planned, published and filled "in the past" by the real services (each takes a
`now`); only publishing a past date and the delivery states are set by hand, since no service
publishes history and no SMTP server runs during `flask demo`.
"""

import random
from datetime import time, timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from app.timezone import from_local, local
from materials.mailings import services
from materials.mailings.models import Segment
from registrations import attendance
from registrations import services as registrations
from registrations.demo import _data
from registrations.models import RegistrationSource
from sessions import services as sessions
from sessions.models import SessionFormat, SessionStatus


def _past_session(context: dict, days_ago: int, fmt: SessionFormat, venue, topic, presenter):
    day = local(utcnow()).date() - timedelta(days=days_ago)
    starts_at = from_local(day, time(19, 30))
    session = sessions.create_session(
        sessions.SessionData(
            topic_id=topic.id,
            format=fmt,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            capacity=20,
            presenter_ids=[presenter.id],
            venue_id=venue.id if venue else None,
            meeting_url="https://meet.startklaar.be/infosessie-terugblik" if fmt.needs_link else None,
            allow_holiday=True,
        )
    )
    session.status, session.published_at = SessionStatus.PUBLISHED, starts_at - timedelta(days=30)
    db.session.commit()
    return session


def _fill(session, rng: random.Random, first_n: int, presenter) -> None:
    booked_at = session.starts_at - timedelta(days=10)
    people = []
    for n in range(first_n, first_n + 18):
        outcome = registrations.register(session.id, _data(rng, n), now=booked_at)
        registrations.confirm_registration(outcome.registration, now=booked_at + timedelta(hours=1))
        people.append(outcome.registration)
    registrations.cancel_registration(people[-1], now=booked_at + timedelta(days=3))
    door = session.starts_at - timedelta(minutes=20)
    for registration in people[:-5]:  # most came, four did not
        attendance.check_in(registration, presenter, now=door)
    walk_in = _data(rng, first_n + 99)
    outcome = registrations.register(
        session.id, walk_in, source=RegistrationSource.WALK_IN, over_capacity=True
    )
    attendance.check_in(outcome.registration, presenter, now=door + timedelta(minutes=5))


def load(context: dict) -> None:
    rng = random.Random(2028)
    experts = [u for u in context["users"] if u.role == Role.EXPERT]
    topic, venue = context["topics"][0], context["venues"][0]
    held = _past_session(context, 9, SessionFormat.ON_SITE, venue, topic, experts[0])
    online = _past_session(context, 3, SessionFormat.ONLINE, None, topic, experts[1 % len(experts)])
    _fill(held, rng, 5000, experts[0])
    _fill(online, rng, 6000, experts[1 % len(experts)])
    for session in (held, online):
        sessions.complete_session(sessions.get_session(session.id))

    thanks = services.create_mailing(held.id, Segment.ATTENDEES, experts[0])
    services.send_mailing(thanks.id, now=held.ends_at + timedelta(hours=14))
    # As if the worker had delivered it: one address bounced, the rest arrived.
    delivered = held.ends_at + timedelta(hours=14, minutes=1)
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.reference == f"mailing:{thanks.id}")
        .order_by(OutboxMessage.id)
    ).all()
    for index, row in enumerate(rows):
        if index == 2:
            row.status, row.attempts, row.last_error = MailStatus.FAILED, 1, "550 5.1.1 mailbox unavailable"
        else:
            row.status, row.attempts, row.sent_at = MailStatus.SENT, 1, delivered
        row.last_attempt_at = delivered
    db.session.commit()

    services.create_mailing(held.id, Segment.NO_SHOWS, experts[0])
    follow_up = services.create_mailing(online.id, Segment.ATTENDEES, experts[1 % len(experts)])
    services.schedule_mailing(follow_up)
