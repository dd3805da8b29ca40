from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import services
from app.auth.access import role_required
from app.auth.forms import LoginForm, UserCreateForm, UserEditForm
from app.auth.models import Role
from app.errors import DomainError
from app.extensions import limiter
from app.forms import apply_domain_error, form_status

bp = Blueprint("auth", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/beheer/gebruikers")


def _safe_next(target: str | None) -> str:
    """Only local paths: a login link must never send someone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.dashboard")


def _login_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


def _login_failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_login_failed)
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    key_func=_login_key,
    deduct_when=_login_failed,
)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("E-mailadres of wachtwoord klopt niet."))
    return render_template("auth/login.html", form=form), (200 if not form.errors else 422)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("Je bent afgemeld."), "success")
    return redirect(url_for("sessions.catalogue"))


@admin_bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.role.data, form.name.data, form.password.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Account voor %(email)s aangemaakt.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = form_status(form)
    return render_template("auth/users.html", users=services.list_users(), form=form), status


@admin_bp.route("/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    try:
        user = services.get_user(user_id)
    except DomainError:
        return render_template("errors/error.html", code=404, title=_("Niet gevonden"), text=""), 404
    form = UserEditForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            services.update_user(user, form.role.data, form.active.data, form.password.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Account van %(email)s bijgewerkt.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("auth/user_edit.html", user=user, form=form), form_status(form)
