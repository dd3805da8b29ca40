"""The rules of planning info sessions, on the services with a real database (no HTTP).

Every refused change is checked twice: the Dutch message the expert reads, and that nothing
reached the database (what is stored after the request's rollback).
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from app.auth.models import Role
from app.database import PendingWork
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.timezone import from_local, local
from sessions import services, signals
from sessions.models import InfoSession, SessionFormat, SessionStatus
from sessions.services import CatalogueFilters, HolidayWarning, SessionData

ON_SITE, ONLINE, HYBRID = SessionFormat.ON_SITE, SessionFormat.ONLINE, SessionFormat.HYBRID
LINK = "https://meet.example.com/abc-defg-hij"
TUESDAY = date(2027, 3, 9)  # an ordinary Tuesday, no holiday; creating a draft never looks at "now"
DEFAULT = object()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Brussels wall-clock time, as the database stores it (UTC)."""
    return from_local(day, time(hour, minute))


def days_ahead(days: int, weekday: int | None = None) -> date:
    """A local date at least `days` from today, on `weekday` (0 = Monday) when given."""
    day = local(utcnow()).date() + timedelta(days=days)
    while weekday is not None and day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def stored() -> list[InfoSession]:
    """The sessions in the database once whatever was not committed is thrown away."""
    db.session.rollback()
    return list(db.session.scalars(select(InfoSession).order_by(InfoSession.starts_at, InfoSession.id)))


@pytest.fixture
def topic(make_topic):
    return make_topic("Kinderopvang starten: van idee tot vergunning")


@pytest.fixture
def expert(make_user):
    return make_user(Role.EXPERT, name="Els Peeters")


@pytest.fixture
def venue(make_venue):
    return make_venue(postcode="9000", capacity=40, name="De Centrale")


@pytest.fixture
def other_venue(make_venue):
    return make_venue(postcode="9000", capacity=40, name="Het Pand")


@pytest.fixture
def plan(topic, venue, expert):
    """plan(starts_at, ...) → SessionData for Els at De Centrale, 2 hours, 20 seats.

    Holidays are allowed here: the holiday rule has tests of its own.
    """

    def build(
        starts_at: datetime,
        *,
        minutes: int = 120,
        format: SessionFormat = ON_SITE,
        at_venue=DEFAULT,
        presenters=DEFAULT,
        capacity: int = 20,
        meeting_url=DEFAULT,
        allow_holiday: bool = True,
        **kw,
    ) -> SessionData:
        chosen_venue = venue if at_venue is DEFAULT else at_venue
        chosen_presenters = [expert] if presenters is DEFAULT else presenters
        if meeting_url is DEFAULT:
            meeting_url = LINK if format.needs_link else None
        return SessionData(
            topic_id=topic.id,
            format=format,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            capacity=capacity,
            presenter_ids=[p.id for p in chosen_presenters],
            venue_id=chosen_venue.id if chosen_venue and format.needs_venue else None,
            meeting_url=meeting_url,
            allow_holiday=allow_holiday,
            **kw,
        )

    return build


@pytest.fixture
def published(plan):
    """A published session at De Centrale, three weeks from now on a Tuesday at 19:30."""
    session = services.create_session(plan(at(days_ahead(21, weekday=1), 19, 30)))
    return services.publish_session(session)


def held(plan, status: SessionStatus = SessionStatus.PUBLISHED) -> InfoSession:
    """A session that started an hour ago. publish_session refuses the past, so the status is set
    directly, as it would have been when the session was published beforehand."""
    session = services.create_session(plan(utcnow().replace(microsecond=0) - timedelta(hours=1)))
    session.status = status
    db.session.commit()
    return session


# --------------------------------------------------------------------------- time and capacity


@pytest.mark.parametrize("minutes", [0, -30], ids=["ends-when-it-starts", "ends-before-it-starts"])
def test_a_session_that_does_not_end_after_it_starts_is_refused(app, plan, minutes):
    with pytest.raises(DomainError) as caught:
        services.create_session(plan(at(TUESDAY, 19, 30), minutes=minutes))

    assert str(caught.value) == "Het einde moet na het begin liggen."
    assert caught.value.field == "ends_at"
    assert stored() == []


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        (0, "De capaciteit moet minstens 1 zijn."),
        (-5, "De capaciteit moet minstens 1 zijn."),
        (41, "De Centrale heeft plaats voor 40 personen; de capaciteit kan niet hoger."),
    ],
)
def test_a_capacity_below_one_or_above_the_venue_is_refused(app, plan, capacity, message):
    with pytest.raises(DomainError) as caught:
        services.create_session(plan(at(TUESDAY, 19, 30), capacity=capacity))

    assert str(caught.value) == message
    assert caught.value.field == "capacity"
    assert stored() == []


def test_a_capacity_equal_to_the_venue_is_accepted(app, plan):
    session = services.create_session(plan(at(TUESDAY, 19, 30), capacity=40))

    assert [s.capacity for s in stored()] == [40] and session.status == SessionStatus.DRAFT


def test_an_online_session_is_not_bound_by_a_venue_capacity(app, plan):
    services.create_session(plan(at(TUESDAY, 19, 30), format=ONLINE, capacity=250))

    assert [s.capacity for s in stored()] == [250]


def test_the_capacity_cannot_drop_below_the_seats_already_taken(app, published):
    published.seats_taken = 12  # as if twelve people had registered
    db.session.commit()
    data = services.session_data_from(published)

    with pytest.raises(DomainError) as caught:
        services.update_session(published, replace(data, capacity=11))

    assert str(caught.value) == "Er zijn al 12 plaatsen ingenomen; de capaciteit kan niet lager."
    assert [s.capacity for s in stored()] == [20]
    services.update_session(published, replace(data, capacity=12))
    assert [s.capacity for s in stored()] == [12]


# --------------------------------------------------------------------------- presenters and venues


def test_a_presenter_cannot_present_two_overlapping_sessions(app, plan, other_venue):
    services.create_session(plan(at(TUESDAY, 19, 30)))

    with pytest.raises(DomainError) as caught:
        services.create_session(plan(at(TUESDAY, 20, 0), at_venue=other_venue))

    assert str(caught.value) == (
        "Els Peeters presenteert dan al een andere sessie (dinsdag 9 maart 2027, 19:30); tussen twee "
        "sessies ter plaatse is minstens 30 minuten nodig om te verplaatsen."
    )
    assert caught.value.field == "presenter_ids"
    assert len(stored()) == 1


def test_overlapping_online_sessions_of_one_presenter_are_refused_without_travel_talk(app, plan):
    services.create_session(plan(at(TUESDAY, 19, 30), format=ONLINE))

    with pytest.raises(DomainError) as caught:
        services.create_session(plan(at(TUESDAY, 21, 0), format=ONLINE))

    assert (
        str(caught.value) == "Els Peeters presenteert dan al een andere sessie (dinsdag 9 maart 2027, 19:30)."
    )
    assert len(stored()) == 1


@pytest.mark.parametrize(
    ("first", "second", "gap", "accepted"),
    [
        (ON_SITE, ON_SITE, 29, False),
        (ON_SITE, ON_SITE, 30, True),
        (HYBRID, ON_SITE, 29, False),  # a hybrid session has the presenter in the room too
        (ON_SITE, HYBRID, 30, True),
        (ONLINE, ON_SITE, 0, True),  # presenting online needs no travel: back to back is fine
        (ON_SITE, ONLINE, 0, True),
        (ONLINE, ONLINE, 0, True),
        (ONLINE, ON_SITE, -1, False),  # but never two at once
    ],
)
def test_a_presenter_needs_thirty_minutes_between_two_sessions_on_site(
    app, plan, other_venue, first, second, gap, accepted
):
    earlier = services.create_session(plan(at(TUESDAY, 17, 0), format=first))  # 17:00-19:00
    later = plan(earlier.ends_at + timedelta(minutes=gap), format=second, at_venue=other_venue)

    if accepted:
        services.create_session(later)
        assert len(stored()) == 2
    else:
        with pytest.raises(DomainError, match="Els Peeters presenteert dan al een andere sessie"):
            services.create_session(later)
        assert len(stored()) == 1


def test_the_travel_margin_also_applies_before_an_existing_session(app, plan, other_venue):
    services.create_session(plan(at(TUESDAY, 19, 30)))

    with pytest.raises(DomainError, match="minstens 30 minuten"):
        services.create_session(plan(at(TUESDAY, 17, 1), at_venue=other_venue))  # ends 19:01 + 29'
    services.create_session(plan(at(TUESDAY, 17, 0), at_venue=other_venue))  # ends 19:00
    assert len(stored()) == 2


def test_a_venue_cannot_host_two_overlapping_sessions(app, plan, make_user):
    services.create_session(plan(at(TUESDAY, 19, 30)))
    colleague = make_user(Role.EXPERT, name="Youssef El Amrani")

    with pytest.raises(DomainError) as caught:
        services.create_session(plan(at(TUESDAY, 21, 0), presenters=[colleague]))

    assert str(caught.value) == (
        "Deze locatie is dan al geboekt voor een andere infosessie (dinsdag 9 maart 2027, 19:30)."
    )
    assert caught.value.field == "venue_id"
    assert len(stored()) == 1


def test_a_cancelled_session_frees_its_venue_and_its_presenter(app, plan):
    first = services.create_session(plan(at(TUESDAY, 19, 30)))
    services.cancel_session(first, "De zaal is onder water gelopen.")

    services.create_session(plan(at(TUESDAY, 19, 30)))

    assert [s.status for s in stored()] == [SessionStatus.CANCELLED, SessionStatus.DRAFT]


# --------------------------------------------------------------------------- holidays


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (
            at(date(2027, 12, 25), 10, 0),
            "zaterdag 25 december 2027, 10:00 is een feestdag (Kerstmis). "
            "Bevestig als je toch op die dag wilt plannen.",
        ),
        (  # 31 October 23:30 UTC: the holiday is judged on the Brussels calendar
            at(date(2027, 11, 1), 0, 30),
            "maandag 1 november 2027, 00:30 is een feestdag (Allerheiligen). "
            "Bevestig als je toch op die dag wilt plannen.",
        ),
    ],
)
def test_a_public_holiday_asks_for_confirmation(app, plan, starts_at, message):
    with pytest.raises(HolidayWarning) as caught:
        services.create_session(plan(starts_at, allow_holiday=False))

    assert str(caught.value) == message
    assert caught.value.field == "allow_holiday"
    assert stored() == []


def test_a_confirmed_public_holiday_is_planned(app, plan):
    services.create_session(plan(at(date(2027, 12, 25), 10, 0), allow_holiday=True))

    assert len(stored()) == 1


# --------------------------------------------------------------------------- publishing and status


@pytest.mark.parametrize(
    ("format", "with_venue", "meeting_url", "message", "field"),
    [
        (
            ON_SITE,
            False,
            None,
            "Een sessie ter plaatse kan pas gepubliceerd worden met een locatie.",
            "venue_id",
        ),
        (
            HYBRID,
            False,
            LINK,
            "Een sessie ter plaatse kan pas gepubliceerd worden met een locatie.",
            "venue_id",
        ),
        (
            HYBRID,
            True,
            None,
            "Een online sessie kan pas gepubliceerd worden met een vergaderlink.",
            "meeting_url",
        ),
        (
            ONLINE,
            False,
            None,
            "Een online sessie kan pas gepubliceerd worden met een vergaderlink.",
            "meeting_url",
        ),
    ],
    ids=["on-site-without-venue", "hybrid-without-venue", "hybrid-without-link", "online-without-link"],
)
def test_publishing_needs_a_venue_on_site_and_a_link_online(
    app, plan, format, with_venue, meeting_url, message, field
):
    draft = services.create_session(
        plan(
            at(days_ahead(21), 19, 30),
            format=format,
            at_venue=DEFAULT if with_venue else None,
            meeting_url=meeting_url,
        )
    )

    with pytest.raises(DomainError) as caught:
        services.publish_session(draft)

    assert (str(caught.value), caught.value.field) == (message, field)
    assert [(s.status, s.published_at) for s in stored()] == [(SessionStatus.DRAFT, None)]


def test_publishing_puts_a_draft_in_the_catalogue(app, plan):
    draft = services.create_session(plan(at(days_ahead(21), 19, 30)))
    assert services.list_catalogue(CatalogueFilters()).items == []

    services.publish_session(draft)

    [session] = stored()
    assert session.status == SessionStatus.PUBLISHED and session.published_at is not None
    assert services.list_catalogue(CatalogueFilters()).items == [session]


def test_a_session_in_the_past_cannot_be_published(app, plan):
    draft = held(plan, SessionStatus.DRAFT)

    with pytest.raises(DomainError) as caught:
        services.publish_session(draft)

    assert str(caught.value) == "Een sessie in het verleden kan niet gepubliceerd worden."
    assert [s.status for s in stored()] == [SessionStatus.DRAFT]


def test_a_published_session_is_completed_once_it_has_started(app, plan):
    session = held(plan)

    services.complete_session(session)

    assert [s.status for s in stored()] == [SessionStatus.COMPLETED]


def test_a_session_cannot_be_completed_before_it_starts(app, published):
    with pytest.raises(DomainError) as caught:
        services.complete_session(published)

    assert str(caught.value) == "Een sessie kan pas afgerond worden als ze begonnen is."
    assert [s.status for s in stored()] == [SessionStatus.PUBLISHED]


def test_a_draft_cannot_be_completed(app, plan):
    draft = held(plan, SessionStatus.DRAFT)

    with pytest.raises(DomainError) as caught:
        services.complete_session(draft)

    assert str(caught.value) == "Dit kan niet: de sessie is een ontwerp."
    assert [s.status for s in stored()] == [SessionStatus.DRAFT]


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_cancelling_needs_a_reason(app, published, reason):
    with pytest.raises(DomainError) as caught:
        services.cancel_session(published, reason)

    assert str(caught.value) == "Geef een reden op; de ingeschrevenen krijgen ze te lezen."
    assert caught.value.field == "reason"
    assert [(s.status, s.cancel_reason) for s in stored()] == [(SessionStatus.PUBLISHED, None)]


def test_a_cancelled_session_keeps_its_reason_and_leaves_the_catalogue(app, published):
    services.cancel_session(published, "  De presentator is ziek.  ")

    [session] = stored()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "De presentator is ziek.")
    assert session.sequence == 1  # subscribed calendars strike it out
    assert services.list_catalogue(CatalogueFilters()).items == []


def _publish(session, data):
    services.publish_session(session)


def _cancel(session, data):
    services.cancel_session(session, "Nog eens annuleren.")


def _complete(session, data):
    services.complete_session(session)


def _update(session, data):
    services.update_session(session, replace(data, title="Een nieuwe titel"))


FINISHED = "Een afgelopen of geannuleerde sessie kan niet meer gewijzigd worden."


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("completed", _cancel, "Dit kan niet: de sessie is afgerond."),
        ("completed", _complete, "Dit kan niet: de sessie is afgerond."),
        ("completed", _update, FINISHED),
        ("cancelled", _publish, "Dit kan niet: de sessie is geannuleerd."),
        ("cancelled", _cancel, "Dit kan niet: de sessie is geannuleerd."),
        ("cancelled", _update, FINISHED),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_completed_or_cancelled_session_cannot_change(app, plan, published, state, action, message):
    if state == "completed":
        session = services.complete_session(held(plan))
    else:
        session = services.cancel_session(published, "De zaal is niet beschikbaar.")
    data = services.session_data_from(session)
    before = (session.status, session.title, session.cancel_reason, session.sequence)

    with pytest.raises(DomainError) as caught:
        action(session, data)

    assert str(caught.value) == message
    [after] = [s for s in stored() if s.id == session.id]
    assert (after.status, after.title, after.cancel_reason, after.sequence) == before


# --------------------------------------------------------------------------- rules read under the lock


def meanwhile(session: InfoSession, **values) -> None:
    """Another expert's request changes the session and commits, after this request read it."""
    with db.engine.begin() as other:
        other.execute(update(InfoSession).where(InfoSession.id == session.id).values(**values))


def test_publishing_reads_the_status_under_the_lock(app, plan):
    draft = services.create_session(plan(at(days_ahead(21), 19, 30)))
    assert draft.status == SessionStatus.DRAFT  # this request has read it
    meanwhile(draft, status=SessionStatus.CANCELLED, cancel_reason="De zaal brandde af.")

    with pytest.raises(DomainError) as caught:
        services.publish_session(draft)

    assert str(caught.value) == "Dit kan niet: de sessie is geannuleerd."
    [after] = stored()
    assert (after.status, after.published_at) == (SessionStatus.CANCELLED, None)


def test_rescheduling_reads_the_status_under_the_lock(app, published, received):
    moves = received(signals.session_rescheduled)
    data = services.session_data_from(published)
    meanwhile(published, status=SessionStatus.CANCELLED, cancel_reason="De zaal brandde af.")

    with pytest.raises(DomainError) as caught:
        services.update_session(published, replace(data, starts_at=data.starts_at + timedelta(hours=1)))

    assert str(caught.value) == FINISHED
    [after] = stored()
    assert (after.status, after.starts_at, after.sequence) == (SessionStatus.CANCELLED, data.starts_at, 0)
    assert moves == []


def test_cancelling_reads_the_status_under_the_lock(app, plan, received):
    session = held(plan)
    assert session.status == SessionStatus.PUBLISHED
    cancellations = received(signals.session_cancelled)
    meanwhile(session, status=SessionStatus.COMPLETED)

    with pytest.raises(DomainError) as caught:
        services.cancel_session(session, "De presentator is ziek.")

    assert str(caught.value) == "Dit kan niet: de sessie is afgerond."
    assert [(s.status, s.cancel_reason) for s in stored()] == [(SessionStatus.COMPLETED, None)]
    assert cancellations == []


def test_completing_reads_the_start_under_the_lock(app, plan):
    session = held(plan)
    assert session.starts_at < utcnow()  # started, as this request read it
    later = utcnow() + timedelta(days=7)
    meanwhile(session, starts_at=later, ends_at=later + timedelta(hours=2))

    with pytest.raises(DomainError) as caught:
        services.complete_session(session)

    assert str(caught.value) == "Een sessie kan pas afgerond worden als ze begonnen is."
    assert [s.status for s in stored()] == [SessionStatus.PUBLISHED]


def test_a_state_change_refuses_to_commit_what_the_caller_left_pending(app, published):
    """The lock is taken before anything changes: a caller's unsaved edit is not committed by it."""
    published.title = "Half bewerkt"

    with pytest.raises(PendingWork):
        services.cancel_session(published, "De presentator is ziek.")

    [after] = stored()
    assert (after.status, after.title) == (SessionStatus.PUBLISHED, None)


# --------------------------------------------------------------------------- changes and calendars


@pytest.mark.parametrize(
    ("change", "sequence"),
    [
        (lambda data, venue: replace(data, starts_at=data.starts_at + timedelta(hours=1)), 1),
        (lambda data, venue: replace(data, ends_at=data.ends_at + timedelta(minutes=30)), 1),
        (lambda data, venue: replace(data, venue_id=venue.id), 1),
        (lambda data, venue: replace(data, format=HYBRID, meeting_url=LINK), 1),
        (lambda data, venue: replace(data, title="Gezinsopvang of groepsopvang?"), 0),
        (lambda data, venue: replace(data, capacity=30), 0),
    ],
    ids=["later-start", "later-end", "other-venue", "now-hybrid", "new-title", "more-seats"],
)
def test_a_change_of_time_or_place_raises_the_calendar_sequence(
    app, published, other_venue, change, sequence
):
    services.update_session(published, change(services.session_data_from(published), other_venue))

    assert [s.sequence for s in stored()] == [sequence]


def test_an_update_that_breaks_a_rule_changes_nothing(app, published):
    data = services.session_data_from(published)

    with pytest.raises(DomainError, match="Het einde moet na het begin liggen."):
        services.update_session(published, replace(data, title="Nieuw", ends_at=data.starts_at))

    [session] = stored()
    assert (session.title, session.ends_at, session.sequence) == (None, data.ends_at, 0)


@pytest.fixture
def received(app):
    """Registers a receiver on a signal of the test's app; returns what it received."""
    calls: list[tuple[InfoSession, dict]] = []

    def listen(signal):
        def receiver(sender, **kwargs):
            calls.append((sender, kwargs))

        signal.register(app, receiver)
        return calls

    return listen


@pytest.mark.parametrize(
    ("change", "changes"),
    [
        (lambda data, venue: replace(data, starts_at=data.starts_at + timedelta(hours=1)), {"time"}),
        (lambda data, venue: replace(data, venue_id=venue.id), {"place"}),
        (
            lambda data, venue: replace(
                data, venue_id=venue.id, starts_at=data.starts_at - timedelta(minutes=30)
            ),
            {"time", "place"},
        ),
    ],
    ids=["time", "place", "both"],
)
def test_rescheduling_a_published_session_tells_the_registrants(
    app, published, other_venue, received, change, changes
):
    calls = received(signals.session_rescheduled)

    services.update_session(published, change(services.session_data_from(published), other_venue))

    assert calls == [(published, {"changes": changes})]


def test_a_new_title_or_a_draft_reschedule_tells_nobody(app, plan, published, received):
    calls = received(signals.session_rescheduled)
    draft = services.create_session(plan(at(days_ahead(60), 19, 30)))

    services.update_session(published, replace(services.session_data_from(published), title="Nieuw"))
    data = services.session_data_from(draft)
    services.update_session(draft, replace(data, starts_at=data.starts_at + timedelta(hours=1)))

    assert calls == []


def test_cancelling_a_published_session_tells_the_registrants(app, plan, published, received):
    calls = received(signals.session_cancelled)
    draft = services.create_session(plan(at(days_ahead(60), 19, 30)))

    services.cancel_session(published, "De presentator is ziek.")
    services.cancel_session(draft, "Dubbel gepland.")

    assert calls == [(published, {})]
    [(sender, _)] = calls
    assert (sender.status, sender.cancel_reason) == (SessionStatus.CANCELLED, "De presentator is ziek.")


@pytest.mark.parametrize(("capacity", "expected"), [(30, [{"old_capacity": 20}]), (15, []), (20, [])])
def test_raising_the_capacity_lets_the_waiting_list_move(app, published, received, capacity, expected):
    calls = received(signals.session_capacity_raised)

    services.update_session(published, replace(services.session_data_from(published), capacity=capacity))

    assert [kwargs for _, kwargs in calls] == expected


# --------------------------------------------------------------------------- evening and weekend


@pytest.mark.parametrize(
    ("day", "clock", "evening", "weekend"),
    [
        (TUESDAY, time(18, 0), True, False),
        (TUESDAY, time(17, 59), False, False),
        (TUESDAY, time(19, 30), True, False),
        (date(2027, 3, 13), time(9, 30), False, True),  # Saturday morning
        (date(2027, 3, 14), time(19, 0), True, True),  # Sunday evening
        (date(2027, 7, 13), time(18, 0), True, False),  # summer time: 16:00 UTC is evening here
        (date(2027, 7, 13), time(17, 59), False, False),
        (date(2027, 3, 28), time(18, 0), True, True),  # the day the clocks go forward
        (date(2027, 10, 31), time(17, 59), False, True),  # the day the clocks go back
        (date(2027, 1, 16), time(0, 30), False, True),  # Saturday 00:30 here is Friday in UTC
    ],
)
def test_evening_and_weekend_follow_the_brussels_clock(app, plan, day, clock, evening, weekend):
    session = services.create_session(plan(from_local(day, clock)))

    assert (session.is_evening, session.is_weekend) == (evening, weekend)
    [stored_session] = stored()
    assert (stored_session.is_evening, stored_session.is_weekend) == (evening, weekend)


def test_moving_a_session_to_the_evening_updates_the_flag(app, published):
    data = services.session_data_from(published)
    morning = from_local(local(data.starts_at).date(), time(9, 30))

    services.update_session(published, replace(data, starts_at=morning, ends_at=morning + timedelta(hours=2)))

    assert [s.is_evening for s in stored()] == [False]


@pytest.mark.parametrize(
    ("day", "utc_hours"),
    [
        (date(2027, 3, 23), (18, 17)),  # clocks go forward on 28 March
        (date(2027, 10, 26), (17, 18)),  # clocks go back on 31 October
    ],
    ids=["spring", "autumn"],
)
def test_a_duplicate_a_week_later_keeps_the_clock_time_across_dst(app, plan, day, utc_hours):
    original = services.create_session(plan(at(day, 19, 30), capacity=25))

    copy = services.duplicate_session(original)

    assert local(copy.starts_at).replace(tzinfo=None) == datetime.combine(
        day + timedelta(weeks=1), time(19, 30)
    )
    assert local(copy.ends_at).time() == time(21, 30)
    assert (original.starts_at.hour, copy.starts_at.astimezone(UTC).hour) == utc_hours
    assert copy.status == SessionStatus.DRAFT and copy.id != original.id
    assert (copy.venue_id, copy.capacity, copy.presenters) == (original.venue_id, 25, original.presenters)
    assert len(stored()) == 2


# --------------------------------------------------------------------------- the catalogue


@pytest.fixture
def catalogue(make_topic, make_venue, make_user):
    """Four published sessions (and a draft and a cancelled one nobody should see), by title."""
    starten = make_topic("Kinderopvang starten: van idee tot vergunning")
    keuze = make_topic("Gezinsopvang of groepsopvang?")
    presenter = make_user(Role.EXPERT, name="Els Peeters")
    gent, hasselt, leuven = make_venue("9000"), make_venue("3500"), make_venue("3000")

    def make(title, day, hour, minute, *, topic=starten, format=ON_SITE, venue=None, status="published"):
        data = SessionData(
            topic_id=topic.id,
            title=title,
            format=format,
            starts_at=at(day, hour, minute),
            ends_at=at(day, hour, minute) + timedelta(hours=2),
            capacity=20,
            presenter_ids=[presenter.id],
            venue_id=venue.id if venue else None,
            meeting_url=LINK if format.needs_link else None,
            allow_holiday=True,
        )
        session = services.create_session(data)
        if status != "draft":
            services.publish_session(session)
        if status == "cancelled":
            services.cancel_session(session, "Te weinig inschrijvingen.")
        return session

    make("Gent avond", days_ahead(14, weekday=1), 19, 30, venue=gent)
    make("Hasselt zaterdag", days_ahead(14, weekday=5), 9, 30, topic=keuze, venue=hasselt)
    make("Online namiddag", days_ahead(14, weekday=2), 14, 0, format=ONLINE)
    make("Leuven hybride", days_ahead(14, weekday=3), 19, 0, format=HYBRID, venue=leuven)
    make("Gent ontwerp", days_ahead(21, weekday=1), 19, 30, venue=gent, status="draft")
    make("Gent geannuleerd", days_ahead(28, weekday=1), 19, 30, venue=gent, status="cancelled")


def _filter_id(filters: CatalogueFilters) -> str:
    chosen = {"province": filters.province, "format": filters.format, "moment": filters.moment}
    chosen["topic"] = filters.topic
    return "+".join(str(value) for value in chosen.values() if value) or "no-filter"


EVERY_PUBLISHED = {"Gent avond", "Hasselt zaterdag", "Online namiddag", "Leuven hybride"}


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        (CatalogueFilters(), EVERY_PUBLISHED),
        (CatalogueFilters(province="oost-vlaanderen"), {"Gent avond"}),
        (CatalogueFilters(province="limburg"), {"Hasselt zaterdag"}),
        (CatalogueFilters(province="vlaams-brabant"), {"Leuven hybride"}),
        (CatalogueFilters(province="brussel"), set()),
        (CatalogueFilters(format=ON_SITE), {"Gent avond", "Hasselt zaterdag"}),
        (CatalogueFilters(format=ONLINE), {"Online namiddag", "Leuven hybride"}),  # hybrid: also online
        (CatalogueFilters(format=HYBRID), {"Leuven hybride"}),
        (CatalogueFilters(moment="evening"), {"Gent avond", "Leuven hybride"}),
        (CatalogueFilters(moment="weekend"), {"Hasselt zaterdag"}),
        (CatalogueFilters(topic="gezinsopvang-of-groepsopvang"), {"Hasselt zaterdag"}),
        (CatalogueFilters(topic="bestaat-niet"), set()),
        (CatalogueFilters(province="oost-vlaanderen", moment="weekend"), set()),
        (CatalogueFilters(format=ON_SITE, moment="evening"), {"Gent avond"}),
    ],
    ids=lambda value: _filter_id(value) if isinstance(value, CatalogueFilters) else None,
)
def test_the_catalogue_shows_the_published_sessions_matching_the_filters(app, catalogue, filters, titles):
    page = services.list_catalogue(filters)

    assert {s.title for s in page.items} == titles
    assert page.total == len(titles)
    assert [s.starts_at for s in page.items] == sorted(s.starts_at for s in page.items)


def test_the_month_filter_follows_the_brussels_calendar(app, make_session):
    month = days_ahead(40).replace(day=1)
    last_of_previous = month - timedelta(days=1)
    following = (month + timedelta(days=31)).replace(day=1)
    sessions = {  # without presenters, so no travel rule gets in the way of the night slots
        # 00:30 on the 1st is still the evening before in UTC: it belongs to `month` all the same
        "first-night": make_session(starts_at=at(month, 0, 30), minutes=60, presenters=[]),
        "month-last-evening": make_session(
            starts_at=at(following - timedelta(days=1), 23, 30), minutes=60, presenters=[]
        ),
        "previous-month": make_session(starts_at=at(last_of_previous, 22, 0), minutes=60, presenters=[]),
        "next-month": make_session(starts_at=at(following, 0, 30), minutes=60, presenters=[]),
    }
    assert sessions["first-night"].starts_at.date() == last_of_previous  # the trap: UTC says otherwise

    def titles(first_day):
        page = services.list_catalogue(CatalogueFilters(month=first_day))
        return {name for name, session in sessions.items() if session in page.items}

    assert titles(month) == {"first-night", "month-last-evening"}
    assert titles(last_of_previous.replace(day=1)) == {"previous-month"}
    assert titles(following) == {"next-month"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"provincie": "limburg"}, {"province": "limburg"}),
        ({"provincie": "brussel"}, {"province": "brussel"}),
        ({"formaat": "ter-plaatse"}, {"format": ON_SITE}),
        ({"formaat": "online"}, {"format": ONLINE}),
        ({"formaat": "hybride"}, {"format": HYBRID}),
        ({"moment": "avond"}, {"moment": "evening"}),
        ({"moment": "weekend"}, {"moment": "weekend"}),
        ({"thema": "het-starterstraject-uitgelegd"}, {"topic": "het-starterstraject-uitgelegd"}),
        ({"maand": "2027-03"}, {"month": date(2027, 3, 1)}),
        ({"provincie": "", "formaat": " ", "maand": ""}, {}),
        (
            {"provincie": "oost-vlaanderen", "formaat": "online", "moment": "avond", "maand": "2027-12"},
            {
                "province": "oost-vlaanderen",
                "format": ONLINE,
                "moment": "evening",
                "month": date(2027, 12, 1),
            },
        ),
    ],
)
def test_the_catalogue_reads_the_dutch_filter_names(args, expected):
    filters = CatalogueFilters.from_args(args)

    assert filters == CatalogueFilters(**expected)
    assert filters.invalid == ()


@pytest.mark.parametrize(
    ("args", "invalid"),
    [
        ({"provincie": "namen"}, ("provincie",)),
        ({"formaat": "on_site"}, ("formaat",)),  # the API's English value is not the page's
        ({"moment": "ochtend"}, ("moment",)),
        ({"maand": "2027-13"}, ("maand",)),
        ({"maand": "maart"}, ("maand",)),
        ({"maand": "2027-3"}, ("maand",)),
        (
            {"provincie": "henegouwen", "formaat": "fysiek", "moment": "nacht", "maand": "volgende"},
            ("provincie", "formaat", "moment", "maand"),
        ),
    ],
)
def test_unknown_filter_values_are_ignored_and_named(args, invalid):
    filters = CatalogueFilters.from_args(args)

    assert filters.invalid == invalid
    assert (filters.province, filters.format, filters.moment, filters.month) == (None, None, None, None)


def test_the_api_reads_the_english_filter_names():
    args = {"province": "limburg", "format": "on_site", "moment": "evening", "topic": "x", "month": "2027-03"}

    filters = CatalogueFilters.from_args(args, api=True)

    assert filters == CatalogueFilters("limburg", ON_SITE, "evening", "x", date(2027, 3, 1))
    assert CatalogueFilters.from_args({"formaat": "ter-plaatse"}, api=True) == CatalogueFilters()
    assert CatalogueFilters.from_args({"format": "ter-plaatse"}, api=True).invalid == ("format",)


def test_dutch_filters_from_a_link_find_the_saturday_in_limburg(app, catalogue):
    filters = CatalogueFilters.from_args(
        {"provincie": "limburg", "moment": "weekend", "formaat": "ter-plaatse"}
    )

    assert [s.title for s in services.list_catalogue(filters).items] == ["Hasselt zaterdag"]
