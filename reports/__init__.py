"""Reports: the funnel from registration to decision, evening and weekend sessions, no-shows,
waiting-list pressure and lead times, as SVG charts with their tables, CSV and XLSX.

The last package in the chain: it reads sessions, registrations, leads and dossiers, and
nothing reads it.
"""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from reports import demo, views

    app.register_blueprint(views.bp)
    demo_loaders.register(app, demo.load)  # a year of history, after every other loader
    app.jinja_env.filters["report_number"] = report_number


def report_number(value) -> str:
    """A figure as a Belgian reader writes it: 1.234 and 12,5; a dash when there is none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")
