"""The list of dossiers with its filters (/beheer/dossiers)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.auth.access import role_required
from app.geo import PROVINCES
from app.parsing import id_or_none, page_or_first
from dossiers import models as labels
from dossiers import services
from dossiers.models import DossierState
from dossiers.views.common import READERS, bp, can_edit, today_in_brussels
from registrations.models import ChildcareType

# --------------------------------------------------------------------------- list


def _filters(args) -> services.DossierFilters:
    def enum_or_none(cls, value):
        try:
            return cls(value) if value else None
        except ValueError:
            return None

    owner = args.get("eigenaar", "")
    owner_id = current_user.id if owner == "ik" and current_user.is_authenticated else id_or_none(owner)
    province = args.get("provincie") or None
    return services.DossierFilters(
        state=enum_or_none(DossierState, args.get("fase")),
        childcare_type=enum_or_none(ChildcareType, args.get("type")),
        province=province if province in PROVINCES else None,
        owner_id=owner_id,
        overdue=args.get("achterstand") == "1",
        search=(args.get("q") or "")[:100],
    )


@bp.get("")
@role_required(*READERS)
def index():
    filters = _filters(request.args)
    today = today_in_brussels()
    page = services.list_dossiers(filters, today=today, page=page_or_first(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "dossiers/index.html",
        page=page,
        args=args,
        filters=filters,
        overdue=services.overdue_counts([d.id for d in page.items], today),
        owners=services.owners(),
        provinces=PROVINCES,
        states=list(DossierState),
        types=labels.DOSSIER_TYPE_LABELS,
        can_edit=can_edit(),
    )
