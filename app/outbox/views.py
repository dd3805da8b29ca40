"""The outbox viewer under /beheer/outbox (admins): every mail as its recipient would see it."""

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import NotFound
from app.outbox import services
from app.outbox.kinds import KINDS
from app.outbox.models import MailStatus
from app.parsing import page_or_first

bp = Blueprint("outbox", __name__, url_prefix="/beheer/outbox")

PER_PAGE = 50
STATUS_LABELS = {
    MailStatus.QUEUED: _l("in de wachtrij"),
    MailStatus.SENT: _l("verzonden"),
    MailStatus.FAILED: _l("mislukt"),
    MailStatus.DROPPED: _l("niet verstuurd"),
}
# The mail's own HTML runs in a sandbox: no scripts, no forms, no requests out, and only this
# site may frame it (the site-wide policy forbids all framing).
HTML_BODY_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)


def status_label(status) -> str:
    return str(STATUS_LABELS.get(MailStatus(status), status))


#: What a mail's reference ("registration:752") points at, in words ("inschrijving 752").
REFERENCE_LABELS = {
    "registration": _l("inschrijving %(id)s"),
    "mailing": _l("opvolgmail %(id)s"),
    "mailing-test": _l("testmail van opvolgmail %(id)s"),
    "dossier": _l("dossier %(id)s"),
    "lead": _l("lead %(id)s"),
}


def reference_label(reference: str | None) -> str:
    """The reference in words; one this table does not know is shown as stored."""
    prefix, _sep, rest = (reference or "").partition(":")
    words = REFERENCE_LABELS.get(prefix)
    return str(words) % {"id": rest} if words is not None and rest else (reference or "")


def kind_label(code: str) -> str:
    """The name people read for a kind of mail ("Bevestiging van inschrijving")."""
    return KINDS.label(code)


@dataclass(frozen=True)
class Widget:
    title: str
    counts: dict
    configured: bool
    template: str = "outbox/_widget.html"


def dashboard_widget(user) -> Widget | None:
    """On an admin's home page while mail waits or failed: how much, with links to the list."""
    if user.role is not Role.ADMIN:
        return None
    counts = services.status_counts()
    if not (counts[MailStatus.QUEUED] or counts[MailStatus.FAILED]):
        return None
    return Widget(_("Uitgaande mail"), counts, services.smtp_settings() is not None)


def _message_or_404(message_id: int):
    try:
        return services.get_message(message_id)
    except NotFound:
        abort(404)


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    status = request.args.get("status") or None
    if status not in {s.value for s in MailStatus}:
        status = None
    kind = request.args.get("soort") or None
    search = (request.args.get("q") or "").strip()[:254] or None
    page = page_or_first(request.args.get("page"))
    filters = {"status": status, "soort": kind, "q": search}
    found = services.list_messages(status=status, kind=kind, search=search, page=page, per_page=PER_PAGE)
    return render_template(
        "outbox/index.html",
        page=found,
        # A mail not rendered yet is rendered on view for its subject (nothing is stored).
        subjects=services.subjects(found.items),
        filters=filters,
        filter_args={k: v for k, v in filters.items() if v},
        kinds=services.kinds(),
        counts=services.status_counts(),
        statuses=list(MailStatus),
        configured=services.smtp_settings() is not None,
    )


@bp.get("/<int:message_id>")
@role_required(Role.ADMIN)
def detail(message_id: int):
    message = _message_or_404(message_id)
    return render_template(
        "outbox/detail.html",
        message=message,
        preview=services.preview(message),
        configured=services.smtp_settings() is not None,
    )


@bp.get("/<int:message_id>/html")
@role_required(Role.ADMIN)
def html_body(message_id: int):
    shown = services.preview(_message_or_404(message_id))
    if not shown.html:
        abort(404)
    response = Response(shown.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_BODY_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:message_id>/invite.ics")
@role_required(Role.ADMIN)
def ics(message_id: int):
    shown = services.preview(_message_or_404(message_id))
    if not shown.ics:
        abort(404)
    media_type = "text/calendar; charset=utf-8"
    if shown.ics_method:
        media_type += f"; method={shown.ics_method}"
    response = Response(shown.ics, content_type=media_type)
    response.headers["Content-Disposition"] = "attachment; filename=invite.ics"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:message_id>/bericht.eml")
@role_required(Role.ADMIN)
def eml(message_id: int):
    message = _message_or_404(message_id)
    shown = services.preview(message)
    if shown.raw is None:
        abort(404)
    response = Response(shown.raw, content_type="message/rfc822")
    response.headers["Content-Disposition"] = f"attachment; filename=bericht-{message.id}.eml"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:message_id>/opnieuw-versturen")
@role_required(Role.ADMIN)
def resend(message_id: int):
    try:
        copy = services.resend(message_id)
    except NotFound:
        abort(404)
    flash(_("Het bericht staat opnieuw in de wachtrij."), "success")
    return redirect(url_for("outbox.detail", message_id=copy.id))
