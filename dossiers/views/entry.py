"""A new dossier (from a lead or by hand) and editing a dossier's data."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import role_required
from app.errors import DomainError, NotFound
from app.forms import apply_domain_error, form_status
from app.parsing import id_or_none
from dossiers import services
from dossiers.forms import DossierForm
from dossiers.models import OrganiserKind
from dossiers.views.common import EDITORS, bp, dossier_or_404, owner_choices
from registrations.models import ChildcareType, LegalForm, Statute

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
    lead = _lead(id_or_none(request.args.get("lead")))
    existing = services.open_dossier_of_lead(lead.id) if lead is not None else None
    form = DossierForm()
    form.owner_id.choices = owner_choices()
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
    dossier = dossier_or_404(reference)
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
