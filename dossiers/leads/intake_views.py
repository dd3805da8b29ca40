"""Intake conversations: the public request pages, the lead's signed page to pick, move or
cancel a time, and the staff pages for slots and outcomes."""

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.extensions import limiter
from app.forms import ActionForm, apply_domain_error, form_status
from app.labels import options
from app.timezone import from_local
from dossiers.leads import capture, intake, services
from dossiers.leads.forms import IntakeRequestForm, OutcomeForm, PickForm, SlotForm
from dossiers.leads.models import Assessment, Guidance, SlotMode
from registrations import services as registrations
from registrations.models import ChildcareType
from sessions import services as sessions

bp = Blueprint("intake", __name__)

WORKERS = (Role.STAFF, Role.EXPERT, Role.ADMIN)


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour")


def _invalid(message: str):
    abort(make_response(render_template("dossiers/intake/link_invalid.html", message=message), 404))


# --------------------------------------------------------------------------- public


@bp.route("/kennismakingsgesprek", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def request_form():
    form = IntakeRequestForm()
    if request.method == "POST" and form.website.data:
        # A bot filled in the hidden field: answer as for anyone, keep nothing.
        return redirect(url_for("intake.thanks"))
    if form.validate_on_submit():
        try:
            capture.request_intake(
                capture.IntakeRequestData(
                    first_name=form.first_name.data,
                    last_name=form.last_name.data,
                    email=form.email.data,
                    phone=form.phone.data,
                    postcode=form.postcode.data,
                    childcare_type=ChildcareType(form.childcare_type.data or "onbekend"),
                    message=form.message.data or "",
                )
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect(url_for("intake.thanks"))
    return render_template("dossiers/intake/request.html", form=form), form_status(form)


@bp.get("/kennismakingsgesprek/bedankt")
def thanks():
    return render_template("dossiers/intake/thanks.html")


@bp.route("/kennismakingsgesprek/<signed>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def one_click(signed: str):
    try:
        registration = registrations.get_by_link(signed, "intake")
    except NotFound as error:
        _invalid(str(error))
    form = ActionForm()
    # A mail scanner may open the link: only the button (a POST) asks for the conversation.
    if form.validate_on_submit():
        try:
            capture.request_intake_for(registration)
        except DomainError as error:
            _invalid(str(error))
        return redirect(url_for("intake.thanks"))
    return render_template("dossiers/intake/one_click.html", r=registration, form=form)


def _lead_by_link(signed: str):
    try:
        return intake.get_lead_by_link(signed)
    except NotFound as error:
        _invalid(str(error))


def _pick_form(slots) -> PickForm:
    form = PickForm()
    form.slot_id.choices = options([(slot.id, slot_label(slot)) for slot in slots])
    return form


def slot_label(slot) -> str:
    from app.i18n import long_datetime, short_time

    where = _("online") if slot.mode == SlotMode.ONLINE else slot.place
    return f"{long_datetime(slot.starts_at)}–{short_time(slot.ends_at)} · {where} · {slot.staff.name}"


@bp.route("/kennismakingsgesprek/kies/<signed>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def pick(signed: str):
    lead = _lead_by_link(signed)
    booking = intake.active_booking(lead)
    slots = intake.free_slots()
    form = _pick_form(slots)
    if form.validate_on_submit():
        try:
            intake.book(lead, form.slot_id.data)
        except NotFound:
            form.slot_id.errors = [*form.slot_id.errors, _("Dit moment bestaat niet (meer). Kies een ander.")]
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Je gesprek is ingepland. Je krijgt een bevestiging per mail."), "success")
            return redirect(url_for("intake.pick", signed=signed))
        slots = intake.free_slots()
        form.slot_id.choices = options([(slot.id, slot_label(slot)) for slot in slots])
    return render_template(
        "dossiers/intake/pick.html",
        lead=lead,
        booking=booking,
        slots=slots,
        form=form,
        cancel_form=ActionForm(prefix="cancel"),
        signed=signed,
    ), form_status(form)


@bp.post("/kennismakingsgesprek/kies/<signed>/annuleren")
@limiter.limit(_public_limit)
def cancel(signed: str):
    lead = _lead_by_link(signed)
    if ActionForm(prefix="cancel").validate_on_submit():
        booking = intake.active_booking(lead)
        if booking is not None:
            intake.cancel_booking(booking)
            flash(_("Je gesprek is geannuleerd. Je krijgt nog een bevestiging per mail."), "success")
    return redirect(url_for("intake.pick", signed=signed))


# --------------------------------------------------------------------------- staff


def _slot_form() -> SlotForm:
    form = SlotForm()
    form.venue_id.choices = options(
        [("", _("— geen van onze locaties —"))]
        + [(str(v.id), f"{v.name}, {v.municipality}") for v in sessions.list_venues()]
    )
    form.staff_id.choices = options([(str(u.id), u.name) for u in services.staff_members()])
    if request.method == "GET":
        form.staff_id.data = str(current_user.id)
    return form


@bp.route("/beheer/kennismakingsgesprekken", methods=["GET", "POST"])
@role_required(*WORKERS)
def slots():
    form = _slot_form()
    if form.validate_on_submit():
        starts_at = from_local(form.day.data, form.start.data)
        try:
            intake.create_slot(
                intake.SlotData(
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=form.minutes.data),
                    mode=SlotMode(form.mode.data),
                    staff_id=int(form.staff_id.data) if (form.staff_id.data or "").isdigit() else 0,
                    venue_id=int(form.venue_id.data) if (form.venue_id.data or "").isdigit() else None,
                    address=form.address.data,
                    meeting_url=form.meeting_url.data,
                )
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Het gespreksmoment staat open."), "success")
            return redirect(url_for("intake.slots"))
    past = request.args.get("wanneer") == "voorbij"
    return render_template(
        "dossiers/intake/slots.html",
        slots=intake.list_slots(upcoming=not past),
        past=past,
        form=form,
        button=ActionForm(),
    ), form_status(form)


@bp.post("/beheer/kennismakingsgesprekken/<int:slot_id>/verwijderen")
@role_required(*WORKERS)
def delete_slot(slot_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        intake.delete_slot(slot_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("Het gespreksmoment is verwijderd."), "success")
    return redirect(url_for("intake.slots"))


def _conversation_or_404(conversation_id: int):
    try:
        return intake.get_conversation(conversation_id)
    except NotFound:
        abort(404)


@bp.post("/beheer/kennismakingsgesprekken/gesprek/<int:conversation_id>/annuleren")
@role_required(*WORKERS)
def staff_cancel(conversation_id: int):
    conversation = _conversation_or_404(conversation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    intake.cancel_booking(conversation)
    flash(
        _("Het gesprek is geannuleerd; %(name)s krijgt een mail.", name=conversation.lead.full_name),
        "success",
    )
    return redirect(url_for("leads.detail", lead_id=conversation.lead_id))


@bp.route("/beheer/kennismakingsgesprekken/gesprek/<int:conversation_id>/uitkomst", methods=["GET", "POST"])
@role_required(*WORKERS)
def outcome(conversation_id: int):
    conversation = _conversation_or_404(conversation_id)
    if request.method == "GET":
        form = OutcomeForm(
            formdata=None,
            assessment=conversation.assessment.value if conversation.assessment else None,
            guidance=conversation.guidance.value if conversation.guidance else None,
            exemption_intake=conversation.exemption_intake,
            exemption_guidance=conversation.exemption_guidance,
            notes=conversation.outcome_notes,
        )
    else:
        form = OutcomeForm()
    if form.validate_on_submit():
        try:
            intake.record_outcome(
                conversation,
                intake.OutcomeData(
                    assessment=Assessment(form.assessment.data),
                    guidance=Guidance(form.guidance.data),
                    exemption_intake=bool(form.exemption_intake.data),
                    exemption_guidance=bool(form.exemption_guidance.data),
                    notes=form.notes.data or "",
                ),
                current_user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De uitkomst is bewaard."), "success")
            return redirect(url_for("leads.detail", lead_id=conversation.lead_id))
    return render_template("dossiers/intake/outcome.html", c=conversation, form=form), form_status(form)
