"""Forms of the dossier pages: shape and format (the format rules through `app.forms.Rule`, so
every mistake shows in one round); the rules that need the database live in dossiers.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
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
from dossiers import models as labels
from registrations import labels as registration_labels
from sessions.forms import MultiCheckboxField

YES_NO_UNKNOWN = [("", _l("— niet bekend —")), ("ja", _l("Ja")), ("nee", _l("Nee"))]


class DossierForm(Form):
    organiser_kind = RadioField(
        _l("De organisator is"),
        choices=labels.choices(labels.ORGANISER_KINDS),
        default="person",
        validators=[InputRequired()],
    )
    organisation_name = StringField(
        _l("Naam van de organisatie"),
        validators=[Optional(), Length(max=200)],
        description=_l("Enkel voor een organisatie (BV, vzw, …)."),
    )
    first_name = StringField(_l("Voornaam contactpersoon"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Achternaam contactpersoon"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    phone = TelField(_l("Telefoon"), validators=[Optional(), Length(max=30), Rule(normalise_phone)])
    legal_form = SelectField(
        _l("Ondernemingsvorm"),
        choices=registration_labels.choices(registration_labels.LEGAL_FORMS),
        default="nog_niet_bepaald",
    )
    enterprise_number = StringField(
        _l("Ondernemingsnummer"),
        validators=[Optional(), Length(max=20), Rule(normalise_enterprise_number)],
        description=_l("Bijvoorbeeld 0566.988.259."),
    )
    statute = SelectField(
        _l("Statuut"),
        choices=registration_labels.choices(registration_labels.STATUTES),
        default="nog_niet_bepaald",
    )
    is_21_or_older = SelectField(_l("De organisator is 21 jaar of ouder"), choices=options(YES_NO_UNKNOWN))
    childcare_type = SelectField(
        _l("Type opvang"),
        choices=options([("", _l("— kies —")), *labels.choices(labels.DOSSIER_TYPE_LABELS)]),
        validators=[DataRequired(message=_l("Kies het type opvang."))],
    )
    street = StringField(_l("Adres van de opvanglocatie (straat en nummer)"), validators=[Length(max=200)])
    postcode = StringField(
        _l("Postcode"),
        validators=[DataRequired(), Rule(lookup_postcode)],
        render_kw={"inputmode": "numeric", "maxlength": 4},
    )
    planned_places = IntegerField(
        _l("Aantal geplande plaatsen"), validators=[Optional(), NumberRange(min=1, max=500)]
    )
    planned_start = MonthYearField(
        _l("Geplande start"),
        validators=[Optional()],
        years=years_around(2, 6),
    )
    owner_id = SelectField(_l("Dossierbeheerder"), coerce=lambda v: int(v) if v else None)


class TransitionForm(Form):
    target = HiddenField(validators=[DataRequired()])


class ItemForm(Form):
    status = SelectField(_l("Status"), choices=[])
    comment = TextAreaField(_l("Opmerking"), validators=[Optional(), Length(max=2000)])
    due_on = DateField(_l("Gevraagd tegen"), validators=[Optional()])


class OwnerForm(Form):
    owner_id = SelectField(_l("Dossierbeheerder"), coerce=lambda v: int(v) if v else None)


class ArgumentForm(Form):
    side = RadioField(
        _l("Argument"),
        choices=labels.choices(labels.ARGUMENT_SIDES),
        default="for",
        validators=[InputRequired()],
    )
    text = TextAreaField(_l("Argument"), validators=[DataRequired(), Length(max=2000)])


class ProposalForm(Form):
    analysis = TextAreaField(_l("Analyse"), validators=[Optional(), Length(max=20_000)])
    outcome = RadioField(
        _l("Voorstel"), choices=labels.choices(labels.PROPOSAL_OUTCOMES), validators=[Optional()]
    )
    text = TextAreaField(
        _l("Tekst van het voorstel van beslissing"), validators=[Optional(), Length(max=20_000)]
    )


class ComplaintForm(Form):
    kind = SelectField(_l("Soort"), choices=labels.choices(labels.COMPLAINT_KINDS))
    received_on = DateField(_l("Ontvangen op"), validators=[InputRequired()])
    channel = SelectField(_l("Kanaal"), choices=labels.choices(labels.COMPLAINT_CHANNELS))
    summary = TextAreaField(_l("Samenvatting"), validators=[DataRequired(), Length(max=5000)])
    follow_up = TextAreaField(_l("Opvolging"), validators=[Optional(), Length(max=5000)])


class ComplaintFollowUpForm(Form):
    follow_up = TextAreaField(_l("Opvolging"), validators=[Optional(), Length(max=5000)])
    closed_on = DateField(_l("Afgehandeld op"), validators=[Optional()])


class UploadForm(Form):
    item_id = SelectField(_l("Welk document stuur je?"), coerce=int, validators=[InputRequired()])
    file = FileField(_l("Bestand"), validators=[FileRequired(message=_l("Kies een bestand."))])


class ElementForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Uitleg voor de organisator"), validators=[Optional(), Length(max=2000)])
    types = MultiCheckboxField(
        _l("Nodig voor"), choices=labels.choices(labels.DOSSIER_TYPE_LABELS), validators=[DataRequired()]
    )
    required = BooleanField(_l("Verplicht voor een volledig dossier"))
    record_only = BooleanField(_l("Enkel noteren dat het gecontroleerd is (nooit bewaren)"))
    active = BooleanField(_l("In gebruik voor nieuwe dossiers"))
