"""Forms for handouts. Shape only; the services judge titles, links and files."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, URLField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form
from app.labels import options
from materials.handouts.models import Visibility

VISIBILITY_CHOICES = [
    (Visibility.PUBLIC.value, _l("Openbaar: op de publieke pagina van de sessie")),
    (Visibility.ATTENDEES.value, _l("Deelnemers: via de persoonlijke link in hun mail")),
    (Visibility.STAFF.value, _l("Alleen medewerkers")),
]


class MaterialForm(Form):
    title = StringField(
        _l("Titel"), validators=[DataRequired(message=_l("Geef het materiaal een titel.")), Length(max=200)]
    )
    visibility = RadioField(
        _l("Wie mag het zien?"), choices=options(VISIBILITY_CHOICES), default=Visibility.ATTENDEES.value
    )
    file = FileField(
        _l("Bestand"),
        description=_l("PDF, PowerPoint, Word, Excel, PNG of JPEG. Of geef hieronder een link."),
    )
    link_url = URLField(_l("Of een link"), validators=[Optional(), Length(max=500)])
