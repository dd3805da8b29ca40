"""Demo: the demo's past sessions get answered evaluations (most people content, a few not, some
comments), and the second topic a form of its own. Runs after the mailings' loader, which holds
the past sessions; through the real services, each answer at a moment the evaluation was open."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from materials.evaluations import services
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession, SessionStatus

COMMENTS = (
    "Heel duidelijke uitleg over de vergunning, dank je!",
    "Wat veel informatie in korte tijd. Een samenvatting op papier zou helpen.",
    "De voorbeelden van andere opvanglocaties waren het nuttigst.",
    "Graag meer over de financiering en de subsidies.",
    "Het was moeilijk parkeren in de buurt.",
)
# The score on the first question: mostly 4 and 5, now and then lower.
SCORES = ("5", "5", "4", "4", "4", "3", "5", "2", "4", "5")
STEPS = ("Ja", "Ja", "Een beetje", "Nee")
WANTS = ("Vergunning", "Financiering", "Infrastructuur", "Personeel", "Subsidies")

TOPIC_FORM = {
    "sections": [
        {
            "title": "",
            "questions": [
                {
                    "key": "algemeen",
                    "kind": "rating",
                    "label": "Hoe tevreden ben je over de infosessie?",
                    "low": "helemaal niet tevreden",
                    "high": "heel tevreden",
                },
                {
                    "key": "tempo",
                    "kind": "single",
                    "label": "Hoe vond je het tempo?",
                    "choices": ["Te traag", "Goed", "Te snel"],
                },
                {"key": "opmerking", "kind": "text", "label": "Wat kunnen we beter doen?"},
            ],
        }
    ]
}


def _answers(rng: random.Random, index: int) -> MultiDict:
    data = MultiDict(
        [
            ("algemeen", rng.choice(SCORES)),
            ("duidelijk", rng.choice(SCORES)),
            ("volgende_stap", rng.choice(STEPS)),
        ]
    )
    for want in rng.sample(WANTS, rng.randint(0, 2)):
        data.add("meer_info", want)
    if index % 4 == 0:
        data.add("opmerking", COMMENTS[(index // 4) % len(COMMENTS)])
    return data


def load(context: dict) -> None:
    rng = random.Random(2029)
    past = db.session.scalars(
        select(InfoSession)
        .where(InfoSession.status == SessionStatus.COMPLETED)
        .order_by(InfoSession.starts_at)
    ).all()
    for session in past:
        attendees = db.session.scalars(
            select(Registration)
            .where(Registration.session_id == session.id, Registration.status == RegistrationStatus.ATTENDED)
            .order_by(Registration.id)
        ).all()
        answered_at = session.ends_at + timedelta(hours=16)
        for index, registration in enumerate(attendees):
            if rng.random() < 0.35:  # about two in three answer
                continue
            form = services.form_for(registration)
            answers, errors = services.read_answers(form, _answers(rng, index))
            if not errors:
                services.save_response(registration, answers, now=answered_at + timedelta(minutes=7 * index))
    topics = context.get("topics") or []
    if len(topics) > 1:
        services.save_form(topics[1].id, "Jouw mening over de infosessie", TOPIC_FORM)
