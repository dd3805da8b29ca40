"""The reports page and its exports: /beheer/rapporten (public contract)."""

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from app.auth.access import role_required
from app.cache import FragmentCache
from app.forms import month_args
from app.geo import PROVINCES
from app.tabular import to_csv, to_xlsx
from reports import services
from sessions import services as sessions

bp = Blueprint("reports", __name__, url_prefix="/beheer/rapporten")
BODIES = FragmentCache("report-bodies", 64)


@bp.get("/")
@role_required()
def index():
    filters, problems = services.Filters.from_args(month_args(request.args, "van", "tot"))
    # The reports follow from the aggregates' version (which changes with every counted change
    # and every topic's title), the filters (today's month among them) and the language.
    key = (services.version(), str(get_locale()), tuple(sorted(filters.args().items())))

    def body() -> Markup:
        html = render_template("reports/_sections.html", sections=services.sections(filters), filters=filters)
        return Markup(html)  # noqa: S704 - autoescaped template

    return render_template(
        "reports/index.html",
        filters=filters,
        problems=problems,
        body=BODIES.get_or_make(key, body),
        topics=sessions.list_topic_choices(),
        provinces=PROVINCES,
    )


@bp.get("/<slug>.<any(csv, xlsx):extension>")
@role_required()
def export(slug: str, extension: str):
    filters, _problems = services.Filters.from_args(month_args(request.args, "van", "tot"))
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
