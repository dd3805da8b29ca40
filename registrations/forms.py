from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from app.forms import Form, MonthYearField, Rule, years_around
from app.geo import lookup_postcode
from app.labels import options
from app.validation import normalise_enterprise_number, normalise_phone
from registrations import labels

YES_NO = [("ja", _l("Ja")), ("nee", _l("Nee"))]
# The years a planned start can be in (the session page's cached form fields are keyed by them).
PLANNED_START_YEARS = years_around(1, 6)


# The person's fields as every public form asks them (registration, intake request): made by
# functions, so each form gets its own field, in its own place in the form.


def first_name_field():
    return StringField(
        _l("Voornaam"),
        validators=[DataRequired(message=_l("Vul je voornaam in.")), Length(max=100)],
        render_kw={"autocomplete": "given-name"},
    )


def last_name_field():
    return StringField(
        _l("Achternaam"),
        validators=[DataRequired(message=_l("Vul je achternaam in.")), Length(max=100)],
        render_kw={"autocomplete": "family-name"},
    )


def email_field(description=""):
    return EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(message=_l("Vul je e-mailadres in.")),
            Email(message=_l("Dit is geen geldig e-mailadres.")),
            Length(max=254),
        ],
        description=description,
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


def phone_field(label=None, description=""):
    return TelField(
        label or _l("Telefoon (niet verplicht)"),
        validators=[Optional(), Length(max=30), Rule(normalise_phone)],
        description=description,
        render_kw={"autocomplete": "tel"},
    )


def postcode_field(label=None, description=""):
    # lookup_postcode says what is wrong (not 4 digits, Wallonia, unknown) in one message.
    return StringField(
        label or _l("Postcode van de geplande opvanglocatie"),
        validators=[Optional(), Rule(lookup_postcode)],
        description=description,
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 4},
    )


def childcare_type_field():
    return RadioField(
        _l("Welke opvang plan je?"),
        choices=labels.choices(labels.CHILDCARE_TYPES),
        default="onbekend",
        validators=[InputRequired()],
    )


def honeypot_field():
    """A field people never see; simple bots fill in every field they find."""
    return StringField(
        _l("Laat dit veld leeg"), validators=[Optional()], render_kw={"autocomplete": "off", "tabindex": "-1"}
    )


class RegistrationForm(Form):
    """Shape and format: every field is checked in one go, the format rules (phone, postcode and
    its region, enterprise number) through their one implementation in app.validation and
    app.geo (`Rule`), so one answer lists every mistake. The service checks them again for
    callers without a form; the rules that need the database (capacity, duplicates) live only
    there."""

    first_name = first_name_field()
    last_name = last_name_field()
    email = email_field(_l("We sturen je een mail om je inschrijving te bevestigen."))
    # Asked only on a hybrid session's page (the service requires the answer there).
    attends = RadioField(
        _l("Ter plaatse of online?"),
        choices=options([("on_site", _l("Ter plaatse")), ("online", _l("Online"))]),
        validators=[Optional()],
    )
    phone = phone_field()
    postcode = postcode_field(
        description=_l("Weet je het nog niet precies? Geef de postcode van je gemeente."),
    )
    childcare_type = childcare_type_field()
    planned_places = IntegerField(
        _l("Aantal geplande plaatsen"),
        validators=[Optional(), NumberRange(min=1, max=500)],
        render_kw={"inputmode": "numeric"},
    )
    planned_start = MonthYearField(
        _l("Geplande start"),
        validators=[Optional()],
        years=PLANNED_START_YEARS,
    )
    legal_form = SelectField(
        _l("Ondernemingsvorm"), choices=labels.choices(labels.LEGAL_FORMS), default="nog_niet_bepaald"
    )
    enterprise_number = StringField(
        _l("Ondernemingsnummer (als je het al hebt)"),
        validators=[Optional(), Length(max=20), Rule(normalise_enterprise_number)],
        description=_l("Bijvoorbeeld 0566.988.259."),
    )
    statute = SelectField(_l("Statuut"), choices=labels.choices(labels.STATUTES), default="nog_niet_bepaald")
    experience = SelectField(
        _l("Ervaring in de kinderopvang"),
        choices=options([("", _l("— kies —"))] + labels.choices(labels.EXPERIENCE)),
        validators=[Optional()],
    )
    qualification = RadioField(
        _l("Heb je een kwalificatie voor de kinderopvang?"),
        choices=labels.choices(labels.QUALIFICATIONS),
        validators=[Optional()],
    )
    is_21_or_older = RadioField(
        _l("Ben je 21 jaar of ouder?"), choices=options(YES_NO), validators=[Optional()]
    )
    location = RadioField(
        _l("Heb je al een locatie?"), choices=labels.choices(labels.LOCATIONS), validators=[Optional()]
    )
    questions = TextAreaField(
        _l("Je vragen voor de presentator (niet verplicht)"),
        validators=[Optional(), Length(max=1000, message=_l("Hoogstens 1000 tekens."))],
        description=_l("We bundelen de vragen, zonder namen, en beantwoorden ze tijdens de sessie."),
        render_kw={"maxlength": 1000, "rows": 4},
    )
    privacy = BooleanField(
        _l(
            "Ik heb de privacyverklaring gelezen en ga akkoord dat mijn gegevens gebruikt worden "
            "voor deze infosessie en het starterstraject."
        ),
        validators=[DataRequired(message=_l("Je moet de privacyverklaring aanvaarden om in te schrijven."))],
    )
    news_opt_in = BooleanField(_l("Hou me op de hoogte van latere infosessies (niet verplicht)."))
    website = honeypot_field()


class MoveChoiceForm(Form):
    """Choosing another date on the manage page: a GET to the confirm page, which changes
    nothing (so no CSRF token in the address); the confirm page's button does the move."""

    class Meta(Form.Meta):
        csrf = False

    naar = RadioField(_l("Kies een andere datum"), coerce=int, validate_choice=False)


# Companions (a partner, a co-founder): up to three, each a row of optional fields, and what to do
# when not all fit. Added after the class so the person's own fields keep their order.
COMPANION_ROWS = (1, 2, 3)
for _n in COMPANION_ROWS:
    setattr(
        RegistrationForm,
        f"companion_{_n}_first_name",
        StringField(
            _l("Voornaam van persoon %(n)s", n=_n),
            validators=[Optional(), Length(max=100)],
            render_kw={"autocomplete": "off"},
        ),
    )
    setattr(
        RegistrationForm,
        f"companion_{_n}_last_name",
        StringField(
            _l("Achternaam van persoon %(n)s", n=_n),
            validators=[Optional(), Length(max=100)],
            render_kw={"autocomplete": "off"},
        ),
    )
    setattr(
        RegistrationForm,
        f"companion_{_n}_email",
        EmailField(
            _l("E-mailadres van persoon %(n)s (niet verplicht)", n=_n),
            validators=[Optional(), Email(message=_l("Dit is geen geldig e-mailadres.")), Length(max=254)],
            description=_l("Dan krijgt die persoon ook zelf een mail, met een eigen link."),
            render_kw={"autocomplete": "off", "inputmode": "email"},
        ),
    )
RegistrationForm.when_full = RadioField(
    _l("Als er niet genoeg plaatsen meer zijn voor iedereen"),
    choices=options(
        [
            ("together", _l("Zet ons allemaal samen op de wachtlijst")),
            ("split", _l("Neem de vrije plaatsen en zet de rest op de wachtlijst")),
        ]
    ),
    default="together",
    validators=[Optional()],
)
