"""The checklist catalogue (admins): which elements a dossier of each type must have."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import apply_domain_error, form_status
from dossiers import models as labels
from dossiers import services
from dossiers.forms import ElementForm
from dossiers.views.common import bp

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
