"""Evaluations after a session: the rules of the form and the one response per registration,
the rating links in the thank-you mail, the public page behind them, and privacy."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.errors import DomainError
from app.extensions import db
from materials.evaluations import links, services
from materials.evaluations.models import EvaluationAnswer, EvaluationForm, EvaluationResponse
from registrations import privacy
from tests.support.mailings import attended, text_of, thanks_sent
from tests.support.registrations import fresh, mails_to


@pytest.fixture
def held(make_session, make_registration):
    """A completed session that An, Bram and Chloé attended: (session, registrations)."""
    return attended(make_session, make_registration)


def answer(registration, now=None, **values):
    form = services.form_for(registration)
    data = MultiDict([(k, v) for k, vs in values.items() for v in (vs if isinstance(vs, list) else [vs])])
    answers, errors = services.read_answers(form, data)
    assert errors == {}
    return services.save_response(registration, answers, now=now)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ------------------------------------------------------------------------------------ the rules


def test_one_response_per_registration_edited_in_place(held):
    _session, (an, *_others) = held
    answer(an, algemeen="3", opmerking="Te kort")
    answer(an, algemeen="5", meer_info=["Vergunning", "Subsidies"])

    assert count(EvaluationResponse) == 1
    response = services.response_of(fresh(an))
    assert services.answers_of(response) == {"algemeen": ["5"], "meer_info": ["Vergunning", "Subsidies"]}


def test_editing_stops_when_the_evaluation_closes(app, held):
    session, (an, *_others) = held
    answer(an, algemeen="4")
    closes = services.closes_at(session)
    assert closes == session.ends_at + timedelta(days=14)

    with pytest.raises(DomainError, match="gesloten"):
        answer(fresh(an), now=closes, algemeen="1")
    assert services.answers_of(services.response_of(fresh(an))) == {"algemeen": ["4"]}

    app.config["EVALUATION_OPEN_DAYS"] = 30
    answer(fresh(an), now=closes, algemeen="2")
    assert services.answers_of(services.response_of(fresh(an))) == {"algemeen": ["2"]}


def test_only_attendees_answer(make_session, make_registration):
    session = make_session()
    registration = make_registration(session, status="confirmed")
    with pytest.raises(DomainError, match="aanwezig"):
        services.save_response(registration, {"algemeen": ["5"]}, now=session.ends_at)


def test_bad_answers_get_a_clear_message(held):
    _session, (an, *_others) = held
    form = services.form_for(an)
    _answers, errors = services.read_answers(form, MultiDict({"algemeen": "9", "volgende_stap": "Misschien"}))
    assert errors == {
        "algemeen": "Kies een score van 1 tot 5.",
        "volgende_stap": "Kies een van de mogelijkheden.",
    }
    _answers, errors = services.read_answers(form, MultiDict({"opmerking": "Alleen een opmerking"}))
    assert errors == {"algemeen": "Kies een score van 1 tot 5."}


def test_a_new_version_leaves_answers_already_given_alone(make_topic, held):
    session, (an, bram, _chloe) = held
    answer(an, algemeen="4", volgende_stap="Ja")
    old = services.response_of(fresh(an)).form

    definition = {
        "sections": [
            {
                "title": "",
                "questions": [
                    {
                        "key": "score",
                        "kind": "rating",
                        "label": "Zou je de sessie aanraden?",
                        "low": "nee",
                        "high": "zeker",
                    },
                    {"key": "tip", "kind": "text", "label": "Een tip voor ons?"},
                ],
            }
        ]
    }
    new = services.save_form(session.topic_id, "Jouw mening", definition)
    assert new.version == 1 and new.topic_id == session.topic_id
    newer = services.save_form(session.topic_id, "Jouw mening (2)", definition)
    assert newer.version == 2

    # An keeps her version and her answers; Bram answers the topic's newest version.
    assert services.form_for(fresh(an)).id == old.id
    answer(fresh(an), algemeen="5")
    assert services.answers_of(services.response_of(fresh(an))) == {"algemeen": ["5"]}
    answer(bram, score="3", tip="Meer voorbeelden")
    assert services.response_of(fresh(bram)).form.id == newer.id


def test_a_form_definition_is_checked(make_topic):
    topic = make_topic()
    bad = [
        {"sections": []},
        {"sections": [{"questions": [{"key": "a", "kind": "single", "label": "Kies", "choices": ["x"]}]}]},
        {"sections": [{"questions": [{"key": "a", "kind": "text", "label": "Iets?"}]}]},
        {
            "sections": [
                {
                    "questions": [
                        {"key": "a", "kind": "rating", "label": "A"},
                        {"key": "a", "kind": "text", "label": "B"},
                    ]
                }
            ]
        },
    ]
    for definition in bad:
        with pytest.raises(DomainError):
            services.save_form(topic.id, "Titel", definition)
    assert count(EvaluationForm) == 0


def test_anonymising_keeps_the_figures_not_the_person(held):
    _session, (an, *_others) = held
    answer(an, algemeen="2", opmerking="Het was te warm in de zaal")
    exported = privacy.export_personal_data(fresh(an))
    assert exported["evaluations"][0]["answers"][0] == {
        "question": "Hoe tevreden ben je over de infosessie?",
        "answer": "2",
    }
    assert any(a["answer"] == "Het was te warm in de zaal" for a in exported["evaluations"][0]["answers"])

    privacy.erase_personal_data(fresh(an))

    response = db.session.scalars(select(EvaluationResponse)).one()
    assert response.registration_id is None
    assert sorted(a.value for a in db.session.scalars(select(EvaluationAnswer))) == [
        "2",
        "Het was te warm in de zaal",
    ]


# --------------------------------------------------------------------------- the mail and the page


def rating_links(mail_text: str) -> list[str]:
    return re.findall(r"https?://\S+/evaluatie/\S+\?score=\d", mail_text)


def test_the_thank_you_mail_carries_a_link_per_score(held):
    session, (an, *_others) = held
    thanks_sent(session)
    mail = mails_to(an.email)[-1]
    assert mail.kind.startswith("mailing")
    assert "Hoe tevreden ben je over de infosessie?" in mail.text_body
    found = rating_links(mail.text_body)
    assert [u[-1] for u in found] == ["1", "2", "3", "4", "5"]
    assert "1 (helemaal niet tevreden)" in mail.text_body and "5 (heel tevreden)" in mail.text_body
    assert f'href="{found[3]}"' in mail.html_body.replace("&amp;", "&")


def test_a_get_prefills_and_saves_nothing(client, held):
    _session, (an, *_others) = held
    url = path_of(links.evaluation_url(an, 4))

    page = client.get(url)
    assert page.status_code == 200
    assert re.search(r'value="4"\s+checked', page.text)
    assert count(EvaluationResponse) == 0

    done = client.post(url, data={"algemeen": "4", "opmerking": "Heel helder, dank je"})
    assert done.status_code == 200
    assert "We hebben je antwoorden goed ontvangen" in text_of(done.text)
    assert services.answers_of(services.response_of(fresh(an)))["algemeen"] == ["4"]

    again = client.get(path_of(links.evaluation_url(an)))
    assert "Je vulde de evaluatie al in" in text_of(again.text)
    assert "Heel helder, dank je" in again.text


def test_the_page_refuses_bad_input_and_bad_links(client, held):
    _session, (an, *_others) = held
    url = path_of(links.evaluation_url(an))
    refused = client.post(url, data={"algemeen": "8"})
    assert refused.status_code == 422
    assert "Kies een score van 1 tot 5." in text_of(refused.text)
    assert count(EvaluationResponse) == 0
    assert client.get("/evaluatie/niet-echt").status_code == 404


def test_no_show_links_lead_nowhere(client, make_session, make_registration):
    session = make_session()
    registration = make_registration(session, status="confirmed")
    assert client.get(path_of(links.evaluation_url(registration, 3))).status_code == 404


def test_the_tables_match_their_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert [d for d in differences if "evaluation" in repr(d)] == []


# --------------------------------------------------------------------------------- the results


def test_the_results_page_shows_rate_distribution_and_comments(client, login, held):
    from app.auth.models import Role

    session, (an, bram, _chloe) = held
    answer(an, algemeen="5", meer_info=["Vergunning", "Subsidies"], opmerking="Heel nuttig")
    answer(bram, algemeen="3", meer_info=["Vergunning"], opmerking="Koffie was koud, idioten")
    login(Role.EXPERT)

    detail = client.get(f"/beheer/sessies/{session.id}")
    assert f"/beheer/sessies/{session.id}/evaluatie" in detail.text
    assert "2 van 3 aanwezigen vulden ze in" in text_of(detail.text)

    page = client.get(f"/beheer/sessies/{session.id}/evaluatie")
    text = text_of(page.text)
    assert "2 van 3 aanwezigen (66,7 %)" in text
    assert "gemiddeld 4,0 op 5" in text
    assert page.text.count('class="chart" role="img"') == 2  # the overall score and the topics wanted
    assert "Vergunning2 Financiering0" in text and "Subsidies1" in text
    assert "Heel nuttig" in text and "Koffie was koud, idioten" in text

    rude = db.session.scalar(select(EvaluationAnswer).where(EvaluationAnswer.value.like("Koffie%")))
    hidden = client.post(
        f"/beheer/sessies/{session.id}/evaluatie/opmerkingen/{rude.id}", data={"verbergen": "1"}
    )
    assert hidden.status_code == 302
    page = client.get(f"/beheer/sessies/{session.id}/evaluatie")
    assert "Koffie was koud" not in page.text and "Heel nuttig" in page.text
    assert "Deze opmerking is verborgen." in text_of(page.text)

    csv = client.get(f"/beheer/sessies/{session.id}/evaluatie/antwoorden.csv")
    assert csv.mimetype == "text/csv"
    body = csv.data.decode("utf-8-sig")
    assert "Hoe tevreden ben je over de infosessie?" in body.splitlines()[0]
    assert "Heel nuttig" in body and "Koffie" not in body and "(verborgen)" in body


def test_staff_read_the_results_but_do_not_hide_comments(client, login, held):
    from app.auth.models import Role

    session, (an, *_others) = held
    response = answer(an, algemeen="4", opmerking="Prima")
    comment_id = response.answers[-1].id
    login(Role.STAFF)
    assert client.get(f"/beheer/sessies/{session.id}/evaluatie").status_code == 200
    refused = client.post(
        f"/beheer/sessies/{session.id}/evaluatie/opmerkingen/{comment_id}", data={"verbergen": "1"}
    )
    assert refused.status_code == 403


def test_the_expert_sees_their_latest_scores_at_home(
    client, login, make_user, make_session, make_registration
):
    from app.auth.models import Role

    expert = make_user(Role.EXPERT)
    session, (an, bram, _chloe) = attended(make_session, make_registration, presenters=[expert])
    answer(an, algemeen="5")
    answer(bram, algemeen="4")
    login(Role.EXPERT, user=expert)
    home = text_of(client.get("/beheer/").text)
    assert "Hoe deelnemers je sessies beoordelen" in home
    assert "4,5 2" in home


# ------------------------------------------------------------------------- the admin's editor


def test_the_admin_saves_a_topics_form_as_a_new_version(client, login, held):
    from app.auth.models import Role

    session, (an, bram, _chloe) = held
    answer(an, algemeen="4")
    login(Role.ADMIN)
    assert "Evaluatieformulieren" in client.get("/beheer/evaluaties").text

    page = client.get(f"/beheer/evaluaties/{session.topic_id}")
    assert "gebruikt nu het standaardformulier" in text_of(page.text)
    assert (
        "score: Hoe tevreden ben je over de infosessie? | helemaal niet tevreden | heel tevreden" in page.text
    )

    lines = (
        "## Je indruk\n"
        "score: Hoe tevreden ben je over de infosessie? | helemaal niet tevreden | heel tevreden\n"
        "keuze: Hoe vond je het tempo? | Te traag | Goed | Te snel\n"
        "tekst: Wat kunnen we beter doen?\n"
    )
    saved = client.post(
        f"/beheer/evaluaties/{session.topic_id}", data={"title": "Jouw mening", "questions": lines}
    )
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"])
    assert "Het formulier is bewaard als versie 1." in text_of(page.text)

    form = services.current_form(session.topic_id)
    assert [q["key"] for q in form.questions] == [
        "algemeen",
        "hoe_vond_je_het_tempo",
        "wat_kunnen_we_beter_doen",
    ]
    assert services.form_for(fresh(an)).topic_id is None  # An keeps the version she answered
    answer(bram, algemeen="5", hoe_vond_je_het_tempo="Goed")
    results_page = text_of(client.get(f"/beheer/sessies/{session.id}/evaluatie").text)
    assert "Hoe vond je het tempo?" in results_page and "gemiddeld 4,5 op 5" in results_page


def test_the_editor_names_the_line_that_is_wrong(client, login, held):
    from app.auth.models import Role

    session, _people = held
    login(Role.ADMIN)
    refused = client.post(
        f"/beheer/evaluaties/{session.topic_id}",
        data={"title": "Kort", "questions": "score: Goed? | nee | ja\nkeuze: Welke? | enkel deze"},
    )
    assert refused.status_code == 422
    assert "Regel 2: een keuzevraag heeft minstens twee keuzes." in text_of(refused.text)
    assert count(EvaluationForm) == 0
    client.post("/logout")
    login(Role.EXPERT)
    assert client.get(f"/beheer/evaluaties/{session.topic_id}").status_code == 403


def test_the_reports_page_has_evaluations_per_topic_and_presenter(
    client, login, make_user, make_session, make_registration
):
    from app.auth.models import Role

    els = make_user(Role.EXPERT, name="Els Janssens")
    session, (an, bram, _chloe) = attended(make_session, make_registration, presenters=[els])
    login(Role.STAFF)
    assert "Els Janssens" not in client.get("/beheer/rapporten/").text  # nothing answered yet
    answer(an, algemeen="5")
    answer(bram, algemeen="2")

    page = text_of(client.get("/beheer/rapporten/").text)  # the cached page follows the answers
    assert "Evaluaties per thema" in page and "Evaluaties per presentator" in page
    assert "Els Janssens 1" in page  # the table's row (name, then its figures)
    from reports import services as reports

    filters, _problems = reports.Filters.from_args({})
    # topic/presenter, sessions, attendees, responses, response rate, average first score
    assert reports.report("evaluaties-thema", filters).rows == [[session.topic.title, 1, 3, 2, 66.7, 3.5]]
    assert reports.report("evaluaties-presentator", filters).rows == [["Els Janssens", 1, 3, 2, 66.7, 3.5]]
    xlsx = client.get("/beheer/rapporten/evaluaties-presentator.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    csv = client.get("/beheer/rapporten/evaluaties-thema.csv").data.decode("utf-8-sig")
    assert "Gemiddelde score (op 5)" in csv and "3,5" in csv
