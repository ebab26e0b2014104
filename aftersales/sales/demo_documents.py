"""Demo data of the documents part of sales, written through its services: proformas to dealers (one turned
into its invoice), invoices with receipts, a credit note, and a dealer whose invoice from ERPNext is two
months old and unpaid (overdue debt on the receivables page)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.catalog.models import ModelPrice, ProductModel
from aftersales.customers.models import Customer

DEALERS = [("فروشگاه لوازم خانگی پارس", "09121110001"), ("نمایندگی فروش آریا", "09121110002"),
           ("بازرگانی نور شرق", "09121110003")]


def _party(name: str, mobile: str) -> Customer:
    customer = Customer.objects.filter(kind="legal", company_name=name).first()
    return customer or Customer.objects.create(kind="legal", company_name=name, mobile=mobile)


def _line(model, quantity: int, rng, day) -> dict:
    line = {"product_model": model, "quantity": quantity}
    if not ModelPrice.objects.filter(product_model=model, effective_on__lte=day).exists():
        line["unit_price"] = rng.choice([45_000_000, 86_000_000, 120_000_000, 185_000_000])
    return line


def seed(*, size: str, rng) -> list[str]:
    """Write this part's demo records; return short phrases of what was written."""
    from .services_documents import credit_note_issue, invoice_issue, invoice_receive, proforma_issue, proforma_to_invoice
    from .services_receipts import receipt_record

    accountant = get_user_model().objects.filter(username="accountant").first()
    center = accountant.centers.order_by("code").first() if accountant else None
    models = list(ProductModel.objects.order_by("pk")[:6])
    if center is None or not models:
        return []
    today = timezone.localdate()
    dealers = [_party(name, mobile) for name, mobile in DEALERS]
    proformas = []
    for dealer in dealers:
        lines = [_line(model, rng.randint(1, 5), rng, today) for model in rng.sample(models, min(2, len(models)))]
        proformas.append(proforma_issue(center=center, customer=dealer, lines=lines, acting_user=accountant,
                                        valid_until=today + datetime.timedelta(days=14), discount=1_000_000,
                                        note="قیمت تا دو هفته معتبر است"))
    invoice = proforma_to_invoice(proforma=proformas[0], acting_user=accountant)
    receipt_record(center=center, customer=invoice.customer, document=invoice, method="transfer",
                   amount=invoice.total // 2, reference="PAYA-1405-0001", acting_user=accountant)
    second = invoice_issue(center=center, customer=dealers[1], acting_user=accountant,
                           lines=[_line(models[0], 3, rng, today)])
    receipt_record(center=center, customer=dealers[1], document=second, method="card", amount=second.total,
                   reference="POS-778812", acting_user=accountant)
    credit_note_issue(invoice=second, lines=[{"line": second.lines.first(), "quantity": 1}],
                      reason="یک دستگاه در حمل آسیب دید و برگشت خورد", acting_user=accountant)
    old = today - datetime.timedelta(days=60)
    invoice_receive(center=center, number="ACC-SINV-1405-00017", customer=dealers[2], issued_on=old, discount=0,
                    lines=[{"product_model": models[-1], "quantity": 4, "unit_price": 95_000_000}],
                    vat=38_000_000, total=418_000_000, note="از ERPNext", acting_user=accountant)
    return [f"{len(proformas)} proformas (one invoiced)", "3 sales invoices (one from ERPNext, overdue)",
            "2 receipts", "1 credit note"]
