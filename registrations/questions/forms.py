from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import Form
from app.labels import options
from registrations.questions.models import QuestionKind

KINDS = [
    (QuestionKind.SHORT_TEXT.value, _l("Korte tekst")),
    (QuestionKind.LONG_TEXT.value, _l("Lange tekst")),
    (QuestionKind.YES_NO.value, _l("Ja of nee")),
    (QuestionKind.SINGLE_CHOICE.value, _l("Eén keuze")),
    (QuestionKind.MULTIPLE_CHOICE.value, _l("Meerdere keuzes")),
    (QuestionKind.NUMBER.value, _l("Getal")),
]


class QuestionForm(Form):
    label_nl = StringField(
        _l("Vraag (Nederlands)"),
        validators=[DataRequired(message=_l("Schrijf de vraag in het Nederlands.")), Length(max=300)],
    )
    label_en = StringField(_l("Vraag (Engels, niet verplicht)"), validators=[Optional(), Length(max=300)])
    hint_nl = StringField(
        _l("Uitleg bij de vraag (niet verplicht)"), validators=[Optional(), Length(max=500)]
    )
    key = StringField(
        _l("Sleutel"),
        validators=[Optional(), Length(max=40)],
        description=_l(
            "Een korte naam voor de export, bv. oppervlakte: kleine letters, cijfers en liggende streepjes. "
            "Leeg: we maken er een van de vraag."
        ),
    )
    kind = SelectField(_l("Soort antwoord"), choices=options(KINDS), default=QuestionKind.SHORT_TEXT.value)
    choices = TextAreaField(
        _l("Keuzes (bij een keuzevraag)"),
        validators=[Optional(), Length(max=3000)],
        description=_l("Eén keuze per regel. Engels mag erachter na een |, bv. Maandag | Monday."),
        render_kw={"rows": 4},
    )
    required = BooleanField(_l("Verplicht te beantwoorden"))
    position = IntegerField(
        _l("Volgorde"),
        validators=[Optional(), NumberRange(min=0, max=999)],
        description=_l("Lagere nummers komen eerst."),
        render_kw={"inputmode": "numeric"},
    )
    condition_key = SelectField(_l("Alleen tonen als"), choices=[], validate_choice=False)
    condition_value = StringField(
        _l("… dit antwoord heeft"),
        validators=[Optional(), Length(max=80)],
        description=_l("Bv. groepsopvang, ja, of een keuze van die vraag (zoals ze in de lijst staat)."),
    )
