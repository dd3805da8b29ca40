"""Forms for decks. Shape only; the services judge files and slide texts."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class UploadForm(Form):
    file = FileField(_l("PowerPoint-bestand (.pptx)"))


class SlideBlockForm(Form):
    title = StringField(
        _l("Titel van de dia"),
        validators=[DataRequired(message=_l("Geef de dia een titel.")), Length(max=200)],
    )
    bullets = TextAreaField(
        _l("Opsommingstekens"),
        validators=[Length(max=4000)],
        description=_l("Eén punt per regel. Lange lijsten komen vanzelf op meer dia's."),
        render_kw={"rows": 8},
    )
    notes = TextAreaField(_l("Sprekersnotities"), validators=[Length(max=8000)], render_kw={"rows": 6})
