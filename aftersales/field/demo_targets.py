"""Demo data of the targets part of field marketing (filled in below)."""


def seed(*, size: str, rng) -> list[str]:
    return []
