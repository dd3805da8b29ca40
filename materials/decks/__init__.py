"""materials.decks"""


def init_app(app) -> None:
    pass
