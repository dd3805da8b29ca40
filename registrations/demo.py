"""Demo registrations in every state, with varied interest profiles and questions.

They go through the real services, so the outbox holds the mails they caused.
"""

import random
from datetime import date, timedelta

from app.db import utcnow
from registrations import services
from registrations.models import (
    ChildcareType,
    Experience,
    LegalForm,
    LocationStatus,
    Qualification,
    RegistrationStatus,
    Statute,
)
from sessions.models import AttendMode, SessionStatus

FIRST_NAMES = [
    "Sarah", "Fatima", "Lotte", "Nadia", "Ines", "Eline", "Yasmina", "Hanne", "Julie", "Amina", "Sofie",
    "Emma", "Marie", "Leen", "Kaat", "Tom", "Pieter", "Mohamed", "Jonas", "Ayşe", "Elif", "Olga", "Chloé",
]  # fmt: skip
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Dubois", "El Idrissi", "Yilmaz", "Vermeulen", "Van Damme", "Declercq", "Aerts", "Nowak",
]  # fmt: skip
POSTCODES = ["9000", "2000", "3500", "8000", "1000", "3000", "2800", "8500", "3600", "9300", "2300", "9100"]
QUESTIONS = [
    "Hoeveel vierkante meter heb ik nodig per kind?",
    "Kan ik starten in mijn huurwoning of heb ik toestemming van de eigenaar nodig?",
    "Wat kost een brandveiligheidsattest ongeveer?",
    "Hoe lang duurt het voor ik een vergunning krijg?",
    "Moet ik zelf een diploma hebben als ik iemand met een kwalificatie aanneem?",
    "Kan ik subsidies krijgen vanaf de eerste dag?",
    "Tellen mijn eigen kinderen mee voor de 8 plaatsen?",
    "Wat gebeurt er in het kennismakingsgesprek?",
    "Kan ik als onthaalouder later overstappen naar groepsopvang?",
    "Hoe vraag ik een opportuniteitsadvies aan bij de gemeente?",
    "",
    "",
    "",
]


def _data(rng: random.Random, n: int) -> services.RegistrationData:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    kind = rng.choices(list(ChildcareType), weights=[5, 4, 2, 2])[0]
    today = date.today()
    start = date(today.year + 1, rng.randint(1, 12), 1)
    return services.RegistrationData(
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower().replace(' ', '')}.{n}@voorbeeld.be".replace("ş", "s").replace(
            "é", "e"
        ),
        privacy_accepted=True,
        phone=f"04{rng.randint(70, 99)}{rng.randint(100000, 999999)}",
        postcode=rng.choice(POSTCODES),
        childcare_type=kind,
        planned_places=rng.randint(4, 8)
        if kind == ChildcareType.GEZINSOPVANG
        else rng.choice([14, 18, 28, 36]),
        planned_start=start,
        legal_form=rng.choice(list(LegalForm)),
        statute=rng.choice(list(Statute)),
        experience=rng.choice(list(Experience)),
        qualification=rng.choice(list(Qualification)),
        is_21_or_older=True,
        location=rng.choice(list(LocationStatus)),
        questions=rng.choice(QUESTIONS),
        news_opt_in=rng.random() < 0.4,
        attends=AttendMode.ONLINE if n % 3 == 0 else AttendMode.ON_SITE,  # only hybrid sessions ask
        answers=_answers(n),
    )


def _answers(n: int) -> dict:
    """Answers to the demo's extra questions (ignored where a session does not ask them); a
    random of their own, so the rest of the demo stays as it was."""
    rng = random.Random(n)
    days = [d for d in ("maandag", "woensdag", "zaterdag") if rng.random() < 0.5] or ["maandag"]
    return {"dagen": days, "binnenruimte_m2": str(rng.choice([45, 60, 80, 110]))}


def _questions(topic_id: int) -> None:
    """Two extra questions on the first topic: one for everyone, one only for groepsopvang."""
    from registrations.questions import services as questions
    from registrations.questions.models import QuestionKind

    questions.save_question(
        questions.QuestionData(
            "dagen", QuestionKind.MULTIPLE_CHOICE, "Op welke dagen wil je open zijn?",
            label_en="On which days do you want to open?", position=10,
            choices=questions.parse_choices("Maandag | Monday\nWoensdag | Wednesday\nZaterdag | Saturday"),
        ),
        topic_id=topic_id,
    )  # fmt: skip
    questions.save_question(
        questions.QuestionData(
            "binnenruimte_m2", QuestionKind.NUMBER, "Hoeveel m² binnenruimte heb je?",
            label_en="How many m² of indoor space do you have?", position=20,
            hint_nl="Een schatting is goed.", condition_key="childcare_type", condition_value="groepsopvang",
        ),
        topic_id=topic_id,
    )  # fmt: skip


def load(context: dict) -> None:
    rng = random.Random(2026)
    published = [s for s in context["sessions"] if s.status == SessionStatus.PUBLISHED]
    n = 0
    now = utcnow()
    if published:
        _questions(published[0].topic_id)
    for index, session in enumerate(published[:24]):
        # The first few sessions fill up, with a waiting list; later ones are partly booked.
        full = index in (0, 2, 5)
        wanted = (
            session.capacity + rng.randint(2, 5) if full else rng.randint(3, max(4, session.capacity // 2))
        )
        for _ in range(wanted):
            n += 1
            outcome = services.register(session.id, _data(rng, n), now=now)
            registration = outcome.registration
            # Most people confirm; some leave it pending, so every state shows up.
            chance = 0.8 if registration.status == RegistrationStatus.PENDING else 0.7
            if rng.random() < chance:
                services.confirm_registration(registration, now=now)
        # A couple of cancellations; in a full session the first in line is promoted (and mailed).
        confirmed = services.list_registrations(session.id, status=RegistrationStatus.CONFIRMED)
        for registration in confirmed[:1] if full or index % 4 == 0 else []:
            services.cancel_registration(registration, now=now + timedelta(minutes=5))
    context["registrations_count"] = n
