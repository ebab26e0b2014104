"""What billing adds to a unit's or customer's service history: each order's invoices (F15, F27)."""

from django.utils.translation import gettext as _

from aftersales.core.persian import localize_digits
from aftersales.core.templatetags.persian import money


def order_invoice_facts(request, orders) -> dict:
    """``{order_pk: [(label, text)]}``: the invoices holding each order's work, in one query; nothing
    for a user who may not see invoices."""
    if not request.user.has_perm("billing.view_invoice"):
        return {}
    from .models import Invoice, InvoiceLine

    rows = (InvoiceLine.objects.filter(order_id__in=[order.pk for order in orders])
            .values_list("order_id", "invoice__number", "invoice__kind", "invoice__total").distinct()
            .order_by("order_id", "invoice__issued_at"))
    kinds = dict(Invoice.Kind.choices)
    facts: dict = {}
    for order_id, number, kind, total in rows:
        text = _("%(kind)s %(number)s, total %(total)s") % {
            "kind": kinds.get(kind, kind), "number": localize_digits(number), "total": money(total)}
        facts.setdefault(order_id, []).append((_("invoice"), text))
    return facts
