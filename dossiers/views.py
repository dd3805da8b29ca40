"""Staff pages of the intake dossiers, under /beheer/dossiers.

Who: dossierbeheerders (staff) and admins work the dossiers. Experts may read them (they hold
the intake conversations and are asked about a candidate), but change nothing: every POST here
is staff and admin only. The checklist catalogue is edited by admins.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import uploads
from app.auth.access import role_required
from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from app.geo import PROVINCES
from app.timezone import local
from dossiers import checklist, export, links, proposal, services, workflow
from dossiers import models as labels
from dossiers.forms import (
    ArgumentForm,
    ComplaintFollowUpForm,
    ComplaintForm,
    DossierForm,
    ElementForm,
    ItemForm,
    OwnerForm,
    ProposalForm,
    TransitionForm,
)
from dossiers.models import ComplaintChannel, ComplaintKind, DossierState, OrganiserKind
from registrations import labels as registration_labels
from registrations.models import ChildcareType, LegalForm, Statute

bp = Blueprint("dossiers", __name__, url_prefix="/beheer/dossiers")

READERS = (Role.STAFF, Role.ADMIN, Role.EXPERT)
EDITORS = (Role.STAFF, Role.ADMIN)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: How the trail's actions read on the page.
AUDIT_ACTIONS = {
    "created": _l("dossier aangemaakt"),
    "updated": _l("gegevens gewijzigd"),
    "state_changed": _l("fase gewijzigd"),
    "owner_changed": _l("dossierbeheerder gewijzigd"),
    "item_changed": _l("checklist bijgewerkt"),
    "document_uploaded": _l("document opgeladen"),
    "missing_list_sent": _l("lijst met ontbrekende stukken gemaild"),
    "reminder_sent": _l("herinnering gemaild (termijn verstreken)"),
    "argument_added": _l("argument toegevoegd"),
    "argument_removed": _l("argument verwijderd"),
    "proposal_saved": _l("analyse of voorstel bewaard"),
    "complaint_added": _l("klacht of beroep genoteerd"),
    "complaint_updated": _l("opvolging klacht bijgewerkt"),
}


def audit_action_label(action: str) -> str:
    return str(AUDIT_ACTIONS.get(action, action))


def _today() -> date:
    return local(utcnow()).date()


def _dossier_or_404(reference: str):
    try:
        return services.get_dossier(reference)
    except NotFound:
        abort(404)


def _can_edit() -> bool:
    return current_user.is_authenticated and current_user.role in EDITORS


def _owner_choices():
    return [("", _("— niemand —"))] + [(str(u.id), u.name) for u in services.owners()]


# --------------------------------------------------------------------------- list


def _filters(args) -> services.DossierFilters:
    def enum_or_none(cls, value):
        try:
            return cls(value) if value else None
        except ValueError:
            return None

    owner = args.get("eigenaar", "")
    if owner == "ik" and current_user.is_authenticated:
        owner_id = current_user.id
    else:
        owner_id = int(owner) if owner.isdigit() else None
    province = args.get("provincie") or None
    return services.DossierFilters(
        state=enum_or_none(DossierState, args.get("fase")),
        childcare_type=enum_or_none(ChildcareType, args.get("type")),
        province=province if province in PROVINCES else None,
        owner_id=owner_id,
        overdue=args.get("achterstand") == "1",
        search=(args.get("q") or "")[:100],
    )


@bp.get("")
@role_required(*READERS)
def index():
    filters = _filters(request.args)
    today = _today()
    page = services.list_dossiers(filters, today=today, page=request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "dossiers/index.html",
        page=page,
        args=args,
        filters=filters,
        overdue=services.overdue_counts([d.id for d in page.items], today),
        owners=services.owners(),
        provinces=PROVINCES,
        states=list(DossierState),
        types=labels.DOSSIER_TYPE_LABELS,
        can_edit=_can_edit(),
    )


# --------------------------------------------------------------------------- new


def _data(form: DossierForm, owner_id: int | None = None) -> services.DossierData:
    yes_no = {"ja": True, "nee": False}
    return services.DossierData(
        organiser_kind=OrganiserKind(form.organiser_kind.data),
        organisation_name=form.organisation_name.data or "",
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        email=form.email.data,
        phone=form.phone.data,
        legal_form=LegalForm(form.legal_form.data),
        enterprise_number=form.enterprise_number.data,
        statute=Statute(form.statute.data),
        is_21_or_older=yes_no.get(form.is_21_or_older.data),
        childcare_type=ChildcareType(form.childcare_type.data) if form.childcare_type.data else None,
        street=form.street.data or "",
        postcode=form.postcode.data,
        planned_places=form.planned_places.data,
        planned_start=form.planned_start.data,
        owner_id=form.owner_id.data if "owner_id" in form else owner_id,
    )


def _prefill(form: DossierForm, data: services.DossierData) -> None:
    form.organiser_kind.data = data.organiser_kind.value
    form.first_name.data, form.last_name.data = data.first_name, data.last_name
    form.email.data, form.phone.data = data.email, data.phone
    form.legal_form.data = data.legal_form.value
    form.enterprise_number.data = data.enterprise_number
    form.statute.data = data.statute.value
    form.childcare_type.data = data.childcare_type.value if data.childcare_type else ""
    form.postcode.data = data.postcode
    form.planned_places.data = data.planned_places
    form.planned_start.data = data.planned_start
    form.organisation_name.data = data.organisation_name
    form.street.data = data.street
    form.is_21_or_older.data = {True: "ja", False: "nee"}.get(data.is_21_or_older, "")
    if "owner_id" in form:
        form.owner_id.data = data.owner_id if data.owner_id is not None else current_user.id


def _from_dossier(dossier) -> services.DossierData:
    return services.DossierData(
        organiser_kind=dossier.organiser_kind,
        organisation_name=dossier.organisation_name,
        first_name=dossier.first_name,
        last_name=dossier.last_name,
        email=dossier.email,
        phone=dossier.phone,
        legal_form=dossier.legal_form,
        enterprise_number=dossier.enterprise_number,
        statute=dossier.statute,
        is_21_or_older=dossier.is_21_or_older,
        childcare_type=dossier.childcare_type,
        street=dossier.street,
        postcode=dossier.postcode,
        planned_places=dossier.planned_places,
        planned_start=dossier.planned_start,
        owner_id=dossier.owner_id,
    )


def _lead(lead_id):
    if lead_id is None:
        return None
    from dossiers.leads import services as leads

    try:
        return leads.get_lead(lead_id)
    except NotFound:
        abort(404)


@bp.route("/nieuw", methods=["GET", "POST"])
@role_required(*EDITORS)
def new():
    lead = _lead(request.args.get("lead", type=int))
    existing = services.open_dossier_of_lead(lead.id) if lead is not None else None
    form = DossierForm()
    form.owner_id.choices = _owner_choices()
    if request.method == "GET":
        if lead is not None:
            _prefill(form, services.data_from_lead(lead))
        else:
            form.owner_id.data = current_user.id
    duplicate = None
    if form.validate_on_submit():
        try:
            dossier = services.create_dossier(_data(form), by=current_user, lead=lead)
        except services.DuplicateDossier as error:
            duplicate = error.existing
            apply_domain_error(form, error)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Dossier %(reference)s is aangemaakt.", reference=dossier.reference), "success")
            return redirect(url_for("dossiers.detail", reference=dossier.reference))
    return (
        render_template("dossiers/new.html", form=form, lead=lead, existing=existing, duplicate=duplicate),
        form_status(form),
    )


@bp.route("/<reference>/wijzigen", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(reference: str):
    dossier = _dossier_or_404(reference)
    form = DossierForm()
    del form.owner_id  # the owner is given on the dossier page (it has its own trail entry)
    if request.method == "GET":
        _prefill(form, _from_dossier(dossier))
    duplicate = None
    if form.validate_on_submit():
        data = _data(form, owner_id=dossier.owner_id)
        try:
            services.update_dossier(dossier, data, by=current_user)
        except services.DuplicateDossier as error:
            duplicate = error.existing
            apply_domain_error(form, error)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De gegevens zijn bewaard."), "success")
            return redirect(url_for("dossiers.detail", reference=dossier.reference))
    return render_template("dossiers/edit.html", form=form, d=dossier, duplicate=duplicate), form_status(form)


# --------------------------------------------------------------------------- one dossier


def _item_form(item) -> ItemForm:
    form = ItemForm(formdata=None, prefix=f"item{item.id}", obj=None)
    form.status.choices = [("", _("— status niet wijzigen —"))] + [
        (
            status.value,
            (checklist.RECORD_ONLY_LABELS if item.element.record_only else checklist.ITEM_STATUS_LABELS)[
                status
            ],
        )
        for status in checklist.allowed_item_moves(item)
    ]
    form.comment.data = item.comment
    form.due_on.data = item.due_on
    return form


def _render_detail(dossier, *, status: int = 200, **forms):
    today = _today()
    lead_outcomes = []
    if dossier.lead is not None:
        from dossiers.leads import services as leads

        lead_outcomes = leads.intake_outcomes(dossier.lead)
    owner_form = OwnerForm(formdata=None)
    owner_form.owner_id.choices = _owner_choices()
    owner_form.owner_id.data = dossier.owner_id
    proposal_form = forms.get("proposal_form") or ProposalForm(
        formdata=None,
        prefix="proposal",
        data={
            "analysis": dossier.analysis,
            "outcome": dossier.proposal_outcome.value if dossier.proposal_outcome else None,
            "text": dossier.proposal_text,
        },
    )
    return (
        render_template(
            "dossiers/detail.html",
            d=dossier,
            today=today,
            done=checklist.completeness(dossier.items),
            items=[(item, _item_form(item)) for item in dossier.items],
            targets=workflow.allowed_targets(dossier) if _can_edit() else [],
            rules=services.check_rules(dossier, today),
            trail=services.trail(dossier),
            lead_outcomes=lead_outcomes,
            organiser_link=links.organiser_url(dossier),
            can_edit=_can_edit(),
            in_proposal=dossier.state in services.PROPOSAL_STATES,
            action_form=ActionForm(formdata=None),
            owner_form=owner_form,
            argument_form=forms.get("argument_form") or ArgumentForm(formdata=None, prefix="argument"),
            proposal_form=proposal_form,
            complaint_form=forms.get("complaint_form")
            or ComplaintForm(formdata=None, prefix="complaint", data={"received_on": today}),
            follow_up_forms={
                c.id: ComplaintFollowUpForm(
                    formdata=None,
                    prefix=f"c{c.id}",
                    data={"follow_up": c.follow_up, "closed_on": c.closed_on},
                )
                for c in dossier.complaints
            },
            action_label=audit_action_label,
        ),
        status,
    )


@bp.get("/<reference>")
@role_required(*READERS)
def detail(reference: str):
    return _render_detail(_dossier_or_404(reference))


def _back(dossier, anchor: str | None = None):
    return redirect(url_for("dossiers.detail", reference=dossier.reference, _anchor=anchor))


def _flash_error(error: DomainError) -> None:
    flash(str(error), "error")


@bp.post("/<reference>/fase")
@role_required(*EDITORS)
def transition(reference: str):
    dossier = _dossier_or_404(reference)
    form = TransitionForm()
    if form.validate_on_submit():
        try:
            services.change_state(dossier, form.target.data, by=current_user)
        except DomainError as error:
            _flash_error(error)
        else:
            flash(
                _("Het dossier staat nu in de fase ‘%(state)s’.", state=workflow.state_label(dossier.state)),
                "success",
            )
    return _back(dossier, "workflow")


@bp.post("/<reference>/checklist/<int:item_id>")
@role_required(*EDITORS)
def item(reference: str, item_id: int):
    dossier = _dossier_or_404(reference)
    form = ItemForm(prefix=f"item{item_id}")
    form.status.choices = [("", "")] + [(s.value, s.value) for s in checklist.ITEM_STATUS_LABELS]
    if form.validate_on_submit():
        try:
            services.update_item(
                dossier,
                item_id,
                by=current_user,
                status=form.status.data or None,
                comment=form.comment.data or "",
                due_on=form.due_on.data,
            )
        except NotFound:
            abort(404)
        except DomainError as error:
            _flash_error(error)
        else:
            flash(_("De checklist is bijgewerkt."), "success")
    else:
        flash(_("Controleer de datum en de opmerking."), "error")
    return _back(dossier, f"item-{item_id}")


@bp.post("/<reference>/eigenaar")
@role_required(*EDITORS)
def owner(reference: str):
    dossier = _dossier_or_404(reference)
    form = OwnerForm()
    form.owner_id.choices = _owner_choices()
    if form.validate_on_submit():
        try:
            services.assign_owner(dossier, form.owner_id.data, by=current_user)
        except DomainError as error:
            _flash_error(error)
        else:
            flash(_("De dossierbeheerder is aangepast."), "success")
    return _back(dossier)


@bp.post("/<reference>/herinnering")
@role_required(*EDITORS)
def remind(reference: str):
    dossier = _dossier_or_404(reference)
    if ActionForm().validate_on_submit():
        try:
            count = services.send_missing_list(dossier, by=current_user)
        except DomainError as error:
            _flash_error(error)
        else:
            flash(
                _("De organisator krijgt een mail met wat nog ontbreekt (%(n)s elementen).", n=count),
                "success",
            )
    return _back(dossier, "checklist")


@bp.post("/<reference>/argumenten")
@role_required(*EDITORS)
def add_argument(reference: str):
    dossier = _dossier_or_404(reference)
    form = ArgumentForm(prefix="argument")
    if form.validate_on_submit():
        try:
            services.add_argument(dossier, form.side.data, form.text.data, by=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return _back(dossier, "analyse")
    return _render_detail(dossier, status=422, argument_form=form)


@bp.post("/<reference>/argumenten/<int:argument_id>/verwijderen")
@role_required(*EDITORS)
def remove_argument(reference: str, argument_id: int):
    dossier = _dossier_or_404(reference)
    if ActionForm().validate_on_submit():
        try:
            services.remove_argument(dossier, argument_id, by=current_user)
        except NotFound:
            abort(404)
        except DomainError as error:
            _flash_error(error)
    return _back(dossier, "analyse")


@bp.post("/<reference>/voorstel")
@role_required(*EDITORS)
def save_proposal(reference: str):
    dossier = _dossier_or_404(reference)
    form = ProposalForm(prefix="proposal")
    if form.validate_on_submit():
        try:
            services.save_proposal(
                dossier,
                analysis=form.analysis.data,
                outcome=form.outcome.data,
                text=form.text.data,
                by=current_user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De analyse en het voorstel zijn bewaard."), "success")
            return _back(dossier, "voorstel")
    return _render_detail(dossier, status=422, proposal_form=form)


@bp.get("/<reference>/voorstel.docx")
@role_required(*READERS)
def proposal_docx(reference: str):
    dossier = _dossier_or_404(reference)
    data = proposal.build(dossier, today=_today(), author=current_user.name)
    return Response(
        data,
        mimetype=DOCX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="voorstel-{dossier.reference}.docx"'},
    )


@bp.post("/<reference>/klachten")
@role_required(*EDITORS)
def add_complaint(reference: str):
    dossier = _dossier_or_404(reference)
    form = ComplaintForm(prefix="complaint")
    if form.validate_on_submit():
        data = services.ComplaintData(
            kind=ComplaintKind(form.kind.data),
            received_on=form.received_on.data,
            channel=ComplaintChannel(form.channel.data),
            summary=form.summary.data,
            follow_up=form.follow_up.data or "",
        )
        try:
            services.add_complaint(dossier, data, by=current_user, today=_today())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De klacht is genoteerd."), "success")
            return _back(dossier, "klachten")
    return _render_detail(dossier, status=422, complaint_form=form)


@bp.post("/<reference>/klachten/<int:complaint_id>")
@role_required(*EDITORS)
def update_complaint(reference: str, complaint_id: int):
    dossier = _dossier_or_404(reference)
    form = ComplaintFollowUpForm(prefix=f"c{complaint_id}")
    if form.validate_on_submit():
        try:
            services.update_complaint(
                dossier,
                complaint_id,
                follow_up=form.follow_up.data or "",
                closed_on=form.closed_on.data,
                by=current_user,
                today=_today(),
            )
        except NotFound:
            abort(404)
        except DomainError as error:
            _flash_error(error)
        else:
            flash(_("De opvolging is bewaard."), "success")
    else:
        flash(_("Controleer de datum."), "error")
    return _back(dossier, "klachten")


@bp.get("/<reference>/documenten/<int:document_id>")
@role_required(*READERS)
def document(reference: str, document_id: int):
    dossier = _dossier_or_404(reference)
    try:
        doc = services.get_document(dossier, document_id)
        path = uploads.open_stored(doc.storage_key)
    except NotFound:
        abort(404)
    return send_file(path, mimetype=doc.content_type, as_attachment=True, download_name=doc.original_name)


@bp.get("/<reference>.json")
@role_required(*READERS)
def export_json(reference: str):
    dossier = _dossier_or_404(reference)
    body = json.dumps(export.record(dossier, _today()), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json")


@bp.get("/<reference>.csv")
@role_required(*READERS)
def export_csv(reference: str):
    dossier = _dossier_or_404(reference)
    return Response(
        "\ufeff" + export.csv_text(dossier, _today()),  # the BOM makes spreadsheets read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{dossier.reference}.csv"'},
    )


# --------------------------------------------------------------------------- the catalogue


@bp.get("/checklist")
@role_required(Role.ADMIN)
def catalogue():
    return render_template(
        "dossiers/catalogue.html", elements=services.catalogue_elements(), types=labels.DOSSIER_TYPE_LABELS
    )


@bp.route("/checklist/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def element(code: str):
    try:
        element = services.get_element(code)
    except NotFound:
        abort(404)
    form = (
        ElementForm(obj=None)
        if request.method == "POST"
        else ElementForm(
            formdata=None,
            data={
                "name": element.name,
                "description": element.description,
                "types": sorted(element.types),
                "required": element.required,
                "record_only": element.record_only,
                "active": element.active,
            },
        )
    )
    if request.method == "POST" and form.validate():
        try:
            services.save_element(
                code,
                name=form.name.data,
                description=form.description.data or "",
                types=form.types.data,
                required=form.required.data,
                record_only=form.record_only.data,
                active=form.active.data,
                by=current_user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Het element is bewaard. Nieuwe dossiers gebruiken de nieuwe versie."), "success")
            return redirect(url_for("dossiers.catalogue"))
    return render_template("dossiers/element.html", form=form, element=element), form_status(form)


# --------------------------------------------------------------------------- registration

ASSESSMENTS = {
    "sufficient": _l("voldoende"),
    "doubtful": _l("twijfelachtig"),
    "insufficient": _l("onvoldoende"),
}
GUIDANCE = {"not_needed": _l("niet nodig"), "recommended": _l("aanbevolen"), "required": _l("verplicht")}


def _item_status_label(item) -> str:
    mapping = checklist.RECORD_ONLY_LABELS if item.element.record_only else checklist.ITEM_STATUS_LABELS
    return str(mapping[item.status])


def _code_label(mapping: dict):
    return lambda value: "—" if value is None else str(mapping.get(getattr(value, "value", value), value))


def dashboard_widget(user):
    """On a dossierbeheerder's home page: their open dossiers with overdue elements."""
    if user.role not in EDITORS:
        return None
    today = _today()
    page = services.list_dossiers(
        services.DossierFilters(owner_id=user.id, overdue=True), today=today, per_page=10
    )
    if not page.total:
        return None
    return {
        "title": _("Dossiers met verlopen termijnen"),
        "template": "dossiers/_widget.html",
        "dossiers": page.items,
        "total": page.total,
    }


def init_app(app) -> None:
    app.jinja_env.globals.update(
        dossier_state_label=workflow.state_label,
        dossier_action_label=lambda state: str(workflow.ACTION_LABELS[state]),
        dossier_type_label=lambda value: labels.label(labels.DOSSIER_TYPE_LABELS, value),
        item_status_label=_item_status_label,
        legal_form_label=lambda value: registration_labels.label(registration_labels.LEGAL_FORMS, value),
        proposal_outcome_label=lambda value: labels.label(labels.PROPOSAL_OUTCOMES, value),
        complaint_kind_label=lambda value: labels.label(labels.COMPLAINT_KINDS, value),
        complaint_channel_label=lambda value: labels.label(labels.COMPLAINT_CHANNELS, value),
        intake_assessment_label=_code_label(ASSESSMENTS),
        intake_guidance_label=_code_label(GUIDANCE),
    )
    from app.home import dashboard_widgets
    from registrations import privacy

    dashboard_widgets.register(app, dashboard_widget)
    privacy.keep_hooks.register(app, services.has_dossier)
