from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form
from app.labels import options
from sessions.models import SessionFormat

FORMAT_CHOICES = [
    (SessionFormat.ON_SITE.value, _l("Ter plaatse")),
    (SessionFormat.ONLINE.value, _l("Online")),
    (SessionFormat.HYBRID.value, _l("Hybride")),
]
WEEKDAY_CHOICES = [
    (0, _l("maandag")), (1, _l("dinsdag")), (2, _l("woensdag")), (3, _l("donderdag")),
    (4, _l("vrijdag")), (5, _l("zaterdag")), (6, _l("zondag")),
]  # fmt: skip


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionForm(Form):
    topic_id = SelectField(_l("Thema"), coerce=int, validators=[InputRequired()])
    title = StringField(
        _l("Eigen titel"), validators=[Optional(), Length(max=200)],
        description=_l("Laat leeg om de titel van het thema te gebruiken."),
    )  # fmt: skip
    format = SelectField(_l("Vorm"), choices=options(FORMAT_CHOICES))
    venue_id = SelectField(_l("Locatie"), coerce=int, validators=[Optional()])
    meeting_url = URLField(
        _l("Vergaderlink"), validators=[Optional(), URL(require_tld=True), Length(max=500)],
        description=_l("Enkel zichtbaar voor wie ingeschreven is; nooit publiek."),
    )  # fmt: skip
    day = DateField(_l("Datum"), validators=[InputRequired(message=_l("Kies een datum."))])
    start_time = TimeField(_l("Begin"), validators=[InputRequired(message=_l("Kies een beginuur."))])
    end_time = TimeField(_l("Einde"), validators=[InputRequired(message=_l("Kies een einduur."))])
    capacity = IntegerField(
        _l("Capaciteit"), validators=[InputRequired(), NumberRange(min=1, max=2000)],
        description=_l("Bij een hybride sessie: de plaatsen ter plaatse."),
    )  # fmt: skip
    online_capacity = IntegerField(
        _l("Online plaatsen (leeg = onbeperkt)"),
        validators=[Optional(), NumberRange(min=1, max=100000, message=_l("Geef minstens 1 online plaats."))],
        description=_l("Enkel voor een hybride sessie."),
        render_kw={"inputmode": "numeric"},
    )  # fmt: skip
    presenter_ids = MultiCheckboxField(
        _l("Presentatoren"),
        coerce=int,
        validators=[DataRequired(message=_l("Kies minstens één presentator."))],
    )
    language = SelectField(_l("Taal"), choices=options([("nl", _l("Nederlands")), ("en", _l("Engels"))]))
    registration_opens_on = DateField(_l("Inschrijvingen openen op"), validators=[Optional()])
    registration_closes_on = DateField(
        _l("Inschrijvingen sluiten op"), validators=[Optional()],
        description=_l("Laat leeg om tot de start open te houden."),
    )  # fmt: skip
    notes = TextAreaField(_l("Interne notities"), validators=[Optional(), Length(max=4000)])
    allow_holiday = BooleanField(_l("Toch plannen op een feestdag"))


class SeriesForm(SessionForm):
    pattern = SelectField(
        _l("Herhaling"), choices=options([("weekly", _l("wekelijks")), ("monthly", _l("maandelijks"))])
    )
    interval = IntegerField(
        _l("Om de hoeveel weken"), default=1, validators=[Optional(), NumberRange(min=1, max=8)],
        description=_l("Bij wekelijks: 2 = om de twee weken."),
    )  # fmt: skip
    nth = SelectField(
        _l("Welke in de maand"), coerce=int,
        choices=options([
            (1, _l("eerste")), (2, _l("tweede")), (3, _l("derde")), (4, _l("vierde")), (-1, _l("laatste"))
        ]),
        description=_l("Bij maandelijks: bijvoorbeeld de eerste zaterdag."),
    )  # fmt: skip
    weekday = SelectField(_l("Weekdag"), coerce=int, choices=options(WEEKDAY_CHOICES))
    last_day = DateField(_l("Tot en met"), validators=[InputRequired(message=_l("Kies een einddatum."))])
    publish = BooleanField(_l("Meteen publiceren"))
    confirmed = BooleanField(_l("Ik heb de lijst nagekeken"))


class CancelForm(Form):
    reason = TextAreaField(
        _l("Reden"), validators=[DataRequired(message=_l("Geef een reden op.")), Length(max=1000)],
        description=_l("De ingeschrevenen krijgen deze reden te lezen."),
    )  # fmt: skip


class TopicForm(Form):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Korte naam (in adressen)"), validators=[Optional(), Length(max=80)],
        description=_l("Laat leeg om af te leiden uit de titel."),
    )  # fmt: skip
    description = TextAreaField(_l("Beschrijving"), validators=[Optional(), Length(max=5000)])
    audience = TextAreaField(_l("Voor wie"), validators=[Optional(), Length(max=2000)])
    default_duration_minutes = IntegerField(
        _l("Standaardduur (minuten)"), default=120, validators=[InputRequired(), NumberRange(min=15, max=720)]
    )
    agenda = TextAreaField(
        _l("Agenda"), validators=[Optional(), Length(max=5000)],
        description=_l("Eén punt per regel: minuten, dan de titel. Bijvoorbeeld: 15 Het starterstraject"),
    )  # fmt: skip
    active = BooleanField(_l("Actief"), default=True)


class VenueForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    street = StringField(_l("Straat en nummer"), validators=[DataRequired(), Length(max=200)])
    postcode = StringField(_l("Postcode"), validators=[DataRequired(), Length(min=4, max=4)])
    capacity = IntegerField(_l("Capaciteit"), validators=[InputRequired(), NumberRange(min=1, max=5000)])
    step_free = BooleanField(_l("Rolstoeltoegankelijk (drempelvrij)"))
    notes = TextAreaField(_l("Praktische info"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("Actief"), default=True)


class WidgetOriginForm(Form):
    """One more website that may show the widget; checked by `services.add_origin`."""

    origin = StringField(
        _l("Adres van de website"),
        validators=[DataRequired(message=_l("Vul het adres van de website in.")), Length(max=255)],
        description=_l(
            "Bv. https://www.agentschap.be. Een volledig paginaadres mag ook: we houden de website."
        ),
    )
