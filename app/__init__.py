"""Startklaar: info sessions, registrations and intake dossiers for starting childcare organisers."""

from pathlib import Path

from flask import Flask

from app.config import PROJECT_ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides the environment (tests pass their own).

    No migrations, network calls or prompts here: those belong to the CLI.
    """
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
    )
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from app import auth, cli, converters, database, errors, home, i18n, links, ops, outbox, pages, security
    from app.extensions import csrf, limiter

    converters.init_app(app)  # first: every route after it gets the bounded id converter
    database.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    home.init_app(app)
    pages.init_app(app)  # favicon, accessibility statement, logo, the template helpers
    cli.init_app(app)
    outbox.init_app(app)
    ops.init_app(app)  # behind a proxy, dead connections, flask check / backup / jobs
    links.init_app(app)  # short links in mails, and the job that forgets expired ones

    # Domain packages, in the order they depend on each other.
    import dossiers
    import materials
    import registrations
    import reports
    import sessions

    sessions.init_app(app)
    registrations.init_app(app)
    materials.init_app(app)
    dossiers.init_app(app)
    reports.init_app(app)
    return app
