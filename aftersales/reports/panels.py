"""The reports' dashboard panels: this month against last month and the same month last year, the
receptions of the last 12 Jalali months as a chart that drills to the orders, and (head office) the
failure early warnings.

Every number comes from a report's own ``build`` run as the signed-in user, through ``parse_filters``,
so a panel is scoped exactly like the report: a center manager sees only their centers. A panel costs
three builds of center-performance and one of receptions-trend.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core import jalali
from aftersales.core.persian import localize_digits
from aftersales.organization.dashboard import Panel, register_panel
from aftersales.organization.roles import Role

from . import registry
from .filters import FilterError, parse_filters
from .periods import Preset, add_months, preset_range

#: The comparison's rows: the center-performance total's key, its label, its column kind, and whether a
#: rise is good news (turnaround is better when it falls).
MEASURES = (
    ("receptions", _("receptions"), "int", True),
    ("handbacks", _("hand-backs"), "int", True),
    ("turnaround_days", _("average turnaround (days)"), "decimal", False),
    ("first_time_fix", _("first-time fix (%)"), "percent", True),
    ("invoiced", _("invoiced revenue (rials)"), "money", True),
    ("satisfaction", _("satisfaction (1–5)"), "decimal", True),
)
HEAD_OFFICE = frozenset({Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER})
CENTER = frozenset({Role.CENTER_MANAGER})


def _day(value: datetime.date) -> str:
    return jalali.format_date(value, latin_digits=True)


def _month(first: datetime.date) -> str:
    return localize_digits(jalali.to_jalali(first).strftime("%B %Y"))


def _total(report, user, start: datetime.date, end: datetime.date) -> dict:
    filters = parse_filters({"from": _day(start), "to": _day(end)}, user=user)
    result = report.build(filters, state_times=False)
    return result.tables[0].total or {}


def _arrow(now, before, rise_is_good: bool) -> dict:
    if now is None or before is None or now == before:
        return {"sign": "", "good": None}
    rising = now > before
    return {"sign": "▲" if rising else "▼", "good": rising == rise_is_good}


def comparison(user, today: datetime.date) -> dict | None:
    """The network's (or the user's centers') totals this month, last month and the same month a year ago."""
    from .render import display

    report = registry.get("center-performance")
    if report is None or not report.allows(user):
        return None
    this_start, this_end = preset_range(Preset.THIS_MONTH, today)
    last_start, last_end = preset_range(Preset.LAST_MONTH, today)
    year_start = add_months(this_start, -12)
    year_end = add_months(this_start, -11) - datetime.timedelta(days=1)
    now = _total(report, user, this_start, this_end)
    last = _total(report, user, last_start, last_end)
    year = _total(report, user, year_start, year_end)
    rows = []
    for key, label, kind, rise_is_good in MEASURES:
        column = registry.Column(key, label, kind)
        rows.append({"key": key, "label": label, "now": display(now.get(key), column),
                     "last": display(last.get(key), column), "year": display(year.get(key), column),
                     "arrow": _arrow(now.get(key), last.get(key), rise_is_good)})
    return {"rows": rows, "this_month": _month(this_start), "last_month": _month(last_start),
            "year_month": _month(year_start),
            "report_url": reverse("reports:detail", args=[report.slug]) + "?" + urlencode(
                {"from": _day(this_start), "to": _day(this_end)})}


def receptions_chart(user, today: datetime.date) -> dict | None:
    """Receptions per Jalali month over the last 12 months, each bar linking to its orders."""
    from .views import _chart_data

    report = registry.get("receptions-trend")
    if report is None or not report.allows(user):
        return None
    start, end = preset_range(Preset.LAST_12_MONTHS, today)
    try:
        filters = parse_filters({"from": _day(start), "to": _day(end), "group_by": "month"}, user=user,
                                allowed_group_by=report.group_by)
    except FilterError:
        return None
    return _chart_data(report, filters, report.build(filters))


def alert_orders_url(alert, today: datetime.date) -> str:
    """The orders behind an alert: its model's (and batch's) receptions in the alert's month so far."""
    import jdatetime

    year, month = (int(part) for part in alert.month.split("-"))
    first = jdatetime.date(year, month, 1).togregorian()
    last = min(today, add_months(first, 1) - datetime.timedelta(days=1))
    params = {"from": _day(first), "to": _day(last), "model": alert.product_model_id}
    if alert.batch:
        params["batch"] = alert.batch
    # Every report's drill-down lists orders the same way; failure-causes is the one the alert belongs to.
    slug = "failure-causes" if registry.get("failure-causes") is not None else "receptions-trend"
    return reverse("reports:drill", args=[slug]) + "?" + urlencode(params)


def _alerts(user, today):
    from .warnings import failure_alerts_latest

    can_open = user.has_perm("repairs.view_repairorder")
    return [{"alert": alert, "url": alert_orders_url(alert, today) if can_open else ""}
            for alert in failure_alerts_latest()]


def _panel(user, *, name: str, alerts: bool) -> dict | None:
    today = timezone.localdate()
    numbers = comparison(user, today)
    if numbers is None:
        return None
    chart = receptions_chart(user, today)
    return {"name": name, "comparison": numbers, "chart": chart, "needs_charts": chart is not None,
            "alerts": _alerts(user, today) if alerts else None}


def head_office_panel(user) -> dict | None:
    return _panel(user, name="head-office", alerts=True)


def center_panel(user) -> dict | None:
    if HEAD_OFFICE & set(user.groups.values_list("name", flat=True)) or user.is_superuser:
        return None  # the head-office panel shows the same, network-wide
    return _panel(user, name="center", alerts=False)


def panels_register() -> None:
    register_panel(Panel("reports_head_office", "reports/panels/performance.html", head_office_panel,
                         roles=HEAD_OFFICE, order=15))
    register_panel(Panel("reports_center", "reports/panels/performance.html", center_panel, roles=CENTER, order=15))
