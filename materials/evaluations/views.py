"""The public evaluation page behind the signed link in the follow-up mail.

GET shows the form, with the score from the mail's link filled in: it saves nothing (mail
scanners follow links). The person confirms with one button (POST)."""

from flask import Blueprint, abort, current_app, render_template, request

from app.errors import DomainError
from app.extensions import limiter
from materials.evaluations import links, services

bp = Blueprint("evaluations", __name__)


def _limit() -> str:
    return current_app.config.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour")


@bp.route("/evaluatie/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def respond(token: str):
    registration = links.registration_by_link(token)
    if registration is None or not services.may_evaluate(registration):
        abort(404)
    session = registration.session
    form = services.form_for(registration)
    response = services.response_of(registration)
    answers = services.answers_of(response)
    errors: dict[str, str] = {}
    saved = False
    is_open = services.is_open(session)
    if request.method == "POST" and is_open:
        answers, errors = services.read_answers(form, request.form)
        if not errors:
            try:
                response = services.save_response(registration, answers)
                saved = True
            except DomainError as error:
                errors = {"": str(error)}
    elif request.args.get("score") in services.RATINGS:
        answers = {**answers, form.questions[0]["key"]: [request.args["score"]]}
    status = 422 if errors else 200
    return render_template(
        "materials/evaluations/respond.html",
        s=session,
        form=form,
        answers=answers,
        errors=errors,
        saved=saved,
        answered=response is not None,
        is_open=is_open,
        closes_at=services.closes_at(session),
        token=token,
    ), status
