"""Staff pages for leads: the inbox, one lead's page and its actions, and the lead rules."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app.auth.access import role_required
from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status, month_args
from app.geo import PROVINCES
from app.labels import options
from app.parsing import InvalidValue, page_or_first, parse_id
from dossiers.leads import capture, intake, rules, services
from dossiers.leads.forms import (
    ASSESSMENTS,
    GUIDANCE,
    CallbackForm,
    NoteForm,
    OwnerForm,
    RuleForm,
    StatusForm,
)
from dossiers.leads.models import LeadStatus, LeadTrigger
from registrations import labels

bp = Blueprint("leads", __name__, url_prefix="/beheer/leads")

WORKERS = (Role.STAFF, Role.EXPERT, Role.ADMIN)


def _lead_or_404(lead_id: int):
    try:
        return services.get_lead(lead_id)
    except NotFound:
        abort(404)


def _filter_args() -> dict:
    keys = ("type", "provincie", "start", "sessie", "eigenaar", "status", "open")
    return {key: request.args[key] for key in keys if request.args.get(key)}


@bp.get("/")
@role_required(*WORKERS)
def index():
    filters = services.LeadFilters.from_args(month_args(request.args, "start"), current_user)
    page = services.list_leads(filters, page=page_or_first(request.args.get("page")))
    mine = request.args.get("eigenaar") == "mij"
    return render_template(
        "dossiers/leads/index.html",
        page=page,
        filters=filters,
        filter_args=_filter_args(),
        mine=mine,
        callbacks=services.callbacks(current_user) if mine else [],
        staff=services.staff_members(),
        sessions=services.sessions_with_leads(),
        provinces=PROVINCES,
        childcare_types=labels.CHILDCARE_TYPES,
        statuses=services.STATUS_LABELS,
        is_overdue=services.is_overdue,
        origins=services.origins(page.items),
        lead_age=services.age,
        origin_day=services.day,
        triggers=services.TRIGGER_LABELS,
    )


def _status_form(lead) -> StatusForm:
    form = StatusForm(prefix="st")
    form.status.choices = options(
        [(s.value, services.STATUS_LABELS[s]) for s in rules.next_statuses(lead.status)]
    )
    return form


def _owner_form(lead) -> OwnerForm:
    form = OwnerForm(prefix="ow", owner_id=str(lead.owner_id or ""))
    form.owner_id.choices = options(
        [("", _("— niemand —"))] + [(str(u.id), u.name) for u in services.staff_members()]
    )
    return form


def _convert_url(lead) -> str | None:
    """The dossiers package's "new dossier from this lead" page, when it offers one (it is
    built alongside and must not be imported from here)."""
    if lead.status.value in ("converted", "dropped"):
        return None
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match("/beheer/dossiers/nieuw", method="GET")
    except HTTPException:
        return None
    return f"/beheer/dossiers/nieuw?lead={lead.id}"


def _render_detail(lead, status_form=None, note_form=None, owner_form=None, callback_form=None, status=200):
    return (
        render_template(
            "dossiers/leads/detail.html",
            lead=lead,
            history=services.history(lead),
            conversations=intake.conversations_of(lead),
            status_form=status_form or _status_form(lead),
            owner_form=owner_form or _owner_form(lead),
            callback_form=callback_form or CallbackForm(prefix="cb", callback_on=lead.callback_on),
            note_form=note_form or NoteForm(prefix="nt", formdata=None),
            button=ActionForm(),
            statuses=services.STATUS_LABELS,
            childcare_types=labels.CHILDCARE_TYPES,
            legal_forms=labels.LEGAL_FORMS,
            statutes=labels.STATUTES,
            provinces=PROVINCES,
            overdue=services.is_overdue(lead),
            convert_url=_convert_url(lead),
            now=utcnow(),
            assessments=dict(ASSESSMENTS),
            guidance=dict(GUIDANCE),
        ),
        status,
    )


@bp.get("/<int:lead_id>")
@role_required(*WORKERS)
def detail(lead_id: int):
    return _render_detail(_lead_or_404(lead_id))


@bp.post("/<int:lead_id>/status")
@role_required(*WORKERS)
def change_status(lead_id: int):
    lead = _lead_or_404(lead_id)
    form = _status_form(lead)
    form.status.validate_choice = False  # a refused move gets the table's reason, not "not a choice"
    if form.validate_on_submit():
        try:
            new = LeadStatus(form.status.data)
        except ValueError:
            abort(400)
        try:
            services.change_status(lead, new, current_user, reason=form.reason.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De status is nu „%(status)s”.", status=services.STATUS_LABELS[new]), "success")
            return redirect(url_for("leads.detail", lead_id=lead.id))
    return _render_detail(lead, status_form=form, status=422)


@bp.post("/<int:lead_id>/eigenaar")
@role_required(*WORKERS)
def assign(lead_id: int):
    lead = _lead_or_404(lead_id)
    form = _owner_form(lead)
    if not form.validate_on_submit():
        abort(400)
    raw = request.form.get("ow-owner_id") or ""
    owner_id = int(raw) if raw.isdigit() else None
    try:
        services.assign(lead, owner_id, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("De eigenaar is aangepast."), "success")
    return redirect(url_for("leads.detail", lead_id=lead.id))


@bp.post("/<int:lead_id>/terugbellen")
@role_required(*WORKERS)
def callback(lead_id: int):
    lead = _lead_or_404(lead_id)
    form = CallbackForm(prefix="cb")
    if not form.validate_on_submit():
        flash(_("Dit is geen geldige datum."), "error")
        return _render_detail(lead, callback_form=form, status=422)
    services.set_callback(
        lead, form.callback_on.data if request.form.get("clear") != "1" else None, current_user
    )
    flash(_("De terugbeldatum is aangepast."), "success")
    return redirect(url_for("leads.detail", lead_id=lead.id))


@bp.post("/<int:lead_id>/notities")
@role_required(*WORKERS)
def add_note(lead_id: int):
    lead = _lead_or_404(lead_id)
    form = NoteForm(prefix="nt")
    if form.validate_on_submit():
        try:
            services.add_note(lead, form.body.data, current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De notitie is bewaard."), "success")
            return redirect(url_for("leads.detail", lead_id=lead.id, _anchor="notities"))
    return _render_detail(lead, note_form=form, status=422)


@bp.post("/<int:lead_id>/gesprekslink")
@role_required(*WORKERS)
def send_link(lead_id: int):
    lead = _lead_or_404(lead_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        intake.send_pick_link(lead, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(
            _("%(name)s krijgt een mail met de link om een moment te kiezen.", name=lead.full_name), "success"
        )
    return redirect(url_for("leads.detail", lead_id=lead.id))


# --------------------------------------------------------------------------- rules (admins)


def _rule_data(form: RuleForm) -> capture.RuleData:
    return capture.RuleData(
        name=form.name.data,
        trigger=LeadTrigger(form.trigger.data),
        active=bool(form.active.data),
        childcare_types=form.childcare_types.data or [],
        provinces=form.provinces.data or [],
        legal_forms=form.legal_forms.data or [],
        start_within_months=form.start_within_months.data,
    )


@bp.route("/regels", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rules_index():
    form = RuleForm()
    if form.validate_on_submit():
        try:
            capture.save_rule(None, _rule_data(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De regel is bewaard."), "success")
            return redirect(url_for("leads.rules_index"))
    elif request.method == "GET":
        form = RuleForm(formdata=None)
    return render_template(
        "dossiers/leads/rules.html",
        rules=capture.list_rules(),
        form=form,
        button=ActionForm(),
        triggers=services.TRIGGER_LABELS,
        childcare_types=labels.CHILDCARE_TYPES,
        legal_forms=labels.LEGAL_FORMS,
        provinces=PROVINCES,
    ), form_status(form)


@bp.route("/regels/<int:rule_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rule_edit(rule_id: int):
    try:
        rule = capture.get_rule(rule_id)
    except NotFound:
        abort(404)
    form = RuleForm(obj=rule) if request.method == "GET" else RuleForm()
    if request.method == "GET":
        form.trigger.data = rule.trigger.value
    if form.validate_on_submit():
        try:
            capture.save_rule(rule.id, _rule_data(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De regel is bewaard."), "success")
            return redirect(url_for("leads.rules_index"))
    return render_template("dossiers/leads/rule_edit.html", rule=rule, form=form), form_status(form)


@bp.post("/regels/<int:rule_id>/verwijderen")
@role_required(Role.ADMIN)
def rule_delete(rule_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        capture.delete_rule(rule_id)
    except NotFound:
        abort(404)
    flash(_("De regel is verwijderd. De leads die ze maakte, blijven."), "success")
    return redirect(url_for("leads.rules_index"))


@bp.post("/regels/toepassen")
@role_required(Role.ADMIN)
def rules_apply():
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = capture.backfill(parse_id((request.form.get("rule_id") or "").strip()))
    except (NotFound, InvalidValue):
        abort(404)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "Toegepast op alle inschrijvingen: %(leads)s nieuwe leads, "
                "%(regs)s inschrijvingen toegevoegd.",
                leads=result.leads_made,
                regs=result.registrations_gathered,
            ),
            "success",
        )
    return redirect(url_for("leads.rules_index"))
