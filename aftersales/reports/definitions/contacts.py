"""contacts (F59): in-person visits and phone calls with customers and leads, per marketer, per customer or
lead, or per marketer and Jalali day, week or month, counted by kind and outcome.

The contacts are the communication log's (``marketing.Contact``) visits, outgoing and incoming calls in the
period (notes are not contacts). They are scoped as the log is: a contact belongs to the centers of the
person who logged it, so a center manager counts their colleagues' contacts and head office and the
marketing manager count everyone's. «With leads» counts the contacts with a party that is still a lead
today; «customers» the different customers and leads contacted.
"""

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from aftersales.organization.roles import Role

from ..periods import Grain, bucket_case
from ..registry import MANAGERS, TOTAL, Chart, Column, Report, Result, Table, register

#: Rows of the per-customer table (the most contacted first).
CUSTOMER_ROWS = 500
CHART_SIZE = 20
KINDS = ("visit", "call_out", "call_in")
OUTCOMES = ("positive", "neutral", "negative", "no_answer")


def _measures() -> dict:
    return {
        "visits": Count("pk", filter=Q(kind="visit")), "calls_out": Count("pk", filter=Q(kind="call_out")),
        "calls_in": Count("pk", filter=Q(kind="call_in")), "total": Count("pk"),
        "with_leads": Count("pk", filter=Q(customer__is_lead=True)),
        **{outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in OUTCOMES},
        "customers": Count("customer", distinct=True),
    }


def contacts_in(filters):
    """The visits and calls of the period that ``filters.user`` may count."""
    from aftersales.marketing.models import Contact
    from aftersales.organization.models import User

    contacts = Contact.objects.filter(kind__in=KINDS, occurred_at__gte=filters.since, occurred_at__lt=filters.until)
    ids = filters.center_ids()
    if ids is not None or filters.province:
        # Through the loggers (a subquery): a colleague in two of the centers still counts each contact once.
        staff = User.objects.all()
        if ids is not None:
            staff = staff.filter(centers__in=ids)
        if filters.province:
            staff = staff.filter(centers__province=filters.province)
        contacts = contacts.filter(logged_by__in=staff.values("pk"))
    if filters.marketer is not None:
        contacts = contacts.filter(logged_by=filters.marketer.pk)
    return contacts


def _names(user_ids) -> dict:
    from aftersales.organization.models import User

    return {user.pk: user.get_full_name() or user.username for user in User.objects.filter(pk__in=user_ids)}


def _counts(entry) -> dict:
    return {key: entry.get(key) or 0 for key in _measures()}


def build(filters) -> Result:
    contacts = contacts_in(filters)
    group = filters.group_by or "marketer"
    total = {"marketer": str(TOTAL), "customer": str(TOTAL), **_counts(contacts.aggregate(**_measures()))}
    if group == "customer":
        return _per_customer(contacts, total)
    nobody = str(_("not recorded"))
    if group in Grain.values:
        found = filters.buckets()
        entries = (contacts.annotate(bucket=bucket_case("occurred_at", found)).values("bucket", "logged_by")
                   .annotate(**_measures()).order_by())
        entries = [entry for entry in entries if entry["bucket"] is not None]
        names = _names({entry["logged_by"] for entry in entries})
        labels = {bucket.index: bucket.label for bucket in found}
        rows = sorted(({"period": labels[entry["bucket"]], "order": entry["bucket"],
                        "marketer": names.get(entry["logged_by"], nobody), **_counts(entry)} for entry in entries),
                      key=lambda row: (row["order"], row["marketer"]))
        per_bucket = {bucket.index: {kind: 0 for kind in ("visits", "calls_out", "calls_in")} for bucket in found}
        for entry in entries:
            for kind in per_bucket[entry["bucket"]]:
                per_bucket[entry["bucket"]][kind] += entry[kind]
        chart = Chart(kind="bar", title=str(_("Visits and calls per period")), labels=[b.label for b in found],
                      series=[{"label": str(label), "data": [per_bucket[b.index][key] for b in found], "kind": "bar",
                               "stack": "c"} for key, label in SERIES])
        total.update(period=str(TOTAL), marketer="")
        return Result(tables=[Table("periods", str(_("Contacts per period and marketer")),
                                    [Column("period", _("period"), "text"), *MARKETER_COLUMNS], rows, total)],
                      chart=chart, notes=NOTES)
    entries = list(contacts.values("logged_by").annotate(**_measures()).order_by())
    names = _names({entry["logged_by"] for entry in entries})
    rows = sorted(({"marketer": names.get(entry["logged_by"], nobody), **_counts(entry)} for entry in entries),
                  key=lambda row: (-row["total"], row["marketer"]))
    top = rows[:CHART_SIZE]
    chart = Chart(kind="bar", title=str(_("Visits and calls per marketer")), labels=[row["marketer"] for row in top],
                  series=[{"label": str(label), "data": [row[key] for row in top], "kind": "bar", "stack": "c"}
                          for key, label in SERIES])
    return Result(tables=[Table("marketers", str(_("Contacts per marketer")), MARKETER_COLUMNS, rows, total)],
                  chart=chart, notes=NOTES)


def _per_customer(contacts, total) -> Result:
    from aftersales.crm.models import Party
    from aftersales.customers.models import Customer

    entries = list(contacts.values("customer").annotate(**_measures(), last=Max("occurred_at"))
                   .order_by("-total", "customer")[:CUSTOMER_ROWS + 1])
    shown = entries[:CUSTOMER_ROWS]
    ids = [entry["customer"] for entry in shown]
    customers = {customer.pk: customer for customer in Customer.objects.filter(pk__in=ids)}
    stages = dict(Party.objects.filter(pk__in=ids).values_list("pk", "state__name"))
    lead, customer_word = str(_("lead")), str(_("customer"))
    rows = []
    for entry in shown:
        customer = customers.get(entry["customer"])
        rows.append({"customer": customer.display_name if customer else "", "lead": (
            lead if customer is not None and customer.is_lead else customer_word),
            "stage": stages.get(entry["customer"], ""), "last": entry["last"], **_counts(entry)})
    notes = list(NOTES)
    if len(entries) > CUSTOMER_ROWS:
        notes.append(str(_("The %(count)s most contacted customers and leads are listed; the total counts them all.")
                         % {"count": CUSTOMER_ROWS}))
    columns = [Column("customer", _("customer or lead"), "text"), Column("lead", _("lead or customer"), "text"),
               Column("stage", _("stage"), "text"), *MARKETER_COLUMNS[1:], Column("last", _("last contact"), "date")]
    return Result(tables=[Table("customers", str(_("Contacts per customer and lead")), columns, rows, total)],
                  notes=notes)


SERIES = (("visits", _("in person")), ("calls_out", _("outgoing calls")), ("calls_in", _("incoming calls")))
MARKETER_COLUMNS = [
    Column("marketer", _("marketer"), "text"), Column("visits", _("in person")),
    Column("calls_out", _("outgoing calls")), Column("calls_in", _("incoming calls")), Column("total", _("contacts")),
    Column("with_leads", _("with leads")), Column("customers", _("customers and leads contacted")),
    Column("positive", _("positive")), Column("neutral", _("neutral")), Column("negative", _("negative")),
    Column("no_answer", _("not reached")),
]
NOTES = [_("Visits and phone calls logged in the period (notes are not counted), by whoever logged them; «with "
           "leads»: contacts with a party that is a lead today; outcomes as the marketer recorded them.")]

register(Report(
    slug="contacts", title=_("Contacts"), subject=_("Marketing"),
    description=_("In-person visits and phone calls per marketer, per customer or lead, or per day, week or month, "
                  "by kind and outcome, with how many were with leads."),
    build=build, roles=MANAGERS | {Role.MARKETING_MANAGER}, group_by=("marketer", "customer"),
    default_group_by="marketer", filters=("center", "province", "marketer"), drill="", landscape=True, order=80,
))
