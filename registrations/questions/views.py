"""Staff pages to define a topic's registration questions (experts and admins)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from registrations.questions import services
from registrations.questions.forms import KINDS, QuestionForm
from registrations.questions.forms_public import condition_parts
from registrations.questions.models import CHILDCARE_TYPE, QuestionKind
from sessions import services as sessions

bp = Blueprint("registration_questions", __name__, url_prefix="/beheer/inschrijfvragen")

PLANNERS = (Role.EXPERT, Role.ADMIN)


@bp.get("")
@role_required(*PLANNERS)
def index():
    topics = sessions.list_topics(active_only=False)
    counts = {t.id: len(services.questions_for_topic(t.id)) for t in topics}
    return render_template("registrations/questions/index.html", topics=topics, counts=counts)


def _topic_or_404(topic_id: int):
    try:
        return sessions.get_topic(topic_id)
    except NotFound:
        abort(404)


@bp.route("/thema/<int:topic_id>", methods=["GET", "POST"])
@bp.route("/thema/<int:topic_id>/<int:question_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def topic(topic_id: int, question_id: int | None = None):
    topic = _topic_or_404(topic_id)
    questions = services.questions_for_topic(topic.id)
    question = next((q for q in questions if q.id == question_id), None)
    if question_id is not None and question is None:
        abort(404)
    form = QuestionForm(obj=question) if request.method == "GET" and question else QuestionForm()
    form.condition_key.choices = [("", _("— altijd tonen —")), (CHILDCARE_TYPE, _("Soort opvang"))] + [
        (q.key, q.label_nl) for q in questions if q.id != question_id
    ]
    if request.method == "GET" and question:
        form.choices.data = "\n".join(
            f"{c['nl']} | {c['en']}" if c.get("en") else c["nl"] for c in question.choices or []
        )
        form.kind.data = question.kind.value
        form.condition_key.data = question.condition_key or ""
    elif request.method == "GET":
        form.position.data = (max((q.position for q in questions), default=0) // 10 + 1) * 10
    if form.validate_on_submit():
        data = services.QuestionData(
            key=(form.key.data or "").strip(),
            kind=QuestionKind(form.kind.data),
            label_nl=form.label_nl.data or "",
            label_en=form.label_en.data or "",
            hint_nl=form.hint_nl.data or "",
            choices=services.parse_choices(form.choices.data),
            required=bool(form.required.data),
            position=form.position.data or 0,
            condition_key=form.condition_key.data or None,
            condition_value=form.condition_value.data or None,
        )
        try:
            saved = services.save_question(data, topic_id=topic.id, question=question)
        except DomainError as error:
            apply_domain_error(form, error, {f"q_{data.key}": "label_nl"})
        else:
            flash(_("Vraag “%(q)s” opgeslagen.", q=saved.label_nl), "success")
            return redirect(url_for("registration_questions.topic", topic_id=topic.id))
    return render_template(
        "registrations/questions/topic.html",
        topic=topic,
        questions=questions,
        question=question,
        form=form,
        kinds=dict(KINDS),
        when={q.id: condition_parts(q, questions) for q in questions if q.condition_key},
        delete_form=ActionForm(),
    ), form_status(form)


@bp.post("/thema/<int:topic_id>/<int:question_id>/verwijderen")
@role_required(*PLANNERS)
def delete(topic_id: int, question_id: int):
    topic = _topic_or_404(topic_id)
    question = next((q for q in services.questions_for_topic(topic.id) if q.id == question_id), None)
    if question is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.delete_question(question)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("Vraag verwijderd. Antwoorden die al gegeven zijn, blijven leesbaar."), "success")
    return redirect(url_for("registration_questions.topic", topic_id=topic.id))
