"""The public pages of session alerts (blueprint `alerts`): ask, confirm, unsubscribe."""

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale

from app.errors import DomainError, NotFound
from app.extensions import csrf, limiter
from app.forms import ActionForm, apply_domain_error
from sessions import services as sessions
from sessions.alerts import services
from sessions.alerts.forms import AlertForm

bp = Blueprint("alerts", __name__)


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour")


def _invalid_link(error: NotFound):
    page = render_template("sessions/alerts/link_invalid.html", message=str(error))
    abort(make_response(page, 404))


@bp.route("/meldingen", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def subscribe():
    form = AlertForm(topics=sessions.list_topic_choices())
    if request.method == "GET":
        # From the catalogue's empty result: the wish it could not meet, filled in.
        form.province.data = request.args.get("provincie", "")
        form.topic.data = request.args.get("thema", "")
    if form.validate_on_submit():
        try:
            services.subscribe(
                form.email.data,
                province=form.province.data,
                topic_slug=form.topic.data,
                include_online=bool(form.include_online.data),
                locale=str(get_locale() or "nl")[:2],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            session["alert_email"] = services.normal_email(form.email.data)
            return redirect(url_for("alerts.check_mail"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("sessions/alerts/subscribe.html", form=form), status


@bp.get("/meldingen/verstuurd")
def check_mail():
    # The same page whatever happened (new, already confirmed): it tells a stranger nothing.
    return render_template("sessions/alerts/check_mail.html", email=session.get("alert_email"))


@bp.route("/meldingen/bevestigen/<token>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def confirm(token: str):
    try:
        alert = services.alert_for_confirmation(token)
    except NotFound as error:
        _invalid_link(error)
    form = ActionForm()
    # A mail scanner may open the link: only the button (a POST) changes anything.
    if alert.confirmed_at is None and form.validate_on_submit():
        services.confirm(alert)
    return render_template("sessions/alerts/confirm.html", alert=alert, form=form)


@bp.get("/meldingen/uitschrijven/<token>")
def unsubscribe_page(token: str):
    try:
        email = services.email_for_unsubscribe(token)
    except NotFound as error:
        _invalid_link(error)
    return render_template("sessions/alerts/unsubscribe.html", email=email, token=token, done=False)


@bp.post("/meldingen/uitschrijven/<token>")
@csrf.exempt  # RFC 8058: a mail client posts "List-Unsubscribe=One-Click" without our form
@limiter.limit(_public_limit)
def unsubscribe(token: str):
    try:
        email = services.email_for_unsubscribe(token)
    except NotFound as error:
        _invalid_link(error)
    services.unsubscribe(email)
    return render_template("sessions/alerts/unsubscribe.html", email=email, token=token, done=True)
