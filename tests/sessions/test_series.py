"""Planning a series of sessions: the dates, the public holidays and conflicts skipped with a
reason, the Brussels clock across the DST switch, and nothing written before the expert confirms.

The 2027 calendar facts used here are fixed (Easter Monday on 29 March, 1 May on a Saturday, …),
so the planner's clock is pinned to 1 December 2026: otherwise these dates would drift into the
past and be skipped as such. Only "now" is pinned; every rule runs for real.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db
from app.timezone import from_local, local
from sessions import services
from sessions.models import InfoSession, SessionFormat, SessionStatus
from sessions.services import SeriesRule, SessionData, planning, series

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
JANUARY_TO_JUNE = {"first_day": date(2027, 1, 1), "last_day": date(2027, 6, 30)}


@pytest.fixture(autouse=True)
def planning_on_1_december_2026(monkeypatch):
    for module in (series, planning):
        monkeypatch.setattr(module, "utcnow", lambda: NOW)


@pytest.fixture
def expert(make_user):
    return make_user(Role.EXPERT, name="Els Peeters")


@pytest.fixture
def venue(make_venue):
    return make_venue(postcode="9000", capacity=40, name="De Centrale")


@pytest.fixture
def template(make_topic, venue, expert):
    """What the expert filled in once: topic, place, presenter, seats and a 2-hour slot."""
    topic = make_topic("Kinderopvang starten: van idee tot vergunning")
    starts_at = from_local(date(2027, 1, 12), time(19, 30))
    return SessionData(
        topic_id=topic.id,
        format=SessionFormat.ON_SITE,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=25,
        presenter_ids=[expert.id],
        venue_id=venue.id,
    )


def every_second_tuesday(**kw) -> SeriesRule:
    """Every second Tuesday at 19:30 from January to June 2027."""
    fields = {"pattern": "weekly", "weekday": 1, "at": time(19, 30), "interval": 2, **JANUARY_TO_JUNE}
    return SeriesRule(**(fields | kw))


def first_saturday(**kw) -> SeriesRule:
    """The first Saturday of each month at 09:30, January to June 2027."""
    fields = {"pattern": "monthly", "weekday": 5, "nth": 1, "at": time(9, 30), **JANUARY_TO_JUNE}
    return SeriesRule(**(fields | kw))


def local_days(planned) -> list[date]:
    return [local(item.starts_at).date() for item in planned]


def stored_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(InfoSession))


def test_every_second_tuesday_at_half_past_seven_from_january_to_june(app, template):
    planned = services.plan_series(template, every_second_tuesday())

    assert local_days(planned) == [
        date(2027, 1, 12), date(2027, 1, 26), date(2027, 2, 9), date(2027, 2, 23),
        date(2027, 3, 9), date(2027, 3, 23), date(2027, 4, 6), date(2027, 4, 20),
        date(2027, 5, 4), date(2027, 5, 18), date(2027, 6, 1), date(2027, 6, 15),
        date(2027, 6, 29),
    ]  # fmt: skip
    assert {local(item.starts_at).time() for item in planned} == {time(19, 30)}
    assert {local(item.ends_at).time() for item in planned} == {time(21, 30)}
    assert [item.skipped for item in planned] == [None] * 13


def test_the_first_saturday_of_each_month_skips_labour_day(app, template):
    planned = services.plan_series(template, first_saturday())

    assert [(day, item.skipped) for day, item in zip(local_days(planned), planned, strict=True)] == [
        (date(2027, 1, 2), None),
        (date(2027, 2, 6), None),
        (date(2027, 3, 6), None),
        (date(2027, 4, 3), None),
        (date(2027, 5, 1), "feestdag: Dag van de Arbeid"),  # 1 May 2027 is a Saturday
        (date(2027, 6, 5), None),
    ]
    assert {local(item.starts_at).time() for item in planned} == {time(9, 30)}


@pytest.mark.parametrize(
    ("weekday", "first_day", "last_day", "holiday", "name"),
    [
        (0, date(2027, 3, 22), date(2027, 4, 5), date(2027, 3, 29), "Paasmaandag"),
        (0, date(2027, 5, 10), date(2027, 5, 24), date(2027, 5, 17), "Pinkstermaandag"),
        (3, date(2027, 4, 29), date(2027, 5, 13), date(2027, 5, 6), "O.L.H. Hemelvaart"),
        (5, date(2027, 4, 24), date(2027, 5, 8), date(2027, 5, 1), "Dag van de Arbeid"),
    ],
    ids=["easter-monday", "whit-monday", "ascension-thursday", "labour-day-saturday"],
)
def test_a_public_holiday_in_a_weekly_series_is_skipped_and_named(
    app, template, weekday, first_day, last_day, holiday, name
):
    rule = SeriesRule("weekly", weekday, time(19, 30), first_day, last_day)

    planned = services.plan_series(template, rule)

    assert len(planned) == 3
    skipped = {local(item.starts_at).date(): (item.skipped, item.holiday) for item in planned if item.skipped}
    assert skipped == {holiday: (f"feestdag: {name}", name)}
    created = services.create_series(template, rule)
    assert holiday not in {local(s.starts_at).date() for s in created}
    assert len(created) == 2


def test_a_date_that_breaks_a_rule_is_skipped_with_the_reason(
    app, template, venue, expert, make_user, make_topic
):
    colleague = make_user(Role.EXPERT, name="Youssef El Amrani")
    other_topic = make_topic("Het starterstraject uitgelegd")

    def existing(day, hour, *, fmt, presenter, at_venue=None):
        starts_at = from_local(day, time(hour, 0))
        services.create_session(
            SessionData(
                topic_id=other_topic.id,
                format=fmt,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                capacity=20,
                presenter_ids=[presenter.id],
                venue_id=at_venue.id if at_venue else None,
                meeting_url="https://meet.example.com/abc" if fmt.needs_link else None,
            )
        )

    existing(date(2027, 2, 9), 19, fmt=SessionFormat.ON_SITE, presenter=colleague, at_venue=venue)
    existing(date(2027, 2, 23), 20, fmt=SessionFormat.ONLINE, presenter=expert)

    planned = services.plan_series(template, every_second_tuesday())

    skipped = {local(item.starts_at).date(): item.skipped for item in planned if item.skipped}
    assert skipped == {
        date(2027, 2, 9): "Deze locatie is dan al geboekt voor een andere infosessie "
        "(dinsdag 9 februari 2027, 19:00).",
        date(
            2027, 2, 23
        ): "Els Peeters presenteert dan al een andere sessie (dinsdag 23 februari 2027, 20:00).",
    }
    assert all(item.holiday is None for item in planned)


def test_the_clock_time_stays_half_past_seven_across_the_dst_switch(app, template):
    rule = SeriesRule("weekly", 1, time(19, 30), date(2027, 3, 15), date(2027, 4, 7))  # 28 March: DST

    planned = services.plan_series(template, rule)

    assert [(local(p.starts_at).time(), p.starts_at.astimezone(UTC).time()) for p in planned] == [
        (time(19, 30), time(18, 30)),  # 16 March, winter time (UTC+1)
        (time(19, 30), time(18, 30)),  # 23 March
        (time(19, 30), time(17, 30)),  # 30 March, summer time (UTC+2)
        (time(19, 30), time(17, 30)),  # 6 April
    ]
    assert {p.ends_at - p.starts_at for p in planned} == {timedelta(hours=2)}


def test_previewing_a_series_writes_nothing(app, template):
    before = stored_count()

    planned = services.plan_series(template, every_second_tuesday())

    assert planned and stored_count() == before


def test_creating_a_series_makes_exactly_the_dates_not_skipped_as_drafts_of_one_series(
    app, template, make_user, make_topic
):
    colleague = make_user(Role.EXPERT, name="Youssef El Amrani")
    clash = from_local(date(2027, 3, 6), time(9, 0))  # the same venue, on the first Saturday of March
    services.create_session(
        SessionData(
            topic_id=make_topic().id,
            format=SessionFormat.ON_SITE,
            starts_at=clash,
            ends_at=clash + timedelta(hours=2),
            capacity=20,
            presenter_ids=[colleague.id],
            venue_id=template.venue_id,
        )
    )
    planned = services.plan_series(template, first_saturday())
    expected = [item.starts_at for item in planned if not item.skipped]
    assert len(expected) == 4  # 1 May (holiday) and 6 March (venue taken) are skipped

    created = services.create_series(template, first_saturday(), created_by=colleague)

    assert [s.starts_at for s in created] == expected
    series_ids = {s.series_id for s in created}
    assert len(series_ids) == 1 and None not in series_ids
    db.session.rollback()
    in_series = db.session.scalars(
        select(InfoSession).where(InfoSession.series_id.in_(series_ids)).order_by(InfoSession.starts_at)
    ).all()
    assert [s.starts_at for s in in_series] == expected
    assert {s.status for s in in_series} == {SessionStatus.DRAFT}
    assert {(s.venue_id, s.capacity, s.topic_id, s.created_by_id) for s in in_series} == {
        (template.venue_id, 25, template.topic_id, colleague.id)
    }
    assert {tuple(p.id for p in s.presenters) for s in in_series} == {tuple(template.presenter_ids)}
    assert all(s.is_weekend and not s.is_evening for s in in_series)
    assert stored_count() == 1 + 4


def test_a_series_is_published_in_one_go(app, template):
    created = services.create_series(template, every_second_tuesday(last_day=date(2027, 2, 28)))

    published = services.publish_series(created[0].series_id)

    assert len(published) == len(created) == 4
    assert {s.status for s in published} == {SessionStatus.PUBLISHED}


def test_dates_already_past_are_skipped(app, template, monkeypatch):
    monkeypatch.setattr(series, "utcnow", lambda: datetime(2027, 1, 20, 12, 0, tzinfo=UTC))

    planned = services.plan_series(template, every_second_tuesday(last_day=date(2027, 2, 28)))

    assert [(day, p.skipped) for day, p in zip(local_days(planned), planned, strict=True)] == [
        (date(2027, 1, 12), "in het verleden"),
        (date(2027, 1, 26), None),
        (date(2027, 2, 9), None),
        (date(2027, 2, 23), None),
    ]


@pytest.mark.parametrize(
    ("rule", "message", "field"),
    [
        (
            SeriesRule("weekly", 0, time(19, 30), date(2027, 3, 29), date(2027, 3, 29)),
            "Deze reeks levert geen enkele bruikbare datum op.",
            "first_day",
        ),
        (
            SeriesRule("weekly", 1, time(19, 30), date(2027, 6, 1), date(2027, 1, 1)),
            "De einddatum moet na de begindatum liggen.",
            "last_day",
        ),
        (
            SeriesRule("weekly", 1, time(19, 30), date(2027, 1, 1), date(2028, 1, 3)),
            "Een reeks loopt hoogstens één jaar.",
            "last_day",
        ),
        (
            SeriesRule("daily", 1, time(19, 30), date(2027, 1, 1), date(2027, 2, 1)),
            "Kies een herhaling.",
            "pattern",
        ),
    ],
    ids=["only-easter-monday", "ends-before-it-starts", "longer-than-a-year", "unknown-pattern"],
)
def test_a_series_that_cannot_work_is_refused(app, template, rule, message, field):
    with pytest.raises(DomainError) as caught:
        services.create_series(template, rule)

    assert (str(caught.value), caught.value.field) == (message, field)
    assert stored_count() == 0
