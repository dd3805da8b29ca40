"""materials.handouts"""


def init_app(app) -> None:
    pass
