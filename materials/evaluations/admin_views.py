"""The admin's page for the evaluation forms: which topics have their own, and an editor that
saves a topic's form as a new version (answers already given keep theirs)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from materials.evaluations import services, text_form
from sessions import services as sessions

bp = Blueprint("evaluations_admin", __name__, url_prefix="/beheer/evaluaties")


@bp.get("")
@role_required(Role.ADMIN)
def index():
    return render_template(
        "materials/evaluations/admin_index.html",
        rows=services.topic_forms(sessions.list_topics(active_only=False)),
        default=services.default_form(),
    )


@bp.route("/<int:topic_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(topic_id: int):
    try:
        topic = sessions.get_topic(topic_id)
    except NotFound:
        abort(404)
    current = services.current_form(topic_id)
    title, text, error = current.title, text_form.to_text(current.definition), None
    if request.method == "POST":
        title, text = request.form.get("title", "")[:200], request.form.get("questions", "")[:20000]
        try:
            saved = services.save_form_text(topic_id, title, text)
        except DomainError as problem:
            error = problem
        else:
            flash(_("Het formulier is bewaard als versie %(n)s.", n=saved.version), "success")
            return redirect(url_for(".edit", topic_id=topic_id))
    return render_template(
        "materials/evaluations/admin_edit.html",
        topic=topic,
        current=current,
        own=current.topic_id == topic_id,
        title=title,
        text=text,
        error=error,
    ), (422 if error else 200)
