"""Staff pages to define the registration questions of a topic or of one session (experts and
admins)."""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError, NotFound
from app.forms import ActionForm, apply_domain_error, form_status
from app.i18n import long_datetime
from app.labels import options
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


def _session_or_404(session_id: int):
    try:
        return sessions.get_session(session_id)
    except NotFound:
        abort(404)


@dataclass(frozen=True)
class Owner:
    """Whose questions a page edits: a topic's (every session of it) or one session's."""

    title: str
    endpoint: str  # the page; its delete route is endpoint + "_delete"
    args: dict
    topic_id: int | None = None
    session_id: int | None = None
    back: tuple[str, str] = ("", "")  # (url, text)

    def questions(self) -> list:
        if self.topic_id is not None:
            return services.questions_for_topic(self.topic_id)
        return services.questions_of_session(self.session_id)

    def url(self, **more) -> str:
        return url_for(self.endpoint, **self.args, **more)

    def delete_url(self, question_id: int) -> str:
        return url_for(self.endpoint + "_delete", **self.args, question_id=question_id)


def _topic_owner(topic_id: int) -> Owner:
    topic = _topic_or_404(topic_id)
    back = (url_for("registration_questions.index"), _("Alle thema’s"))
    return Owner(
        topic.title, "registration_questions.topic", {"topic_id": topic.id}, topic_id=topic.id, back=back
    )


def _session_owner(session_id: int) -> Owner:
    session = _session_or_404(session_id)
    title = f"{session.display_title}, {long_datetime(session.starts_at)}"
    back = (url_for("sessions_admin.detail", session_id=session.id), _("Terug naar de sessie"))
    return Owner(
        title, "registration_questions.session", {"session_id": session.id}, session_id=session.id, back=back
    )


@bp.route("/thema/<int:topic_id>", methods=["GET", "POST"])
@bp.route("/thema/<int:topic_id>/<int:question_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def topic(topic_id: int, question_id: int | None = None):
    return _page(_topic_owner(topic_id), question_id)


@bp.route("/sessie/<int:session_id>", methods=["GET", "POST"])
@bp.route("/sessie/<int:session_id>/<int:question_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def session(session_id: int, question_id: int | None = None):
    return _page(_session_owner(session_id), question_id)


def _page(owner: Owner, question_id: int | None):
    questions = owner.questions()
    question = next((q for q in questions if q.id == question_id), None)
    if question_id is not None and question is None:
        abort(404)
    form = QuestionForm(obj=question) if request.method == "GET" and question else QuestionForm()
    form.condition_key.choices = options(
        [("", _("— altijd tonen —")), (CHILDCARE_TYPE, _("Soort opvang"))]
        + [(q.key, q.label_nl) for q in questions if q.id != question_id]
    )
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
            saved = services.save_question(
                data, topic_id=owner.topic_id, session_id=owner.session_id, question=question
            )
        except DomainError as error:
            apply_domain_error(form, error, {f"q_{data.key}": "label_nl"})
        else:
            flash(_("Vraag “%(q)s” opgeslagen.", q=saved.label_nl), "success")
            return redirect(owner.url())
    return render_template(
        "registrations/questions/topic.html",
        owner=owner,
        questions=questions,
        question=question,
        form=form,
        kinds=dict(KINDS),
        when={q.id: condition_parts(q, questions) for q in questions if q.condition_key},
        delete_form=ActionForm(),
    ), form_status(form)


@bp.post("/thema/<int:topic_id>/<int:question_id>/verwijderen")
@role_required(*PLANNERS)
def topic_delete(topic_id: int, question_id: int):
    return _delete(_topic_owner(topic_id), question_id)


@bp.post("/sessie/<int:session_id>/<int:question_id>/verwijderen")
@role_required(*PLANNERS)
def session_delete(session_id: int, question_id: int):
    return _delete(_session_owner(session_id), question_id)


def _delete(owner: Owner, question_id: int):
    question = next((q for q in owner.questions() if q.id == question_id), None)
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
    return redirect(owner.url())
