from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import oidc, services
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


LOGIN_METHOD = "login_method"  # in the session: how this browser signed in
LOGIN_NEXT = "login_next"  # in the session: where to go after the agency's sign-in


@bp.before_app_request
def end_password_sessions_when_passwords_are_off():
    """With LOCAL_LOGIN=0 only a sign-in through the agency counts: a session (or a year-long
    "remember me" cookie) from a password sign-in made before the switch ends at its next request."""
    if services.local_login_enabled() or session.get(LOGIN_METHOD) == services.AGENCY:
        return
    if current_user.is_authenticated:
        logout_user()


def _login_page(form, status: int = 200):
    return render_template(
        "auth/login.html",
        form=form,
        local_login=services.local_login_enabled(),
        agency_login=oidc.enabled(),
    ), status


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
    if request.method == "POST" and not services.local_login_enabled():
        flash(
            _("Aanmelden met een wachtwoord staat uit. Meld je aan met je account van het agentschap."),
            "error",
        )
        return _login_page(form, 403)
    if form.validate_on_submit():
        user = services.sign_in_with_password(form.email.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            session[LOGIN_METHOD] = services.PASSWORD
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("E-mailadres of wachtwoord klopt niet."))
    return _login_page(form, 200 if not form.errors else 422)


def _refused(error, status: int):
    """The page for a sign-in at the agency that did not let the person in: why, and what now."""
    return render_template(
        "auth/sign_in_refused.html",
        message=error.message,
        admins=getattr(error, "admins", []),
    ), status


@bp.get("/login/agentschap")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], deduct_when=_login_failed)
def agency_login():
    """Off to the agency's provider; it sends the browser back to `agency_callback`."""
    if not oidc.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    session[LOGIN_NEXT] = _safe_next(request.args.get("next"))
    # The provider must know this exact address (README: "Staff sign-in through the agency").
    callback = current_app.config["BASE_URL"].rstrip("/") + oidc.CALLBACK_PATH
    try:
        return oidc.authorization_redirect(callback)
    except oidc.ProviderUnavailable as error:
        return _refused(error, 503)


@bp.get(oidc.CALLBACK_PATH)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], deduct_when=_login_failed)
def agency_callback():
    if not oidc.enabled():
        abort(404)
    try:
        claims = oidc.identity_from_callback()
        user = services.sign_in_with_identity(claims)
    except oidc.ProviderUnavailable as error:
        return _refused(error, 503)
    except oidc.SignInFailed as error:
        return _refused(error, 400)
    except services.SignInRefused as error:
        return _refused(error, 403)
    login_user(user)
    session[LOGIN_METHOD] = services.AGENCY
    return redirect(_safe_next(session.pop(LOGIN_NEXT, None)))


@bp.post("/logout")
def logout():
    """Ends this browser's session here; a session at the agency's provider stays (README says why)."""
    via_agency = session.pop(LOGIN_METHOD, None) == services.AGENCY
    logout_user()
    if via_agency:
        flash(
            _(
                "Je bent afgemeld bij Startklaar. Bij het agentschap ben je nog aangemeld: werk je op "
                "een gedeelde computer, sluit dan de browser of meld je ook daar af."
            ),
            "success",
        )
    else:
        flash(_("Je bent afgemeld."), "success")
    return redirect(url_for("sessions.catalogue"))


@admin_bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users():
    form = UserCreateForm()
    if not services.local_login_enabled():
        del form.password  # people sign in through the agency: an account needs no password
    if form.validate_on_submit():
        password = form.password.data if form.password else None
        try:
            user = services.create_user(form.email.data, form.role.data, form.name.data, password)
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
    if not services.local_login_enabled():
        del form.password
    if form.validate_on_submit():
        password = form.password.data if form.password else None
        try:
            services.update_user(user, form.role.data, form.active.data, password)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Account van %(email)s bijgewerkt.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("auth/user_edit.html", user=user, form=form), form_status(form)
