"""dossiers.leads"""


def init_app(app) -> None:
    pass
