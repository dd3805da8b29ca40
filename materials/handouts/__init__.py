"""materials.handouts: files and links attached to a session or a topic, public, for attendees
(through a signed link in their mail) or for staff only."""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from materials.handouts import demo, models, services, views  # noqa: F401 - models register their tables
    from sessions.views import admin_session_panels, session_page_panels, session_page_version_parts

    app.register_blueprint(views.bp)
    admin_session_panels.register(app, views.staff_panel)
    session_page_panels.register(app, views.public_panel)
    session_page_version_parts.register(app, services.page_version_parts)
    app.jinja_env.globals["material_visibility_label"] = views.visibility_label
    demo_loaders.register(app, demo.load)
