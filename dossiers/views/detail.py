"""One dossier's page and what staff do on it: the workflow, the checklist, the owner, the
reminder, the analysis and proposal, complaints."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.access import role_required
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error
from dossiers import checklist, links, services, workflow
from dossiers.forms import (
    ArgumentForm,
    ComplaintFollowUpForm,
    ComplaintForm,
    ItemForm,
    OwnerForm,
    ProposalForm,
    TransitionForm,
)
from dossiers.models import ComplaintChannel, ComplaintKind
from dossiers.views.common import (
    EDITORS,
    READERS,
    back_to,
    bp,
    can_edit,
    dossier_or_404,
    flash_error,
    owner_choices,
    today_in_brussels,
)

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
    today = today_in_brussels()
    lead_outcomes = []
    if dossier.lead is not None:
        from dossiers.leads import services as leads

        lead_outcomes = leads.intake_outcomes(dossier.lead)
    owner_form = OwnerForm(formdata=None)
    owner_form.owner_id.choices = owner_choices()
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
            targets=workflow.allowed_targets(dossier) if can_edit() else [],
            rules=services.check_rules(dossier, today),
            trail=services.trail(dossier),
            lead_outcomes=lead_outcomes,
            organiser_link=links.organiser_url(dossier),
            can_edit=can_edit(),
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
    return _render_detail(dossier_or_404(reference))


@bp.post("/<reference>/fase")
@role_required(*EDITORS)
def transition(reference: str):
    dossier = dossier_or_404(reference)
    form = TransitionForm()
    if form.validate_on_submit():
        try:
            services.change_state(dossier, form.target.data, by=current_user)
        except DomainError as error:
            flash_error(error)
        else:
            flash(
                _("Het dossier staat nu in de fase ‘%(state)s’.", state=workflow.state_label(dossier.state)),
                "success",
            )
    return back_to(dossier, "workflow")


@bp.post("/<reference>/checklist/<int:item_id>")
@role_required(*EDITORS)
def item(reference: str, item_id: int):
    dossier = dossier_or_404(reference)
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
            flash_error(error)
        else:
            flash(_("De checklist is bijgewerkt."), "success")
    else:
        flash(_("Controleer de datum en de opmerking."), "error")
    return back_to(dossier, f"item-{item_id}")


@bp.post("/<reference>/eigenaar")
@role_required(*EDITORS)
def owner(reference: str):
    dossier = dossier_or_404(reference)
    form = OwnerForm()
    form.owner_id.choices = owner_choices()
    if form.validate_on_submit():
        try:
            services.assign_owner(dossier, form.owner_id.data, by=current_user)
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("De dossierbeheerder is aangepast."), "success")
    return back_to(dossier)


@bp.post("/<reference>/herinnering")
@role_required(*EDITORS)
def remind(reference: str):
    dossier = dossier_or_404(reference)
    if ActionForm().validate_on_submit():
        try:
            count = services.send_missing_list(dossier, by=current_user)
        except DomainError as error:
            flash_error(error)
        else:
            flash(
                _("De organisator krijgt een mail met wat nog ontbreekt (%(n)s elementen).", n=count),
                "success",
            )
    return back_to(dossier, "checklist")


@bp.post("/<reference>/argumenten")
@role_required(*EDITORS)
def add_argument(reference: str):
    dossier = dossier_or_404(reference)
    form = ArgumentForm(prefix="argument")
    if form.validate_on_submit():
        try:
            services.add_argument(dossier, form.side.data, form.text.data, by=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return back_to(dossier, "analyse")
    return _render_detail(dossier, status=422, argument_form=form)


@bp.post("/<reference>/argumenten/<int:argument_id>/verwijderen")
@role_required(*EDITORS)
def remove_argument(reference: str, argument_id: int):
    dossier = dossier_or_404(reference)
    if ActionForm().validate_on_submit():
        try:
            services.remove_argument(dossier, argument_id, by=current_user)
        except NotFound:
            abort(404)
        except DomainError as error:
            flash_error(error)
    return back_to(dossier, "analyse")


@bp.post("/<reference>/voorstel")
@role_required(*EDITORS)
def save_proposal(reference: str):
    dossier = dossier_or_404(reference)
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
            return back_to(dossier, "voorstel")
    return _render_detail(dossier, status=422, proposal_form=form)


@bp.post("/<reference>/klachten")
@role_required(*EDITORS)
def add_complaint(reference: str):
    dossier = dossier_or_404(reference)
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
            services.add_complaint(dossier, data, by=current_user, today=today_in_brussels())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De klacht is genoteerd."), "success")
            return back_to(dossier, "klachten")
    return _render_detail(dossier, status=422, complaint_form=form)


@bp.post("/<reference>/klachten/<int:complaint_id>")
@role_required(*EDITORS)
def update_complaint(reference: str, complaint_id: int):
    dossier = dossier_or_404(reference)
    form = ComplaintFollowUpForm(prefix=f"c{complaint_id}")
    if form.validate_on_submit():
        try:
            services.update_complaint(
                dossier,
                complaint_id,
                follow_up=form.follow_up.data or "",
                closed_on=form.closed_on.data,
                by=current_user,
                today=today_in_brussels(),
            )
        except NotFound:
            abort(404)
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("De opvolging is bewaard."), "success")
    else:
        flash(_("Controleer de datum."), "error")
    return back_to(dossier, "klachten")
