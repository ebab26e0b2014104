"""What the visits part of field marketing registers when the app is ready: default permissions, panels, demo data."""


def ready() -> None:
    pass
