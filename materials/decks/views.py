"""The deck of a session (download, upload a final version), the master template, and the
slide-block library.

Who: experts and admins for decks and the library; the master template is the admins'. Staff
(dossierbeheerders) do not present sessions and get a 403: the generated deck shows the
registrants' questions, which they have no need for.
"""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from materials.decks import content, services
from materials.decks.forms import SlideBlockForm, UploadForm
from sessions import services as sessions

bp = Blueprint("decks", __name__, url_prefix="/beheer")

PRESENTERS = (Role.EXPERT, Role.ADMIN)
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _session_or_404(session_id: int):
    try:
        return sessions.get_session(session_id)
    except NotFound:
        abort(404)


def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/sessies/<int:session_id>/deck.pptx")
@role_required(*PRESENTERS)
def deck(session_id: int):
    """The final version when the expert uploaded one, else the deck generated now.

    `?gegenereerd=1` always gives the generated deck.
    """
    session = _session_or_404(session_id)
    final = None if request.args.get("gegenereerd") else services.final_deck(session)
    if final is not None:
        try:
            path = services.final_deck_path(final)
        except NotFound:
            abort(404)
        return _no_store(
            send_file(
                path,
                mimetype=PPTX,
                as_attachment=True,
                download_name=services.deck_filename(session, final=True),
            )
        )
    try:
        data = services.generate_deck(session)
    except DomainError as error:  # the uploaded master no longer opens
        flash(str(error), "error")
        return redirect(url_for("sessions_admin.detail", session_id=session.id, _anchor="presentatie"))
    response = Response(data, mimetype=PPTX)
    response.headers["Content-Disposition"] = f'attachment; filename="{services.deck_filename(session)}"'
    return _no_store(response)


@bp.post("/sessies/<int:session_id>/deck/definitief")
@role_required(*PRESENTERS)
def upload_final(session_id: int):
    session = _session_or_404(session_id)
    form = UploadForm()
    upload = form.file.data if form.validate_on_submit() else None
    if not upload or not upload.filename:
        flash(_("Kies een PowerPoint-bestand."), "error")
    else:
        try:
            services.upload_final(session, upload.stream, upload.filename, current_user)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(
                _("De definitieve versie is opgeladen. Ze vervangt de gegenereerde presentatie."), "success"
            )
    return redirect(url_for("sessions_admin.detail", session_id=session.id, _anchor="presentatie"))


@bp.post("/sessies/<int:session_id>/deck/definitief/verwijderen")
@role_required(*PRESENTERS)
def remove_final(session_id: int):
    session = _session_or_404(session_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.remove_final(session)
    flash(_("De definitieve versie is verwijderd; je krijgt weer de gegenereerde presentatie."), "success")
    return redirect(url_for("sessions_admin.detail", session_id=session.id, _anchor="presentatie"))


def staff_panel(session):
    """The deck panel on /beheer/sessies/<id> (registered in admin_session_panels)."""
    if not current_user.is_authenticated or current_user.role not in PRESENTERS:
        return None
    return {
        "template": "materials/decks/_staff_panel.html",
        "final": services.final_deck(session),
        "upload_form": UploadForm(formdata=None),
        "action_form": ActionForm(formdata=None),
    }


# --------------------------------------------------------------------------- master template


@bp.route("/presentatiesjabloon", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def master():
    form = UploadForm()
    if request.method == "POST" and form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            form.file.errors = [*form.file.errors, _("Kies een PowerPoint-bestand.")]
        else:
            try:
                services.upload_master(upload.stream, upload.filename, current_user)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("Het nieuwe sjabloon wordt voortaan voor elke presentatie gebruikt."), "success")
                return redirect(url_for("decks.master"))
    status = 422 if form.file.errors or form.form_errors else 200
    return render_template(
        "materials/decks/master.html", form=form, current=services.current_master(), reset_form=ActionForm()
    ), status


@bp.get("/presentatiesjabloon/standaard.pptx")
@role_required(Role.ADMIN)
def default_master():
    """The built-in master, as a starting point for the agency's own."""
    from materials.decks.template import default_master as build

    response = Response(build(), mimetype=PPTX)
    response.headers["Content-Disposition"] = 'attachment; filename="startklaar-sjabloon.pptx"'
    return response


@bp.post("/presentatiesjabloon/standaard")
@role_required(Role.ADMIN)
def reset_master():
    if not ActionForm().validate_on_submit():
        abort(400)
    services.reset_master()
    flash(_("Het standaardsjabloon wordt weer gebruikt."), "success")
    return redirect(url_for("decks.master"))


# --------------------------------------------------------------------------- slide-block library


@bp.get("/themas/<int:topic_id>/dias")
@role_required(*PRESENTERS)
def library(topic_id: int):
    try:
        topic = sessions.get_topic(topic_id)
    except NotFound:
        abort(404)
    return render_template(
        "materials/decks/library.html",
        topic=topic,
        overview=services.library_overview(topic),
        placeholders=content.PLACEHOLDERS,
    )


@bp.route("/themas/<int:topic_id>/dias/<key>/nieuw", methods=["GET", "POST"])
@bp.route("/themas/<int:topic_id>/dias/<int:block_id>", methods=["GET", "POST"])
@role_required(*PRESENTERS)
def edit_block(topic_id: int, key: str | None = None, block_id: int | None = None):
    try:
        topic = sessions.get_topic(topic_id)
        block = services.get_block(block_id) if block_id else None
    except NotFound:
        abort(404)
    if block is not None and block.topic_id not in (None, topic.id):
        abort(404)
    agenda = {a.key: a for a in topic.agenda_blocks}
    key = block.block_key if block else key
    if key not in agenda:
        abort(404)
    form = SlideBlockForm(obj=block)
    if form.validate_on_submit():
        data = services.BlockData(form.title.data, form.bullets.data or "", form.notes.data or "")
        try:
            if block is not None and block.topic_id is None:
                # Editing a shared slide from one topic makes that topic's own copy.
                services.save_block(None, data, topic=topic, key=key)
            else:
                services.save_block(block, data, topic=topic, key=key)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Dia opgeslagen."), "success")
            return redirect(url_for("decks.library", topic_id=topic.id, _anchor=f"blok-{key}"))
    return render_template(
        "materials/decks/block_form.html",
        topic=topic,
        agenda_block=agenda[key],
        block=block,
        form=form,
        placeholders=content.PLACEHOLDERS,
    ), form_status(form)


@bp.post("/themas/<int:topic_id>/dias/<int:block_id>/verwijderen")
@role_required(*PRESENTERS)
def delete_block(topic_id: int, block_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        block = services.get_block(block_id)
    except NotFound:
        abort(404)
    if block.topic_id != topic_id:
        abort(404)  # shared slides are not deleted from one topic's page
    key = block.block_key
    services.delete_block(block)
    flash(_("Dia verwijderd."), "success")
    return redirect(url_for("decks.library", topic_id=topic_id, _anchor=f"blok-{key}"))
