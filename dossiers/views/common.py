"""The dossiers' blueprint and what every room of its pages shares: who may read and who may
edit, today's date in Brussels, a dossier by its reference or a 404.

Who: dossierbeheerders (staff) and admins work the dossiers. Experts may read them (they hold
the intake conversations and are asked about a candidate), but change nothing: every POST here
is staff and admin only. The checklist catalogue is edited by admins."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.labels import options
from app.timezone import local
from dossiers import services

bp = Blueprint("dossiers", __name__, url_prefix="/beheer/dossiers")

READERS = (Role.STAFF, Role.ADMIN, Role.EXPERT)
EDITORS = (Role.STAFF, Role.ADMIN)


def today_in_brussels() -> date:
    return local(utcnow()).date()


def dossier_or_404(reference: str):
    try:
        return services.get_dossier(reference)
    except NotFound:
        abort(404)


def can_edit() -> bool:
    return current_user.is_authenticated and current_user.role in EDITORS


def owner_choices():
    return options([("", _("— niemand —"))] + [(str(u.id), u.name) for u in services.owners()])


def back_to(dossier, anchor: str | None = None):
    return redirect(url_for("dossiers.detail", reference=dossier.reference, _anchor=anchor))


def flash_error(error: DomainError) -> None:
    flash(str(error), "error")
