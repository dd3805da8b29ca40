"""What goes on the slides, computed from plain values: the audience profile, the registrants'
questions grouped by theme and stripped of anything that identifies someone, and the
placeholders of the slide-block library. No database and no python-pptx here."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.geo import PROVINCES
from registrations import labels
from registrations.models import ChildcareType, LegalForm

#: Below this many registrations the audience profile is left out: a few people are recognisable.
AUDIENCE_MINIMUM = 5

CHILDCARE_SHORT = {
    ChildcareType.GEZINSOPVANG: _l("Gezinsopvang"),
    ChildcareType.GROEPSOPVANG: _l("Groepsopvang"),
    ChildcareType.BSO: _l("Buitenschoolse opvang"),
    ChildcareType.ONBEKEND: _l("Nog niet zeker"),
}
LEGAL_SHORT = labels.LEGAL_FORMS  # the registration form's words are short already
UNKNOWN = _l("Onbekend")
START_BUCKETS = (
    (6, _l("Binnen 6 maanden")),
    (12, _l("Over 6 tot 12 maanden")),
    (None, _l("Over meer dan een jaar")),
)


@dataclass(frozen=True)
class Profile:
    """What a chart needs of one registration (nothing that identifies the person)."""

    childcare_type: ChildcareType
    province: str | None
    planned_start: date | None
    legal_form: LegalForm


@dataclass
class Chart:
    title: str
    categories: list[str]
    values: list[int]


def _count(labels_in_order: list[str], found: list[str]) -> tuple[list[str], list[int]]:
    counts = Counter(found)
    categories = [label for label in labels_in_order if counts[label]]
    return categories, [counts[label] for label in categories]


def months_between(first: date, later: date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def _bucket(planned: date | None, session_day: date) -> int | None:
    """Which of START_BUCKETS the planned start falls in, or None when it is not known."""
    if planned is None:
        return None
    months = months_between(session_day, planned)
    for index, (limit, _label) in enumerate(START_BUCKETS):
        if limit is None or months < limit:
            return index
    raise AssertionError("the last bucket has no limit")


def audience_charts(profiles: list[Profile], session_day: date) -> list[Chart] | None:
    """Four charts of the audience, or None when fewer than AUDIENCE_MINIMUM registered."""
    if len(profiles) < AUDIENCE_MINIMUM:
        return None
    # Labels translated once per deck, not once per person (gettext was a tenth of the build).
    unknown = str(UNKNOWN)
    kind_of = {code: str(label) for code, label in CHILDCARE_SHORT.items()}
    province_of = {code: str(label) for code, label in PROVINCES.items()}
    form_of = {code: str(label) for code, label in LEGAL_SHORT.items()}
    start_of = [str(label) for _, label in START_BUCKETS]
    starts = [*start_of, unknown]

    def start(profile) -> str:
        bucket = _bucket(profile.planned_start, session_day)
        return unknown if bucket is None else start_of[bucket]

    charts = []
    for title, order, values in (
        (_l("Soort opvang"), list(kind_of.values()), [kind_of[p.childcare_type] for p in profiles]),
        (
            _l("Provincie"),
            [*province_of.values(), unknown],
            [province_of.get(p.province, unknown) for p in profiles],
        ),
        (
            _l("Geplande start"),
            starts,
            [start(p) for p in profiles],
        ),
        (_l("Ondernemingsvorm"), list(form_of.values()), [form_of[p.legal_form] for p in profiles]),
    ):
        categories, counts = _count(order, values)
        charts.append(Chart(str(title), categories, counts))
    return charts


def answer_charts(answer_lists: list[list[dict] | None]) -> list[Chart]:
    """A chart per choice or yes/no question the team asked (registrations.questions), from the
    answers as they were given (the label and words then); none below AUDIENCE_MINIMUM."""
    if len(answer_lists) < AUDIENCE_MINIMUM:
        return []
    titles: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    for answers in answer_lists:
        for answer in answers or []:
            if answer.get("kind") not in ("single_choice", "multiple_choice", "yes_no"):
                continue
            key = answer["key"]
            titles.setdefault(key, answer.get("label") or key)
            per = counts.setdefault(key, {})
            for word in answer.get("choices") or [answer.get("text", "")]:
                per[word] = per.get(word, 0) + 1
    return [Chart(titles[key], list(per), list(per.values())) for key, per in counts.items()]


# --------------------------------------------------------------------------- questions

THEMES = (
    (
        "vergunning",
        _l("Vergunning en starterstraject"),
        ("vergunning", "starterstraject", "kennismakingsgesprek", "opportuniteitsadvies", "aanvraag",
         "inspectie", "zorginspectie", "procedure", "begeleidingstraject", "vrijstelling", "erkenning"),
    ),
    (
        "financiering",
        _l("Geld en subsidies"),
        ("subsidie", "kost", "prijs", "geld", "financ", "lening", "ondernemingsplan", "tarief", "euro",
         "inkomen", "btw", "belasting", "winst", "investering", "premie", "budget"),
    ),
    (
        "locatie",
        _l("Locatie en veiligheid"),
        ("locatie", "ruimte", "vierkante meter", "m²", "m2", "brandveilig", "woning", "huur", "gebouw",
         "infrastructuur", "grondplan", "stedenbouw", "tuin", "verbouw", "eigenaar", "pand", "lokaal"),
    ),
    (
        "personeel",
        _l("Mensen en kwalificaties"),
        ("diploma", "kwalificatie", "personeel", "begeleider", "medewerker", "strafregister", "medisch",
         "opleiding", "aanwerv", "aannemen", "collega", "team", "levensreddend", "ehbo", "attest"),
    ),
)  # fmt: skip
OTHER_THEME = ("overige", _l("Andere vragen"))


@dataclass
class QuestionGroup:
    key: str
    title: str
    questions: list[str] = field(default_factory=list)
    #: (question as the public reads it, answer) from the knowledge base, for the speaker notes.
    answers: list[tuple[str, str]] = field(default_factory=list)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


_FOLDED_THEMES = tuple((key, tuple(_fold(word) for word in words)) for key, _, words in THEMES)


def theme_of(question: str) -> str:
    """The theme whose keywords the question mentions most; the first such theme on a tie."""
    folded = _fold(question.replace("€", " euro "))
    scores = [(sum(folded.count(word) for word in words), key) for key, words in _FOLDED_THEMES]
    best, key = max(scores, key=lambda score: score[0])
    return key if best else OTHER_THEME[0]


def group_questions(
    questions: list[str], answers: list[tuple[str, str] | None] | None = None
) -> list[QuestionGroup]:
    """Questions by theme, themes in a fixed order, empty themes left out. A question asked
    more than once appears once, with how often: "(3×)". `answers`, in step with `questions`,
    holds the knowledge base's (question, answer) for each one that has an answer; the group
    lists each answer once."""
    answers = answers or [None] * len(questions)
    counted: dict[str, tuple[str, int]] = {}
    answered: dict[str, list[tuple[str, str]]] = {}
    for question, answer in zip(questions, answers, strict=True):
        key = " ".join(question.casefold().split())
        first, times = counted.get(key, (question, 0))
        counted[key] = (first, times + 1)
        if answer is not None and answer not in answered.setdefault(key, []):
            answered[key].append(answer)
    groups = {key: QuestionGroup(key, str(title)) for key, title, _ in THEMES}
    groups[OTHER_THEME[0]] = QuestionGroup(OTHER_THEME[0], str(OTHER_THEME[1]))
    for key, (question, times) in counted.items():
        group = groups[theme_of(question)]
        group.questions.append(f"{question} ({times}×)" if times > 1 else question)
        group.answers.extend(a for a in answered.get(key, []) if a not in group.answers)
    return [group for group in groups.values() if group.questions]


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Belgian and international phone numbers as people type them: 0470 12 34 56, +32 9 123.45.67.
_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d[\d\s./-]{6,}\d(?![\w])")
_PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "la", "le", "du", "da", "di", "el", "al", "vd"}
NAME_MARK = "[naam]"


def name_patterns(names: list[tuple[str, str]]) -> re.Pattern | None:
    """One pattern for every first name, last name and full name of the given people.

    Particles ("van", "de") alone are not names; a last name with particles is matched whole.
    """
    parts: set[str] = set()
    for first, last in names:
        for piece in (f"{first} {last}", first, last, *first.split(), *last.split()):
            piece = " ".join(piece.split())
            if len(piece) >= 2 and piece.lower() not in _PARTICLES:
                parts.add(piece)
    if not parts:
        return None
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub(questions: list[str], names: re.Pattern | None) -> list[str]:
    """The questions without e-mail addresses, phone numbers or any registrant's name."""
    email, phone = str(_l("[e-mailadres]")), str(_l("[telefoonnummer]"))  # translated once
    scrubbed = []
    for text in questions:
        text = _PHONE.sub(phone, _EMAIL.sub(email, text))
        if names is not None:
            text = names.sub(NAME_MARK, text)
        scrubbed.append(" ".join(text.split()))
    return scrubbed


# --------------------------------------------------------------------------- placeholders

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = {
    "thema": _l("de titel van het thema"),
    "sessie_datum": _l("de datum en het uur van de sessie"),
    "sessie_dag": _l("de datum van de sessie"),
    "sessie_uur": _l("het beginuur"),
    "locatie": _l("de zaal en gemeente, of 'online'"),
    "plaatsen": _l("het aantal plaatsen"),
    "inschrijvingen": _l("het aantal bevestigde inschrijvingen"),
    "presentatoren": _l("de namen van de presentatoren"),
}


def marked(text: str):
    """A slide text as an author reads it in the library: each known {name} set apart as code
    (explained by the legend above), the rest escaped."""
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) in PLACEHOLDERS:
            parts.append(escape(text[last : match.start()]))
            parts.append(Markup('<code class="placeholder">{}</code>').format(match.group(0)))
            last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace {name} by its value; an unknown {name} stays as written, so a typo shows."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
