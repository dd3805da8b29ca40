"""materials.decks: a slide deck per session, generated with python-pptx from the session's data
and a library of slide blocks, on a master an admin may replace."""


def init_app(app) -> None:
    from app.cli import register_demo_loader
    from materials.decks import demo, models, views  # noqa: F401 - models register their tables

    app.register_blueprint(views.bp)
    app.extensions.setdefault("admin_session_panels", []).append(views.staff_panel)
    register_demo_loader(app, demo.load)
