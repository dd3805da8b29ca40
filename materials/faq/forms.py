"""Forms for the knowledge base. Shape only; the services judge the texts."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from app.forms import Form


class EntryForm(Form):
    topic_id = SelectField(_l("Thema van de infosessie"), coerce=int, choices=[])
    theme = SelectField(
        _l("Onderwerp"),
        choices=[],
        description=_l("Bij ‘Volgens de vraag’ kiest Startklaar het onderwerp uit de woorden van de vraag."),
    )
    question = StringField(
        _l("Vraag zoals het publiek ze leest"),
        description=_l("Kort en zonder namen, bijvoorbeeld: Heb ik een vergunning nodig voor gezinsopvang?"),
    )
    answer = TextAreaField(_l("Antwoord"), description=_l("Een lege regel begint een nieuwe alinea."))
