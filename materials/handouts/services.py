"""Handouts and links attached to a session or a topic, and who may download them.

Three ways in, one rule each: public materials by their random uid; attendees' materials only
through a signed link made for one registration (the registration's secret token inside, so
rotating the token or cancelling kills the link); staff materials only for logged-in staff,
which the view checks with role_required.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, or_, select

from app import uploads
from app.database import atomic
from app.errors import DomainError, NotFound
from app.extensions import db
from materials.handouts.models import Material, Visibility
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession, Topic

AREA = "handouts"
ALLOWED_KINDS = frozenset({"pdf", "pptx", "docx", "xlsx", "png", "jpeg"})
#: How long the download link in a follow-up mail keeps working.
ATTENDEE_LINK_AGE = timedelta(days=180)
#: Registrations that were (or are) expected in the room: they get the attendees' materials.
ATTENDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)
_SALT = "material-download"


@dataclass
class MaterialData:
    title: str
    visibility: Visibility
    link_url: str | None = None


# --------------------------------------------------------------------------- reading


def materials_of(session: InfoSession, visibilities=tuple(Visibility)) -> list[Material]:
    """The session's own materials and its topic's, the session's first, each in upload order."""
    query = (
        select(Material)
        .where(
            or_(Material.session_id == session.id, Material.topic_id == session.topic_id),
            Material.visibility.in_(list(visibilities)),
        )
        .order_by(Material.session_id.is_(None), Material.id)
    )
    return list(db.session.scalars(query))


def page_version_parts() -> list:
    """What the public materials panel of a session page shows, for the page's cache: the count
    and newest stamp of the session's and its topic's materials, as SQL correlated to
    InfoSession (sessions.views.session_page_version_parts). Any visibility counts: a material
    made public or private is a change all the same."""
    mine = or_(Material.session_id == InfoSession.id, Material.topic_id == InfoSession.topic_id)
    return [
        select(func.count(Material.id)).where(mine).scalar_subquery(),
        select(func.max(Material.updated_at)).where(mine).scalar_subquery(),
    ]


def materials_of_topic(topic: Topic) -> list[Material]:
    return list(
        db.session.scalars(select(Material).where(Material.topic_id == topic.id).order_by(Material.id))
    )


def get_material(uid: str) -> Material:
    material = db.session.scalar(select(Material).where(Material.uid == uid)) if uid else None
    if material is None:
        raise NotFound(_l("Dit materiaal bestaat niet (meer)."))
    return material


def public_material(uid: str) -> Material:
    """A public material by its uid; anything else is NotFound, so its existence does not leak."""
    material = get_material(uid)
    if material.visibility != Visibility.PUBLIC:
        raise NotFound(_l("Dit materiaal bestaat niet (meer)."))
    return material


def stored_path(material: Material) -> Path:
    """The file of a material; NotFound for a link or a file that is gone."""
    if material.file_key is None:
        raise NotFound(_l("Dit materiaal bestaat niet (meer)."))
    return uploads.open_stored(material.file_key)


# --------------------------------------------------------------------------- attendees' links


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def attendee_url(registration: Registration, material: Material) -> str:
    signed = _serializer().dumps([registration.token, material.uid])
    return f"{current_app.config['BASE_URL']}/materialen/{material.uid}/{signed}"


def links_for_attendee(registration: Registration) -> list[tuple[str, str]]:
    """(title, absolute signed URL) of every material of the registration's session and topic
    that attendees may have (public and attendees-only), for the follow-up mail.

    The links expire after ATTENDEE_LINK_AGE and stop working when the registration is
    cancelled or its token rotated. Empty for a registration that is not (or no longer) attending.
    """
    if registration.status not in ATTENDING:
        return []
    found = materials_of(registration.session, (Visibility.PUBLIC, Visibility.ATTENDEES))
    return [(material.title, attendee_url(registration, material)) for material in found]


def material_for_attendee(uid: str, signed: str) -> Material:
    """The material a signed attendee link points to. Raises NotFound for a forged, expired or
    altered link, a registration no longer attending, or a material that no longer belongs to
    the registration's session or topic (or became staff-only)."""
    missing = NotFound(_l("Deze link werkt niet (meer)."))
    try:
        token, signed_uid = _serializer().loads(signed, max_age=int(ATTENDEE_LINK_AGE.total_seconds()))
    except (BadSignature, ValueError, TypeError) as error:
        raise missing from error
    if signed_uid != uid:
        raise missing
    registration = db.session.scalar(select(Registration).where(Registration.token == token))
    material = db.session.scalar(select(Material).where(Material.uid == uid))
    if registration is None or material is None or registration.status not in ATTENDING:
        raise missing
    session = registration.session
    belongs = material.session_id == session.id or material.topic_id == session.topic_id
    if not belongs or material.visibility == Visibility.STAFF:
        raise missing
    return material


# --------------------------------------------------------------------------- writing


def _clean(data: MaterialData) -> MaterialData:
    title = (data.title or "").strip()
    if not title:
        raise DomainError(_l("Geef het materiaal een titel."), field="title")
    if len(title) > 200:
        raise DomainError(_l("De titel is te lang (maximaal 200 tekens)."), field="title")
    try:
        visibility = Visibility(data.visibility)
    except ValueError as error:
        raise DomainError(_l("Kies wie dit materiaal mag zien."), field="visibility") from error
    link = (data.link_url or "").strip() or None
    if link is not None:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > 500:
            raise DomainError(_l("Geef een volledig webadres dat begint met https://."), field="link_url")
    return MaterialData(title=title, visibility=visibility, link_url=link)


def _owner(session: InfoSession | None, topic: Topic | None) -> dict:
    if (session is None) == (topic is None):
        raise ValueError("a material belongs to a session or to a topic")
    return {"session_id": session.id} if session else {"topic_id": topic.id}


@atomic
def add_material(
    data: MaterialData,
    *,
    session: InfoSession | None = None,
    topic: Topic | None = None,
    stream: BinaryIO | None = None,
    filename: str | None = None,
    user=None,
) -> Material:
    """Attach a file (`stream`) or a link (`data.link_url`) to a session or a topic.

    Raises DomainError for a missing title or visibility, both or neither of file and link,
    a link that is not http(s); UploadRefused for a file of a kind we do not take (judged by
    its content), too large or empty. A refused file leaves nothing on disk.
    """
    data = _clean(data)
    owner = _owner(session, topic)
    has_file = stream is not None and bool(filename)
    if has_file == (data.link_url is not None):
        raise DomainError(_l("Kies een bestand óf geef een link, niet allebei."), field="file")
    material = Material(
        title=data.title, visibility=data.visibility, created_by_id=getattr(user, "id", None), **owner
    )
    stored = None
    if has_file:
        stored = uploads.store_upload(stream, filename=filename, area=AREA, allowed=ALLOWED_KINDS)
        material.file_key, material.file_kind, material.file_size = stored.key, stored.kind, stored.size
        material.original_name, material.content_type = stored.original_name, stored.content_type
    else:
        material.link_url = data.link_url
    db.session.add(material)
    try:
        db.session.commit()
    except BaseException:
        if stored is not None:
            uploads.delete_stored(stored.key)
        raise
    return material


@atomic
def update_visibility(material: Material, visibility: Visibility | str) -> Material:
    try:
        material.visibility = Visibility(visibility)
    except ValueError as error:
        raise DomainError(_l("Kies wie dit materiaal mag zien."), field="visibility") from error
    db.session.commit()
    return material


@atomic
def delete_material(material: Material) -> None:
    """Remove the material; its file goes after the commit, so a failed commit keeps both."""
    key = material.file_key
    db.session.delete(material)
    db.session.commit()
    if key:
        uploads.delete_stored(key)
