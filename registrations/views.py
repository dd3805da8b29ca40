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
from registrations import certificates, links, privacy, services
from registrations.forms import COMPANION_ROWS, RegistrationForm
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
from sessions.labels import attend_label, seats_phrase
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


def _companions(form: RegistrationForm) -> list[services.CompanionData]:
    """The companion rows of the form (empty rows are dropped by the service)."""
    return [
        services.CompanionData(
            first_name=form[f"companion_{n}_first_name"].data or "",
            last_name=form[f"companion_{n}_last_name"].data or "",
            email=form[f"companion_{n}_email"].data or None,
        )
        for n in COMPANION_ROWS
    ]


def _when_full(form: RegistrationForm) -> services.WhenFull:
    return services.WhenFull.SPLIT if form.when_full.data == "split" else services.WhenFull.TOGETHER


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
            outcome = services.register(
                session_id, _data(form), companions=_companions(form), when_full=_when_full(form)
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect(
                url_for("registrations.check_mail", session_id=session_id, groep=outcome.page_token)
            )
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
    # stranger nothing about who is registered. Who brought companions along reads who is where
    # through the short link their answer carried.
    token = request.args.get("groep", "")
    group = services.outcome_group(token) if token else None
    return render_template("registrations/check_mail.html", s=session, group=group)


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
        certificate=certificates.may_have_certificate(registration),
        # Who this person brought along: each has a page of their own, which the registrant may
        # open (to cancel them, or fetch their certificate), also for a companion without an address.
        companions=[(c, links.make_token(c, "manage")) for c in registration.companions],
    )


def _registrant_back(registration):
    """The registrant whose page sent this companion's cancel (the form's `terug`), or None."""
    back = request.form.get("terug")
    if not back or registration.companion_of_id is None:
        return None
    try:
        registrant = services.get_by_link(back, "manage")
    except NotFound:
        return None
    return registrant if registrant.id == registration.companion_of_id else None


@bp.post("/inschrijving/<signed>/annuleren")
@limiter.limit(_public_limit)
def cancel(signed: str):
    registration = _by_link(signed, "manage")
    form = ActionForm()
    registrant = _registrant_back(registration)
    if form.validate_on_submit() and registrant is not None:
        # The person who brought this companion cancelled them from their own page.
        name = registration.full_name
        services.cancel_registration(registration)
        flash(_("De inschrijving van %(name)s is geannuleerd.", name=name), "success")
        return redirect(url_for("registrations.manage", signed=request.form["terug"]))
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
