"""The reports count what happened: a small history with every kind of registration, read
back through the services, the page (chart and table) and the CSV and XLSX exports."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.i18n import month_name
from app.timezone import from_local, local
from registrations import services as registrations
from registrations.models import ChildcareType, Registration, RegistrationStatus
from reports import aggregates, services
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus
SHIFT = timedelta(days=70)  # ten weeks back: weekdays and hours stay what they were


def _next(weekday: int, hour: int, minute: int = 30) -> datetime:
    day = local(utcnow()).date() + timedelta(days=14)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return from_local(day, time(hour, minute))


@pytest.fixture
def history(app, make_session, make_topic, registration_data):
    """Three sessions, registered for while they were ahead, then held and checked in."""
    family = make_topic("Gezinsopvang starten")
    group = make_topic("Groepsopvang starten")
    evening = make_session(topic=family, starts_at=_next(1, 19), capacity=3)  # a Tuesday evening
    saturday = make_session(topic=group, starts_at=_next(5, 9))
    daytime = make_session(topic=family, starts_at=_next(3, 10))
    people = {
        "an@example.com": (evening, "9000", S.ATTENDED),
        "bram@example.com": (evening, "9000", S.NO_SHOW),
        "chris@example.com": (evening, "2000", S.ATTENDED),
        "dirk@example.com": (evening, "9000", None),  # the session was full: waiting list
        "eva@example.com": (saturday, "3500", S.ATTENDED),
        "fien@example.com": (saturday, "3500", S.NO_SHOW),
        "gert@example.com": (saturday, "3500", None),  # never confirmed
        "hanne@example.com": (daytime, "8000", S.ATTENDED),
    }
    for email, (session, postcode, _after) in people.items():
        registration = registrations.register(
            session.id, registration_data(email, postcode=postcode)
        ).registration
        if email != "gert@example.com":
            registrations.confirm_registration(registration)
    held = [session.starts_at - SHIFT for session in (evening, saturday, daytime)]
    for session in (evening, saturday, daytime):
        db.session.execute(
            update(InfoSession)
            .where(InfoSession.id == session.id)
            .values(
                starts_at=session.starts_at - SHIFT,
                ends_at=session.ends_at - SHIFT,
                status=SessionStatus.COMPLETED,
            )
        )
    for email, (_session, _postcode, after) in people.items():
        if after is not None:
            db.session.execute(update(Registration).where(Registration.email == email).values(status=after))
    db.session.commit()
    starts = [local(starts_at).date().replace(day=1) for starts_at in held]
    return {"van": f"{min(starts):%Y-%m}", "tot": f"{max(starts):%Y-%m}"}


def filters(period: dict, **more) -> services.Filters:
    found, problems = services.Filters.from_args(MultiDict({**period, **more}))
    assert problems == []
    return found


def total(table: services.Table, column: int) -> int:
    return sum(row[column] for row in table.rows)


def by_name(table: services.Table) -> dict[str, list]:
    return {row[0]: row[1:] for row in table.rows}


def test_the_funnel_counts_every_step(history):
    table = services.funnel(filters(history), "month")
    registrations_, confirmed, attended, leads, dossiers, decisions = (total(table, i) for i in range(1, 7))
    assert (registrations_, confirmed, attended) == (8, 6, 4)
    assert (leads, dossiers, decisions) == (0, 0, 0)
    assert len(table.rows) == len(services.Filters.from_args(MultiDict(history))[0].months)


@pytest.fixture
def decided(history, make_user):
    """Every confirmed address became a lead (a catch-all rule, applied to the past); An's lead
    became a dossier that reached the decision."""
    from dossiers import services as dossiers
    from dossiers.leads import capture
    from dossiers.leads.models import Lead, LeadTrigger
    from dossiers.models import DossierState, ProposalOutcome
    from tests.support.dossiers import approve_all

    rule = capture.save_rule(None, capture.RuleData(name="Iedereen", trigger=LeadTrigger.REGISTRATION))
    capture.backfill(rule.id)
    staff = make_user(Role.STAFF)
    lead = db.session.scalar(select(Lead).where(Lead.email == "an@example.com"))
    data = replace(
        dossiers.data_from_lead(lead),
        childcare_type=ChildcareType.GEZINSOPVANG,
        planned_places=8,
        street="Kouter 1",
        enterprise_number="0566.988.259",
        is_21_or_older=True,
    )
    dossier = dossiers.create_dossier(data, by=staff, lead=lead)
    approve_all(dossier, staff)
    for state in ("documents", "completeness_check", "analysis", "decision_proposal"):
        dossiers.change_state(dossier, state, by=staff)
    dossiers.save_proposal(
        dossier, analysis="In orde.", outcome=ProposalOutcome.FAVOURABLE, text="Toekennen.", by=staff
    )
    dossiers.change_state(dossier, DossierState.DECISION, by=staff)
    return history


def test_the_funnel_follows_people_into_leads_dossiers_and_decisions(decided):
    table = services.funnel(filters(decided), "month")
    assert [total(table, i) for i in (4, 5, 6)] == [7, 1, 1]  # every confirmed address; An
    times = by_name(services.lead_times(filters(decided)))
    assert times["Van eerste sessie tot dossier"][0] == 1
    assert times["Van dossier tot beslissing"] == [1, 0.0]


def test_the_funnel_per_province_and_type_and_the_province_filter(history):
    per_province = by_name(services.funnel(filters(history), "province"))
    assert per_province["Oost-Vlaanderen"][:3] == [3, 2, 1]
    assert per_province["Antwerpen"][:3] == [1, 1, 1]
    assert per_province["Limburg"][:3] == [3, 2, 1]
    assert per_province["West-Vlaanderen"][:3] == [1, 1, 1]
    per_type = services.funnel(filters(history), "childcare_type")
    assert total(per_type, 1) == 8
    only_antwerp = services.funnel(filters(history, provincie="antwerpen"), "month")
    assert [total(only_antwerp, i) for i in (1, 2, 3)] == [1, 1, 1]


def test_evening_and_weekend_against_daytime(history):
    rows = by_name(services.moments(filters(history)))
    assert rows["Avond (vanaf 18 uur)"] == [1, 33.3, 2, 1, 66.7]
    assert rows["Weekend"] == [1, 33.3, 1, 1, 50.0]
    assert rows["Overdag, weekdag"] == [1, 33.3, 1, 0, 100.0]


def test_no_shows_and_waiting_list_pressure_per_topic(history):
    no_shows = by_name(services.no_shows(filters(history)))
    assert no_shows["Gezinsopvang starten"] == [3, 1, 25.0]
    assert no_shows["Groepsopvang starten"] == [1, 1, 50.0]
    pressure = services.waitlist_pressure(filters(history))
    assert pressure.rows[0] == ["Gezinsopvang starten", 2, 23, 1, 1, 4.3]
    assert by_name(pressure)["Groepsopvang starten"][2:] == [0, 0, 0.0]


def test_the_topic_filter(history):
    table = services.funnel(filters(history, thema="groepsopvang-starten"), "month")
    assert [total(table, i) for i in (1, 2, 3)] == [3, 2, 1]


def test_the_page_shows_each_chart_with_its_numbers(client, login, history):
    login(Role.STAFF)
    response = client.get("/beheer/rapporten/", query_string=history)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = [table for table in services.all_reports(filters(history)) if not table.empty]
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == len(shown)
    assert '<title id="grafiek-momenten-title">Avond- en weekendsessies tegenover overdag</title>' in html
    assert "66,7" in html  # the evening attendance rate, in the table beside the chart


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"van": "2027-13"}, "Een maand schrijf je als JJJJ-MM"),
        ({"van": "2027-05", "tot": "2027-01"}, "De periode begint na haar einde"),
        ({"provincie": "henegouwen"}, "Onbekende provincie"),
        ({"van": "2020-01", "tot": "2027-01"}, "hoogstens 36 maanden"),
        ({"van": "0000-01"}, "Een maand schrijf je als JJJJ-MM"),
        ({"van": "0001-01", "tot": "0001-12"}, "Een maand schrijf je als JJJJ-MM"),
        ({"tot": "9999-12"}, "Een maand schrijf je als JJJJ-MM"),
    ],
)
def test_bad_filters_get_a_message_not_an_error(client, login, query, message):
    login(Role.EXPERT)
    response = client.get("/beheer/rapporten/", query_string=query)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_every_report_exports_to_csv_and_xlsx_with_the_same_numbers(client, login, history):
    login(Role.ADMIN)
    for slug, build in services.REPORTS.items():
        table = build(filters(history))
        response = client.get(f"/beheer/rapporten/{slug}.csv", query_string=history)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == len(table.rows) + 1
        assert [row[0] for row in rows[1:]] == [str(row[0]) for row in table.rows]
        response = client.get(f"/beheer/rapporten/{slug}.xlsx", query_string=history)
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        assert [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == table.rows
    assert client.get("/beheer/rapporten/bestaat-niet.csv").status_code == 404


def test_reports_are_for_staff_only(client):
    response = client.get("/beheer/rapporten/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_month_filter_defaults_to_the_last_twelve_months():
    found, problems = services.Filters.from_args(MultiDict(), today=date(2027, 3, 15))
    assert problems == [] and (found.start, found.end) == (date(2026, 4, 1), date(2027, 3, 1))


def chart_of(html: str, slug: str) -> str:
    return re.search(rf'<section id="{slug}".*?</svg></figure>', html, re.S).group(0)


def categories(svg: str) -> list[str]:
    labels = re.findall(r'<text class="chart-label">(.*?)</text>', svg)
    return [" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", label)) for label in labels]


def test_each_funnel_chart_draws_its_own_dimension(client, login, history):
    login(Role.STAFF)
    html = client.get("/beheer/rapporten/", query_string=history).get_data(as_text=True)
    months = [month_name(m) for m in filters(history).months]
    assert categories(chart_of(html, "trechter-month")) == months
    assert categories(chart_of(html, "trechter-province")) == [
        "Antwerpen",
        "Limburg",
        "Oost-Vlaanderen",
        "West-Vlaanderen",
    ]
    assert categories(chart_of(html, "trechter-childcare_type")) == ["Nog niet zeker"]
    province = chart_of(html, "trechter-province")
    values = re.findall(r'class="chart-value"[^>]*>([^<]*)<', province)
    # Per province: registrations, attended, dossiers (Oost-Vlaanderen: three registered, one came).
    assert values == ["1", "1", "0", "3", "1", "0", "3", "1", "0", "1", "1", "0"]
    for series in ("Inschrijvingen", "Aanwezig", "Dossier"):
        assert f"</svg>{series}</li>" in province  # the legend names every series


def test_every_table_scrolls_inside_its_card_in_a_labelled_focusable_region(client, login, history):
    login(Role.STAFF)
    html = client.get("/beheer/rapporten/", query_string=history).get_data(as_text=True)
    tables = [table for table in services.all_reports(filters(history)) if not table.empty]
    for table in tables:
        assert (
            f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{table.slug}-tabel">'
            in html
        )
        assert f'<caption id="{table.slug}-tabel"' in html
    assert html.count("<table") == len(tables)


def test_the_page_is_in_parts_and_ends_with_the_evaluations(client, login, history):
    login(Role.STAFF)
    html = client.get("/beheer/rapporten/", query_string=history).get_data(as_text=True)
    assert '<section id="trechter" class="report-section"' in html
    assert '<section id="sessies" class="report-section"' in html
    assert [slug for slug, _title, _reports in services.SECTIONS][-1] == "evaluaties"
    assert '<section id="evaluaties" class="report-section"' in html  # materials.evaluations answers
    for slug in services.REPORTS:
        assert any(slug in reports for _s, _t, reports in services.SECTIONS)


def test_the_page_is_counted_once_per_change_and_shown_from_memory_between(
    client, login, history, monkeypatch, registration_data
):
    from sessions.models import Topic

    made = []
    build = services.sections
    monkeypatch.setattr(services, "sections", lambda f: made.append(f) or build(f))
    login(Role.STAFF)
    first = client.get("/beheer/rapporten/", query_string=history).get_data(as_text=True)
    again = client.get("/beheer/rapporten/", query_string=history).get_data(as_text=True)
    assert len(made) == 1 and again.count("<svg") == first.count("<svg")

    topic = db.session.scalar(select(Topic).where(Topic.title == "Groepsopvang starten"))
    topic.title = "Groepsopvang: van plan tot vergunning"
    db.session.commit()
    html = client.get("/beheer/rapporten/", query_string=history).get_data(as_text=True)
    assert len(made) == 2 and '<th scope="row">Groepsopvang: van plan tot vergunning</th>' in html

    # A change made beside the app (a bulk statement, a manual fix) waits for the nightly rebuild.
    db.session.execute(
        update(InfoSession).where(InfoSession.topic_id == topic.id).values(status=SessionStatus.DRAFT)
    )
    db.session.commit()
    client.get("/beheer/rapporten/", query_string=history)
    assert len(made) == 2
    aggregates.rebuild()
    html = client.get("/beheer/rapporten/", query_string=history).get_data(as_text=True)
    assert len(made) == 3 and '<th scope="row">Groepsopvang: van plan tot vergunning</th>' not in html
