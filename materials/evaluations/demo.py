"""Demo: answered evaluations for the demo's past sessions."""


def load(context: dict) -> None:
    pass
