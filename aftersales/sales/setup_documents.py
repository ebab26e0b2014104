"""What the documents part of sales registers when the app is ready: default permissions, events, panels, signals."""


def ready() -> None:
    pass
