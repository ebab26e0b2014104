"""Reads of sales documents and receivables: the lists, what each invoice and party owes, what is overdue.

What an invoice owes is worked out in the database (its total, plus its credit notes' negative totals,
less its live receipts, never below nothing), so a list of thousands of invoices or parties costs a few
queries. Everything is scoped to the user's centers.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from aftersales.core.search import search_filter
from aftersales.customers.models import Customer
from aftersales.organization.scoping import scope_queryset

from .models import Instalment, Receipt, SalesDocument


def owed_expression():
    """An invoice's owed amount as a database expression (for ``annotate``)."""
    credited = (SalesDocument.objects.filter(credit_of=OuterRef("pk"), kind=SalesDocument.Kind.CREDIT).order_by()
                .values("credit_of").annotate(sum=Sum("total")).values("sum"))
    paid = (Receipt.objects.filter(document=OuterRef("pk"), is_void=False).order_by().values("document")
            .annotate(sum=Sum("amount")).values("sum"))
    return Greatest(F("total") + Coalesce(Subquery(credited), Value(0)) - Coalesce(Subquery(paid), Value(0)),
                    Value(0))


def paid_expression():
    paid = (Receipt.objects.filter(document=OuterRef("pk"), is_void=False).order_by().values("document")
            .annotate(sum=Sum("amount")).values("sum"))
    return Coalesce(Subquery(paid), Value(0))


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Invoices issued before this day are overdue while they owe anything (``SALES_PAYMENT_DAYS``)."""
    return (today or timezone.localdate()) - datetime.timedelta(days=settings.SALES_PAYMENT_DAYS)


def document_list(*, user, kind: str | None = None, query: str = "", customer=None, center=None,
                  start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet:
    """The sales documents of the user's centers, newest first, filtered."""
    documents = scope_queryset(SalesDocument.objects.all(), user).select_related("customer", "center", "agent")
    if kind:
        documents = documents.filter(kind=kind)
    if customer is not None:
        documents = documents.filter(customer=customer)
    if center is not None:
        documents = documents.filter(center=center)
    if start:
        documents = documents.filter(issued_on__gte=start)
    if end:
        documents = documents.filter(issued_on__lte=end)
    query = (query or "").replace("\x00", "").strip()
    if query:
        by_number = documents.filter(number__icontains=query)
        documents = by_number if by_number.exists() else search_filter(documents, query, field="customer__search_text")
    if kind == SalesDocument.Kind.INVOICE:
        documents = documents.annotate(owed=owed_expression(), paid=paid_expression())
    if kind == SalesDocument.Kind.PROFORMA:
        documents = documents.annotate(invoice_number=Subquery(
            SalesDocument.objects.filter(proforma=OuterRef("pk")).values("number")[:1]))
    return documents.order_by("-issued_on", "-pk")


def document_get(pk, *, user) -> SalesDocument | None:
    """One document the user may see, with its lines, or None."""
    document = (scope_queryset(SalesDocument.objects.all(), user)
                .select_related("customer", "center", "agent__customer", "contract", "proforma", "credit_of",
                                "issued_by")
                .prefetch_related("lines__product_model").filter(pk=pk).first())
    if document is not None and document.kind == SalesDocument.Kind.INVOICE:
        owed = SalesDocument.objects.filter(pk=document.pk).annotate(owed=owed_expression()).values("owed")
        document.owed = owed[0]["owed"]
    return document


def document_receipts(document: SalesDocument) -> list[Receipt]:
    return list(document.receipts.select_related("by", "cheque").order_by("received_on", "pk"))


def _invoice_debts(user, *, customer=None, center=None) -> QuerySet:
    invoices = scope_queryset(SalesDocument.objects.filter(kind=SalesDocument.Kind.INVOICE), user)
    if customer is not None:
        invoices = invoices.filter(customer=customer)
    if center is not None:
        invoices = invoices.filter(center=center)
    cutoff = overdue_cutoff()
    return (invoices.order_by().annotate(owed=owed_expression())
            .annotate(overdue=Case(When(issued_on__lt=cutoff, then=F("owed")), default=Value(0),
                                   output_field=IntegerField())))


def _instalment_debts(user, *, customer=None, center=None) -> QuerySet:
    instalments = scope_queryset(Instalment.objects.filter(paid__lt=F("amount")), user)
    if customer is not None:
        instalments = instalments.filter(contract__customer=customer)
    if center is not None:
        instalments = instalments.filter(contract__center=center)
    today = timezone.localdate()
    return (instalments.order_by().annotate(owed=F("amount") - F("paid"))
            .annotate(overdue=Case(When(due_date__lt=today, then=F("amount") - F("paid")), default=Value(0),
                                   output_field=IntegerField())))


def customer_debt(customer, *, user, invoices: bool = True) -> dict:
    """What ``customer`` owes at the user's centers: ``{"owed", "overdue", "invoices", "instalments"}``.

    ``owed``: the invoices' unpaid totals (less credit notes) plus the instalments' unpaid amounts;
    ``overdue``: of that, the invoices older than ``SALES_PAYMENT_DAYS`` and the instalments past due.
    ``invoices=False``: the caller knows the party has no invoice here (one query less).
    """
    # Grouped by the party (one row) rather than ``aggregate``: an aggregate over these annotations
    # makes Django wrap them in a subquery SQLite cannot parse.
    empty = {"sum_owed": 0, "sum_overdue": 0}
    invoices = ((_invoice_debts(user, customer=customer).values("customer")
                 .annotate(sum_owed=Sum("owed"), sum_overdue=Sum("overdue"))[:1] or [empty])[0] if invoices else empty)
    instalments = (_instalment_debts(user, customer=customer).values("contract__customer")
                   .annotate(sum_owed=Sum("owed"), sum_overdue=Sum("overdue"))[:1] or [empty])[0]
    invoices = {"owed": invoices["sum_owed"] or 0, "overdue": invoices["sum_overdue"] or 0}
    instalments = {"owed": instalments["sum_owed"] or 0, "overdue": instalments["sum_overdue"] or 0}
    return {"owed": invoices["owed"] + instalments["owed"], "overdue": invoices["overdue"] + instalments["overdue"],
            "invoices": invoices["owed"], "instalments": instalments["owed"]}


@dataclass
class Debt:
    customer: Customer
    invoices: int = 0
    instalments: int = 0
    overdue: int = 0

    @property
    def owed(self) -> int:
        return self.invoices + self.instalments


SORTS = {"overdue": lambda debt: (-debt.overdue, -debt.owed), "owed": lambda debt: (-debt.owed, -debt.overdue),
         "name": lambda debt: debt.customer.display_name}


def receivables(*, user, query: str = "", center=None, overdue_only: bool = False, sort: str = "overdue") -> list[Debt]:
    """The parties that owe anything at the user's centers, with what they owe and what is overdue.

    Two grouped queries (invoices, instalments) and one for the parties' names.
    """
    debts: dict[int, Debt] = {}
    rows = (_invoice_debts(user, center=center).values("customer")
            .annotate(sum_owed=Sum("owed"), sum_overdue=Sum("overdue")))
    for row in rows:
        if row["sum_owed"]:
            debt = debts.setdefault(row["customer"], Debt(customer=None))
            debt.invoices, debt.overdue = row["sum_owed"], debt.overdue + row["sum_overdue"]
    rows = (_instalment_debts(user, center=center).values("contract__customer")
            .annotate(sum_owed=Sum("owed"), sum_overdue=Sum("overdue")))
    for row in rows:
        if row["sum_owed"]:
            debt = debts.setdefault(row["contract__customer"], Debt(customer=None))
            debt.instalments, debt.overdue = row["sum_owed"], debt.overdue + row["sum_overdue"]
    customers = Customer.objects.filter(pk__in=list(debts))
    query = (query or "").replace("\x00", "").strip()
    if query:
        customers = search_filter(customers, query)
    found = []
    for customer in customers:
        debt = debts[customer.pk]
        debt.customer = customer
        if not overdue_only or debt.overdue:
            found.append(debt)
    return sorted(found, key=SORTS.get(sort, SORTS["overdue"]))


def statement(customer, *, user) -> list[dict]:
    """The party's sales statement: invoices, credit notes and live receipts by date, with the running balance."""
    documents = (scope_queryset(SalesDocument.objects.filter(customer=customer).exclude(kind=SalesDocument.Kind.PROFORMA),
                                user).order_by("issued_on", "pk"))
    receipts = scope_queryset(Receipt.objects.filter(customer=customer, is_void=False, document__isnull=False),
                              user).select_related("document")
    entries = [{"on": doc.issued_on, "document": doc, "debit": max(doc.total, 0), "credit": max(-doc.total, 0)}
               for doc in documents[:500]]
    entries += [{"on": receipt.received_on, "receipt": receipt, "debit": 0, "credit": receipt.amount}
                for receipt in receipts[:500]]
    entries.sort(key=lambda entry: (entry["on"], "receipt" in entry))
    balance = 0
    for entry in entries:
        balance += entry["debit"] - entry["credit"]
        entry["balance"] = balance
    return entries


def last_documents(customer, *, user) -> dict:
    """The last proforma, the last sales invoice and the current debt of ``customer`` at the user's centers
    (the CRM's contact-time panel, F50): three indexed queries and two aggregates."""
    documents = scope_queryset(SalesDocument.objects.filter(customer=customer), user).select_related("center")
    proforma = documents.filter(kind=SalesDocument.Kind.PROFORMA).order_by("-issued_on", "-pk").first()
    invoice = documents.filter(kind=SalesDocument.Kind.INVOICE).order_by("-issued_on", "-pk").first()
    return {"proforma": proforma, "invoice": invoice,
            "debt": customer_debt(customer, user=user, invoices=invoice is not None)}


PDF_TITLES = {SalesDocument.Kind.PROFORMA: gettext_lazy("Proforma invoice"),
              SalesDocument.Kind.INVOICE: gettext_lazy("Sales invoice of goods"),
              SalesDocument.Kind.CREDIT: gettext_lazy("Corrective invoice (return of sale)")}


def document_pdf_context(document: SalesDocument) -> dict:
    """The printed proforma, invoice or credit note, in the shape of billing's printed invoice: seller and
    buyer blocks, one row per line with its share of the discount and VAT (rows add up to the totals)."""
    from aftersales.billing.documents import Row, _buyer_customer, _seller, spread
    from aftersales.core.persian import amount_in_words

    lines = list(document.lines.select_related("product_model").order_by("pk"))
    rows = [Row(line=line, model=line.product_model) for line in lines]
    for row, share in zip(rows, spread(document.discount, [row.line.amount for row in rows]), strict=True):
        row.discount, row.after_discount = share, row.line.amount - share
    for row, share in zip(rows, spread(document.vat, [row.after_discount for row in rows]), strict=True):
        row.vat, row.total = share, row.after_discount + share
    return {
        "invoice": document, "title": PDF_TITLES[document.kind], "seller": _seller(document.center),
        "buyer": _buyer_customer(document.customer, []), "rows": rows, "words": amount_in_words(abs(document.total)),
        "sums": {"amount": sum(row.line.amount for row in rows), "discount": sum(row.discount for row in rows),
                 "after_discount": sum(row.after_discount for row in rows), "vat": sum(row.vat for row in rows),
                 "total": sum(row.total for row in rows)},
    }
