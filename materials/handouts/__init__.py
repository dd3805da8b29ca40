"""materials.handouts: files and links attached to a session or a topic, public, for attendees
(through a signed link in their mail) or for staff only."""


def init_app(app) -> None:
    from app.cli import register_demo_loader
    from materials.handouts import demo, models, views  # noqa: F401 - models register their tables

    app.register_blueprint(views.bp)
    app.extensions.setdefault("admin_session_panels", []).append(views.staff_panel)
    app.extensions.setdefault("session_page_panels", []).append(views.public_panel)
    app.jinja_env.globals["material_visibility_label"] = views.visibility_label
    register_demo_loader(app, demo.load)
