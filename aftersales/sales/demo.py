"""The demo's sales: documents and receipts, contracts with instalments and cheques, agents and commission."""

from . import demo_commission, demo_contracts, demo_coverage, demo_documents


def seed_sales(*, size: str, rng) -> str:
    from .models import SalesDocument

    if SalesDocument.objects.exists():
        return "already present"
    done = []
    for part in (demo_documents, demo_commission, demo_contracts, demo_coverage):
        done += part.seed(size=size, rng=rng)
    return ", ".join(done)
