"""The certificate of attendance ("attest van deelname"): a PDF (A4, Dutch, PDF/A-3u) for a person
who was there, with a QR code that leads to a page saying whether it is genuine.

Only an attended registration (checked in at the door, or marked present at an online session)
gets one. The verification link carries the registration's secret token, signed
(`links.certificate_token`): it is the same every time the PDF is made, and stops verifying once
the registration is no longer attended (cancelled, an undone check-in) or anonymised (which
rotates the token).

Rendered by WeasyPrint from an HTML template and CSS. Nothing is fetched while rendering: the QR
code and the agency's logo go in as data: URIs, and any other address is refused.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app import branding
from app.db import utcnow
from app.errors import DomainError
from app.i18n import long_date, long_datetime, short_time
from app.timezone import local
from registrations import links
from registrations.models import Registration, RegistrationStatus

PDF_VARIANT = "pdf/a-3u"


class CertificateRefused(DomainError):
    """This registration gets no certificate; the message says why, in plain words."""


@dataclass(frozen=True)
class Certificate:
    """What a certificate states (also what the verification page shows)."""

    agency: str
    name: str
    title: str
    date: str  # "zaterdag 16 januari 2027"
    times: str  # "09:30–11:30"
    place: str
    duration: str  # "2 uur", "1 uur en 30 minuten"
    presenters: str
    verify_url: str
    issued: str


def may_have_certificate(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.ATTENDED and registration.anonymised_at is None


def refusal(registration: Registration) -> CertificateRefused | None:
    """Why this registration gets no certificate, or None when it does."""
    if registration.anonymised_at is not None:
        return CertificateRefused(_l("Deze gegevens zijn gewist: er is geen attest meer."))
    if registration.status != RegistrationStatus.ATTENDED:
        return CertificateRefused(
            _l(
                "Een attest van deelname is er alleen voor wie op de infosessie aanwezig was. "
                "Volgens onze lijst was je er niet (of nog niet). Klopt dat niet? Mail ons dan."
            )
        )
    return None


def _duration(minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    if not hours:
        return _l("%(minutes)s minuten", minutes=rest)
    if not rest:
        return _l("%(hours)s uur", hours=hours)
    return _l("%(hours)s uur en %(minutes)s minuten", hours=hours, minutes=rest)


def _place(registration: Registration) -> str:
    session = registration.session
    venue = session.venue
    if session.format.needs_venue and venue is not None:
        return f"{venue.name}, {venue.street}, {venue.postcode} {venue.municipality}"
    return str(_l("Online"))


def certificate(registration: Registration, now: datetime | None = None) -> Certificate:
    """What the certificate states, in Dutch. Raises CertificateRefused when there is none."""
    refused = refusal(registration)
    if refused is not None:
        raise refused
    session = registration.session
    with force_locale("nl_BE"):
        presenters = ", ".join(p.name for p in session.presenters) or str(_l("het startersteam"))
        return Certificate(
            agency=current_app.config["AGENCY_NAME"],
            name=registration.full_name,
            title=session.display_title,
            date=long_date(session.starts_at),
            times=f"{short_time(session.starts_at)}–{short_time(session.ends_at)}",
            place=_place(registration),
            duration=str(_duration(session.duration_minutes)),
            presenters=presenters,
            verify_url=links.certificate_url(registration),
            issued=long_date(now or utcnow()),
        )


def _qr_data_uri(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _logo() -> tuple[str, str] | None:
    """The agency's logo as a data: URI and its text, when an admin uploaded one."""
    logo = branding.current_logo()
    if logo is None:
        return None
    return f"data:{logo.mimetype};base64," + base64.b64encode(logo.data).decode("ascii"), logo.alt


def render_pdf(registration: Registration, now: datetime | None = None) -> bytes:
    """The certificate as PDF bytes. Raises CertificateRefused when there is none."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    facts = certificate(registration, now)
    with force_locale("nl_BE"):
        html = render_template(
            "registrations/certificate.html",
            c=facts,
            qr=_qr_data_uri(facts.verify_url),
            logo=_logo(),
        )
    # data: URIs only (what the template holds): nothing from a network or the disk, whatever a
    # name or title might contain; a failure stops the rendering rather than leaving a hole.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def filename(registration: Registration) -> str:
    return f"attest-van-deelname-{local(registration.session.starts_at):%Y-%m-%d}.pdf"


@dataclass(frozen=True)
class Verification:
    """What the verification page shows of a genuine certificate."""

    agency: str
    name: str
    title: str
    when: str


def verify(token: str) -> Verification | None:
    """The certificate behind a verification token, or None when it is not (or no longer) valid."""
    registration = links.registration_for_certificate(token)
    if registration is None or not may_have_certificate(registration):
        return None
    session = registration.session
    return Verification(
        agency=current_app.config["AGENCY_NAME"],
        name=registration.full_name,
        title=session.display_title,
        when=long_datetime(session.starts_at),
    )
