"""The filters every report understands, read from a page's or the API's query string.

``parse_filters`` turns ``from``/``to`` (Jalali «۱۴۰۵/۰۱/۰۱» or ISO), a ``period`` preset, ``center``,
``province``, ``product_group``, ``model``, ``technician``, ``marketer``, ``warranty``, ``kind`` and ``group_by`` into
a ``ReportFilters``, or raises ``FilterError`` with a Persian message per field (a 400 in the API, the
form's errors on a page). A center, technician or model the user may not see is refused, never
silently widened: a center manager cannot read another center's numbers by naming it.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftersales.core import jalali
from aftersales.core.persian import normalize_text, to_ascii_digits
from aftersales.organization.scoping import center_ids, spans_all_centers

from .periods import Grain, Preset, buckets, day_start, preset_range

#: The query parameters, in the order a printed report lists them.
PARAMS = ("from", "to", "period", "center", "province", "product_group", "model", "technician", "marketer",
          "warranty", "kind", "group_by")
LABELS = {
    "from": pgettext_lazy("period", "from"), "to": pgettext_lazy("period", "to"), "period": gettext_lazy("period"),
    "center": gettext_lazy("service center"), "province": gettext_lazy("province"),
    "product_group": gettext_lazy("product group"), "model": gettext_lazy("product model"),
    "technician": gettext_lazy("technician"), "marketer": gettext_lazy("marketer"),
    "warranty": gettext_lazy("warranty"),
    "kind": gettext_lazy("kind of service"), "group_by": gettext_lazy("group by"),
}
MAX_DAYS = 366 * 5


class FilterError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class ReportFilters:
    user: object
    start: datetime.date
    end: datetime.date
    period: str = ""
    center: object = None
    province: str = ""
    product_group: object = None
    group_ids: list[int] = field(default_factory=list)
    model: object = None
    technician: object = None
    #: Who logged the contacts (the contacts report): any colleague of the user's centers.
    marketer: object = None
    warranty: str = ""  # "yes", "no" or ""
    kind: str = ""
    group_by: str = ""

    @property
    def since(self) -> datetime.datetime:
        return day_start(self.start)

    @property
    def until(self) -> datetime.datetime:
        """The first moment after the range (exclusive)."""
        return day_start(self.end + datetime.timedelta(days=1))

    @property
    def grain(self) -> str:
        return self.group_by if self.group_by in Grain.values else ""

    def buckets(self, default: str = Grain.MONTH):
        return buckets(self.start, self.end, self.grain or default)

    @property
    def by_center_and_day_only(self) -> bool:
        """True when nothing narrows the orders below a center and a day (no product, technician, warranty
        or kind): the centers' days the services keep (``repairs.CenterDay``) then hold the counts."""
        return self.model is None and not self.group_ids and self.technician is None and not self.warranty \
            and not self.kind

    def center_ids(self) -> list[int] | None:
        """The centers the numbers may come from: the chosen one, the user's, or None for all."""
        if self.center is not None:
            return [self.center.pk]
        if spans_all_centers(self.user):
            return None
        return center_ids(self.user)

    def scope(self, queryset, *, center: str = "center", date: str | None = None, model: str | None = None,
              technician: str | None = None, warranty: str | None = None, kind: str | None = None,
              date_is_day: bool = False):
        """``queryset`` narrowed to the user's centers and every filter that has a path in it."""
        ids = self.center_ids()
        if ids is not None:
            queryset = queryset.filter(**{f"{center}__in": ids})
        if self.province:
            queryset = queryset.filter(**{f"{center}__province": self.province})
        if date:
            if date_is_day:
                queryset = queryset.filter(**{f"{date}__gte": self.start, f"{date}__lte": self.end})
            else:
                queryset = queryset.filter(**{f"{date}__gte": self.since, f"{date}__lt": self.until})
        if model and self.model is not None:
            queryset = queryset.filter(**{model: self.model.pk})
        elif model and self.group_ids:
            queryset = queryset.filter(**{f"{model}__group__in": self.group_ids})
        if technician and self.technician is not None:
            queryset = queryset.filter(**{technician: self.technician.pk})
        if warranty and self.warranty:
            queryset = queryset.filter(**{warranty: self.warranty == "yes"})
        if kind and self.kind:
            queryset = queryset.filter(**{kind: self.kind})
        return queryset

    def params(self, **override) -> dict[str, str]:
        """The filters as a query string's parameters (Latin digits, Jalali dates), for links and saved
        filters; a preset stays a preset («this month» saved today is next month's «this month»)."""
        dates = {"period": self.period} if self.period and not ({"from", "to"} & set(override)) else {
            "from": jalali.format_date(self.start, latin_digits=True),
            "to": jalali.format_date(self.end, latin_digits=True)}
        values = {
            **dates,
            "center": self.center.pk if self.center is not None else "",
            "province": self.province,
            "product_group": self.product_group.pk if self.product_group is not None else "",
            "model": self.model.pk if self.model is not None else "",
            "technician": self.technician.pk if self.technician is not None else "",
            "marketer": self.marketer.pk if self.marketer is not None else "",
            "warranty": self.warranty, "kind": self.kind, "group_by": self.group_by,
        }
        values.update(override)
        return {key: str(value) for key, value in values.items() if value not in ("", None)}

    def query(self, **override) -> str:
        return urlencode(self.params(**override))

    def describe(self) -> list[tuple[str, str]]:
        """What was chosen, in words, for the top of a printed or mailed report."""
        lines = [(str(LABELS["from"]), jalali.format_date(self.start)), (str(LABELS["to"]), jalali.format_date(self.end))]
        if self.period:
            lines.append((str(LABELS["period"]), str(Preset(self.period).label)))
        for name, value in (("center", self.center), ("product_group", self.product_group), ("model", self.model)):
            if value is not None:
                lines.append((str(LABELS[name]), str(value)))
        if self.province:
            lines.append((str(LABELS["province"]), self.province))
        if self.technician is not None:
            lines.append((str(LABELS["technician"]), self.technician.get_full_name() or self.technician.username))
        if self.marketer is not None:
            lines.append((str(LABELS["marketer"]), self.marketer.get_full_name() or self.marketer.username))
        if self.warranty:
            lines.append((str(LABELS["warranty"]), _("under warranty") if self.warranty == "yes" else _("paid")))
        if self.kind:
            lines.append((str(LABELS["kind"]), _kind_label(self.kind)))
        if self.group_by:
            lines.append((str(LABELS["group_by"]), _group_label(self.group_by)))
        return lines


def _kind_label(kind: str) -> str:
    from aftersales.repairs.models import RepairOrder

    return str(dict(RepairOrder.Kind.choices).get(kind, kind))


def _group_label(value: str) -> str:
    if value in Grain.values:
        return str(Grain(value).label)
    from .registry import DIMENSIONS

    return str(DIMENSIONS.get(value, value))


def _date(text: str) -> datetime.date:
    return jalali.parse_date(to_ascii_digits(text).strip())


def _record(errors, name, raw, queryset):
    """The record ``raw`` names among ``queryset``, or None with an error recorded."""
    text = to_ascii_digits(str(raw)).strip()
    if not text.isdigit():
        errors[name] = [_("Choose one from the list.")]
        return None
    found = queryset.filter(pk=int(text)).first()
    if found is None:
        errors[name] = [_("This is not one of your centers.") if name == "center" else
                        _("No such record among those you may see.")]
    return found


def parse_filters(params, *, user, allowed_group_by=(), default_group_by: str = "",
                  default_period: str = Preset.THIS_MONTH, today: datetime.date | None = None) -> ReportFilters:
    """Read and check the filters in ``params`` (a QueryDict or dict) for ``user``; raise FilterError."""
    from aftersales.catalog.models import ProductGroup, ProductModel
    from aftersales.organization.models import ServiceCenter, User
    from aftersales.organization.scoping import scope_queryset

    def get(name):
        value = params.get(name, "")
        return value.strip() if isinstance(value, str) else value

    errors: dict[str, list[str]] = {}
    period = get("period")
    start = end = None
    if period and period not in Preset.values:
        errors["period"] = [_("Unknown period.")]
        period = ""
    if get("from") or get("to"):
        period = ""
        for name in ("from", "to"):
            if not get(name):
                continue
            try:
                value = _date(get(name))
            except ValueError:
                errors[name] = [_("Enter a date like ۱۴۰۵/۰۱/۲۰.")]
                continue
            if name == "from":
                start = value
            else:
                end = value
        if "from" not in errors and "to" not in errors:
            # One end given: the other is today, or the start of the end's Jalali month.
            end = end or max(today or timezone.localdate(), start)
            start = start or preset_range(Preset.THIS_MONTH, end)[0]
    else:
        start, end = preset_range(period or default_period, today)
        period = period or default_period
    if start and end and end < start:
        errors["to"] = [_("The end of the period is before its start.")]
    elif start and end and (end - start).days > MAX_DAYS:
        errors["to"] = [_("A report covers at most five years.")]

    center = product_group = model = technician = marketer = None
    group_ids: list[int] = []
    if get("center"):
        center = _record(errors, "center", get("center"), scope_queryset(ServiceCenter.objects.all(), user))
    province = normalize_text(get("province") or "")
    if get("product_group"):
        product_group = _record(errors, "product_group", get("product_group"), ProductGroup.objects.all())
        if product_group is not None:
            group_ids = product_group.descendant_ids()
    if get("model"):
        model = _record(errors, "model", get("model"), ProductModel.objects.all())
    if get("technician"):
        staff = User.objects.all() if spans_all_centers(user) else User.objects.filter(
            Q(centers__in=center_ids(user))).distinct()
        technician = _record(errors, "technician", get("technician"), staff)
    if get("marketer"):
        staff = User.objects.all() if spans_all_centers(user) else User.objects.filter(
            Q(centers__in=center_ids(user))).distinct()
        marketer = _record(errors, "marketer", get("marketer"), staff)
    warranty = get("warranty") or ""
    if warranty not in ("", "yes", "no"):
        errors["warranty"] = [_("Choose «yes», «no» or nothing.")]
        warranty = ""
    kind = get("kind") or ""
    from aftersales.repairs.models import RepairOrder

    if kind and kind not in RepairOrder.Kind.values:
        errors["kind"] = [_("Unknown kind of service.")]
        kind = ""
    group_by = get("group_by") or default_group_by
    if group_by and group_by not in Grain.values and group_by not in allowed_group_by:
        errors["group_by"] = [_("This report cannot be grouped that way.")]
        group_by = default_group_by
    if not errors and group_by in Grain.values and start and end:
        try:
            buckets(start, end, group_by)
        except ValueError:
            errors["group_by"] = [_("Too many days to show one by one: group by week or month.")]
    if errors:
        raise FilterError(errors)
    return ReportFilters(user=user, start=start, end=end, period=period, center=center, province=province,
                         product_group=product_group, group_ids=group_ids, model=model, technician=technician,
                         marketer=marketer, warranty=warranty, kind=kind, group_by=group_by)
