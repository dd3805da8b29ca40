"""Language choice and date formatting: Dutch (nl-BE) first, English on request."""

from datetime import date, datetime

from babel import Locale
from flask import has_request_context, request, session
from flask_babel import format_date, format_datetime, format_time, get_locale

# Parsed once: Flask-Babel hands the selector's answer to Locale.parse, which takes a Locale as is.
LOCALES = {"nl": Locale.parse("nl_BE"), "en": Locale.parse("en_GB")}
DUTCH = LOCALES["nl"]


def select_locale() -> Locale | None:
    """Dutch unless the visitor chose English (`?lang=en`, remembered in the session)."""
    if not has_request_context():
        return None  # the CLI and workers: Flask-Babel falls back to the default locale (nl_BE)
    wanted = request.args.get("lang")
    if request.path.startswith("/api/"):
        # The API is cached publicly: its language follows the URL only, never a cookie.
        return LOCALES.get(wanted, DUTCH)
    if wanted in LOCALES:
        session["lang"] = wanted
    return LOCALES.get(session.get("lang", "nl"), DUTCH)


def current_language() -> str:
    return str(get_locale() or "nl").split("_")[0]


def long_datetime(value: datetime | None) -> str:
    """'zaterdag 16 januari 2027, 09:30' in Europe/Brussels."""
    if value is None:
        return ""
    return format_datetime(value, "EEEE d MMMM y, HH:mm")


def long_date(value: date | datetime | None) -> str:
    """'zaterdag 16 januari 2027'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "EEEE d MMMM y")
    return format_date(value, "EEEE d MMMM y")


def short_time(value: datetime | None) -> str:
    return "" if value is None else format_time(value, "HH:mm")


def table_date(value: date | datetime | None) -> str:
    """The one date format of every table: 'ma 7 dec 2026, 19:30' (a date alone: 'ma 7 dec 2026').
    Short enough for a column, with the weekday a planner looks for."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "EEE d MMM y, HH:mm")
    return format_date(value, "EEE d MMM y")


def month_name(value: date) -> str:
    """'januari 2027'."""
    return format_date(value, "LLLL y")


def init_app(app) -> None:
    from app.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    from app.validation import display_phone, phone_link

    app.jinja_env.filters.update(
        long_datetime=long_datetime,
        long_date=long_date,
        short_time=short_time,
        month_name=month_name,
        table_date=table_date,
        phone=display_phone,
        phone_link=phone_link,
    )
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["LANGUAGES"] = app.config["LANGUAGES"]
