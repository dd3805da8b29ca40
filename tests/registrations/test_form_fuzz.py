"""Whatever is typed (or sent by a script) into the registration form: never a 500.

Either the form is accepted (a redirect to the check-your-mail page) or it comes back as a 422
with a Dutch message next to a field, and then nothing was stored and no mail was queued.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.auth.services import normalise_email
from app.errors import DomainError
from app.extensions import db
from app.outbox.models import OutboxMessage
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession
from tests.support.registrations import FORM_DEFAULTS

ENGLISH = re.compile(r"\b(not a valid|this field|invalid|field must|must be|required|please|between)\b", re.I)
ERROR = re.compile(r'<p class="error-message" id="([a-z0-9_]+)-error" role="alert">(.*?)</p>', re.S)
ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

ODD = [
    "",
    " ",
    "\x00",
    "An\x00",
    "\u202eAnna",  # right-to-left override
    "²²²²",
    "０５６６９８８２５９",
    "0²²²²²²²²²",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "Zoë O'Brien-Ça",
    "😀" * 40,
    "\r\n\t",
    "9" * 5000,
    "x" * 100_000,
]


def nasty_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=40),
        st.text(max_size=400),
        st.sampled_from(ODD),
        st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=8), st.text(max_size=8)),
        st.integers(min_value=90, max_value=1200).map(lambda n: "é" * n),
    )


def field(*valid: str) -> st.SearchStrategy[str | None]:
    """Mostly something a person could type, often garbage, sometimes left out entirely."""
    return st.one_of(st.sampled_from(valid), nasty_text(), st.none())


CHOICES = {
    "childcare_type": ("gezinsopvang", "groepsopvang", "bso", "onbekend"),
    "legal_form": ("eenmanszaak", "bv", "vof", "commv", "maatschap", "vzw", "feitelijke_vereniging"),
    "statute": ("zelfstandige", "onthaalouder_sui_generis", "nog_niet_bepaald"),
    "experience": ("", "geen", "minder_dan_2_jaar", "2_tot_5_jaar", "meer_dan_5_jaar"),
    "qualification": ("ja", "in_opleiding", "nee"),
    "is_21_or_older": ("ja", "nee"),
    "location": ("gevonden", "op_zoek", "nog_niet"),
}

form_data = st.fixed_dictionaries(
    {
        "first_name": field("An", "Zoë", "Jean-Pierre"),
        "last_name": field("Peeters", "Van den Broeck", "N'Diaye"),
        "email": field("an@example.com", "zoë@example.be", "jp@sub.example.org", "AN@EXAMPLE.COM", "a@b"),
        "phone": field("0470 12 34 56", "09 264 52 11", "+31 20 123 4567", ""),
        "postcode": field("9000", "3700", "1000", "4000", "1300", "0000", ""),
        "planned_places": field("8", "0", "-1", "501", "1e3", ""),
        "planned_start": field("2027-09", "2027-13", "09-2027", ""),
        "enterprise_number": field("0566.988.259", "BE 0566 988 259", "0566.988.258", ""),
        "questions": field("Hoeveel kost een brandveiligheidsattest?", ""),
        "privacy": field("y", "y", "y", ""),
        "news_opt_in": field("y", ""),
        # The honeypot: left empty by people, now and then filled in by a bot.
        "website": st.integers(0, 9).flatmap(lambda n: st.just("") if n < 9 else nasty_text()),
        **{name: field(*values) for name, values in CHOICES.items()},
    }
)


@st.composite
def one_field_off(draw) -> dict[str, str]:
    """A careful person's form with one field garbled: each field's refusal seen on its own."""
    name = draw(st.sampled_from(sorted(set(FORM_DEFAULTS) - {"website"})))
    address = f"persoon{draw(st.integers(0, 10**6))}@example.com"
    return {**FORM_DEFAULTS, "email": address, name: draw(nasty_text())}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _state(session_id: int) -> tuple[int, int, int, int]:
    db.session.rollback()
    session = db.session.get(InfoSession, session_id, populate_existing=True)
    return _count(Registration), _count(OutboxMessage), session.seats_taken, session.waitlist_count


def _active(session_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.session_id == session_id, Registration.status.in_(ACTIVE))
    )


def _registered(session_id: int, typed_email: str) -> bool:
    try:
        address = normalise_email(typed_email)
    except DomainError:
        return False
    found = select(Registration.id).where(
        Registration.session_id == session_id, Registration.email == address
    )
    return db.session.scalar(found) is not None


def test_any_input_gives_a_redirect_or_a_dutch_422_never_a_500(client, make_session):
    session = make_session(capacity=3)
    url = f"/sessies/{session.id}/inschrijven"

    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @example(dict(FORM_DEFAULTS))
    @example({**FORM_DEFAULTS, "email": "nul@example.com", "first_name": "An\x00", "questions": "a\x00b"})
    @example({**FORM_DEFAULTS, "postcode": "²²²²"})
    @example({**FORM_DEFAULTS, "enterprise_number": "0²²²²²²²²²"})
    @example({**FORM_DEFAULTS, "planned_places": "9" * 5000})
    @example({**FORM_DEFAULTS, "email": "blank@example.com", "qualification": " ", "experience": "\t"})
    @given(data=st.one_of(form_data, one_field_off()))
    def post(data):
        body = {name: value for name, value in data.items() if value is not None}
        before = _state(session.id)
        response = client.post(url, data=body)
        after = _state(session.id)

        assert response.status_code in (302, 422), response.status_code
        if response.status_code == 302:
            assert response.location.endswith(f"/sessies/{session.id}/ingeschreven")
            if body.get("website"):
                assert after == before  # the honeypot: nothing kept
            else:
                assert after[0] in (before[0], before[0] + 1)
                assert _registered(session.id, body["email"])
        else:
            assert after == before, "a refused form stored something"
            html = response.get_data(as_text=True)
            assert '<html lang="nl"' in html
            errors = [(name, re.sub(r"<[^>]+>", "", text).strip()) for name, text in ERROR.findall(html)]
            assert errors, "a 422 without a message next to a field"
            for name, message in errors:
                assert message, f"an empty message next to {name}"
                assert not ENGLISH.search(message), f"{name}: {message!r} is not Dutch"
        seats_taken, waitlist = after[2], after[3]
        assert seats_taken <= session.capacity
        assert seats_taken + waitlist == _active(session.id)

    post()
