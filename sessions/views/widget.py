"""The embeddable widget (blueprint `widget`): `/widget`, the next sessions with seats left for an
<iframe> on another website, and its admin page `/beheer/widget` (which websites may show it,
the snippet to paste, a live preview).

Only `/widget` may be framed, by our own pages and the websites an admin lists
(`app.security.allow_framing`); every other page keeps `frame-ancestors 'none'`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape

from app.auth.access import role_required
from app.auth.models import Role
from app.errors import DomainError
from app.forms import ActionForm, apply_domain_error, form_status
from app.geo import PROVINCES
from app.security import allow_framing
from sessions import services
from sessions.forms import WidgetOriginForm
from sessions.ics import base_url

bp = Blueprint("widget", __name__)

FRAME_HEIGHT = 480  # px: five sessions on a phone; the optional script makes it fit exactly


def _widget_args(args) -> tuple[services.CatalogueFilters, int, dict[str, str]]:
    """The catalogue's filters and the number of sessions, read as the catalogue reads them."""
    filters = services.CatalogueFilters.from_args(args)
    limit = services.widget_limit(args.get("aantal"))
    query = filters.as_public_args()
    if limit != services.WIDGET_DEFAULT_LIMIT:
        query["aantal"] = str(limit)
    return filters, limit, query


@bp.get("/widget")
def widget():
    filters, limit, _query = _widget_args(request.args)
    body = render_template(
        "sessions/widget.html",
        sessions=services.list_widget(filters, limit),
        filter_args=filters.as_public_args(),
    )
    return allow_framing(make_response(body), services.allowed_origins())


def snippet(query: dict[str, str]) -> str:
    """The HTML an editor pastes into their page: the frame, and the script that sizes it."""
    src = f"{base_url()}{url_for('widget.widget')}" + (f"?{urlencode(query)}" if query else "")
    script = base_url() + url_for("static", filename="js/widget-frame.js")
    title = _("Infosessies kinderopvang starten")
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" height="{FRAME_HEIGHT}" '
        f'style="border:0;max-width:40rem" loading="lazy"></iframe>\n'
        f'<script src="{escape(script)}" async></script>'
    )


@bp.route("/beheer/widget", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin():
    form = WidgetOriginForm()
    if form.validate_on_submit():
        try:
            origin = services.add_origin(form.origin.data, actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("%(origin)s mag de widget nu tonen.", origin=origin.origin), "success")
            return redirect(url_for("widget.admin", **request.args))
    filters, limit, query = _widget_args(request.args)
    preview = url_for("widget.widget", **query)
    return render_template(
        "sessions/widget_admin.html",
        form=form,
        remove_form=ActionForm(),
        origins=services.list_origins(),
        configured=services.configured_origins(),
        snippet=snippet(query),
        preview=preview,
        filters=filters,
        filter_args=filters.as_public_args(),
        limit=limit,
        topics=services.list_topic_choices(),
        months=services.month_choices(),
        provinces=PROVINCES,
    ), form_status(form)


@bp.post("/beheer/widget/<int:origin_id>/verwijderen")
@role_required(Role.ADMIN)
def remove(origin_id: int):
    if ActionForm().validate_on_submit():
        services.remove_origin(origin_id, actor=current_user)
        flash(_("Die website kan de widget niet meer tonen."), "success")
    return redirect(url_for("widget.admin"))
