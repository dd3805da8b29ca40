from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.auth.models import Role
from app.forms import Form
from app.labels import options

ROLE_CHOICES = [
    (Role.EXPERT.value, _l("Expert")),
    (Role.STAFF.value, _l("Dossierbeheerder")),
    (Role.ADMIN.value, _l("Beheerder")),
]


class LoginForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired()])
    remember = BooleanField(_l("Aangemeld blijven op dit toestel"))


class UserCreateForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Rol"), choices=options(ROLE_CHOICES))
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(), Length(min=12, max=200)],
        description=_l("Minstens 12 tekens."),
    )


class UserEditForm(Form):
    role = SelectField(_l("Rol"), choices=options(ROLE_CHOICES))
    active = BooleanField(_l("Actief"))
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[Optional(), Length(min=12, max=200)],
        description=_l("Laat leeg om het wachtwoord niet te wijzigen."),
    )
