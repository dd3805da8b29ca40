"""Belgian reference data: postcode → municipality → province (as of the 2025 mergers), the kind
answer for Wallonia, and the ten public holidays."""

from datetime import date

import pytest

from app.errors import DomainError
from app.geo import belgian_holidays, holiday_name, lookup_postcode


@pytest.mark.parametrize(
    ("postcode", "municipality", "province", "label"),
    [
        ("9000", "Gent", "oost-vlaanderen", "Oost-Vlaanderen"),
        ("2000", "Antwerpen", "antwerpen", "Antwerpen"),
        ("3500", "Hasselt", "limburg", "Limburg"),
        ("8000", "Brugge", "west-vlaanderen", "West-Vlaanderen"),
        ("1000", "Brussel", "brussel", "Brussel"),
        ("3000", "Leuven", "vlaams-brabant", "Vlaams-Brabant"),
        ("1500", "Halle", "vlaams-brabant", "Vlaams-Brabant"),
        # merged on 1 January 2025
        ("3700", "Tongeren-Borgloon", "limburg", "Limburg"),
        ("9120", "Beveren-Kruibeke-Zwijndrecht", "oost-vlaanderen", "Oost-Vlaanderen"),
        ("9090", "Merelbeke-Melle", "oost-vlaanderen", "Oost-Vlaanderen"),
        # Zwijndrecht kept its Antwerp postcode but moved to Oost-Vlaanderen with the merger
        ("2070", "Beveren-Kruibeke-Zwijndrecht", "oost-vlaanderen", "Oost-Vlaanderen"),
    ],
)
def test_a_flemish_or_brussels_postcode_gives_its_municipality_and_province(
    app, postcode, municipality, province, label
):
    place = lookup_postcode(postcode)

    assert (place.postcode, place.municipality, place.province) == (postcode, municipality, province)
    assert place.province_label == label


def test_spaces_around_a_postcode_do_not_matter(app):
    assert lookup_postcode(" 9000 ").municipality == "Gent"


@pytest.mark.parametrize("postcode", ["1300", "1499", "4000", "5000", "6000", "7000", "7999"])
def test_a_walloon_postcode_gets_a_kind_explanation(app, postcode):
    with pytest.raises(DomainError) as caught:
        lookup_postcode(postcode, field="venue_postcode")

    assert str(caught.value) == (
        "Deze postcode ligt in Wallonië. Daar is ons agentschap niet bevoegd: voor opvang in Wallonië "
        "kun je terecht bij het ONE (Office de la Naissance et de l'Enfance)."
    )
    assert caught.value.field == "venue_postcode"


@pytest.mark.parametrize("postcode", ["90O0", "123", "", "   ", "90000", "9 00", "B-9000", None])
def test_a_malformed_postcode_gets_a_clear_message(app, postcode):
    with pytest.raises(DomainError) as caught:
        lookup_postcode(postcode)

    assert str(caught.value) == "Een postcode heeft 4 cijfers, bijvoorbeeld 9000."
    assert caught.value.field == "postcode"


@pytest.mark.parametrize("postcode", ["0000", "0999", "9999"])
def test_an_unknown_postcode_is_named_as_such(app, postcode):
    with pytest.raises(DomainError, match="^Deze postcode kennen we niet. Controleer hem even.$"):
        lookup_postcode(postcode)


def test_the_ten_belgian_public_holidays_of_2027():
    assert belgian_holidays(2027) == {
        date(2027, 1, 1): "Nieuwjaar",
        date(2027, 3, 29): "Paasmaandag",
        date(2027, 5, 1): "Dag van de Arbeid",
        date(2027, 5, 6): "O.L.H. Hemelvaart",
        date(2027, 5, 17): "Pinkstermaandag",
        date(2027, 7, 21): "Nationale feestdag",
        date(2027, 8, 15): "O.L.V. Hemelvaart",
        date(2027, 11, 1): "Allerheiligen",
        date(2027, 11, 11): "Wapenstilstand",
        date(2027, 12, 25): "Kerstmis",
    }


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 3, 29), "Paasmaandag"),
        (date(2026, 4, 6), "Paasmaandag"),  # Easter moves every year
        (date(2028, 4, 17), "Paasmaandag"),
        (date(2028, 6, 5), "Pinkstermaandag"),
        (date(2027, 3, 28), None),  # Easter Sunday is a Sunday, not a legal holiday of its own
        (date(2027, 12, 26), None),  # Boxing Day is not a holiday in Belgium
        (date(2027, 3, 9), None),
    ],
)
def test_holiday_name_names_the_day_or_nothing(day, name):
    assert holiday_name(day) == name
