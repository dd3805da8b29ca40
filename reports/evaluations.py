"""A session's evaluation results for the staff: the response rate, each question as a chart with
its table, the comments (an abusive one can be hidden) and a CSV of every response; the link on
the staff session page; and the expert's latest scores on their home page.

Reads materials.evaluations (the answers) and draws with reports.charts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.tabular import Column, to_csv
from materials.evaluations import results, services
from materials.evaluations.models import EvaluationResponse
from reports.charts import Series, bar_chart
from sessions.models import InfoSession

bp = Blueprint("report_evaluations", __name__, url_prefix="/beheer/sessies/<int:session_id>/evaluatie")
HIDERS = (Role.EXPERT, Role.ADMIN)


def _session_or_404(session_id: int) -> InfoSession:
    session = db.session.get(InfoSession, session_id)
    if session is None:
        abort(404)
    return session


def _label(q: results.QuestionResult, option: str) -> str:
    if q.kind == "rating" and option == "1" and q.low:
        return f"1 ({q.low})"
    if q.kind == "rating" and option == "5" and q.high:
        return f"5 ({q.high})"
    return option


def _chart(q: results.QuestionResult) -> str:
    labels = [_label(q, o) for o in q.options]
    return bar_chart(
        f"evaluatie-{q.key}",
        q.label,
        labels,
        [Series(_("Antwoorden"), [q.counts.get(o, 0) for o in q.options])],
        summary=ngettext("%(num)s antwoord", "%(num)s antwoorden", q.answered),
    )


@bp.get("")
@role_required()
def index(session_id: int):
    session = _session_or_404(session_id)
    found = results.session_results(session)
    charts = {q.key: _chart(q) for q in found.questions if q.kind != "text" and q.answered}
    return render_template(
        "reports/evaluation.html",
        s=session,
        results=found,
        charts=charts,
        label=_label,
        closes_at=services.closes_at(session),
        is_open=services.is_open(session),
        may_hide=current_user.role in HIDERS,
    )


@bp.post("/opmerkingen/<int:answer_id>")
@role_required(*HIDERS)
def hide(session_id: int, answer_id: int):
    answer = results.comment(answer_id)
    if answer is None or answer.response.session_id != session_id:
        abort(404)
    hidden = request.form.get("verbergen") == "1"
    services.set_hidden(answer_id, hidden)
    flash(_("De opmerking is verborgen.") if hidden else _("De opmerking is weer zichtbaar."), "success")
    return redirect(url_for(".index", session_id=session_id) + "#opmerkingen")


@bp.get("/antwoorden.csv")
@role_required()
def export(session_id: int):
    session = _session_or_404(session_id)
    found = results.session_results(session)
    columns = [Column(_l("Antwoord")), Column(_l("Ingevuld op")), Column(_l("Formulierversie"))]
    columns += [Column(q.label) for q in found.questions]
    rows = []
    responses = db.session.scalars(
        db.select(EvaluationResponse)
        .where(EvaluationResponse.session_id == session.id)
        .order_by(EvaluationResponse.created_at, EvaluationResponse.id)
    )
    for number, response in enumerate(responses, start=1):
        given = {}
        for answer in response.answers:
            value = _("(verborgen)") if answer.hidden else answer.value
            given.setdefault(answer.question_key, []).append(value)
        rows.append(
            [number, response.updated_at, response.form.version]
            + [", ".join(given.get(q.key, [])) for q in found.questions]
        )
    name = f"evaluatie-sessie-{session.id}.csv"
    return Response(
        to_csv(columns, rows),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def staff_panel(session: InfoSession) -> dict | None:
    """The evaluation's figures on /beheer/sessies/<id> (registered in admin_session_panels), once
    the session has begun."""
    if not services.is_open(session) and session.starts_at > utcnow():
        return None
    found = results.session_results(session)
    return {"template": "reports/_evaluation_panel.html", "results": found}


@dataclass(frozen=True)
class ScoresWidget:
    title: str
    scores: list
    template: str = "reports/_dashboard_evaluations.html"


def scores_widget(user) -> ScoresWidget | None:
    if user.role not in (Role.EXPERT, Role.ADMIN):
        return None
    scores = results.latest_scores(user.id)
    if not scores:
        return None
    return ScoresWidget(_("Hoe deelnemers je sessies beoordelen"), scores)
