"""Topics, venues and info sessions: planning, the public catalogue, ICS feeds and the JSON API."""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from sessions import api, demo, ics, labels, models, services, views  # noqa: F401 - models register their tables

    labels.init_app(app)
    services.check_configured_origins(app)
    app.jinja_env.globals["webcal_url"] = ics.webcal_url
    app.register_blueprint(views.public.bp)
    app.register_blueprint(views.staff.admin_bp)
    app.register_blueprint(views.calendar.bp)
    app.register_blueprint(views.feeds.bp)
    app.register_blueprint(views.widget.bp)
    app.register_blueprint(api.bp)
    demo_loaders.register(app, demo.load)
    from sessions import alerts

    alerts.init_app(app)
