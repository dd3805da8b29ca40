"""materials.evaluations: the evaluation form per topic (in versions), the response of each
attendee (through a signed link in the thank-you mail), and the answers' privacy.

It reads sessions and registrations; the reports package reads it (results, charts, exports)."""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from materials.evaluations import admin_views, demo, models, privacy, views  # noqa: F401 - models register their tables

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    privacy.init_app(app)
    demo_loaders.register(app, demo.load)
