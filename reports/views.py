"""The reports page and its exports: /beheer/rapporten (public contract)."""

from flask import Blueprint, Response, abort, render_template, request

from app.auth.access import role_required
from app.geo import PROVINCES
from app.tabular import to_csv, to_xlsx
from reports import services
from sessions import services as sessions

bp = Blueprint("reports", __name__, url_prefix="/beheer/rapporten")


@bp.get("/")
@role_required()
def index():
    filters, problems = services.Filters.from_args(request.args)
    return render_template(
        "reports/index.html",
        filters=filters,
        problems=problems,
        sections=services.sections(filters),
        topics=sessions.list_topic_choices(),
        provinces=PROVINCES,
    )


@bp.get("/<slug>.<any(csv, xlsx):extension>")
@role_required()
def export(slug: str, extension: str):
    filters, _problems = services.Filters.from_args(request.args)
    table = services.report(slug, filters)
    if table is None:
        abort(404)
    name = f"{slug}-{filters.start:%Y-%m}-{filters.end:%Y-%m}.{extension}"
    if extension == "csv":
        body, mimetype = to_csv(table.columns, table.rows), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(table.title, table.columns, table.rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
