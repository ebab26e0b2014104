"""Demo data of the service-contract coverage part of sales, written through its services."""


def seed(*, size: str, rng) -> list[str]:
    """Write this part's demo records; return short phrases of what was written."""
    return []
