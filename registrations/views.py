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
from flask import session as browser_session
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from app.cache import FragmentCache
from app.errors import DomainError, NotFound
from app.extensions import limiter
from app.forms import ActionForm, apply_domain_error
from app.i18n import long_datetime
from app.labels import options
from app.parsing import id_or_none
from app.validation import suggest_email
from registrations import certificates, links, privacy, services
from registrations.forms import COMPANION_ROWS, PLANNED_START_YEARS, MoveChoiceForm, RegistrationForm
from registrations.models import (
    ChildcareType,
    Experience,
    LegalForm,
    LocationStatus,
    Qualification,
    RegistrationStatus,
    Statute,
)
from registrations.questions import services as questions
from registrations.questions.forms_public import conditions, raw_answers, with_questions
from sessions import services as sessions
from sessions.ics import calendar_links
from sessions.labels import attend_label, format_label, seats_phrase
from sessions.models import AttendMode
from sessions.views import render_detail

bp = Blueprint("registrations", __name__)

# The blank registration form's fields, drawn once per language, years offered, set of the team's
# questions and (on a hybrid session) ways of attending with their seats: see registration_panel.
FORM_FIELDS = FragmentCache("registration form fields", maxsize=64)


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour")


def registration_panel(session):
    """The form on the session page (sessions calls this through its panel hook)."""
    if not sessions.registration_is_open(session):
        return None
    asked = questions.questions_for_session(session)
    attends = _attend_choices(session) if session.is_hybrid else None
    panel = {
        "template": "registrations/_form_panel.html",
        # A full session's every call to action says where the person will land: the waiting list.
        "cta": _("Op de wachtlijst") if session.is_full else _("Inschrijven"),
    }
    shown_again = g.get("registration_form")  # the answer came back with mistakes
    if shown_again is not None:
        return panel | _fields_panel(shown_again, asked, attends)
    # A blank form: its fields are the same on every session page with the same key, so they are
    # drawn once (drawing them was most of the cost of building a session page); the page itself
    # needs only the form's CSRF token.
    key = (
        str(get_locale()),
        tuple(PLANNED_START_YEARS()),
        tuple((q.id, q.updated_at) for q in asked),
        attends,
    )

    def draw() -> Markup:
        blank = with_questions(RegistrationForm, asked)(formdata=None)
        fields = _fields_panel(blank, asked, attends)
        return Markup(render_template("registrations/_form_fields.html", s=session, panel=fields))  # noqa: S704

    return panel | {"form": ActionForm(), "fields": FORM_FIELDS.get_or_make(key, draw)}


def _attend_choices(session) -> tuple:
    """A hybrid session's ways of attending, each with its seats left."""
    return tuple(
        (mode.value, f"{attend_label(mode).capitalize()} ({seats_phrase(session, mode)})")
        for mode in session.modes
    )


def _fields_panel(form, asked, attends) -> dict:
    """What the form's fields are drawn from (registrations/_form_fields.html)."""
    if attends is not None:
        form.attends.flags.required = True
        form.attends.choices = options(attends)
    return {
        "form": form,
        "extra_fields": [form[questions.field_name(q.key)] for q in asked],
        "conditions": conditions(asked),
        # After a submit that came back (other mistakes), a likely typo in the address gets a hint.
        "email_suggestion": suggest_email(form.email.data) if form.email.data else None,
    }


def _data(form: RegistrationForm, asked=()) -> services.RegistrationData:
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
        answers=raw_answers(form, asked),
    )


# Where the confirmation mail went, kept in the person's own (signed) session cookie so the
# check-your-mail page can name the address; never in the URL (it would land in logs).
SENT_TO = "registration_sent_to"


def _check_mail(session_id: int, email: str | None, group: str | None = None):
    browser_session[SENT_TO] = {"session": session_id, "email": (email or "").strip()[:254]}
    return redirect(url_for("registrations.check_mail", session_id=session_id, groep=group))


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
    formdata = request.form
    if request.form.get("email_suggestion"):
        # "Bedoelde je …?" tapped without JavaScript: that address, and the form goes on as sent.
        formdata = request.form.copy()
        formdata["email"] = request.form["email_suggestion"]
    asked = questions.questions_for_session_id(session_id)
    form = with_questions(RegistrationForm, asked)(formdata=formdata)
    if form.website.data:
        # A bot filled in the hidden field: answer as for anyone, keep nothing.
        return _check_mail(session_id, form.email.data)
    if form.validate_on_submit():
        # The service reads (and locks) the session itself and refuses a draft or unknown one;
        # the page is only loaded here to show the form again.
        try:
            outcome = services.register(
                session_id,
                _data(form, asked),
                attendance_asked=True,
                companions=_companions(form),
                when_full=_when_full(form),
                asked=asked,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _check_mail(session_id, form.email.data, outcome.page_token)
    try:
        session = sessions.get_public_session(session_id)
    except NotFound:
        abort(404)
    g.registration_form = form
    return render_detail(session, status=422)


@bp.get("/inschrijven/e-mailsuggestie")
def email_suggestion():
    """The "Bedoelde je …?" hint as the person types (app.js): only the part after the @ is
    sent, and only a better-known domain comes back ({"domain": "gmail.com"} or null)."""
    domain = (request.args.get("domein") or "")[:100]
    suggestion = suggest_email(f"x@{domain}") if domain else None
    response = jsonify(domain=suggestion.partition("@")[2] if suggestion else None)
    response.cache_control.public, response.cache_control.max_age = True, 86400
    return response


@bp.get("/sessies/<int:session_id>/ingeschreven")
def check_mail(session_id: int):
    try:
        session = sessions.get_public_session(session_id)
    except NotFound:
        abort(404)
    # The same page whatever happened (new, waiting list, already registered): it tells a
    # stranger nothing about who is registered. It names the address the person typed; who
    # brought companions along reads who is where through the short link their answer carried.
    sent = browser_session.get(SENT_TO) or {}
    email = sent.get("email") if sent.get("session") == session_id else None
    token = request.args.get("groep", "")
    group = services.outcome_group(token) if token else None
    return render_template("registrations/check_mail.html", s=session, email=email or None, group=group)


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
        manage = links.make_token(registration, "manage")
        services.confirm_registration(registration)
        return redirect(url_for("registrations.confirmed", signed=manage))
    return render_template("registrations/confirm.html", r=registration, form=form)


@bp.get("/inschrijving/<signed>/bevestigd")
def confirmed(signed: str):
    """After the confirm button: the confirmation panel, the summary, the calendar and what comes
    next; the place in line for the waiting list. Anything else is the manage page's to say."""
    registration = _by_link(signed, "manage")
    position = services.waitlist_position(registration)
    if registration.status != RegistrationStatus.CONFIRMED and position is None:
        return redirect(url_for("registrations.manage", signed=signed))
    return render_template(
        "registrations/confirmed.html",
        r=registration,
        position=position,
        signed=signed,
        calendar=calendar_links(registration.session),
    )


@bp.get("/inschrijving/<signed>")
def manage(signed: str):
    registration = _by_link(signed, "manage")
    return render_template(
        "registrations/manage.html",
        r=registration,
        form=ActionForm(),
        position=services.waitlist_position(registration),
        signed=signed,
        can_cancel=services.can_cancel(registration),
        calendar=calendar_links(registration.session),
        privacy_url=links.privacy_url(registration),
        certificate=certificates.may_have_certificate(registration),
        **_move_context(registration),
        # Who this person brought along: each has a page of their own, which the registrant may
        # open (to cancel them, or fetch their certificate), also for a companion without an address.
        companions=[(c, links.make_token(c, "manage")) for c in registration.companions],
    )


def _move_context(registration) -> dict:
    """The manage page's "another date" part: the dates to choose from, or why there are none."""
    move_form = MoveChoiceForm(formdata=None)
    move_form.naar.choices = options(
        [
            (target.id, _move_label(target, has_seat))
            for target, has_seat in services.move_choices(registration)
        ]
    )
    return {"move_form": move_form, "move_refusal": services.self_move_refusal(registration, None)}


def _move_label(target, has_seat: bool) -> str:
    """How a date reads among the choices: "donderdag 12 maart 2026 om 19:00 · Gent — er is plaats
    voor je" or "… — volzet: je komt op de wachtlijst"."""
    on_site = target.venue is not None and target.format.needs_venue
    where = target.venue.municipality if on_site else format_label(target.format)
    state = _("er is plaats voor je") if has_seat else _("volzet: je komt op de wachtlijst")
    return f"{long_datetime(target.starts_at)} · {where} — {state}"


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


@bp.route("/inschrijving/<signed>/annuleren", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def cancel(signed: str):
    """Asks once ("Ben je zeker?") with the consequences; only the button (a POST) cancels. A GET,
    from a mail scanner or an old link, never changes anything."""
    registration = _by_link(signed, "manage")
    form = ActionForm()
    registrant = _registrant_back(registration)
    if form.validate_on_submit() and registrant is not None:
        # The person who brought this companion cancelled them from their own page.
        name = registration.full_name
        services.cancel_registration(registration)
        flash(_("De inschrijving van %(name)s is geannuleerd.", name=name), "success")
        return redirect(url_for("registrations.manage", signed=request.form["terug"]))
    if not services.can_cancel(registration):
        return redirect(url_for("registrations.manage", signed=signed))
    if form.validate_on_submit():
        was = registration.status
        services.cancel_registration(registration)
        left = "wachtlijst" if was == RegistrationStatus.WAITLISTED else None
        return redirect(url_for("registrations.cancelled", signed=signed, van=left))
    return render_template(
        "registrations/cancel.html",
        r=registration,
        form=form,
        signed=signed,
        position=services.waitlist_position(registration),
    )


@bp.get("/inschrijving/<signed>/geannuleerd")
def cancelled(signed: str):
    """What happened after cancelling, and the next dates of the same topic."""
    registration = _by_link(signed, "manage")
    if registration.status != RegistrationStatus.CANCELLED:
        return redirect(url_for("registrations.manage", signed=signed))
    session = registration.session
    return render_template(
        "registrations/cancelled.html",
        r=registration,
        signed=signed,
        left_waitlist=request.args.get("van") == "wachtlijst",
        next_sessions=sessions.next_sessions_of_topic(session.topic_id, exclude_id=session.id),
        can_register_again=sessions.registration_is_open(session),
    )


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
