"""Dutch (nl-BE) first, English on request; dates read as people write them, in Brussels time."""

from datetime import UTC, date, datetime

import pytest

from app.errors import DomainError
from app.geo import lookup_postcode
from app.i18n import current_language, long_date, long_datetime, month_name, short_time, table_date


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2027, 1, 16, 8, 30, tzinfo=UTC), "zaterdag 16 januari 2027, 09:30"),
        (datetime(2027, 1, 12, 18, 30, tzinfo=UTC), "dinsdag 12 januari 2027, 19:30"),
        (datetime(2027, 7, 13, 17, 30, tzinfo=UTC), "dinsdag 13 juli 2027, 19:30"),  # summer time
        (datetime(2027, 10, 31, 23, 30, tzinfo=UTC), "maandag 1 november 2027, 00:30"),  # next day here
    ],
)
def test_a_moment_reads_in_dutch_on_the_brussels_clock(app, moment, text):
    with app.test_request_context("/"):
        assert long_datetime(moment) == text


def test_dates_months_and_times_read_in_dutch(app):
    with app.test_request_context("/"):
        assert long_date(date(2027, 1, 12)) == "dinsdag 12 januari 2027"
        assert long_date(datetime(2027, 1, 11, 23, 30, tzinfo=UTC)) == "dinsdag 12 januari 2027"
        assert month_name(date(2027, 3, 1)) == "maart 2027"
        assert short_time(datetime(2027, 3, 30, 17, 30, tzinfo=UTC)) == "19:30"
        assert (long_datetime(None), long_date(None), short_time(None)) == ("", "", "")
        assert current_language() == "nl"


def test_every_table_writes_a_moment_one_short_way(app):
    with app.test_request_context("/"):
        assert table_date(datetime(2027, 1, 12, 18, 30, tzinfo=UTC)) == "di 12 jan 2027, 19:30"
        assert table_date(date(2027, 1, 12)) == "di 12 jan 2027"
        assert table_date(None) == ""


def test_a_moment_reads_in_english_when_asked(app):
    with app.test_request_context("/?lang=en"):
        assert long_datetime(datetime(2027, 1, 16, 8, 30, tzinfo=UTC)) == "Saturday 16 January 2027, 09:30"
        assert current_language() == "en"


def test_outside_a_request_messages_and_dates_are_dutch(app):
    """The CLI and the mail worker have no request: they speak the default language."""
    assert long_datetime(datetime(2027, 1, 16, 8, 30, tzinfo=UTC)) == "zaterdag 16 januari 2027, 09:30"
    with pytest.raises(DomainError, match="^Een postcode heeft 4 cijfers, bijvoorbeeld 9000.$"):
        lookup_postcode("90O0")


@pytest.mark.parametrize("path", ["/sessies", "/login"])
def test_the_page_speaks_dutch_unless_english_is_asked_for(client, path):
    assert '<html lang="nl">' in client.get(path).text

    english = client.get(f"{path}?lang=en").text

    assert '<html lang="en">' in english
    assert 'hreflang="nl"' in english  # and the way back to Dutch is on the page


def test_the_language_choice_is_remembered_until_changed(client):
    client.get("/login?lang=en")

    assert '<html lang="en">' in client.get("/sessies").text
    assert '<html lang="nl">' in client.get("/sessies?lang=nl").text
    assert '<html lang="nl">' in client.get("/login").text


@pytest.mark.parametrize("wanted", ["fr", "de", "EN", ""])
def test_an_unknown_language_falls_back_to_dutch(client, wanted):
    assert '<html lang="nl">' in client.get(f"/login?lang={wanted}").text


def test_every_text_in_the_code_has_its_english_translation():
    """Every Dutch string the code and templates mark for translation is in the English
    catalogue, translated and not fuzzy: English on request means English everywhere."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    skipped = {".venv", "tests", "bench", "migrations", "node_modules", "build"}
    wanted = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None},
        directory_filter=lambda path: not (set(Path(path).relative_to(root).parts) & skipped),
    ):
        wanted.add(message[0] if isinstance(message, tuple) else message)
    with (root / "app/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        m.id[0] if isinstance(m.id, tuple) else m.id
        for m in catalogue
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = sorted(wanted - translated)
    assert missing == [], f"{len(missing)} texts without English, e.g. {missing[:5]}"


@pytest.mark.parametrize(
    ("lang", "message", "other"),
    [
        ("nl", "Ongeldig getal.", "Not a valid integer value."),
        ("en", "Not a valid integer value.", "Ongeldig getal."),
    ],
)
def test_the_forms_own_messages_speak_the_pages_language(client, login, lang, message, other):
    """WTForms' built-in messages (a number that is none) follow the visitor's language, request
    after request, whatever the language of the request before."""
    from app.auth.models import Role

    login(Role.ADMIN)
    for _ in range(2):
        for asked in ("en", "nl") if lang == "nl" else ("nl", "en"):
            page = client.post(
                f"/beheer/locaties?lang={asked}",
                data={"name": "Zaal", "street": "Kouter 1", "postcode": "9000", "capacity": "veel"},
            )
        assert page.status_code == 422
        assert message in page.text and other not in page.text
