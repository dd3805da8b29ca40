"""Codes that are never free text: enterprise numbers (modulo 97) and phone numbers (E.164)."""

import pytest

from app.errors import DomainError
from app.validation import display_phone, normalise_enterprise_number, normalise_phone, phone_link


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0566.988.259", "0566.988.259"),
        ("0566988259", "0566.988.259"),
        ("BE 0566 988 259", "0566.988.259"),
        ("be0566.988.259", "0566.988.259"),
        (" BE0566-988-259 ", "0566.988.259"),
        ("566988259", "0566.988.259"),  # the old nine-digit notation
        ("1000.000.021", "1000.000.021"),  # the new range starts with 1
    ],
)
def test_a_valid_enterprise_number_is_stored_as_0123_456_789(app, typed, stored):
    assert normalise_enterprise_number(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0566.988.258", "controlegetal"),  # wrong check digits
        ("0566.988.295", "controlegetal"),
        ("05669882590", "10 cijfers"),  # 11 digits
        ("2566.988.259", "begint met 0 of 1"),  # first digit 2
        ("0566.98.25", "10 cijfers"),  # 8 digits
        ("BE 0566 98A 259", "10 cijfers"),
        ("", "10 cijfers"),
        ("NL 0566 988 259", "10 cijfers"),
    ],
)
def test_a_wrong_enterprise_number_is_refused_in_dutch(app, typed, message):
    with pytest.raises(DomainError) as refused:
        normalise_enterprise_number(typed)
    assert message in str(refused.value)
    assert refused.value.field == "enterprise_number"


@pytest.mark.parametrize("typed", ["0²²²²²²²²²", "０５６６９８８２５９", "٠٥٦٦٩٨٨٢٥٩"])
def test_digits_that_are_not_ascii_are_refused_like_any_other_typo(app, typed):
    # str.isdigit() says yes to all of these, and int() chokes on the superscripts.
    with pytest.raises(DomainError) as refused:
        normalise_enterprise_number(typed)
    assert "10 cijfers" in str(refused.value)


def test_the_field_name_follows_the_form(app):
    with pytest.raises(DomainError) as refused:
        normalise_enterprise_number("123", field="kbo")
    assert refused.value.field == "kbo"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 12 34 56", "+32470123456"),  # mobile
        ("0470/12.34.56", "+32470123456"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0032 470 12 34 56", "+32470123456"),
        ("09 264 52 11", "+3292645211"),  # landline, Ghent
        ("02 553 11 11", "+3225531111"),  # landline, Brussels
        ("+31 20 123 4567", "+31201234567"),  # Amsterdam
        ("+33 1 42 68 53 00", "+33142685300"),  # Paris
    ],
)
def test_a_phone_number_is_stored_in_e164(app, typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["garbage", "0470", "0470 12 34 56 78 90", "12", "+32 0", "bel me maar", "", "+999 123 456 789"],
)
def test_a_phone_number_that_cannot_be_right_is_refused_in_dutch(app, typed):
    with pytest.raises(DomainError) as refused:
        normalise_phone(typed)
    assert "telefoonnummer" in str(refused.value)
    assert refused.value.field == "phone"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+32479667452", "0479 66 74 52"),  # a Belgian mobile, read nationally
        ("+3292234567", "09 223 45 67"),
        ("+31612345678", "+31 6 12345678"),  # a foreign number keeps its country code
        ("0479667452", "0479 66 74 52"),  # stored before numbers were normalised
        ("ring me", "ring me"),  # unreadable: shown as stored
        (None, ""),
    ],
)
def test_a_phone_number_reads_nationally(stored, shown):
    assert display_phone(stored) == shown


def test_a_phone_link_dials_the_full_number():
    assert phone_link("0479 66 74 52") == "+32479667452"
