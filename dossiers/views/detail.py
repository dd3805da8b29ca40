"""One dossier's overview page (a summary, the next step, the checklist as a task list) and what
staff do from it: the workflow, one checklist element on its own page, the owner, the reminder.
The analysis, the complaints and the history are pages of their own (views/sections.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import role_required
from app.errors import DomainError, NotFound
from app.forms import ActionForm
from app.i18n import long_date
from app.labels import options
from dossiers import checklist, links, services, workflow
from dossiers.forms import ItemForm, OwnerForm, TransitionForm
from dossiers.services import summary
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
from dossiers.views.labels import item_status_label

# --------------------------------------------------------------------------- one dossier


def _item_form(item) -> ItemForm:
    form = ItemForm(formdata=None, prefix=f"item{item.id}", obj=None)
    form.status.choices = options(
        [("", _("— status niet wijzigen —"))]
        + [
            (
                status.value,
                (checklist.RECORD_ONLY_LABELS if item.element.record_only else checklist.ITEM_STATUS_LABELS)[
                    status
                ],
            )
            for status in checklist.allowed_item_moves(item)
        ]
    )
    form.comment.data = item.comment
    form.due_on.data = item.due_on
    return form


def _owner_form(dossier) -> OwnerForm:
    form = OwnerForm(formdata=None)
    form.owner_id.choices = owner_choices()
    form.owner_id.data = dossier.owner_id
    return form


def _tasks(dossier, today) -> list[dict]:
    """The checklist as the task list shows it: one line per element, its status as a tag."""
    tasks = []
    documents: dict[int, int] = {}
    for doc in dossier.documents:
        if doc.item_id is not None:
            documents[doc.item_id] = documents.get(doc.item_id, 0) + 1
    for item in dossier.items:
        hints = []
        if not item.required:
            hints.append(_("aanbevolen, niet verplicht"))
        if item.element.record_only:
            hints.append(_("enkel gecontroleerd, nooit bewaard"))
        if item.due_on and item.is_open:
            when = long_date(item.due_on)
            if item.is_overdue(today):
                hints.append(_("termijn verstreken op %(date)s", date=when))
            else:
                hints.append(_("termijn: %(date)s", date=when))
        if documents.get(item.id):
            hints.append(ngettext("%(num)s document", "%(num)s documenten", documents[item.id]))
        tasks.append(
            {
                "id": f"item-{item.id}",
                "name": item.element.name,
                "href": url_for("dossiers.item_page", reference=dossier.reference, item_id=item.id),
                "hint": " · ".join(str(h) for h in hints),
                "status_text": item_status_label(item),
                "status": item.status,
                "colour": "red" if item.is_overdue(today) else None,
            }
        )
    return tasks


@bp.get("/<reference>")
@role_required(*READERS)
def detail(reference: str):
    dossier = dossier_or_404(reference)
    today = today_in_brussels()
    lead_outcomes = []
    if dossier.lead is not None:
        from dossiers.leads import services as leads

        lead_outcomes = leads.intake_outcomes(dossier.lead)
    return render_template(
        "dossiers/detail.html",
        d=dossier,
        section="overview",
        today=today,
        done=checklist.completeness(dossier.items),
        tasks=_tasks(dossier, today),
        next_due=summary.next_due(dossier),
        next_step=summary.next_step(dossier),
        targets=workflow.allowed_targets(dossier) if can_edit() else [],
        lead_outcomes=lead_outcomes,
        organiser_link=links.organiser_url(dossier) if can_edit() else None,
        loose_documents=[doc for doc in dossier.documents if doc.item_id is None],
        can_edit=can_edit(),
        owner_form=_owner_form(dossier),
    )


def _item_of(dossier, item_id: int):
    item = next((i for i in dossier.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


@bp.get("/<reference>/checklist/<int:item_id>")
@role_required(*READERS)
def item_page(reference: str, item_id: int):
    """One element of the checklist on its own page: what it is, its documents, its form."""
    dossier = dossier_or_404(reference)
    item = _item_of(dossier, item_id)
    return render_template(
        "dossiers/item.html",
        d=dossier,
        section="overview",
        item=item,
        today=today_in_brussels(),
        form=_item_form(item),
        documents=[doc for doc in dossier.documents if doc.item_id == item.id],
        can_edit=can_edit(),
    )


@bp.get("/<reference>/eigenaar")
@role_required(*EDITORS)
def owner_page(reference: str):
    dossier = dossier_or_404(reference)
    return render_template(
        "dossiers/owner.html", d=dossier, section="overview", owner_form=_owner_form(dossier)
    )


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
    form.status.choices = options([("", "")] + [(s.value, s.value) for s in checklist.ITEM_STATUS_LABELS])
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
            return back_to(dossier, f"item-{item_id}")
    else:
        flash(_("Controleer de datum en de opmerking."), "error")
    return redirect(url_for("dossiers.item_page", reference=dossier.reference, item_id=item_id))


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
