"""Forms of the follow-up pages. Shape only; the rules live in materials.mailings.services."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import Form, MonthYearField, years_around
from app.geo import PROVINCES
from app.labels import options
from materials.mailings.models import Segment
from registrations import labels
from sessions.forms import MultiCheckboxField

SEGMENTS = {
    Segment.ATTENDEES: _l("Wie er was: bedanking, materiaal en de volgende stap"),
    Segment.NO_SHOWS: _l("Wie niet kwam: een nieuwe datum kiezen"),
    Segment.WAITLISTED: _l("Wie op de wachtlijst bleef: nieuwe data"),
    Segment.CANCELLED: _l("Wie annuleerde: toch nog een datum"),
}
SEGMENT_SHORT = {
    Segment.ATTENDEES: _l("aanwezigen"),
    Segment.NO_SHOWS: _l("niet gekomen"),
    Segment.WAITLISTED: _l("wachtlijst zonder plaats"),
    Segment.CANCELLED: _l("geannuleerd"),
}
STATUSES = {
    "draft": _l("ontwerp"),
    "scheduled": _l("ingepland"),
    "sending": _l("wordt verstuurd"),
    "sent": _l("verstuurd"),
}


class NewMailingForm(Form):
    segment = SelectField(_l("Naar wie?"), choices=labels.choices(SEGMENTS))


class MailingForm(Form):
    subject = StringField(_l("Onderwerp"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Tekst"),
        validators=[DataRequired()],
        render_kw={"rows": 16},
        description=_l("Invulvelden tussen accolades worden per persoon ingevuld; zie de lijst hieronder."),
    )
    session_ids = MultiCheckboxField(_l("Ook voor deze sessies van hetzelfde thema"), coerce=int)
    childcare_type = SelectField(
        _l("Type opvang"), choices=options([("", _l("Alle types"))] + labels.choices(labels.CHILDCARE_TYPES))
    )
    province = SelectField(
        _l("Provincie"), choices=options([("", _l("Alle provincies"))] + list(PROVINCES.items()))
    )
    planned_start_from = MonthYearField(
        _l("Geplande start vanaf"), validators=[Optional()], years=years_around(2, 6)
    )
    planned_start_until = MonthYearField(
        _l("Geplande start tot en met"), validators=[Optional()], years=years_around(2, 6)
    )


class ScheduleForm(Form):
    scheduled_at = DateTimeLocalField(
        _l("Versturen op"),
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
        description=_l("Laat leeg voor de automatische opvolging: de ochtend na de sessie om 9 uur."),
    )


class ActionForm(Form):
    """A button that changes something: a POST form so CSRF covers it."""
