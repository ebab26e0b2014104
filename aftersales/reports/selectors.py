"""Reading reports: run one for a user with a query string's filters, and list the records behind a number."""

from django.db.models import Q

from . import registry
from .filters import FilterError, ReportFilters, parse_filters

#: Drill-down parameters beyond the common filters, and what each narrows the orders to.
DRILL_PARAMS = {
    "state": "state",
    "fault": "faults__fault_code",
    "part": "part_lines__spare_part",
    "service": "operations__service_item",
    "batch": "unit__batch",
    "production_month": None,  # handled below: a Jalali month as 1405-01
    "handed_back": None,
    "open": None,
}


class UnknownReport(LookupError):
    pass


def report_get(slug: str, user) -> registry.Report:
    """The report named ``slug`` if ``user`` may open it; UnknownReport otherwise (a 404, not a 403: the
    list of reports a role cannot open is nobody else's business)."""
    report = registry.get(slug)
    if report is None or not report.allows(user):
        raise UnknownReport(slug)
    return report


def report_filters(report: registry.Report, params, user) -> ReportFilters:
    return parse_filters(params, user=user, allowed_group_by=report.group_by,
                         default_group_by=report.default_group_by)


def report_run(report: registry.Report, params, user) -> tuple[ReportFilters, registry.Result]:
    """Check the filters and build the report; raises FilterError with a message per field."""
    filters = report_filters(report, params, user)
    return filters, report.build(filters)


def drill_orders(filters: ReportFilters, params):
    """The repair orders behind a number: the report's filters plus the bar's or row's own (a state, a
    fault code, a part, a service, a batch…). Orders are taken by reception date unless the number was
    of hand-backs (``handed_back=1``) or of orders still open at the end (``open=1``)."""
    from aftersales.catalog.identifiers import identifier_key
    from aftersales.repairs.models import RepairOrder

    orders = filters.scope(RepairOrder.objects.all(), model="product_model", technician="assignee",
                           warranty="is_warranty", kind="kind")
    if params.get("handed_back"):
        orders = orders.filter(handed_back_at__gte=filters.since, handed_back_at__lt=filters.until)
    elif params.get("open"):
        orders = orders.filter(received_at__lt=filters.until).filter(
            Q(handed_back_at__gte=filters.until) | Q(handed_back_at__isnull=True, state__is_final=False))
    else:
        orders = orders.filter(received_at__gte=filters.since, received_at__lt=filters.until)
    errors = {}
    for name, path in DRILL_PARAMS.items():
        value = (params.get(name) or "").strip()
        if not value or path is None:
            continue
        if name == "batch":
            orders = orders.filter(unit__batch_key=identifier_key(value))
            continue
        if not value.isdigit():
            errors[name] = ["?"]
            continue
        if name == "fault":  # failure-causes' rule: the codes found, else those reported (as the bar counts)
            from .definitions.failure_causes import has_counted_fault

            orders = orders.filter(has_counted_fault(int(value)))
            continue
        orders = orders.filter(**{path: int(value)})
    month = (params.get("production_month") or "").strip()
    if month:
        from .periods import add_months

        try:
            year, number = (int(part) for part in month.split("-"))
            import jdatetime

            first = jdatetime.date(year, number, 1).togregorian()
            orders = orders.filter(unit__production_date__gte=first, unit__production_date__lt=add_months(first, 1))
        except ValueError:
            errors["production_month"] = ["?"]
    if errors:
        from django.utils.translation import gettext as _

        raise FilterError({name: [_("Choose one from the list.")] for name in errors})
    return orders.distinct().select_related("center", "state", "customer", "product_model", "assignee") \
        .order_by("-received_at", "-pk")
