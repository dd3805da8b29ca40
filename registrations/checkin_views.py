"""Check-in at the door: the presenter's phone page, walk-ins, the printable list, the attendee
import of online sessions, and the registrant's own check-in that the QR code in their mail opens.

Who: experts and admins, and whoever presents the session (`attendance.may_check_in`). The QR
image itself is public (it is in the registrant's mail); the link inside it needs a login.
"""

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import STAFF_ROLES, role_required
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from app.parsing import id_or_none
from registrations import attendance, links, services
from registrations.checkin_forms import ImportForm, WalkInForm
from registrations.models import ChildcareType, RegistrationStatus
from registrations.services import RegistrationData
from sessions import services as sessions

bp = Blueprint("registrations_checkin", __name__, url_prefix="/beheer/sessies/<int:session_id>/aanwezigheden")
qr_bp = Blueprint("registrations_checkin_qr", __name__)

WALK_IN_PREFIX = "terplaatse"


def _session_for_door(session_id: int):
    """The session, when the logged-in user may check people in for it (404 / 403 otherwise)."""
    try:
        session = sessions.get_session(session_id)
    except NotFound:
        abort(404)
    if not attendance.may_check_in(current_user, session):
        abort(403)
    return session


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _counts_json(session_id: int) -> dict:
    counts = attendance.counts(session_id)
    return {"present": counts.present, "expected": counts.expected, "no_show": counts.no_show}


@bp.get("")
@role_required(*STAFF_ROLES)
def index(session_id: int):
    session = _session_for_door(session_id)
    search = " ".join((request.args.get("q") or "").split())[:100]
    return render_template(
        "registrations/checkin.html",
        s=session,
        people=attendance.checkin_list(session.id, search),
        counts=attendance.counts(session.id),
        search=search,
        open=attendance.checkin_is_open(session),
        opens_hours=attendance.opens_hours(),
        form=ActionForm(),
    )


def _after_change(session_id: int, registration, message: str):
    if _wants_json():
        row = render_template(
            "registrations/checkin_row.html",
            s=registration.session,
            r=registration,
            form=ActionForm(),
            open=True,
            search=request.form.get("q", ""),
        )
        return jsonify(row=row, message=message, counts=_counts_json(session_id))
    flash(message, "success")
    q = (request.form.get("q") or "").strip()
    return redirect(
        url_for(
            "registrations_checkin.index", session_id=session_id, q=q or None, _anchor=f"r{registration.id}"
        )
    )


def _refused(session_id: int, error: DomainError):
    if _wants_json():
        return jsonify(error=str(error)), 409
    flash(str(error), "error")
    return redirect(url_for("registrations_checkin.index", session_id=session_id))


@bp.post("/<int:registration_id>/aanwezig")
@role_required(*STAFF_ROLES)
def tick(session_id: int, registration_id: int):
    _session_for_door(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        registration = attendance.check_in(
            services.get_registration(session_id, registration_id), current_user
        )
    except NotFound:
        abort(404)
    except DomainError as error:
        return _refused(session_id, error)
    return _after_change(session_id, registration, _("%(name)s is aanwezig.", name=registration.full_name))


@bp.post("/<int:registration_id>/ongedaan")
@role_required(*STAFF_ROLES)
def undo(session_id: int, registration_id: int):
    _session_for_door(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        registration = attendance.undo_check_in(services.get_registration(session_id, registration_id))
    except NotFound:
        abort(404)
    return _after_change(
        session_id, registration, _("%(name)s staat niet meer als aanwezig.", name=registration.full_name)
    )


@bp.route("/ter-plaatse", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def walk_in(session_id: int):
    session = _session_for_door(session_id)
    form = WalkInForm(prefix=WALK_IN_PREFIX)
    if form.validate_on_submit():
        data = RegistrationData(
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            email=form.email.data,
            privacy_accepted=bool(form.privacy.data),
            phone=form.phone.data,
            postcode=form.postcode.data,
            childcare_type=ChildcareType(form.childcare_type.data or ChildcareType.ONBEKEND.value),
        )
        try:
            outcome = attendance.register_walk_in(
                session.id, data, current_user, over_capacity=bool(form.over_capacity.data)
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            name = outcome.registration.full_name
            if outcome.registration.status == RegistrationStatus.WAITLISTED:
                flash(
                    _(
                        "De sessie is volzet: %(name)s staat op de wachtlijst. Laat je de persoon toch "
                        "binnen, tik dan “aanwezig” bij de wachtlijst.",
                        name=name,
                    ),
                    "warning",
                )
            else:
                flash(_("%(name)s is ingeschreven en aanwezig.", name=name), "success")
            return redirect(url_for("registrations_checkin.index", session_id=session.id))
    return render_template("registrations/checkin_walk_in.html", s=session, form=form), form_status(form)


@bp.get("/afdrukken")
@role_required(*STAFF_ROLES)
def printable(session_id: int):
    session = _session_for_door(session_id)
    people = [
        r
        for r in attendance.checkin_list(session.id)
        if r.status != RegistrationStatus.WAITLISTED or request.args.get("wachtlijst")
    ]
    return render_template("registrations/checkin_print.html", s=session, people=people)


@bp.route("/importeren", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def import_list(session_id: int):
    session = _session_for_door(session_id)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        try:
            report = attendance.import_attendees(session.id, form.file.data.read(), current_user)
        except DomainError as error:
            apply_domain_error(form, error)
    status = form_status(form)
    return render_template(
        "registrations/checkin_import.html",
        s=session,
        form=form,
        report=report,
        people=[r for r in attendance.checkin_list(session.id) if r.status in attendance.CAN_CHECK_IN],
        mark_form=ActionForm(),
    ), status


@bp.post("/markeren")
@role_required(*STAFF_ROLES)
def mark(session_id: int):
    """An online session's attendance ticked by hand from the meeting's participant list."""
    session = _session_for_door(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    ids = [id_ for id_ in map(id_or_none, request.form.getlist("registration_id")) if id_ is not None]
    try:
        changed = attendance.mark_attendance(session.id, ids, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(
            ngettext("%(num)s persoon aanwezig gezet.", "%(num)s personen aanwezig gezet.", changed),
            "success",
        )
    return redirect(url_for("registrations_checkin.index", session_id=session.id))


@bp.get("/<token>")
@role_required(*STAFF_ROLES)
def one(session_id: int, token: str):
    """What the QR code opens on the presenter's phone: this registrant and one button."""
    session = _session_for_door(session_id)
    try:
        registration = attendance.by_checkin_token(token, session.id)
    except NotFound:
        abort(404)
    return render_template(
        "registrations/checkin_one.html",
        s=session,
        r=registration,
        form=ActionForm(),
        open=attendance.checkin_is_open(session),
        opens_hours=attendance.opens_hours(),
    )


@qr_bp.get("/aanwezigheid/<token>/qr.png")
def qr_image(token: str):
    try:
        registration = attendance.by_checkin_token(token)
    except NotFound:
        abort(404)
    response = Response(attendance.qr_png(links.checkin_url(registration)), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
