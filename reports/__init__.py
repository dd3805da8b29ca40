"""Reports: the funnel from registration to decision, evening and weekend sessions, no-shows,
waiting-list pressure and lead times, as SVG charts with their tables, CSV and XLSX; and an
expert's own figures beside the team's on their home page.

The last package in the chain: it reads sessions, registrations, leads and dossiers, and
nothing reads it. It keeps its own aggregates (`reports.models`), counted again where the data
changed (`reports.tracking` notes what, `reports.aggregates` counts).
"""


def init_app(app) -> None:
    from datetime import time

    from app.cli import demo_loaders
    from app.home import dashboard_widgets
    from app.ops.jobs import register_job
    from reports import aggregates, cli, dashboard, demo, evaluations, models, tracking, views  # noqa: F401 - models register their tables
    from sessions.views import admin_session_panels

    app.register_blueprint(views.bp)
    app.register_blueprint(evaluations.bp)
    admin_session_panels.register(app, evaluations.staff_panel)
    tracking.init_app(app)
    demo_loaders.register(app, demo.load)  # a year of history, after every other loader
    register_job(app, "reports-rebuild", aggregates.rebuild, daily_at=time(4, 0))
    app.cli.add_command(cli.reports)
    dashboard_widgets.register(app, dashboard.figures_widget)
    dashboard_widgets.register(app, evaluations.scores_widget)
    app.jinja_env.filters["report_number"] = report_number


def report_number(value) -> str:
    """A figure as a Belgian reader writes it: 1.234 and 12,5; a dash when there is none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")
