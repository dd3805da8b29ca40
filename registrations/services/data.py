"""What a person tells us when registering, and the rules on it (shape is the form's job)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.auth.services import normalise_email
from app.errors import Errors
from app.geo import lookup_postcode
from app.validation import normalise_enterprise_number, normalise_phone
from registrations.models import (
    AttendMode,
    ChildcareType,
    Experience,
    LegalForm,
    LocationStatus,
    Qualification,
    Registration,
    Statute,
)


@dataclass
class RegistrationData:
    """What a person tells us when registering. Shape is checked by the form; rules here."""

    first_name: str
    last_name: str
    email: str
    privacy_accepted: bool
    phone: str | None = None
    postcode: str | None = None
    childcare_type: ChildcareType = ChildcareType.ONBEKEND
    planned_places: int | None = None
    planned_start: date | None = None
    legal_form: LegalForm = LegalForm.NOG_NIET_BEPAALD
    enterprise_number: str | None = None
    statute: Statute = Statute.NOG_NIET_BEPAALD
    experience: Experience | None = None
    qualification: Qualification | None = None
    is_21_or_older: bool | None = None
    location: LocationStatus | None = None
    questions: str = ""
    news_opt_in: bool = False
    # On a hybrid session: on site or online (None: on site, unless they were asked; see register).
    attends: AttendMode | None = None
    # Answers to the questions the team defined for the session: key → text (list: several).
    answers: dict | None = None


@dataclass
class Outcome:
    registration: Registration
    # "held" (seat held, confirm by mail), "waitlisted", "already" (nothing changed), "confirmed"
    result: str
    companions: list = field(default_factory=list)  # the companions registered along
    group: list = field(default_factory=list)  # who is where (services.companions.group_summary)
    page_token: str | None = None  # the outcome page's short link, when companions came along


def settings() -> dict:
    """The registration rules an admin sets: the hold, the promotion cut-off, the questions' length."""
    config = current_app.config
    return {
        "hold": timedelta(hours=config.get("CONFIRMATION_HOLD_HOURS", 24)),
        "cutoff": timedelta(hours=config.get("PROMOTION_CUTOFF_HOURS", 12)),
        "questions_max": config.get("QUESTIONS_MAX_LENGTH", 1000),
    }


def _printable(text: str | None, keep: str = "") -> str:
    """Text without control characters: PostgreSQL cannot store a NUL, and nobody types one."""
    return "".join(c for c in (text or "") if c in keep or unicodedata.category(c) != "Cc")


def clean(data: RegistrationData) -> dict:
    """Check the rules on one person's data and return the values to store.

    Every rule is checked, so a person learns of all their mistakes at once: raises DomainError
    for one broken rule, InvalidInput (with each DomainError) for several."""
    errors = Errors()
    if not data.privacy_accepted:
        errors.add(_l("Je moet de privacyverklaring aanvaarden om in te schrijven."), field="privacy")
    first, last = _printable(data.first_name).strip(), _printable(data.last_name).strip()
    for name, value, missing in (
        ("first_name", first, _l("Vul je voornaam in.")),
        ("last_name", last, _l("Vul je achternaam in.")),
    ):
        if not value:
            errors.add(missing, field=name)
        elif len(value) > 100:
            errors.add(_l("Een naam is hoogstens 100 tekens lang."), field=name)
    place = errors.check(lookup_postcode, data.postcode) if (data.postcode or "").strip() else None
    if data.planned_places is not None and not 1 <= data.planned_places <= 500:
        errors.add(_l("Geef een aantal plaatsen tussen 1 en 500."), field="planned_places")
    questions = _printable(data.questions, keep="\r\n\t").strip()
    if len(questions) > settings()["questions_max"]:
        errors.add(
            _l("Je vragen zijn te lang (hoogstens %(n)s tekens).", n=settings()["questions_max"]),
            field="questions",
        )
    enterprise = data.enterprise_number
    values = {
        "first_name": first,
        "last_name": last,
        "email": errors.check(normalise_email, data.email),
        "phone": errors.check(normalise_phone, data.phone) if (data.phone or "").strip() else None,
        "postcode": place.postcode if place else None,
        "municipality": place.municipality if place else None,
        "province": place.province if place else None,
        "childcare_type": data.childcare_type,
        "planned_places": data.planned_places,
        "planned_start": data.planned_start.replace(day=1) if data.planned_start else None,
        "legal_form": data.legal_form,
        "enterprise_number": (
            errors.check(normalise_enterprise_number, enterprise) if (enterprise or "").strip() else None
        ),
        "statute": data.statute,
        "experience": data.experience,
        "qualification": data.qualification,
        "is_21_or_older": data.is_21_or_older,
        "location": data.location,
        "questions": questions,
        "news_opt_in": bool(data.news_opt_in),
    }
    errors.raise_any()
    return values
