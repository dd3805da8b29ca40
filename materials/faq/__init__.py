"""materials.faq: the knowledge base. An expert answers registrants' questions once, as a
"veelgestelde vraag" of a topic and a theme (the deck's themes, materials/decks/content.py),
linked to the registrations whose question it answers. Answers show on the topic's session
pages (schema.org FAQPage), in a public search at /vragen, in the deck's speaker notes and in
the follow-up mail to who asked."""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from materials.faq import demo, models, views  # noqa: F401 - models register their tables
    from sessions.views import session_page_panels

    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    session_page_panels.register(app, views.public_panel)
    demo_loaders.register(app, demo.load)
