"""Months, page numbers and ids from an address: one parser each, shape and range checked."""

from datetime import date

import pytest

from app.parsing import (
    MAX_ID,
    MAX_PAGE,
    InvalidValue,
    id_or_none,
    page_or_first,
    parse_id,
    parse_month,
    parse_page,
    parse_page_size,
)


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("2027-01", date(2027, 1, 1)),
        ("1900-01", date(1900, 1, 1)),
        ("2999-12", date(2999, 12, 1)),
        ("", None),
    ],
)
def test_a_month_is_read_as_its_first_day(raw, month):
    assert parse_month(raw) == month


@pytest.mark.parametrize(
    "raw",
    [
        "0000-01",
        "0001-01",
        "1899-12",
        "3000-01",
        "9999-12",
        "2027-13",
        "2027-00",
        "2027-1",
        "januari",
        "٢٠٢٧-٠١",
    ],
)
def test_a_month_out_of_range_or_malformed_is_refused_in_dutch(app, raw):
    with pytest.raises(InvalidValue) as caught:
        parse_month(raw)
    assert "JJJJ-MM" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "page"),
    [("", 1), ("1", 1), ("7", 7), ("007", 7), ("5.0", 5), ("1e3", 1000), (str(MAX_PAGE), MAX_PAGE)],
)
def test_a_page_number_is_a_whole_number_from_one(raw, page):
    assert parse_page(raw) == page


@pytest.mark.parametrize(
    "raw", ["0", "-1", "1.5", "twee", str(MAX_PAGE + 1), "9" * 30, "1e400", "1e-400", "١", " 1"]
)
def test_a_bad_page_number_is_refused_and_a_link_shows_the_first_page(app, raw):
    with pytest.raises(InvalidValue):
        parse_page(raw)
    assert page_or_first(raw) == 1


@pytest.mark.parametrize(
    ("raw", "size"),
    [("", 20), ("1", 1), ("100", 100), ("101", 100), ("9" * 5000, 100), ("1e400", 100), ("5.0", 5)],
)
def test_a_page_size_above_the_maximum_becomes_the_maximum(raw, size):
    assert parse_page_size(raw, default=20, maximum=100) == size


@pytest.mark.parametrize("raw", ["0", "-5", "1.5", "veel", "-1e400"])
def test_a_page_size_that_is_no_positive_whole_number_is_refused(app, raw):
    with pytest.raises(InvalidValue):
        parse_page_size(raw, default=20, maximum=100)


def test_an_id_fits_a_64_bit_column_or_is_no_id(app):
    assert parse_id("42") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id("") is None
    for raw in ["0", "-1", str(MAX_ID + 1), str(2**64), "9" * 40, "4.0", "abc", "١٢"]:
        with pytest.raises(InvalidValue):
            parse_id(raw)
        assert id_or_none(raw) is None
