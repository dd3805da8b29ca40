"""Forms of the leads and intake pages. Shape only; the rules live in the services."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import Form
from app.geo import PROVINCES
from app.labels import options
from dossiers.leads.capture import MESSAGE_MAX
from dossiers.leads.models import Assessment, Guidance, LeadTrigger, SlotMode
from dossiers.leads.services import TRIGGER_LABELS
from registrations import labels
from registrations.forms import (
    childcare_type_field,
    email_field,
    first_name_field,
    honeypot_field,
    last_name_field,
    phone_field,
    postcode_field,
)
from sessions.forms import MultiCheckboxField

ASSESSMENTS = [
    (Assessment.SUFFICIENT.value, _l("Voldoende beleidsvoerend vermogen")),
    (Assessment.DOUBTFUL.value, _l("Twijfel: verder opvolgen")),
    (Assessment.INSUFFICIENT.value, _l("Onvoldoende beleidsvoerend vermogen")),
]
GUIDANCE = [
    (Guidance.NOT_NEEDED.value, _l("Geen begeleidingstraject nodig")),
    (Guidance.RECOMMENDED.value, _l("Begeleidingstraject aangeraden")),
    (Guidance.REQUIRED.value, _l("Begeleidingstraject verplicht")),
]
MODES = [(SlotMode.ON_SITE.value, _l("Ter plaatse")), (SlotMode.ONLINE.value, _l("Online"))]


class IntakeRequestForm(Form):
    first_name = first_name_field()
    last_name = last_name_field()
    email = email_field()
    phone = phone_field(description=_l("Dan kunnen we je ook even bellen."))
    postcode = postcode_field(_l("Postcode van de geplande opvanglocatie (niet verplicht)"))
    childcare_type = childcare_type_field()
    message = TextAreaField(
        _l("Je bericht (niet verplicht)"),
        validators=[Optional(), Length(max=MESSAGE_MAX, message=_l("Hoogstens 2000 tekens."))],
        description=_l("Waar sta je nu, en wat wil je graag bespreken?"),
        render_kw={"rows": 4, "maxlength": MESSAGE_MAX},
    )
    privacy = BooleanField(
        _l(
            "Ik heb de privacyverklaring gelezen en ga akkoord dat mijn gegevens gebruikt worden "
            "voor het starterstraject."
        ),
        validators=[DataRequired(message=_l("Je moet de privacyverklaring aanvaarden."))],
    )
    website = honeypot_field()


class PickForm(Form):
    slot_id = RadioField(
        _l("Kies een moment"),
        coerce=int,
        validate_choice=False,  # the service says whether the slot is still free
        validators=[InputRequired(message=_l("Kies een moment."))],
    )


class StatusForm(Form):
    status = SelectField(_l("Nieuwe status"), validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reden (nodig bij afvoeren)"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 2}
    )


class OwnerForm(Form):
    owner_id = SelectField(_l("Eigenaar"), validate_choice=False)


class CallbackForm(Form):
    callback_on = DateField(_l("Terugbellen op"), validators=[Optional()])


class NoteForm(Form):
    body = TextAreaField(
        _l("Notitie"),
        validators=[DataRequired(message=_l("Schrijf eerst iets in de notitie.")), Length(max=5000)],
        render_kw={"rows": 3},
    )


class RuleForm(Form):
    name = StringField(_l("Naam van de regel"), validators=[DataRequired(), Length(max=120)])
    trigger = RadioField(
        _l("Wanneer"),
        choices=options([(t.value, label) for t, label in TRIGGER_LABELS.items()]),
        default=LeadTrigger.ATTENDANCE.value,
        validators=[InputRequired()],
    )
    active = BooleanField(_l("Actief"), default=True)
    childcare_types = MultiCheckboxField(
        _l("Type opvang (niets aangevinkt: elk type)"), choices=labels.choices(labels.CHILDCARE_TYPES)
    )
    provinces = MultiCheckboxField(
        _l("Provincie (niets aangevinkt: overal)"), choices=options(PROVINCES.items())
    )
    legal_forms = MultiCheckboxField(
        _l("Ondernemingsvorm (niets aangevinkt: elke vorm)"), choices=labels.choices(labels.LEGAL_FORMS)
    )
    start_within_months = IntegerField(
        _l("Geplande start binnen zoveel maanden (leeg: om het even)"),
        validators=[Optional(), NumberRange(min=1, max=60)],
    )


class SlotForm(Form):
    day = DateField(_l("Dag"), validators=[InputRequired(message=_l("Kies een dag."))])
    start = TimeField(_l("Begint om"), validators=[InputRequired(message=_l("Kies een uur."))])
    minutes = IntegerField(
        _l("Duur in minuten"), default=60, validators=[InputRequired(), NumberRange(min=15, max=240)]
    )
    mode = RadioField(
        _l("Waar"), choices=options(MODES), default=SlotMode.ON_SITE.value, validators=[InputRequired()]
    )
    venue_id = SelectField(_l("Locatie"), validate_choice=False)
    address = StringField(_l("Of een ander adres"), validators=[Optional(), Length(max=300)])
    meeting_url = StringField(
        _l("Vergaderlink (online)"), validators=[Optional(), Length(max=500)], render_kw={"inputmode": "url"}
    )
    staff_id = SelectField(_l("Medewerker"), validate_choice=False)


class OutcomeForm(Form):
    assessment = RadioField(
        _l("Beleidsvoerend vermogen"),
        choices=options(ASSESSMENTS),
        validators=[InputRequired(message=_l("Kies een oordeel."))],
    )
    guidance = RadioField(
        _l("Begeleidingstraject"),
        choices=options(GUIDANCE),
        validators=[InputRequired(message=_l("Kies een optie."))],
    )
    exemption_intake = BooleanField(_l("Vrijstelling van het kennismakingsgesprek toegekend"))
    exemption_guidance = BooleanField(_l("Vrijstelling van het begeleidingstraject toegekend"))
    notes = TextAreaField(_l("Toelichting"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 5})
