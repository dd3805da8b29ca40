"""A planned start is a month and reads as one ("september 2027"), never as a day."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from app.auth.models import Role
from registrations import privacy
from tests.support.registrations import fresh


def test_the_form_asks_a_month_and_a_year_and_keeps_them(client, make_session, registration_form_data):
    session = make_session(capacity=5)
    data = registration_form_data(phone="12", **{"planned_start-maand": "5", "planned_start-jaar": "2027"})
    del data["planned_start"]
    html = client.post(f"/sessies/{session.id}/inschrijven", data=data).get_data(as_text=True)
    assert 'name="planned_start-maand"' in html and 'name="planned_start-jaar"' in html
    assert '<option value="5" selected>mei</option>' in html
    assert '<option value="2027" selected>2027</option>' in html
    assert 'type="month"' not in html and 'type="date"' not in html


def test_the_staff_list_shows_the_month(client, login, make_session, make_registration):
    session = make_session(capacity=5)
    make_registration(session, "an@example.com", status="confirmed", planned_start=date(2027, 5, 1))
    login(Role.EXPERT)
    html = client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True)
    assert ">start mei 2027</span>" in html
    assert "1 mei 2027" not in html and "01/05/2027" not in html


def test_the_exports_write_the_month(client, login, make_session, make_registration):
    from openpyxl import load_workbook

    session = make_session(capacity=5)
    make_registration(session, "an@example.com", status="confirmed", planned_start=date(2027, 5, 1))
    login(Role.EXPERT)
    base = f"/beheer/sessies/{session.id}/inschrijvingen"
    data = client.get(f"{base}/export.csv").data.decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(data), delimiter=";"))["Geplande start"] == "mei 2027"
    sheet = load_workbook(io.BytesIO(client.get(f"{base}/export.xlsx").data)).active
    column = [cell.value for cell in sheet[1]].index("Geplande start")
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.number_format == "mmmm yyyy"  # Excel shows "mei 2027" and can still sort it
    assert cell.value.date() == date(2027, 5, 1)


def test_the_personal_data_export_writes_the_month(make_registration):
    registration = make_registration(email="an@example.com", planned_start=date(2027, 5, 1))
    exported = privacy.export_personal_data(fresh(registration))
    assert '"planned_start": "2027-05"' in json.dumps(exported)
