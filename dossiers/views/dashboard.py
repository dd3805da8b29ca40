"""On a dossierbeheerder's home page: their open dossiers with overdue elements."""

from __future__ import annotations

from flask_babel import gettext as _

from dossiers import services
from dossiers.views.common import EDITORS, today_in_brussels


def dashboard_widget(user):
    """On a dossierbeheerder's home page: their open dossiers with overdue elements."""
    if user.role not in EDITORS:
        return None
    today = today_in_brussels()
    page = services.list_dossiers(
        services.DossierFilters(owner_id=user.id, overdue=True), today=today, per_page=10
    )
    if not page.total:
        return None
    return {
        "title": _("Dossiers met verlopen termijnen"),
        "template": "dossiers/_widget.html",
        "dossiers": page.items,
        "total": page.total,
    }
