"""What the service-contract coverage part of sales registers when the app is ready (reception's panel…)."""


def ready() -> None:
    pass
