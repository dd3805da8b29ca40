"""The sections of a dossier one click from its overview, each a page of its own: the analysis
and the proposal (with the arguments), the complaints and appeals, the history (audit trail)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import role_required
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error
from dossiers import history, services
from dossiers.forms import ArgumentForm, ComplaintFollowUpForm, ComplaintForm, ProposalForm
from dossiers.models import ComplaintChannel, ComplaintKind
from dossiers.views.common import (
    EDITORS,
    READERS,
    bp,
    can_edit,
    dossier_or_404,
    flash_error,
    today_in_brussels,
)


def _to(dossier, endpoint: str, anchor: str | None = None):
    return redirect(url_for(endpoint, reference=dossier.reference, _anchor=anchor))


# --------------------------------------------------------------------------- analysis and proposal


def _render_analysis(dossier, *, status: int = 200, argument_form=None, proposal_form=None):
    proposal_form = proposal_form or ProposalForm(
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
            "dossiers/analysis.html",
            d=dossier,
            section="analysis",
            rules=services.check_rules(dossier, today_in_brussels()),
            can_edit=can_edit(),
            in_proposal=dossier.state in services.PROPOSAL_STATES,
            argument_form=argument_form or ArgumentForm(formdata=None, prefix="argument"),
            proposal_form=proposal_form,
            action_form=ActionForm(formdata=None),
        ),
        status,
    )


@bp.get("/<reference>/analyse")
@role_required(*READERS)
def analysis(reference: str):
    return _render_analysis(dossier_or_404(reference))


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
            return _to(dossier, "dossiers.analysis", "argumenten")
    return _render_analysis(dossier, status=422, argument_form=form)


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
    return _to(dossier, "dossiers.analysis", "argumenten")


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
            return _to(dossier, "dossiers.analysis", "voorstel")
    return _render_analysis(dossier, status=422, proposal_form=form)


# --------------------------------------------------------------------------- complaints


def _render_complaints(dossier, *, status: int = 200, complaint_form=None):
    today = today_in_brussels()
    return (
        render_template(
            "dossiers/complaints.html",
            d=dossier,
            section="complaints",
            can_edit=can_edit(),
            complaint_form=complaint_form
            or ComplaintForm(formdata=None, prefix="complaint", data={"received_on": today}),
            follow_up_forms={
                c.id: ComplaintFollowUpForm(
                    formdata=None,
                    prefix=f"c{c.id}",
                    data={"follow_up": c.follow_up, "closed_on": c.closed_on},
                )
                for c in dossier.complaints
            },
        ),
        status,
    )


@bp.get("/<reference>/klachten")
@role_required(*READERS)
def complaints(reference: str):
    return _render_complaints(dossier_or_404(reference))


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
            return _to(dossier, "dossiers.complaints")
    return _render_complaints(dossier, status=422, complaint_form=form)


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
    return _to(dossier, "dossiers.complaints", f"c-{complaint_id}")


# --------------------------------------------------------------------------- history


@bp.get("/<reference>/historiek")
@role_required(*READERS)
def history_page(reference: str):
    dossier = dossier_or_404(reference)
    names, checked_only = history.element_names(dossier), history.record_only_codes(dossier)
    trail = [
        (
            entry,
            history.action_words(entry.action),
            history.changes_in_words(entry.changes, names, checked_only),
        )
        for entry in services.trail(dossier)
    ]
    return render_template("dossiers/history.html", d=dossier, section="history", trail=trail)
