"""The certificate of attendance as served (blueprint `certificates`): the PDF behind a person's
manage link, and the public page its QR code opens, which says whether it is genuine."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, make_response, render_template

from app.errors import NotFound
from app.extensions import limiter
from registrations import certificates, services

bp = Blueprint("certificates", __name__)


def _limit() -> str:
    # Making a PDF costs real CPU: a person needs it a few times, not hundreds.
    return current_app.config.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour")


def _private(response: Response) -> Response:
    """Personal: kept out of shared caches, referrers and search engines."""
    response.cache_control.private = True
    response.cache_control.no_store = True
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/inschrijving/<signed>/attest.pdf")
@limiter.limit(_limit)
def download(signed: str):
    try:
        registration = services.get_by_link(signed, "manage")
    except NotFound as error:
        abort(make_response(render_template("registrations/link_invalid.html", message=str(error)), 404))
    refused = certificates.refusal(registration)
    if refused is not None:
        page = render_template("registrations/certificate_refused.html", r=registration, message=str(refused))
        return _private(make_response(page, 403))
    response = Response(certificates.render_pdf(registration), mimetype="application/pdf")
    filename = certificates.filename(registration)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@bp.get("/attest/<token>")
def verify(token: str):
    found = certificates.verify(token)
    page = render_template("registrations/certificate_check.html", found=found)
    response = _private(make_response(page, 200 if found else 404))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
