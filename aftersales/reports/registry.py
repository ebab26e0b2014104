"""A report is declared once and served everywhere: its page, its API, Excel, PDF, CSV and e-mail.

A ``Report`` names its slug, title, subject (the heading it is listed under), the roles that may open
it, the ways it may be grouped, and ``build(filters) -> Result``: a selector that asks the database
for the aggregates (never for the rows behind them) and returns tables, an optional chart and notes.
Each table row and chart bar may carry ``drill``: the extra filters that list the records behind it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.organization.roles import Role

#: The label of a table's total row.
TOTAL = pgettext_lazy("report row", "total")

MANAGERS = frozenset({Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER})

#: Groupings that are not periods, with their names (a report lists the ones it offers).
DIMENSIONS = {
    "center": _("service center"), "province": _("province"), "product_group": _("product group"),
    "model": _("product model"), "batch": _("production batch"), "production_month": _("production month"),
    "technician": _("technician"), "service": _("service"), "kind": _("kind of service"),
    "warranty": _("warranty or paid"), "part": _("spare part"), "fault": _("fault code"),
    "marketer": _("marketer"), "customer": _("customer or lead"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    #: text, int, money (rials), percent, hours, decimal or date: how pages, Excel and PDF show it.
    kind: str = "int"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    total: dict | None = None
    #: The column whose cell links to the records behind the row (through the row's ``drill``).
    link: str = ""


@dataclass
class Chart:
    #: bar, line or pareto (bars with a cumulative-share line).
    kind: str
    labels: list[str]
    series: list[dict]  # {"label", "data", "kind": "bar"/"line", "axis": "y"/"share"}
    #: Per label, the extra filters that list its records (None: not drillable).
    drill: list[dict | None] = field(default_factory=list)
    title: str = ""


@dataclass
class Result:
    tables: list[Table]
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    subject: str
    description: str
    build: Callable
    roles: frozenset[str] = MANAGERS
    group_by: tuple[str, ...] = ()
    default_group_by: str = ""
    #: The filters the page offers (every report accepts them all in the query string).
    filters: tuple[str, ...] = ("center", "province", "product_group", "model", "technician", "warranty", "kind")
    #: The records the drill-down lists: "orders" (repair orders) or "" (no drill-down).
    drill: str = "orders"
    landscape: bool = True
    order: int = 100

    def allows(self, user) -> bool:
        if not user.is_authenticated or not user.has_perm("reports.view_reports"):
            return False
        if user.is_superuser:
            return True
        return bool(set(user.groups.values_list("name", flat=True)) & self.roles)


_REPORTS: dict[str, Report] = {}


def register(report: Report) -> Report:
    _REPORTS[report.slug] = report
    return report


def get(slug: str) -> Report | None:
    return _REPORTS.get(slug)


def all_reports() -> list[Report]:
    return sorted(_REPORTS.values(), key=lambda report: (report.order, report.slug))


def reports_for(user) -> list[Report]:
    return [report for report in all_reports() if report.allows(user)]
