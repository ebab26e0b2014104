"""The printed invoice (صورتحساب فروش کالا و خدمات) as Iranian accountants and the tax authority's
e-invoice system (سامانه مودیان) read it: the seller's and the buyer's identity blocks, then one row per
line with its own discount, amount after discount and VAT.

The invoice stores its discount and VAT once, for the whole invoice; the rows get shares of them
(largest remainder), so the rows always add up to the stored totals to the rial.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.persian import amount_in_words
from aftersales.customers.models import Customer

from .models import Invoice, InvoiceLine


@dataclass
class Party:
    name: str
    kind: str = ""
    economic_number: str = ""
    national_id: str = ""
    national_id_label: str = ""
    registration_number: str = ""
    postal_code: str = ""
    address: str = ""
    phone: str = ""


@dataclass
class Row:
    line: InvoiceLine
    order_number: str = ""
    model: object = None
    serial: str = ""
    discount: int = 0
    vat: int = 0
    after_discount: int = field(init=False, default=0)
    total: int = field(init=False, default=0)

    def __post_init__(self):
        self.after_discount = self.line.amount - self.discount


def spread(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over ``weights`` in proportion, in whole rials that add up to ``total``."""
    base = sum(weights)
    if not total or not base:
        return [0] * len(weights)
    sign = -1 if total < 0 else 1
    exact = [abs(total) * weight / base for weight in weights]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[:abs(total) - sum(shares)]:
        shares[i] += 1
    return [sign * share for share in shares]


def _seller(center) -> Party:
    return Party(
        name=center.legal_name or center.name, economic_number=center.economic_number,
        national_id=center.legal_national_id or center.national_code,
        national_id_label=_("national code") if center.national_code and not center.legal_national_id
        else _("national ID"),
        registration_number=center.registration_number, postal_code=center.postal_code,
        address="، ".join(dict.fromkeys(part for part in (center.province, center.city, center.address) if part)),
        phone=center.phone,
    )


def _buyer_customer(customer, orders) -> Party:
    legal = customer.kind == Customer.Kind.LEGAL
    address = customer.addresses.select_related("region").order_by("-is_default", "pk").first()
    service_address = next((order.address for order in orders if order.address), "")
    phone = customer.mobile or next(iter(customer.phones.values_list("number", flat=True)), "")
    return Party(
        name=customer.display_name, kind=customer.get_kind_display(), economic_number=customer.economic_number,
        national_id=customer.legal_national_id if legal else customer.national_code,
        national_id_label=_("national ID") if legal else _("national code"),
        registration_number=customer.registration_number if legal else "",
        postal_code=address.postal_code if address else "",
        address=str(address) if address else service_address, phone=phone,
    )


def _buyer_manufacturer(bill_to: str) -> Party:
    """Head office, with the manufacturer's identifiers when the invoice is billed to it."""
    maker = settings.BILLING_MANUFACTURER
    if bill_to not in ("", _("Head office"), maker.get("name")):
        return Party(name=bill_to)
    return Party(
        name=maker.get("name") or bill_to, economic_number=maker.get("economic_number", ""),
        national_id=maker.get("national_id", ""), national_id_label=_("national ID"),
        registration_number=maker.get("registration_number", ""), postal_code=maker.get("postal_code", ""),
        address=maker.get("address", ""), phone=maker.get("phone", ""),
    )


def _rows(invoice: Invoice, lines: list[InvoiceLine]) -> list[Row]:
    rows = []
    for line in lines:
        order, unit = line.order, line.order.unit if line.order else None
        product_model = unit.product_model if unit else order.product_model if order else None
        serial = unit.serial if unit else order.serial if order else ""
        if not serial and line.delivery_line_id:
            serial = line.delivery_line.serial
        rows.append(Row(line=line, order_number=order.number if order else "",
                        model=product_model, serial=serial))
    for row, share in zip(rows, spread(invoice.discount, [row.line.amount for row in rows]), strict=True):
        row.discount = share
        row.after_discount = row.line.amount - share
    for row, share in zip(rows, spread(invoice.vat, [row.after_discount for row in rows]), strict=True):
        row.vat = share
        row.total = row.after_discount + share
    return rows


TITLES = {
    Invoice.Kind.SERVICE: gettext_lazy("Sales invoice of goods and services"),
    Invoice.Kind.WARRANTY: gettext_lazy("Invoice of warranty services"),
    Invoice.Kind.CREDIT: gettext_lazy("Corrective invoice (return of sale)"),
}


def invoice_document(invoice: Invoice) -> dict:
    """The template context of the printed invoice: title, seller, buyer, rows and totals."""
    lines = list(invoice.lines.select_related(
        "order__unit__product_model", "order__product_model", "delivery_line").order_by("pk"))
    orders = [line.order for line in lines if line.order]
    if invoice.customer:
        buyer = _buyer_customer(invoice.customer, orders)
    else:
        buyer = _buyer_manufacturer(invoice.bill_to)
    rows = _rows(invoice, lines)
    return {
        "invoice": invoice, "title": TITLES[invoice.kind], "seller": _seller(invoice.center), "buyer": buyer,
        "rows": rows, "words": amount_in_words(invoice.total),
        "sums": {"amount": sum(row.line.amount for row in rows), "discount": sum(row.discount for row in rows),
                 "after_discount": sum(row.after_discount for row in rows), "vat": sum(row.vat for row in rows),
                 "total": sum(row.total for row in rows)},
    }
