"""Forms of the experts' registration pages: shape and format (the format rules through
`app.forms.Rule`); the rules that need the database live in the services."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import Form
from app.labels import options
from registrations import labels
from registrations.forms import phone_field, postcode_field


class StaffRegistrationForm(Form):
    """Someone registered by an expert (on the phone, at the desk): the short version."""

    first_name = StringField(
        _l("Voornaam"), validators=[DataRequired(message=_l("Vul de voornaam in.")), Length(max=100)]
    )
    last_name = StringField(
        _l("Achternaam"), validators=[DataRequired(message=_l("Vul de achternaam in.")), Length(max=100)]
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(message=_l("Vul het e-mailadres in.")),
            Email(message=_l("Dit is geen geldig e-mailadres.")),
            Length(max=254),
        ],
        description=_l("De persoon krijgt hier de bevestiging en de herinneringen."),
    )
    # Shown only for a hybrid session; elsewhere the session says how people attend.
    attends = RadioField(
        _l("Ter plaatse of online?"),
        choices=options([("on_site", _l("Ter plaatse")), ("online", _l("Online"))]),
        default="on_site",
        validators=[Optional()],
    )
    phone = phone_field()
    postcode = postcode_field(_l("Postcode van de geplande opvanglocatie (niet verplicht)"))
    childcare_type = SelectField(
        _l("Type opvang"), choices=labels.choices(labels.CHILDCARE_TYPES), default="onbekend"
    )
    privacy = BooleanField(
        _l("De persoon gaf toestemming voor de privacyverklaring"),
        validators=[
            DataRequired(
                message=_l("Zonder toestemming voor de privacyverklaring kun je niemand inschrijven.")
            )
        ],
        description=_l("Lees de kern van de privacyverklaring voor en vraag of de persoon akkoord gaat."),
    )
    over_capacity = BooleanField(
        _l("Ook als de sessie volzet is"),
        description=_l("Zonder dit vinkje komt de persoon op de wachtlijst als er geen plaats meer is."),
    )


class MoveForm(Form):
    target_session_id = SelectField(
        _l("Verplaatsen naar"),
        coerce=lambda value: int(value) if str(value or "").isdigit() else None,
        validate_choice=False,  # the service says which sessions are open for a move
        validators=[DataRequired(message=_l("Kies de sessie waarnaar je de persoon verplaatst."))],
    )
