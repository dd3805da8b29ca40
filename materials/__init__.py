"""Materials: generated slide decks, handouts and follow-up mailings, per session.

Three rooms, each with the usual models/services/views: `decks` (python-pptx decks built from a
session's data and a library of slide blocks), `handouts` (files and links attached to a
session or topic) and `mailings` (follow-up mailings to a segment of a session's registrants).
"""


def init_app(app) -> None:
    from materials import decks, evaluations, faq, handouts, mailings

    handouts.init_app(app)
    decks.init_app(app)
    mailings.init_app(app)
    evaluations.init_app(app)
    faq.init_app(app)
    from app.home import dashboard_widgets
    from materials import dashboard

    dashboard_widgets.register(app, dashboard.todo_widget)
