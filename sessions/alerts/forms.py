"""The form to ask for session alerts."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField
from wtforms.validators import DataRequired, Email, Length

from app.forms import Form
from app.geo import PROVINCES
from app.labels import options


class AlertForm(Form):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(message=_l("Vul je e-mailadres in.")),
            Email(message=_l("Dit is geen geldig e-mailadres.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    province = SelectField(_l("Provincie"), choices=[], validate_choice=False)
    topic = SelectField(_l("Thema"), choices=[], validate_choice=False)
    include_online = BooleanField(_l("Ook sessies die ik online kan volgen"), default=True)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = options([("", _l("Alle provincies")), *PROVINCES.items()])
        self.topic.choices = options([("", _l("Alle thema’s")), *((slug, title) for slug, title in topics)])
