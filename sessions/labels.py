"""Words for the enums, in the visitor's language; registered as template globals."""

from flask_babel import lazy_gettext as _l

from app.labels import label
from sessions.models import SessionFormat, SessionStatus

FORMAT_LABELS = {
    SessionFormat.ON_SITE: _l("ter plaatse"),
    SessionFormat.ONLINE: _l("online"),
    SessionFormat.HYBRID: _l("hybride"),
}
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


def init_app(app) -> None:
    from app.geo import PROVINCES

    app.jinja_env.globals.update(
        format_label=format_label,
        status_label=status_label,
        province_label=lambda slug: str(PROVINCES.get(slug, slug)),
    )
