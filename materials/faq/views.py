"""The knowledge base's pages: the experts' page of registrants' questions by theme (answer
once, link the similar ones), an answer's edit page, the public search at /vragen and the
answers panel on the public session pages (registered in session_page_panels)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from app.labels import options
from app.parsing import id_or_none, page_or_first
from materials.faq import services
from materials.faq.forms import EntryForm
from sessions import services as sessions

bp = Blueprint("faq", __name__, url_prefix="/beheer/vragen")
public_bp = Blueprint("faq_public", __name__)

EDITORS = (Role.EXPERT, Role.ADMIN)
PER_PAGE = 10


def _entry_form(entry=None, formdata=None) -> EntryForm:
    form = EntryForm(formdata=formdata, obj=entry)
    form.topic_id.choices = options([(t.id, t.title) for t in sessions.list_topics()])
    form.theme.choices = options([("", _l("Volgens de vraag")), *services.THEMES])
    return form


def _chosen_registrations() -> list[int]:
    """The ticked questions: each box carries the registrations that sent that question."""
    ids = []
    for value in request.form.getlist("vragen"):
        ids.extend(i for i in (id_or_none(part) for part in value.split(",")) if i)
    return ids


def _data(form: EntryForm, registration_ids: list[int]) -> services.EntryData:
    return services.EntryData(
        topic_id=form.topic_id.data,
        theme=form.theme.data or "",
        question=form.question.data or "",
        answer=form.answer.data or "",
        registration_ids=registration_ids,
    )


@bp.route("", methods=["GET", "POST"])
@role_required(*EDITORS)
def index():
    form = _entry_form(formdata=request.form if request.method == "POST" else None)
    link_error = None
    if request.method == "POST":
        chosen = _chosen_registrations()
        if request.form.get("actie") == "koppelen":
            entry_id = id_or_none(request.form.get("antwoord"))
            try:
                entry = services.get_entry(entry_id or 0)
                count = services.link_questions(entry, chosen)
            except DomainError as error:
                link_error = str(error)
            else:
                flash(_("%(n)s vraag/vragen gekoppeld aan het antwoord.", n=count), "success")
                return redirect(url_for("faq.index"))
        elif form.validate():
            try:
                services.save_entry(_data(form, chosen), user=current_user)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("Het antwoord is opgeslagen en staat op de pagina's van het thema."), "success")
                return redirect(url_for("faq.index"))
    status = 422 if link_error else (form_status(form) if request.method == "POST" else 200)
    return render_template(
        "materials/faq/index.html",
        groups=services.asked_questions(),
        entries=services.all_entries(),
        form=form,
        chosen=set(_chosen_registrations()) if request.method == "POST" else set(),
        link_error=link_error,
    ), status


@bp.route("/<int:entry_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(entry_id: int):
    try:
        entry = services.get_entry(entry_id)
    except NotFound:
        abort(404)
    form = _entry_form(entry, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            services.save_entry(_data(form, []), entry, user=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Het antwoord is bijgewerkt."), "success")
            return redirect(url_for("faq.index"))
    return render_template(
        "materials/faq/edit.html", entry=entry, form=form, delete_form=ActionForm(formdata=None)
    ), form_status(form)


@bp.post("/<int:entry_id>/verwijderen")
@role_required(*EDITORS)
def delete(entry_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.delete_entry(services.get_entry(entry_id))
    except NotFound:
        abort(404)
    flash(_("Het antwoord is verwijderd."), "success")
    return redirect(url_for("faq.index"))


@public_bp.get("/vragen")
def search():
    q = " ".join((request.args.get("q") or "").split())[: services.SEARCH_MAX]
    page = services.search(q, page_or_first(request.args.get("page")), PER_PAGE)
    return render_template("materials/faq/search.html", q=q, page=page, args={"q": q} if q else {})


def public_panel(session):
    """The topic's answered questions on the public session page."""
    entries = services.entries_of_topic(session.topic_id)
    if not entries:
        return None
    jsonld = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": e.question,
                "acceptedAnswer": {"@type": "Answer", "text": e.answer},
            }
            for e in entries
        ],
    }
    return {"template": "materials/faq/_public_panel.html", "entries": entries, "jsonld": jsonld}
