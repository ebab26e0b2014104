"""The contact-time panel (F50) and the caller lookup: a party's whole story in one look, read with a
bounded number of indexed queries however long the history, and the parties a phone number belongs to.

Every list is cut (LIMIT) or added up in the database: a dealer with years of contacts and repairs costs
the same as a new lead. What the user sees follows the usual scoping: a lead whose team the user does not
belong to is not found at all; a customer (served by every center) opens for anyone who may view
customers, but the CRM's side of them (stage, next step, appointment plan) only for those who may see
their party, and repairs, contacts, complaints and invoices only of the user's centers.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.persian import to_ascii_digits
from aftersales.customers.models import Customer, CustomerPhone
from aftersales.marketing.models import Contact
from aftersales.organization.scoping import center_ids, scope_queryset, spans_all_centers

from .models import Answer, Appointment, AppointmentPlan, Party

#: How many of each list the panel shows (the rest is counted or linked to).
RECENT_CONTACTS = 10
OPEN_REPAIRS = 10
UNITS = 5
COMPLAINTS = 5
APPOINTMENTS = 5

#: The area codes of Iran's provinces (after the leading 0): a landline typed without one is looked for
#: under each, as exact numbers through the phone index.
AREA_CODES = ("21", "26", "25", "86", "24", "23", "81", "28", "31", "44", "41", "45", "84", "83", "87", "66",
              "61", "71", "74", "77", "76", "34", "35", "38", "54", "56", "51", "58", "17", "11", "13")

_MOBILE = re.compile(r"^09\d{9}$")
_LANDLINE = re.compile(r"^0[1-8]\d{9}$")


class PhoneInvalid(ValueError):
    """The text is not an Iranian phone number in any form the lookup knows; ``str()`` is the Persian message."""


def phone_candidates(text: str) -> list[str]:
    """The stored forms (11 digits with the leading 0) an Iranian phone number typed in any way may have.

    Takes +98, 0098 and 98 prefixes, Persian and Arabic digits, spaces, dashes, dots and brackets; a
    mobile or landline without its leading 0 (as exchanges often send it); a landline without its area
    code (8 digits) gives one candidate per province. Raises ``PhoneInvalid`` for anything else.
    """
    raw = to_ascii_digits(str(text or "")).strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        if not digits.startswith("98"):
            raise PhoneInvalid(_("Only Iranian numbers (+98) can be looked up."))
        digits = "0" + digits[2:]
    elif digits.startswith("0098"):
        digits = "0" + digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits[0] in "123456789":
        digits = "0" + digits
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return [digits]
    if len(digits) == 8 and digits[0] != "0":
        return ["0" + code + digits for code in AREA_CODES]
    raise PhoneInvalid(_("Enter a phone number: a mobile such as 09121234567 or a landline such as 021-88776655 "
                         "(with or without its area code)."))


def party_may_see(party: Party | None, user) -> bool:
    """Whether ``user`` may see ``party`` (its team is one of the user's centers, or their role spans all)."""
    return party is not None and (spans_all_centers(user) or party.center_id in center_ids(user))


def caller_lookup(phone: str, *, user, limit: int = 20) -> list[Customer]:
    """The live customers and leads whose mobile or one of whose phones is ``phone`` (any Iranian form),
    with their party; leads of another team are left out for a user who may not see them.

    Two indexed queries (the phones by number, then the customers by id or mobile). Raises
    ``PhoneInvalid`` for text that is no phone number.
    """
    numbers = phone_candidates(phone)
    mobiles = [number for number in numbers if number.startswith("09")]
    ids = list(CustomerPhone.objects.filter(number__in=numbers).values_list("customer_id", flat=True)[:limit * 2])
    match = Q(pk__in=ids) if ids else Q(pk__in=[])
    if mobiles:
        match |= Q(mobile__in=mobiles)
    customers = (Customer.objects.filter(match, merged_into__isnull=True)
                 .select_related("party__state", "party__party_type").order_by("-pk")[:limit * 2])
    found = []
    for customer in customers:
        party = getattr(customer, "party", None)
        if customer.is_lead and party is not None and not party_may_see(party, user):
            continue
        customer.party_visible = party_may_see(party, user)
        found.append(customer)
    return found[:limit]


@dataclass
class PlanProgress:
    plan: AppointmentPlan
    done: int
    booked: int

    @property
    def left(self) -> int:
        return max(self.plan.count - self.done, 0)


@dataclass
class UnitWarranty:
    unit: object
    state: str
    label: str
    end: datetime.date | None

    @property
    def is_covered(self) -> bool:
        return self.state == "active"


@dataclass
class SalesDocuments:
    """The last proforma and sales invoice and the current sales debt: from the sales app (issue 17)."""

    installed: bool
    connected: bool = False
    proforma: object = None
    invoice: object = None
    #: ``{"owed", "overdue", "invoices", "instalments"}`` in rials at the user's centers (None: not connected).
    debt: dict | None = None


@dataclass
class Panel:
    customer: Customer
    phones: list[str]
    #: The party when the user may see it (None: not in the CRM, or another team's).
    party: Party | None
    #: The customer is in the CRM but the user may not see its party (its stage, plan and next step).
    party_hidden: bool
    next_step: object = None
    plans: list[PlanProgress] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    last_visit: Contact | None = None
    last_call: Contact | None = None
    contacts: list[Contact] = field(default_factory=list)
    repairs: list = field(default_factory=list)
    repairs_more: bool = False
    units: list[UnitWarranty] = field(default_factory=list)
    units_more: bool = False
    complaints: list = field(default_factory=list)
    last_invoice: object = None
    #: What the customer still owes on the service invoices the user may see (None: billing is not installed).
    debt: int | None = None
    sales: SalesDocuments = field(default_factory=lambda: SalesDocuments(installed=False))

    @property
    def units_covered(self) -> list[UnitWarranty]:
        return [unit for unit in self.units if unit.is_covered]


def party_panel(customer: Customer, *, user) -> Panel:
    """Everything of F50 about ``customer`` that ``user`` may see, in a bounded number of indexed queries.

    Raises ``Customer.DoesNotExist`` for a lead whose party the user may not see (pages answer 404, as
    for any record of another center). Implements F50.
    """
    party = (Party.objects.filter(pk=customer.pk)
             .select_related("state", "party_type", "marketer", "center", "source", "region").first())
    visible = party_may_see(party, user)
    if customer.is_lead and party is not None and not visible:
        raise Customer.DoesNotExist
    panel = Panel(customer=customer, phones=_phones(customer), party=party if visible else None,
                  party_hidden=party is not None and not visible)
    if panel.party is not None:
        panel.next_step = _next_step(party, user)
        panel.plans = _plans(party)
        panel.appointments = list(Appointment.objects.filter(party=party, status=Appointment.Status.BOOKED,
                                                             at__gte=timezone.now())
                                  .select_related("marketer").order_by("at")[:APPOINTMENTS])
    _contacts(panel, user)
    if apps.is_installed("aftersales.repairs"):
        _repairs(panel, user)
    if apps.is_installed("aftersales.warranty"):
        _units(panel)
    if apps.is_installed("aftersales.feedback"):
        Complaint = apps.get_model("feedback", "Complaint")
        open_ones = Complaint.objects.filter(customer=customer, status__in=["new", "in_progress"])
        panel.complaints = list(scope_queryset(open_ones, user).order_by("-created_at")[:COMPLAINTS])
    if apps.is_installed("aftersales.billing"):
        _billing(panel, user)
    panel.sales = _sales(customer, user)
    return panel


def _phones(customer: Customer) -> list[str]:
    numbers = [customer.mobile] if customer.mobile else []
    for number in CustomerPhone.objects.filter(customer=customer).order_by("pk").values_list("number", flat=True)[:10]:
        if number not in numbers:
            numbers.append(number)
    return numbers


def _next_step(party: Party, user):
    """The typed next step and the suggested workflow step (the selectors' rule); None while that rule is
    not there."""
    try:
        from .selectors import next_step_suggest
    except ImportError:
        return None
    return next_step_suggest(party, user)


def _plans(party: Party) -> list[PlanProgress]:
    """The appointment plans in force today, each with its appointments done and booked (one query)."""
    today = timezone.localdate()
    plans = (AppointmentPlan.objects.filter(party=party, start_date__lte=today, end_date__gte=today)
             .annotate(done_count=Count("appointments", filter=Q(appointments__status=Appointment.Status.DONE)),
                       booked_count=Count("appointments", filter=Q(appointments__status=Appointment.Status.BOOKED)))
             .order_by("start_date", "pk")[:5])
    return [PlanProgress(plan, plan.done_count, plan.booked_count) for plan in plans]


def _contacts_of(customer: Customer, user):
    """The customer's contacts logged by colleagues of the user's centers (all, for roles spanning every
    center): the rule of ``Contact.scope_center_field``, written as "logged by one of these people" so that
    the customer's index leads on a log of millions."""
    contacts = Contact.objects.filter(customer=customer)
    if spans_all_centers(user):
        return contacts
    from django.contrib.auth import get_user_model

    colleagues = get_user_model().objects.filter(centers__in=center_ids(user)).values("pk")
    return contacts.filter(logged_by__in=colleagues)


def _contacts(panel: Panel, user) -> None:
    """The last contacts, and the last visit and phone call with what was said (their answers too)."""
    contacts = _contacts_of(panel.customer, user).select_related("logged_by")
    panel.contacts = list(contacts.order_by("-occurred_at", "-pk")[:RECENT_CONTACTS])
    calls = (Contact.Kind.CALL_IN, Contact.Kind.CALL_OUT)
    panel.last_visit = next((c for c in panel.contacts if c.kind == Contact.Kind.VISIT), None)
    panel.last_call = next((c for c in panel.contacts if c.kind in calls), None)
    full = len(panel.contacts) == RECENT_CONTACTS  # older ones exist: the last visit or call may be among them
    if panel.last_visit is None and full:
        panel.last_visit = contacts.filter(kind=Contact.Kind.VISIT).order_by("-occurred_at", "-pk").first()
    if panel.last_call is None and full:
        panel.last_call = contacts.filter(kind__in=calls).order_by("-occurred_at", "-pk").first()
    said = [contact.pk for contact in (panel.last_visit, panel.last_call) if contact is not None]
    answers: dict[int, list[Answer]] = {}
    if said:
        for answer in Answer.objects.filter(contact_id__in=said).order_by("contact_id", "pk")[:40]:
            answers.setdefault(answer.contact_id, []).append(answer)
    for contact in (panel.last_visit, panel.last_call):
        if contact is not None:
            contact.panel_answers = answers.get(contact.pk, [])


def _repairs(panel: Panel, user) -> None:
    """The customer's repair orders not in a final state, newest first, of the user's centers."""
    RepairOrder = apps.get_model("repairs", "RepairOrder")
    orders = (RepairOrder.objects.filter(customer=panel.customer, state__is_final=False)
              .select_related("state", "center", "product_model").order_by("-received_at"))
    orders = list(scope_queryset(orders, user)[:OPEN_REPAIRS + 1])
    panel.repairs, panel.repairs_more = orders[:OPEN_REPAIRS], len(orders) > OPEN_REPAIRS


def _units(panel: Panel) -> None:
    """The customer's newest units with their warranty today, from the warranty engine (one query a unit).

    Units are national records (the serial registry); their warranty shows to anyone who sees the customer.
    """
    from aftersales.catalog.models import ProductUnit
    from aftersales.warranty.status import unit_warranty_status

    units = list(ProductUnit.objects.filter(owner=panel.customer).select_related("product_model")
                 .order_by("-pk")[:UNITS + 1])
    panel.units_more = len(units) > UNITS
    today = timezone.localdate()
    for unit in units[:UNITS]:
        coverage = unit_warranty_status(unit, on=today).product
        panel.units.append(UnitWarranty(unit, coverage.state, coverage.state_label(), coverage.end))


def _billing(panel: Panel, user) -> None:
    """The last service invoice and what is still owed on the service invoices, each clamped at nothing
    owed as ``Invoice.owed`` is (one aggregate over the customer's invoices, not a row per invoice)."""
    Invoice = apps.get_model("billing", "Invoice")
    Payment = apps.get_model("billing", "Payment")
    service = scope_queryset(Invoice.objects.filter(customer=panel.customer, kind=Invoice.Kind.SERVICE), user)
    panel.last_invoice = service.select_related("center").order_by("-issued_at", "-pk").first()
    if panel.last_invoice is None:
        panel.debt = 0
        return
    credited = (Invoice.objects.filter(credit_of=OuterRef("pk")).order_by().values("credit_of")
                .annotate(sum=Sum("total")).values("sum"))
    paid = (Payment.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice")
            .annotate(sum=Sum("amount")).values("sum"))
    owed = Greatest(F("total") + Coalesce(Subquery(credited), Value(0)) - Coalesce(Subquery(paid), Value(0)),
                    Value(0))
    panel.debt = service.order_by().annotate(owed=owed).aggregate(debt=Coalesce(Sum("owed"), Value(0)))["debt"]


def _sales(customer: Customer, user) -> SalesDocuments:
    """The last proforma and sales invoice and the debt, asked of the sales app (issue 17) through
    ``aftersales.sales.selectors.last_documents(customer, user=…) -> {"proforma", "invoice", "debt"}``."""
    if not apps.is_installed("aftersales.sales"):
        return SalesDocuments(installed=False)
    try:
        from aftersales.sales.selectors import last_documents
    except ImportError:
        return SalesDocuments(installed=True, connected=False)
    documents = last_documents(customer, user=user) or {}
    return SalesDocuments(installed=True, connected=True, proforma=documents.get("proforma"),
                          invoice=documents.get("invoice"), debt=documents.get("debt"))

