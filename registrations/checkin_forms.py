"""Forms of the check-in pages. Shape only; the rules live in registrations.attendance."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from app.forms import Form
from registrations.staff_forms import StaffRegistrationForm


class WalkInForm(StaffRegistrationForm):
    """Someone at the door who had not registered: the same short form as the experts' one."""


class ImportForm(Form):
    file = FileField(
        _l("Deelnemerslijst (CSV)"),
        validators=[FileRequired(message=_l("Kies het bestand dat je vergadertool exporteerde."))],
        description=_l("Een CSV-bestand met kolommen voor de naam en het e-mailadres (Teams, Zoom, Webex)."),
        render_kw={"accept": ".csv,text/csv"},
    )
