"""materials.decks: a slide deck per session, generated with python-pptx from the session's data
and a library of slide blocks, on a master an admin may replace."""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from materials.decks import content, demo, models, views  # noqa: F401 - models register their tables
    from sessions.views import admin_session_panels

    app.register_blueprint(views.bp)
    app.jinja_env.filters["placeholders_marked"] = content.marked
    admin_session_panels.register(app, views.staff_panel)
    demo_loaders.register(app, demo.load)
