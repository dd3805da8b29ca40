"""Staff pages of the intake dossiers, under /beheer/dossiers: one blueprint (`dossiers`), its
routes in rooms: `listing` (the list), `entry` (a new dossier, editing its data), `detail` (one
dossier's overview, one checklist element, the owner, the workflow), `sections` (its
analysis and proposal, complaints and history, each a page), `files` (downloads and exports),
`catalogue` (the checklist elements, admins). `common` holds the blueprint and what the rooms share."""

from dossiers.views import catalogue, detail, entry, files, labels, listing, sections  # noqa: F401 - each adds its routes
from dossiers.views.common import bp
from dossiers.views.dashboard import dashboard_widget


def init_app(app) -> None:
    from app.home import dashboard_widgets
    from dossiers import services
    from registrations import privacy

    labels.init_app(app)
    dashboard_widgets.register(app, dashboard_widget)
    privacy.keep_hooks.register(app, services.has_dossier)


__all__ = ["bp", "dashboard_widget", "init_app"]
