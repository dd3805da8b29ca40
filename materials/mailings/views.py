"""The expert's follow-up pages under a session, the panel on the staff session page, and the
public pages a mail links to: one-click unsubscribe and one-click registration for another date."""

from datetime import date

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import csrf, limiter
from app.forms import ActionForm, apply_domain_error, form_status
from app.i18n import long_datetime
from app.labels import options
from app.parsing import id_or_none, page_or_first
from app.timezone import BRUSSELS, local
from materials.mailings import public, rendering, services
from materials.mailings.forms import (
    SEGMENT_SHORT,
    SEGMENTS,
    STATUSES,
    MailingForm,
    NewMailingForm,
    ScheduleForm,
)
from materials.mailings.models import MailingStatus
from materials.mailings.states import (
    bar_label,
    mail_server_configured,
    mailing_subject,
    recipient_state,
    state_announcement,
    state_colour,
    state_label,
    state_summary,
)
from registrations import attendance
from sessions import services as sessions

bp = Blueprint("mailings", __name__, url_prefix="/beheer/sessies/<int:session_id>/opvolging")
public_bp = Blueprint("mailings_public", __name__)

EDITORS = (Role.EXPERT, Role.ADMIN)

bp.add_app_template_filter(mailing_subject, "mailing_subject")


def _session_or_404(session_id: int):
    try:
        return sessions.get_session(session_id)
    except NotFound:
        abort(404)


def _mailing_or_404(session_id: int, mailing_id: int):
    try:
        return services.get_mailing(session_id, mailing_id)
    except NotFound:
        abort(404)


def _month(value: date | None) -> date | None:
    return value.replace(day=1) if value else None


def _states(mailings) -> dict[int, dict]:
    return {
        mailing_id: {"label": state_label(p), "colour": state_colour(p), "state": p.state.value}
        for mailing_id, p in services.progress_of(mailings).items()
    }


def session_panel(session):
    """Check-in and follow-up on the staff session page (registered in admin_session_panels)."""
    if not attendance.may_check_in(current_user, session):
        return None
    mailings = services.mailings_of(session.id) if current_user.role in EDITORS else None
    return {
        "template": "materials/mailings/_panel.html",
        "counts": attendance.counts(session.id),
        "mailings": mailings,
        "states": _states(mailings or []),
        "segment_short": SEGMENT_SHORT,
    }


@bp.get("")
@role_required(*EDITORS)
def index(session_id: int):
    session = _session_or_404(session_id)
    mailings = services.mailings_of(session.id)
    return render_template(
        "materials/mailings/index.html",
        s=session,
        mailings=mailings,
        states=_states(mailings),
        form=NewMailingForm(),
        segment_short=SEGMENT_SHORT,
        mail_configured=mail_server_configured(),
    )


@bp.post("/nieuw")
@role_required(*EDITORS)
def create(session_id: int):
    session = _session_or_404(session_id)
    form = NewMailingForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        mailing = services.create_mailing(session.id, form.segment.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("mailings.index", session_id=session.id))
    return redirect(url_for("mailings.edit", session_id=session.id, mailing_id=mailing.id))


def _form_for(mailing, siblings) -> MailingForm:
    form = MailingForm(obj=mailing if request.method == "GET" else None)
    form.session_ids.choices = options(
        [
            (
                s.id,
                f"{local(s.starts_at):%d/%m/%Y %H:%M} — {s.venue.municipality if s.venue else _('online')}",
            )
            for s in siblings
        ]
    )
    if request.method == "GET":
        form.session_ids.data = [s.id for s in mailing.sessions if s.id != mailing.session_id]
        form.childcare_type.data = mailing.childcare_type or ""
        form.province.data = mailing.province or ""
    return form


@bp.route("/<int:mailing_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(session_id: int, mailing_id: int):
    session = _session_or_404(session_id)
    mailing = _mailing_or_404(session_id, mailing_id)
    if mailing.status in (MailingStatus.SENDING, MailingStatus.SENT):
        return redirect(url_for("mailings.progress", session_id=session_id, mailing_id=mailing.id))
    siblings = services.sibling_sessions(session)
    form = _form_for(mailing, siblings)
    if form.validate_on_submit():
        data = services.MailingData(
            subject=form.subject.data,
            body=form.body.data,
            session_ids=form.session_ids.data or [],
            childcare_type=form.childcare_type.data or None,
            province=form.province.data or None,
            planned_start_from=_month(form.planned_start_from.data),
            planned_start_until=_month(form.planned_start_until.data),
        )
        try:
            services.update_mailing(mailing, data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("De mailing is bewaard."), "success")
            return redirect(
                url_for("mailings.edit", session_id=session_id, mailing_id=mailing.id, _anchor="voorbeeld")
            )
    audience = services.audience(mailing)
    chosen, rendered = services.preview(mailing, id_or_none(request.args.get("r")))
    schedule_form = ScheduleForm(formdata=None)
    if mailing.scheduled_at and not mailing.automatic:
        schedule_form.scheduled_at.data = local(mailing.scheduled_at).replace(tzinfo=None)
    return (
        render_template(
            "materials/mailings/edit.html",
            s=session,
            mailing=mailing,
            form=form,
            audience=audience,
            chosen=chosen,
            rendered=rendered,
            placeholders=rendering.PLACEHOLDERS,
            segment_label=SEGMENTS[mailing.segment],
            statuses=STATUSES,
            action_form=ActionForm(),
            schedule_form=schedule_form,
            follow_up_at=services.default_follow_up_time(mailing),
            needs_completion=mailing.segment.needs_completed_session
            and not services.sessions_completed(mailing),
        ),
        form_status(form),
    )


def _back_to_edit(session_id: int, mailing_id: int):
    return redirect(url_for("mailings.edit", session_id=session_id, mailing_id=mailing_id))


@bp.post("/<int:mailing_id>/test")
@role_required(*EDITORS)
def test(session_id: int, mailing_id: int):
    mailing = _mailing_or_404(session_id, mailing_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.send_test(mailing, current_user, id_or_none(request.form.get("r")))
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("Een testmail gaat naar %(email)s.", email=current_user.email), "success")
    return _back_to_edit(session_id, mailing_id)


@bp.post("/<int:mailing_id>/versturen")
@role_required(*EDITORS)
def send(session_id: int, mailing_id: int):
    mailing = _mailing_or_404(session_id, mailing_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        added = services.send_mailing(mailing.id)
    except DomainError as error:
        flash(str(error), "error")
        return _back_to_edit(session_id, mailing_id)
    flash(
        ngettext(
            "%(num)s mail staat klaar om te vertrekken.", "%(num)s mails staan klaar om te vertrekken.", added
        ),
        "success",
    )
    return redirect(url_for("mailings.progress", session_id=session_id, mailing_id=mailing_id))


@bp.post("/<int:mailing_id>/inplannen")
@role_required(*EDITORS)
def schedule(session_id: int, mailing_id: int):
    mailing = _mailing_or_404(session_id, mailing_id)
    form = ScheduleForm()
    if not form.validate_on_submit():
        flash(_("Dat tijdstip kunnen we niet lezen."), "error")
        return _back_to_edit(session_id, mailing_id)
    when = form.scheduled_at.data.replace(tzinfo=BRUSSELS) if form.scheduled_at.data else None
    try:
        mailing = services.schedule_mailing(mailing, when)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("De mailing vertrekt op %(when)s.", when=long_datetime(mailing.scheduled_at)), "success")
    return _back_to_edit(session_id, mailing_id)


@bp.post("/<int:mailing_id>/ontwerp")
@role_required(*EDITORS)
def unschedule(session_id: int, mailing_id: int):
    mailing = _mailing_or_404(session_id, mailing_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.unschedule_mailing(mailing)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("De mailing is niet meer ingepland."), "success")
    return _back_to_edit(session_id, mailing_id)


@bp.get("/<int:mailing_id>/voortgang")
@role_required(*EDITORS)
def progress(session_id: int, mailing_id: int):
    session = _session_or_404(session_id)
    mailing = _mailing_or_404(session_id, mailing_id)
    if mailing.status in services.EDITABLE:
        return redirect(url_for("mailings.edit", session_id=session_id, mailing_id=mailing.id))
    progress = services.progress(mailing)
    return render_template(
        "materials/mailings/progress.html",
        s=session,
        mailing=mailing,
        progress=progress,
        state_label=state_label(progress),
        state_colour=state_colour(progress),
        summary=state_summary(progress),
        bar_label=bar_label(progress),
        recipients=services.recipients(mailing, page=page_or_first(request.args.get("page"))),
        recipient_state=recipient_state,
        segment_label=SEGMENTS[mailing.segment],
        mail_configured=mail_server_configured(),
        now=utcnow(),
    )


@bp.get("/<int:mailing_id>/voortgang.json")
@role_required(*EDITORS)
def progress_json(session_id: int, mailing_id: int):
    mailing = _mailing_or_404(session_id, mailing_id)
    progress = services.progress(mailing)
    response = jsonify(
        {
            **progress.as_dict(),
            # The words the page shows, for mailing-progress.js (translated here, not in the script).
            "label": state_label(progress),
            "colour": state_colour(progress),
            "summary": state_summary(progress),
            "announcement": state_announcement(progress),
            "bar_label": bar_label(progress),
            "nothing_yet": _("Nog niets verzonden."),
            "done_note": _("Alle mails zijn verwerkt: vernieuw de pagina voor de toestand per persoon."),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:mailing_id>/ontvangers/<int:recipient_id>/opnieuw")
@role_required(*EDITORS)
def retry(session_id: int, mailing_id: int, recipient_id: int):
    mailing = _mailing_or_404(session_id, mailing_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        recipient = services.retry_recipient(mailing, recipient_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("De mail aan %(name)s staat opnieuw in de wachtrij.", name=recipient.name), "success")
    return redirect(url_for("mailings.progress", session_id=session_id, mailing_id=mailing_id))


# --------------------------------------------------------------------------- public


def _public_limit() -> str:
    return current_app.config.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour")


@public_bp.get("/uitschrijven/<token>")
def unsubscribe_page(token: str):
    try:
        email = public.read_unsubscribe_link(token)
    except NotFound:
        abort(404)
    return render_template("materials/mailings/unsubscribe.html", email=email, done=False, token=token)


@public_bp.post("/uitschrijven/<token>")
@csrf.exempt  # RFC 8058: a mail client posts "List-Unsubscribe=One-Click" without our form
@limiter.limit(_public_limit)
def unsubscribe(token: str):
    try:
        email = public.unsubscribe_by_link(token)
    except NotFound:
        abort(404)
    return render_template("materials/mailings/unsubscribe.html", email=email, done=True, token=token)


@public_bp.route("/opvolging/inschrijven/<token>", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def accept(token: str):
    try:
        offer = public.invitation(token)
    except NotFound:
        abort(404)
    form = ActionForm()
    outcome = None
    if form.validate_on_submit():
        try:
            outcome = public.accept_invitation(token)
        except DomainError as error:
            flash(str(error), "error")
    return render_template("materials/mailings/accept.html", offer=offer, form=form, outcome=outcome)
