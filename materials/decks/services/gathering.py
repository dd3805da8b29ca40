"""What a deck shows, gathered from the database: the session, its registrations (their profile,
their questions with the knowledge base's answers, their answers to the team's questions), the
topic's agenda with the library's slides, and the topic's next dates. Plain values out
(`DeckData`), so the builder needs no database."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.extensions import db
from app.i18n import long_date, long_datetime, short_time
from app.timezone import local
from materials.decks import content
from materials.decks.builder import AgendaEntry, ContentSlide, DeckData, NextSession
from materials.decks.models import SlideBlock
from materials.faq import services as faq
from registrations.models import Registration, RegistrationStatus
from sessions import services as sessions
from sessions.models import InfoSession, Topic

#: Whose profile the audience slide shows: people who confirmed (or came).
COUNTED = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
#: Whose questions the questions slides show: everyone still expected, or who came.
ASKING = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.ATTENDED,
)
INTAKE_PATH = "/kennismakingsgesprek"


def place_of(session: InfoSession) -> str:
    if session.venue is None:
        return _("online")
    where = f"{session.venue.name}, {session.venue.municipality}"
    return where + (_(" en online") if session.format.value == "hybrid" else "")


def placeholder_values(session: InfoSession, registered: int) -> dict[str, str]:
    return {
        "thema": session.topic.title,
        "sessie_datum": long_datetime(session.starts_at),
        "sessie_dag": long_date(session.starts_at),
        "sessie_uur": short_time(session.starts_at),
        "locatie": place_of(session),
        "plaatsen": str(session.capacity),
        "inschrijvingen": str(registered),
        "presentatoren": ", ".join(p.name for p in session.presenters),
    }


def topic_library(topic: Topic) -> tuple[dict[str, list[SlideBlock]], dict[str, list[SlideBlock]]]:
    """The topic's own slides and the shared ones, each per agenda-block key, in order."""
    own: dict[str, list[SlideBlock]] = {}
    shared: dict[str, list[SlideBlock]] = {}
    for block in db.session.scalars(
        select(SlideBlock)
        .where(or_(SlideBlock.topic_id == topic.id, SlideBlock.topic_id.is_(None)))
        .order_by(SlideBlock.position, SlideBlock.id)
    ):
        (own if block.topic_id else shared).setdefault(block.block_key, []).append(block)
    return own, shared


def blocks_for(topic: Topic) -> dict[str, list[SlideBlock]]:
    """The library's slides per agenda-block key: the topic's own, else the shared ones."""
    own, shared = topic_library(topic)
    return {key: own.get(key) or shared.get(key, []) for key in {*own, *shared}}


def deck_data(session: InfoSession) -> DeckData:
    """Everything the slides show, from the session, its topic, registrations and the library."""
    rows = db.session.execute(
        select(
            Registration.status,
            Registration.first_name,
            Registration.last_name,
            Registration.childcare_type,
            Registration.province,
            Registration.planned_start,
            Registration.legal_form,
            Registration.questions,
            Registration.id,
            Registration.answers,
        ).where(Registration.session_id == session.id)
    ).all()
    counted = [row for row in rows if row.status in COUNTED]
    profiles = [content.Profile(r.childcare_type, r.province, r.planned_start, r.legal_form) for r in counted]
    names = content.name_patterns([(r.first_name, r.last_name) for r in rows])
    asking = [r for r in rows if r.status in ASKING and (r.questions or "").strip()]
    questions = content.scrub([r.questions for r in asking], names)
    known = faq.answers_for([r.id for r in asking])
    answers = [(known[r.id].question, known[r.id].answer) if r.id in known else None for r in asking]
    values = placeholder_values(session, len(counted))
    agenda = sessions.agenda_times(session)
    library = blocks_for(session.topic)
    slides: list[ContentSlide] = []
    for item, block in zip(agenda, session.topic.agenda_blocks, strict=False):
        when = f"{short_time(item.starts_at)}–{short_time(item.ends_at)}"
        if not library.get(block.key):
            # No slide in the library yet: a divider keeps the deck in step with the agenda.
            slides.append(
                ContentSlide(
                    title=item.title,
                    bullets=[when],
                    notes=_("Nog geen dia voor dit agendapunt: voeg er een toe bij de dia's van het thema."),
                    block=item.title,
                    when=when,
                    divider=True,
                )
            )
        for entry in library.get(block.key, []):
            slides.append(
                ContentSlide(
                    title=content.fill(entry.title, values),
                    bullets=[content.fill(b, values) for b in entry.bullet_list],
                    notes=content.fill(entry.notes, values),
                    block=item.title,
                    when=when,
                )
            )
    upcoming = sessions.next_sessions_of_topic(session.topic_id, exclude_id=session.id)
    return DeckData(
        title=session.display_title,
        date_line=long_datetime(session.starts_at),
        footer_date=long_date(session.starts_at),
        place=place_of(session),
        presenters=[p.name for p in session.presenters],
        agenda=[
            AgendaEntry(short_time(i.starts_at), short_time(i.ends_at), i.title, i.minutes) for i in agenda
        ],
        registered=len(counted),
        charts=content.audience_charts(profiles, local(session.starts_at).date()),
        answer_charts=content.answer_charts([r.answers for r in counted]),
        content=slides,
        questions=content.group_questions(questions, answers),
        intake_url=intake_url(),
        next_sessions=[NextSession(long_datetime(s.starts_at), place_of(s)) for s in upcoming],
        evening=session.is_evening,
    )


def intake_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + INTAKE_PATH
