"""Downloads of handouts (public, attendees' signed links, staff) and the experts' upload pages.

Who: experts and admins add and remove materials; every logged-in role (staff included) may
download staff-only materials, since dossierbeheerders use them in intake conversations.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.access import STAFF_ROLES, role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from materials.handouts import services
from materials.handouts.forms import MaterialForm
from materials.handouts.models import Visibility
from sessions import services as sessions

bp = Blueprint("handouts", __name__)

EDITORS = (Role.EXPERT, Role.ADMIN)
VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("openbaar"),
    Visibility.ATTENDEES: _l("deelnemers"),
    Visibility.STAFF: _l("alleen medewerkers"),
}


def visibility_label(value) -> str:
    return str(VISIBILITY_LABELS[Visibility(value)])


def _serve(material):
    if material.is_link:
        return redirect(material.link_url)
    try:
        path = services.stored_path(material)
    except NotFound:
        abort(404)
    response = send_file(
        path, mimetype=material.content_type, as_attachment=True, download_name=material.original_name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/materialen/<uid>")
def public_download(uid: str):
    try:
        return _serve(services.public_material(uid))
    except NotFound:
        abort(404)


@bp.get("/materialen/<uid>/<signed>")
def attendee_download(uid: str, signed: str):
    try:
        return _serve(services.material_for_attendee(uid, signed))
    except NotFound:
        abort(404)


@bp.get("/beheer/materialen/<uid>")
@role_required(*STAFF_ROLES)
def staff_download(uid: str):
    try:
        return _serve(services.get_material(uid))
    except NotFound:
        abort(404)


def _data(form: MaterialForm) -> services.MaterialData:
    return services.MaterialData(
        title=form.title.data or "", visibility=form.visibility.data, link_url=form.link_url.data
    )


def _add(form: MaterialForm, **owner) -> bool:
    """Validate and save; True when the material was added."""
    if not form.validate_on_submit():
        return False
    upload = form.file.data
    has_file = bool(upload and upload.filename)
    try:
        services.add_material(
            _data(form),
            stream=upload.stream if has_file else None,
            filename=upload.filename if has_file else None,
            user=current_user,
            **owner,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return False
    flash(_("Materiaal toegevoegd."), "success")
    return True


@bp.route("/beheer/sessies/<int:session_id>/materialen", methods=["GET", "POST"])
@role_required(*EDITORS)
def session_materials(session_id: int):
    try:
        session = sessions.get_session(session_id)
    except NotFound:
        abort(404)
    form = MaterialForm()
    if request.method == "POST" and _add(form, session=session):
        return redirect(url_for("sessions_admin.detail", session_id=session.id, _anchor="materialen"))
    return render_template(
        "materials/handouts/session.html",
        s=session,
        form=form,
        materials=services.materials_of(session),
        delete_form=ActionForm(),
    ), form_status(form)


@bp.route("/beheer/themas/<int:topic_id>/materialen", methods=["GET", "POST"])
@role_required(*EDITORS)
def topic_materials(topic_id: int):
    try:
        topic = sessions.get_topic(topic_id)
    except NotFound:
        abort(404)
    form = MaterialForm()
    if request.method == "POST" and _add(form, topic=topic):
        return redirect(url_for("handouts.topic_materials", topic_id=topic.id))
    return render_template(
        "materials/handouts/topic.html",
        topic=topic,
        form=form,
        materials=services.materials_of_topic(topic),
        delete_form=ActionForm(),
    ), form_status(form)


@bp.post("/beheer/materialen/<uid>/verwijderen")
@role_required(*EDITORS)
def delete(uid: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        material = services.get_material(uid)
    except NotFound:
        abort(404)
    if material.session_id:
        back = url_for("sessions_admin.detail", session_id=material.session_id, _anchor="materialen")
    else:
        back = url_for("handouts.topic_materials", topic_id=material.topic_id)
    services.delete_material(material)
    flash(_("Materiaal verwijderd."), "success")
    return redirect(back)


# --------------------------------------------------------------------------- panels


def staff_panel(session):
    """The materials panel on /beheer/sessies/<id> (registered in admin_session_panels)."""
    if not current_user.is_authenticated or current_user.role not in EDITORS:
        return None
    return {
        "template": "materials/handouts/_staff_panel.html",
        "materials": services.materials_of(session),
        "form": MaterialForm(formdata=None),
        "delete_form": ActionForm(formdata=None),
    }


def public_panel(session):
    """Public materials on the public session page (registered in session_page_panels)."""
    found = services.materials_of(session, (Visibility.PUBLIC,))
    if not found:
        return None
    return {"template": "materials/handouts/_public_panel.html", "materials": found}
