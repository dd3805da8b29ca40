"""Words for the enums, in the visitor's language; registered as template globals."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.labels import label
from sessions.models import AttendMode, InfoSession, SessionFormat, SessionStatus

FORMAT_LABELS = {
    SessionFormat.ON_SITE: _l("ter plaatse"),
    SessionFormat.ONLINE: _l("online"),
    SessionFormat.HYBRID: _l("hybride"),
}
ATTEND_LABELS = {AttendMode.ON_SITE: _l("ter plaatse"), AttendMode.ONLINE: _l("online")}
STATUS_LABELS = {
    SessionStatus.DRAFT: _l("ontwerp"),
    SessionStatus.PUBLISHED: _l("gepubliceerd"),
    SessionStatus.COMPLETED: _l("afgerond"),
    SessionStatus.CANCELLED: _l("geannuleerd"),
}


def format_label(value) -> str:
    return label(FORMAT_LABELS, value)


def status_label(value) -> str:
    return label(STATUS_LABELS, value)


def attend_label(value) -> str:
    return label(ATTEND_LABELS, value)


def seats_phrase(session: InfoSession, mode) -> str:
    """ "nog 3 plaatsen", "volzet — wachtlijst" or "plaats genoeg" for one way of attending."""
    left = session.seats_left_for(AttendMode(mode))
    if left is None:
        return _("plaats genoeg")
    if left == 0:
        return _("volzet — wachtlijst")
    return ngettext("nog %(num)s plaats", "nog %(num)s plaatsen", left)


def init_app(app) -> None:
    from app.geo import PROVINCES

    app.jinja_env.globals.update(
        format_label=format_label,
        status_label=status_label,
        attend_label=attend_label,
        seats_phrase=seats_phrase,
        province_label=lambda slug: str(PROVINCES.get(slug, slug)),
    )
