"""Public registration pages: the form's POST, confirm, manage and cancel through signed links."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from app.errors import DomainError, NotFound
from app.extensions import limiter
from app.forms import ActionForm, apply_domain_error
from app.i18n import long_datetime
from app.parsing import id_or_none
from registrations import links, privacy, services
from registrations.forms import MoveChoiceForm, RegistrationForm
from registrations.models import (
    ChildcareType,
    Experience,
    LegalForm,
    LocationStatus,
    Qualification,
    RegistrationStatus,
    Statute,
)
from sessions import services as sessions
from sessions.labels import attend_label, format_label, seats_phrase
from sessions.models import AttendMode
from sessions.views import render_detail

bp = Blueprint("registrations", __name__)


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour")


def registration_panel(session):
    """The form on the session page (sessions calls this through its panel hook)."""
    if not sessions.registration_is_open(session):
        return None
    form = g.get("registration_form") or RegistrationForm(formdata=None)
    if session.is_hybrid:
        form.attends.flags.required = True
        form.attends.choices = [
            (mode.value, f"{attend_label(mode).capitalize()} ({seats_phrase(session, mode)})")
            for mode in session.modes
        ]
    # A full session's every call to action says where the person will land: the waiting list.
    cta = _("Op de wachtlijst") if session.is_full else _("Inschrijven")
    return {"template": "registrations/_form_panel.html", "form": form, "cta": cta}


def _data(form: RegistrationForm) -> services.RegistrationData:
    def enum_or_none(cls, value):
        # Optional() lets a blank answer (" ") through as "no answer", past the choices check.
        value = (value or "").strip()
        return cls(value) if value else None

    answer = form.is_21_or_older.data
    return services.RegistrationData(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        email=form.email.data,
        privacy_accepted=bool(form.privacy.data),
        phone=form.phone.data,
        postcode=form.postcode.data,
        childcare_type=ChildcareType(form.childcare_type.data or "onbekend"),
        planned_places=form.planned_places.data,
        planned_start=form.planned_start.data,
        legal_form=LegalForm(form.legal_form.data or "nog_niet_bepaald"),
        enterprise_number=form.enterprise_number.data,
        statute=Statute(form.statute.data or "nog_niet_bepaald"),
        experience=enum_or_none(Experience, form.experience.data),
        qualification=enum_or_none(Qualification, form.qualification.data),
        is_21_or_older={"ja": True, "nee": False}.get(answer),
        location=enum_or_none(LocationStatus, form.location.data),
        questions=form.questions.data or "",
        news_opt_in=bool(form.news_opt_in.data),
        attends=enum_or_none(AttendMode, form.attends.data),
    )


@bp.post("/sessies/<int:session_id>/inschrijven")
@limiter.limit(_public_limit)
def register(session_id: int):
    form = RegistrationForm()
    if form.website.data:
        # A bot filled in the hidden field: answer as for anyone, keep nothing.
        return redirect(url_for("registrations.check_mail", session_id=session_id))
    if form.validate_on_submit():
        # The service reads (and locks) the session itself and refuses a draft or unknown one;
        # the page is only loaded here to show the form again.
        try:
            services.register(session_id, _data(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect(url_for("registrations.check_mail", session_id=session_id))
    try:
        session = sessions.get_public_session(session_id)
    except NotFound:
        abort(404)
    g.registration_form = form
    return render_detail(session, status=422)


@bp.get("/sessies/<int:session_id>/ingeschreven")
def check_mail(session_id: int):
    try:
        session = sessions.get_public_session(session_id)
    except NotFound:
        abort(404)
    # The same page whatever happened (new, waiting list, already registered): it tells a
    # stranger nothing about who is registered.
    return render_template("registrations/check_mail.html", s=session)


def _by_link(signed: str, purpose: str):
    """The registration behind a signed link, or a friendly 404 page that says what went wrong."""
    try:
        return services.get_by_link(signed, purpose)
    except NotFound as error:
        abort(make_response(render_template("registrations/link_invalid.html", message=str(error)), 404))


@bp.route("/inschrijving/<signed>/bevestigen", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def confirm(signed: str):
    registration = _by_link(signed, "confirm")
    form = ActionForm()
    # A mail scanner may open the link: only the button (a POST) changes anything.
    if form.validate_on_submit():
        # The link first: the token never changes, and after the commit reading it costs a query.
        manage = url_for("registrations.manage", signed=links.make_token(registration, "manage"))
        services.confirm_registration(registration)
        return redirect(manage)
    return render_template("registrations/confirm.html", r=registration, form=form)


@bp.get("/inschrijving/<signed>")
def manage(signed: str):
    registration = _by_link(signed, "manage")
    return render_template(
        "registrations/manage.html",
        r=registration,
        form=ActionForm(),
        position=services.waitlist_position(registration),
        signed=signed,
        privacy_url=links.privacy_url(registration),
        **_move_context(registration),
    )


def _move_context(registration) -> dict:
    """The manage page's "another date" part: the dates to choose from, or why there are none."""
    move_form = MoveChoiceForm(formdata=None)
    move_form.naar.choices = [
        (target.id, _move_label(target, has_seat)) for target, has_seat in services.move_choices(registration)
    ]
    return {"move_form": move_form, "move_refusal": services.self_move_refusal(registration, None)}


def _move_label(target, has_seat: bool) -> str:
    """How a date reads among the choices: "donderdag 12 maart 2026 om 19:00 · Gent — er is plaats
    voor je" or "… — volzet: je komt op de wachtlijst"."""
    on_site = target.venue is not None and target.format.needs_venue
    where = target.venue.municipality if on_site else format_label(target.format)
    state = _("er is plaats voor je") if has_seat else _("volzet: je komt op de wachtlijst")
    return f"{long_datetime(target.starts_at)} · {where} — {state}"


@bp.route("/inschrijving/<signed>/verplaatsen", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def move(signed: str):
    """Move to another date yourself: choose it on the manage page, say yes here (a POST)."""
    registration = _by_link(signed, "manage")
    back = url_for("registrations.manage", signed=signed, _anchor="verplaatsen")
    chosen = id_or_none(request.values.get("naar"))
    choices = dict(services.move_choices(registration))
    target = next((t for t in choices if t.id == chosen), None)
    if target is None:
        refusal = services.self_move_refusal(registration, None)
        flash(str(refusal) if refusal else _("Kies een van de andere datums."), "error")
        return redirect(back)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            moved = services.move_registration(registration, target.id, by_self=True)
        except DomainError as error:
            flash(str(error), "error")
            return redirect(back)
        if moved.status == RegistrationStatus.CONFIRMED:
            message = _("Je inschrijving is verplaatst. Je krijgt een bevestiging per mail.")
        else:
            message = _(
                "Je inschrijving is verplaatst: je staat op de wachtlijst van de nieuwe datum. "
                "Je krijgt een bevestiging per mail."
            )
        flash(message, "success")
        # The move gave the registration a new token: the old links stop working.
        return redirect(url_for("registrations.manage", signed=links.make_token(moved, "manage")))
    return render_template(
        "registrations/move_confirm.html",
        r=registration,
        target=target,
        has_seat=choices[target],
        form=form,
        signed=signed,
    ), (400 if request.method == "POST" else 200)


@bp.post("/inschrijving/<signed>/annuleren")
@limiter.limit(_public_limit)
def cancel(signed: str):
    registration = _by_link(signed, "manage")
    form = ActionForm()
    if form.validate_on_submit():
        was = registration.status
        # Only someone whose address was confirmed gets a mail about it (see cancel_registration).
        mailed = was == RegistrationStatus.CONFIRMED or (
            was == RegistrationStatus.PENDING and registration.email_confirmed_at is not None
        )
        services.cancel_registration(registration)
        if was == RegistrationStatus.WAITLISTED:
            message = _("Je staat niet meer op de wachtlijst.")
        elif mailed:
            message = _("Je inschrijving is geannuleerd. Je krijgt nog een bevestiging per mail.")
        else:
            message = _("Je inschrijving is geannuleerd.")
        flash(message, "success")
    return redirect(url_for("registrations.manage", signed=signed))


@bp.get("/privacy")
def privacy_notice():
    return render_template("registrations/privacy_notice.html")


@bp.route("/inschrijving/<signed>/mijn-gegevens", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def my_data(signed: str):
    registration = _by_link(signed, "privacy")
    form = ActionForm()
    if form.validate_on_submit():
        action = request.form.get("action")
        if action == "export":
            response = jsonify(privacy.export_personal_data(registration))
            response.headers["Content-Disposition"] = "attachment; filename=mijn-gegevens-startklaar.json"
            return response
        if action == "erase" and request.form.get("sure") == "ja":
            privacy.erase_personal_data(registration)
            return render_template("registrations/erased.html")
        flash(_("Vink aan dat je zeker bent om je gegevens te laten wissen."), "error")
    return render_template("registrations/my_data.html", r=registration, form=form)
