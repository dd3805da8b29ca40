"""The experts' work on a session's registrations: the panel on /beheer/sessies/<id>, adding
someone by hand, cancelling, moving, promoting from the waiting list, and the exports.

Who: experts and admins only, for every page here, reading included. Staff (dossierbeheerders)
work the leads that sessions produce, which carry what they need; the full list of a session's
registrants (cancellations, waiting list, phone numbers, questions) and its bulk export are
personal data they have no need for, so they get a 403 (data minimisation). The session page
that shows the panel is itself open to experts and admins only.
"""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from app.geo import PROVINCES
from app.i18n import long_datetime
from app.labels import options
from registrations import labels, services, staff
from registrations.models import ChildcareType, RegistrationStatus
from registrations.services import RegistrationData
from registrations.staff_forms import MoveForm, StaffRegistrationForm
from sessions import services as sessions
from sessions.labels import attend_label, seats_phrase
from sessions.models import AttendMode

bp = Blueprint("registrations_admin", __name__, url_prefix="/beheer/sessies/<int:session_id>/inschrijvingen")

EDITORS = (Role.EXPERT, Role.ADMIN)
ADD_PREFIX = "nieuw"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _session_or_404(session_id: int):
    try:
        return sessions.get_session(session_id)
    except NotFound:
        abort(404)


def _filters(values) -> dict:
    """The list's filters from a query string or from the hidden fields of a row's form."""
    return {"status": staff.parse_status(values.get("status")), "search": staff.clean_search(values.get("q"))}


def _filter_args(status, search) -> dict:
    args = {}
    if status is not None:
        args["status"] = status.value
    if search:
        args["q"] = search
    return args


def _back(session_id: int):
    """Back to the panel, with the filters the expert had."""
    filters = _filters(request.form)
    return redirect(
        url_for(
            "sessions_admin.detail",
            session_id=session_id,
            _anchor="inschrijvingen",
            **_filter_args(filters["status"], filters["search"]),
        )
    )


def target_label(session) -> str:
    """How a session reads in the "move to" list: when, what, where, seats."""
    where = session.venue.municipality if session.venue else _("online")
    if session.is_hybrid:
        seats = ", ".join(f"{attend_label(mode)}: {seats_phrase(session, mode)}" for mode in session.modes)
    elif session.is_full:
        seats = _("volzet, wachtlijst")
    else:
        seats = ngettext("nog %(num)s plaats", "nog %(num)s plaatsen", session.seats_left)
    return f"{long_datetime(session.starts_at)} — {session.display_title} ({where}; {seats})"


def staff_panel(session):
    """The registrations panel on the staff session page (registered in admin_session_panels)."""
    if not current_user.is_authenticated or current_user.role not in EDITORS:
        return None
    filters = _filters(request.args)
    overview = staff.overview(session, **filters)
    return {
        "template": "registrations/staff_panel.html",
        "overview": overview,
        "filter_args": _filter_args(filters["status"], filters["search"]),
        "statuses": [
            status
            for status in staff.STATUS_ORDER
            if status in staff.MAIN_STATUSES
            or overview.counts.get(status.value)
            or status == filters["status"]
        ],
        "childcare_labels": {value.value: str(text) for value, text in labels.CHILDCARE_TYPES.items()},
        "source_labels": {value.value: str(text) for value, text in staff.SOURCES.items()},
        "province_labels": {code: str(text) for code, text in PROVINCES.items()},
        "can_move": overview.can_move,
        "add_form": StaffRegistrationForm(formdata=None, prefix=ADD_PREFIX),
        "can_add": session.status.value in ("draft", "published"),
    }


def _registration_data(form: StaffRegistrationForm) -> RegistrationData:
    return RegistrationData(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        email=form.email.data,
        privacy_accepted=bool(form.privacy.data),
        phone=form.phone.data,
        postcode=form.postcode.data,
        childcare_type=ChildcareType(form.childcare_type.data or ChildcareType.ONBEKEND.value),
        attends=AttendMode(form.attends.data) if form.attends.data else None,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@role_required(*EDITORS)
def add(session_id: int):
    session = _session_or_404(session_id)
    form = StaffRegistrationForm(prefix=ADD_PREFIX)
    if form.validate_on_submit():
        try:
            outcome = staff.add_registration(
                session.id, _registration_data(form), over_capacity=bool(form.over_capacity.data)
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            name = outcome.registration.full_name
            if outcome.result == "waitlisted":
                flash(
                    _(
                        "De sessie is volzet: %(name)s staat op de wachtlijst. Wil je toch een plaats "
                        "geven, schrijf dan in met “Ook als de sessie volzet is”.",
                        name=name,
                    ),
                    "success",
                )
            else:
                flash(_("%(name)s is ingeschreven en krijgt een bevestiging per mail.", name=name), "success")
            return redirect(url_for("sessions_admin.detail", session_id=session.id, _anchor="inschrijvingen"))
    status = form_status(form)
    return render_template("registrations/staff_add.html", s=session, form=form), status


def _promoted_message(change: staff.Change) -> None:
    if change.promoted:
        names = ", ".join(r.full_name for r in change.promoted)
        flash(_("Van de wachtlijst kreeg %(names)s de vrijgekomen plaats.", names=names), "success")


@bp.post("/<int:registration_id>/annuleren")
@role_required(*EDITORS)
def cancel(session_id: int, registration_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        change = staff.cancel(session_id, registration_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(str(error), "error")
    else:
        name = change.registration.full_name
        flash(
            _("De inschrijving van %(name)s is geannuleerd.", name=name),
            "success",
        )
        _promoted_message(change)
    return _back(session_id)


@bp.route("/<int:registration_id>/verplaatsen", methods=["GET", "POST"])
@role_required(*EDITORS)
def move(session_id: int, registration_id: int):
    session = _session_or_404(session_id)
    try:
        registration = services.get_registration(session_id, registration_id)
    except NotFound:
        abort(404)
    form = MoveForm()
    targets = staff.move_targets(session)
    form.target_session_id.choices = options(
        [("", _("— kies een sessie —"))] + [(target.id, target_label(target)) for target in targets]
    )
    if form.validate_on_submit():
        try:
            change = staff.move(session_id, registration_id, form.target_session_id.data)
        except NotFound:
            abort(404)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            moved = change.registration
            names = {"name": moved.full_name, "session": target_label(moved.session)}
            if moved.status == RegistrationStatus.WAITLISTED:
                flash(
                    _("%(name)s staat nu op de wachtlijst van %(session)s (die sessie is volzet).", **names),
                    "warning",
                )
            else:
                flash(_("%(name)s is verplaatst naar %(session)s.", **names), "success")
            _promoted_message(change)
            return _back(session_id)
    status = form_status(form)
    return render_template("registrations/staff_move.html", s=session, r=registration, form=form), status


@bp.post("/wachtlijst/doorschuiven")
@role_required(*EDITORS)
def promote(session_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    _session_or_404(session_id)
    try:
        registration = staff.promote(session_id)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s kreeg de vrije plaats en krijgt een mail.", name=registration.full_name), "success")
    return _back(session_id)


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"  # personal data: no copies in caches
    return response


@bp.get("/export.csv")
@role_required(*EDITORS)
def export_csv(session_id: int):
    session = _session_or_404(session_id)
    data = staff.export_csv(session, **_filters(request.args))
    return _download(data, "text/csv; charset=utf-8", staff.export_filename(session, "csv"))


@bp.get("/export.xlsx")
@role_required(*EDITORS)
def export_xlsx(session_id: int):
    session = _session_or_404(session_id)
    data = staff.export_xlsx(session, **_filters(request.args))
    return _download(data, XLSX_MIMETYPE, staff.export_filename(session, "xlsx"))
