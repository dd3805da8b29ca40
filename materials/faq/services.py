"""The knowledge base's rules: registrants' questions grouped by theme (the deck's themes), an
answer written once and linked to the similar questions, the answers of a topic, the public
search (PostgreSQL full-text search in Dutch, a LIKE fallback elsewhere) and the answers to a
registrant's question for the deck and the follow-up mail."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, func, literal_column, select

from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from materials.decks import content
from materials.faq.models import FaqEntry, FaqLink
from registrations.models import Registration
from sessions.models import InfoSession, Topic
from sessions.services import Page

#: The themes, in the deck's order, with "other" last: (key, title).
THEMES = (*((key, title) for key, title, _words in content.THEMES), content.OTHER_THEME)
THEME_KEYS = tuple(key for key, _title in THEMES)
QUESTION_MAX = 300
ANSWER_MAX = 5000
#: How many registrants' questions the staff page reads at most (the newest).
ASKED_LIMIT = 1000
SEARCH_MAX = 200


def theme_title(key: str) -> str:
    return str(dict(THEMES).get(key, content.OTHER_THEME[1]))


def question_key(text: str) -> str:
    """Two questions are the same when they read the same, ignoring case and spacing."""
    return " ".join((text or "").casefold().split())


@dataclass
class AskedQuestion:
    """One question as registrants sent it, with everyone who sent it."""

    text: str
    key: str
    registration_ids: list[int] = field(default_factory=list)
    topics: set[str] = field(default_factory=set)
    entry: FaqEntry | None = None
    unanswered: int = 0

    @property
    def count(self) -> int:
        return len(self.registration_ids)


@dataclass
class ThemeGroup:
    key: str
    title: str
    questions: list[AskedQuestion] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return sum(1 for q in self.questions if q.unanswered)


def asked_questions(topic_id: int | None = None) -> list[ThemeGroup]:
    """Registrants' questions across sessions, by theme, the most asked first; a question is
    unanswered while one of those who sent it has no answer linked."""
    query = (
        select(Registration.id, Registration.questions, Topic.title, FaqLink.entry_id)
        .join(InfoSession, InfoSession.id == Registration.session_id)
        .join(Topic, Topic.id == InfoSession.topic_id)
        .outerjoin(FaqLink, FaqLink.registration_id == Registration.id)
        .where(Registration.questions != "", Registration.anonymised_at.is_(None))
        .order_by(Registration.id.desc())
        .limit(ASKED_LIMIT)
    )
    if topic_id:
        query = query.where(InfoSession.topic_id == topic_id)
    rows = db.session.execute(query).all()
    entries = {
        e.id: e
        for e in db.session.scalars(
            select(FaqEntry).where(FaqEntry.id.in_({r.entry_id for r in rows if r.entry_id}))
        )
    }
    asked: dict[str, AskedQuestion] = {}
    for row in rows:
        text = " ".join(row.questions.split())
        if not text:
            continue
        key = question_key(text)
        item = asked.setdefault(key, AskedQuestion(text, key))
        item.registration_ids.append(row.id)
        item.topics.add(row.title)
        if row.entry_id:
            item.entry = item.entry or entries.get(row.entry_id)
        else:
            item.unanswered += 1
    groups = {key: ThemeGroup(key, str(title)) for key, title in THEMES}
    for item in asked.values():
        groups[content.theme_of(item.text)].questions.append(item)
    for group in groups.values():
        group.questions.sort(key=lambda q: (-q.unanswered, -q.count, q.key))
    return [g for g in groups.values() if g.questions]


@dataclass
class EntryData:
    topic_id: int | None
    theme: str
    question: str
    answer: str
    registration_ids: list[int] = field(default_factory=list)


def _clean(data: EntryData) -> EntryData:
    question = " ".join((data.question or "").split())
    answer = (data.answer or "").strip().replace("\r\n", "\n")
    if not question:
        raise DomainError(_l("Schrijf de vraag zoals het publiek ze leest."), field="question")
    if len(question) > QUESTION_MAX:
        too_long = _l("De vraag is te lang (hoogstens %(n)s tekens).", n=QUESTION_MAX)
        raise DomainError(too_long, field="question")
    if not answer:
        raise DomainError(_l("Schrijf het antwoord."), field="answer")
    if len(answer) > ANSWER_MAX:
        too_long = _l("Het antwoord is te lang (hoogstens %(n)s tekens).", n=ANSWER_MAX)
        raise DomainError(too_long, field="answer")
    theme = data.theme or content.theme_of(question)
    if theme not in THEME_KEYS:
        raise DomainError(_l("Kies een onderwerp uit de lijst."), field="theme")
    if not data.topic_id or db.session.get(Topic, data.topic_id) is None:
        raise DomainError(_l("Kies een thema uit de lijst."), field="topic_id")
    return EntryData(data.topic_id, theme, question, answer, sorted(set(data.registration_ids)))


def _touch_topics(*topic_ids: int | None) -> None:
    """An answer shows on the topic's session pages: a new stamp on the topic changes the
    catalogue's version (sessions.services.catalogue_version), so cached pages are rebuilt."""
    now = utcnow()
    for topic in db.session.scalars(select(Topic).where(Topic.id.in_({t for t in topic_ids if t}))):
        topic.updated_at = now


def save_entry(data: EntryData, entry: FaqEntry | None = None, user=None) -> FaqEntry:
    """Create or change an answer and link the given registrants' questions to it (a question
    linked to another answer moves to this one). Nothing changes on bad input."""
    data = _clean(data)
    known = set(db.session.scalars(select(Registration.id).where(Registration.id.in_(data.registration_ids))))
    if known != set(data.registration_ids):
        raise DomainError(_l("Een van de gekozen vragen bestaat niet meer. Laad de pagina opnieuw."))
    old_topic = entry.topic_id if entry else None
    if entry is None:
        entry = FaqEntry(created_by_id=getattr(user, "id", None))
        db.session.add(entry)
    entry.topic_id, entry.theme, entry.question, entry.answer = (
        data.topic_id,
        data.theme,
        data.question,
        data.answer,
    )
    entry.updated_at = utcnow()
    db.session.flush()
    if data.registration_ids:
        db.session.execute(delete(FaqLink).where(FaqLink.registration_id.in_(data.registration_ids)))
        db.session.add_all(FaqLink(registration_id=r, entry_id=entry.id) for r in data.registration_ids)
    _touch_topics(old_topic, entry.topic_id)
    db.session.commit()
    return entry


def link_questions(entry: FaqEntry, registration_ids: list[int]) -> int:
    """Link more registrants' questions to an existing answer; how many were linked."""
    ids = sorted(set(registration_ids))
    if not ids:
        raise DomainError(_l("Kies minstens één vraag."), field="registration_ids")
    known = list(db.session.scalars(select(Registration.id).where(Registration.id.in_(ids))))
    if len(known) != len(ids):
        raise DomainError(_l("Een van de gekozen vragen bestaat niet meer. Laad de pagina opnieuw."))
    db.session.execute(delete(FaqLink).where(FaqLink.registration_id.in_(ids)))
    db.session.add_all(FaqLink(registration_id=r, entry_id=entry.id) for r in ids)
    entry.updated_at = utcnow()
    db.session.commit()
    return len(ids)


def delete_entry(entry: FaqEntry) -> None:
    topic_id = entry.topic_id
    db.session.delete(entry)
    db.session.flush()
    _touch_topics(topic_id)
    db.session.commit()


def get_entry(entry_id: int) -> FaqEntry:
    entry = db.session.get(FaqEntry, entry_id)
    if entry is None:
        raise NotFound(_l("Deze vraag bestaat niet (meer)."))
    return entry


def all_entries() -> list[FaqEntry]:
    return list(db.session.scalars(select(FaqEntry).order_by(FaqEntry.topic_id, FaqEntry.question)))


def entries_of_topic(topic_id: int) -> list[FaqEntry]:
    """The answered questions of a topic, by theme in the deck's order, then by question."""
    found = db.session.scalars(select(FaqEntry).where(FaqEntry.topic_id == topic_id)).all()
    order = {key: i for i, key in enumerate(THEME_KEYS)}
    return sorted(found, key=lambda e: (order.get(e.theme, len(order)), e.question.casefold()))


def answers_for(registration_ids: list[int]) -> dict[int, FaqEntry]:
    """The answer linked to each of these registrations' questions, where there is one."""
    if not registration_ids:
        return {}
    rows = db.session.execute(
        select(FaqLink.registration_id, FaqEntry)
        .join(FaqEntry, FaqEntry.id == FaqLink.entry_id)
        .where(FaqLink.registration_id.in_(registration_ids))
    ).all()
    return {registration_id: entry for registration_id, entry in rows}


def answers_version(session_id: int) -> list[tuple]:
    """(entry id, last change) of the answers linked to a session's registrations, for the
    deck's version: a new or changed answer rebuilds the deck."""
    return list(
        db.session.execute(
            select(FaqEntry.id, FaqEntry.updated_at)
            .join(FaqLink, FaqLink.entry_id == FaqEntry.id)
            .join(Registration, Registration.id == FaqLink.registration_id)
            .where(Registration.session_id == session_id)
            .group_by(FaqEntry.id, FaqEntry.updated_at)
            .order_by(FaqEntry.id)
        ).all()
    )


# --------------------------------------------------------------------------- public search


def _document():
    """question || ' ' || answer, with its literals in the SQL itself (not bound parameters), so
    that on PostgreSQL the expression is the one the index of migration 0040 was made on."""
    return FaqEntry.question.op("||")(literal_column("' '")).op("||")(FaqEntry.answer)


#: Endings the fallback search cuts off, so "vergunningen" still finds "vergunning" without
#: PostgreSQL's stemmer (longest first; only from words long enough to keep a stem).
_ENDINGS = ("tjes", "jes", "tje", "je", "en", "s")


def _rough_stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def search(q: str, page_number: int = 1, per_page: int = 10) -> Page:
    """Answers matching `q` (all answers when q is empty). On PostgreSQL the Dutch full-text
    search ("vergunningen" finds "vergunning"), best matches first; elsewhere every word must
    appear as written."""
    words = " ".join((q or "").split())[:SEARCH_MAX]
    query = select(FaqEntry)
    order = [FaqEntry.question]
    if words:
        if db.engine.dialect.name == "postgresql":
            document = func.to_tsvector(literal_column("'dutch'::regconfig"), _document())
            wanted = func.websearch_to_tsquery(literal_column("'dutch'::regconfig"), words)
            query = query.where(document.op("@@")(wanted))
            order = [func.ts_rank(document, wanted).desc(), FaqEntry.question]
        else:
            terms = [_rough_stem(w.strip("\"'").lower()) for w in words.split() if w.strip("\"'-")]
            if terms:
                document = func.lower(_document())
                escaped = [t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for t in terms]
                query = query.where(and_(*(document.like(f"%{t}%", escape="\\") for t in escaped)))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page_number = min(max(page_number, 1), pages)
    items = list(
        db.session.scalars(query.order_by(*order).offset((page_number - 1) * per_page).limit(per_page))
    )
    return Page(items, total, page_number, per_page)
