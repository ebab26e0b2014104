"""The warranty status engine: for a serial on a date, the status of the product and of each of its
components, with the dates and the rule that decided. Reception, every repair stage and invoicing
ask here and nowhere else (F11, F29).
"""

import datetime
from dataclasses import dataclass, field

import jdatetime
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core import jalali
from aftersales.core.limits import ProcessCache
from aftersales.core.persian import normalize_identifier


class State(models.TextChoices):
    ACTIVE = "active", gettext_lazy("under warranty")
    EXPIRED = "expired", gettext_lazy("warranty expired")
    NOT_ACTIVATED = "not_activated", gettext_lazy("warranty not activated")
    VOIDED = "voided", gettext_lazy("warranty voided")
    NO_POLICY = "no_policy", gettext_lazy("no warranty for this model")
    NOT_REGISTERED = "not_registered", gettext_lazy("serial not registered")


@dataclass
class Coverage:
    state: str
    rule: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    void_reason: str = ""
    covers_parts: bool = False
    covers_labour: bool = False

    @property
    def is_covered(self) -> bool:
        return self.state == State.ACTIVE

    def state_label(self) -> str:
        return str(State(self.state).label)


@dataclass
class ComponentCoverage(Coverage):
    component_type_id: int | None = None
    component_name: str = ""
    serial: str = ""


@dataclass
class WarrantyStatus:
    serial: str
    on: datetime.date
    product: Coverage
    components: list[ComponentCoverage] = field(default_factory=list)
    unit: object = None
    card: object = None
    version: object = None

    def component(self, component_type_id: int) -> Coverage:
        """The cover of one component; a part of a component the policy does not name follows the product."""
        return next((c for c in self.components if c.component_type_id == component_type_id), self.product)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Add Jalali months, as warranties are written in Iran (1405/06/31 + 1 month → 1405/07/30)."""
    j = jdatetime.date.fromgregorian(date=day)
    index = j.month - 1 + months
    year, month = j.year + index // 12, index % 12 + 1
    last = 31 if month <= 6 else 30 if month <= 11 else (30 if jdatetime.date(year, 1, 1).isleap() else 29)
    return jdatetime.date(year, month, min(j.day, last)).togregorian()


# Policies change rarely and are read on every check: keep them per model for a short while.
_policies = ProcessCache(seconds=60)
policy_cache_clear = _policies.clear


def _model_policy(product_model_id: int):
    """(versions newest first, {version id: {component type id: term}}, {component type id: name})
    for a model, or None when the model has no policy."""
    return _policies.get(product_model_id, lambda: _load_policy(product_model_id))


def _load_policy(product_model_id: int):
    from .models import ComponentTerm, ModelWarranty, PolicyVersion

    assignment = ModelWarranty.objects.filter(product_model_id=product_model_id).select_related("policy", "product_model").first()
    value = None
    if assignment is not None:
        versions = list(PolicyVersion.objects.filter(policy_id=assignment.policy_id).select_related("policy").order_by("-effective_from"))
        terms: dict[int, dict[int, object]] = {}
        for term in ComponentTerm.objects.filter(version__in=versions).select_related("component_type"):
            terms.setdefault(term.version_id, {})[term.component_type_id] = term
        names = dict(assignment.product_model.components.values_list("pk", "name"))
        value = (versions, terms, names)
    return value


def _version_at(versions, day):
    for version in versions:  # newest first
        if day is None or version.effective_from <= day:
            return version
    return versions[-1]


def _start(version, unit, card) -> tuple[datetime.date | None, str]:
    from .models import PolicyVersion

    purchase = (card.purchase_date if card else None) or unit.sale_date
    if version.start_event == PolicyVersion.StartEvent.PRODUCTION:
        if unit.production_date is None:
            return None, _("the production date is unknown")
        return add_months(unit.production_date, version.grace_months), _(
            "%(months)s months after the production date (%(day)s)") % {
            "months": version.grace_months, "day": jalali.format_date(unit.production_date)}
    if version.start_event == PolicyVersion.StartEvent.INSTALLATION and card and card.installation_date:
        return card.installation_date, _("the installation date (%(day)s)") % {"day": jalali.format_date(card.installation_date)}
    if purchase is None:
        return None, _("the purchase date is unknown")
    return purchase, _("the purchase date (%(day)s)") % {"day": jalali.format_date(purchase)}


@dataclass
class _Card:
    status: str
    policy_version_id: int | None
    purchase_date: datetime.date | None
    installation_date: datetime.date | None


@dataclass
class _Void:
    component_type_id: int | None
    reason: str
    voided_on: datetime.date

    def get_reason_display(self) -> str:
        from .models import VoidReason

        return str(VoidReason(self.reason).label)


@dataclass
class _Part:
    component_type_id: int
    serial: str
    fitted_on: datetime.date | None


def _as_date(value):
    # SQLite hands dates back as text through a raw cursor.
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _facts_sql(unit_filter: str) -> str:
    """One statement for the unit and its live card, voids and fitted components.

    Plain SQL on purpose: it runs on every status check (reception, each repair stage, the public
    page, the API), and the ORM's building of four querysets cost more than the database's answer.
    """
    from aftersales.catalog.models import ProductUnit, UnitComponent

    from .models import WarrantyCard, WarrantyVoid

    units, cards = ProductUnit._meta.db_table, WarrantyCard._meta.db_table
    voids, parts = WarrantyVoid._meta.db_table, UnitComponent._meta.db_table
    return (
        f"WITH u AS (SELECT id, serial, product_model_id, production_date, sale_date FROM {units} "
        f"WHERE {unit_filter} ORDER BY id LIMIT 1) "
        f"SELECT 'u', serial, product_model_id, production_date, sale_date, id FROM u "
        f"UNION ALL SELECT 'c', status, policy_version_id, purchase_date, installation_date, NULL FROM {cards} "
        f"WHERE unit_id = (SELECT id FROM u) AND status <> 'cancelled' "
        f"UNION ALL SELECT 'v', reason, component_type_id, voided_on, NULL, NULL FROM {voids} WHERE unit_id = (SELECT id FROM u) "
        f"UNION ALL SELECT 'p', serial, component_type_id, fitted_on, NULL, NULL FROM {parts} "
        f"WHERE unit_id = (SELECT id FROM u) AND removed_on IS NULL"
    )


def _load(unit_filter: str, params: list):
    unit, card, void_rows, fitted = None, None, [], {}
    with connection.cursor() as cursor:
        cursor.execute(_facts_sql(unit_filter), params)
        for kind, text, number, day, other_day, pk in cursor.fetchall():
            if kind == "u":
                unit = _Unit(pk, text, number, _as_date(day), _as_date(other_day))
            elif kind == "c":
                card = _Card(text, number, _as_date(day), _as_date(other_day))
            elif kind == "v":
                void_rows.append(_Void(number, text, _as_date(day)))
            else:
                fitted[number] = _Part(number, text, _as_date(day))
    return unit, (card, void_rows, fitted)


def unit_warranty_status(unit, on: datetime.date | None = None) -> WarrantyStatus:
    """The status of a registered unit on a date (today by default)."""
    _unit, facts = _load("id = %s", [unit.pk])
    return _status(unit, facts, on or timezone.localdate())


def _many_facts_sql(count: int) -> str:
    """One statement for the live cards, voids and fitted components of ``count`` units, each row led by
    its kind and unit: a customer's list of products asks once, not once a unit."""
    from aftersales.catalog.models import UnitComponent

    from .models import WarrantyCard, WarrantyVoid

    units = ", ".join(["%s"] * count)
    return (
        f"SELECT 'c', unit_id, status, policy_version_id, purchase_date, installation_date "
        f"FROM {WarrantyCard._meta.db_table} WHERE unit_id IN ({units}) AND status <> 'cancelled' "
        f"UNION ALL SELECT 'v', unit_id, reason, component_type_id, voided_on, NULL "
        f"FROM {WarrantyVoid._meta.db_table} WHERE unit_id IN ({units}) "
        f"UNION ALL SELECT 'p', unit_id, serial, component_type_id, fitted_on, NULL "
        f"FROM {UnitComponent._meta.db_table} WHERE unit_id IN ({units}) AND removed_on IS NULL"
    )


def units_warranty_status(units, on: datetime.date | None = None) -> dict[int, WarrantyStatus]:
    """The status of each of several registered units on a date (today by default), by unit id: the same
    answer as ``unit_warranty_status`` for each, their facts read in one statement."""
    units = list(units)
    facts = {unit.pk: (None, [], {}) for unit in units}
    if units:
        ids = [unit.pk for unit in units]
        with connection.cursor() as cursor:
            cursor.execute(_many_facts_sql(len(ids)), ids * 3)
            for kind, unit_id, text, number, day, other_day in cursor.fetchall():
                card, void_rows, fitted = facts[unit_id]
                if kind == "c":
                    facts[unit_id] = (_Card(text, number, _as_date(day), _as_date(other_day)), void_rows, fitted)
                elif kind == "v":
                    void_rows.append(_Void(number, text, _as_date(day)))
                else:
                    fitted[number] = _Part(number, text, _as_date(day))
    on = on or timezone.localdate()
    return {unit.pk: _status(unit, facts[unit.pk], on) for unit in units}


def _status(unit, facts, on: datetime.date) -> WarrantyStatus:
    from .models import WarrantyCard

    policy = _model_policy(unit.product_model_id)
    if policy is None:
        coverage = Coverage(State.NO_POLICY, _("No warranty policy is assigned to the model %(model)s.") % {"model": unit.product_model})
        return WarrantyStatus(unit.serial, on, coverage, unit=unit)
    card, voids, fitted = facts
    voids = [v for v in voids if v.voided_on <= on]
    versions, terms, names = policy
    if card is not None and card.policy_version_id:
        version = next((v for v in versions if v.pk == card.policy_version_id), None) or _version_at(versions, None)
    else:
        version = _version_at(versions, (card.purchase_date if card else None) or unit.sale_date or on)
    start, start_rule = _start(version, unit, card)
    activated = card is not None and card.status == WarrantyCard.Status.ACTIVE
    product = _coverage(version, version.duration_months, start, start_rule, on, voids, None,
                        needs_activation=version.requires_activation and not activated)
    components = []
    for component_type_id in dict.fromkeys([*names, *fitted]):
        term = terms.get(version.pk, {}).get(component_type_id)
        months = term.duration_months if term else version.duration_months
        part = fitted.get(component_type_id)
        part_start, part_rule, needs = start, start_rule, version.requires_activation and not activated
        if part is not None and part.fitted_on and start and part.fitted_on > start:
            # A replaced component carries its own warranty from the day it was fitted.
            part_start, needs = part.fitted_on, False
            part_rule = _("the day this replacement was fitted (%(day)s)") % {"day": jalali.format_date(part.fitted_on)}
        coverage = _coverage(version, months, part_start, part_rule, on, voids, component_type_id, needs_activation=needs)
        components.append(ComponentCoverage(
            **coverage.__dict__, component_type_id=component_type_id,
            component_name=names.get(component_type_id) or _component_name(component_type_id),
            serial=part.serial if part else "",
        ))
        if term is not None and not term.covers_labour:
            components[-1].covers_labour = False
    return WarrantyStatus(unit.serial, on, product, components, unit=unit, card=card, version=version)


def _component_name(component_type_id: int) -> str:
    from aftersales.catalog.models import ComponentType

    return ComponentType.objects.filter(pk=component_type_id).values_list("name", flat=True).first() or ""


def _coverage(version, months, start, start_rule, on, voids, component_type_id, *, needs_activation) -> Coverage:
    covers = {"covers_parts": version.covers_parts, "covers_labour": version.covers_labour}
    policy = _("policy “%(policy)s” in force from %(day)s") % {"policy": version.policy.name, "day": jalali.format_date(version.effective_from)}
    void = next((v for v in voids if v.component_type_id in (None, component_type_id)), None)
    if void is not None:
        return Coverage(State.VOIDED, _("Voided on %(day)s: %(reason)s.") % {
            "day": jalali.format_date(void.voided_on), "reason": void.get_reason_display()}, start, None, void.get_reason_display())
    if start is None:
        return Coverage(State.NOT_ACTIVATED, _("Not started: %(why)s; %(policy)s.") % {"why": start_rule, "policy": policy})
    end = add_months(start, months) - datetime.timedelta(days=1)
    rule = _("%(months)s months from %(start)s; %(policy)s.") % {"months": months, "start": start_rule, "policy": policy}
    if needs_activation:
        return Coverage(State.NOT_ACTIVATED, _("The warranty card has not been activated; once activated: %(rule)s") % {"rule": rule}, start, end)
    if on < start:
        return Coverage(State.NOT_ACTIVATED, rule, start, end)
    if on > end:
        return Coverage(State.EXPIRED, rule, start, end)
    return Coverage(State.ACTIVE, rule, start, end, **covers)


@dataclass
class _Unit:
    pk: int
    serial: str
    product_model_id: int
    production_date: datetime.date | None
    sale_date: datetime.date | None

    @property
    def product_model(self):
        from aftersales.catalog.models import ProductModel

        return ProductModel.objects.get(pk=self.product_model_id)


def warranty_status(*, serial: str, on: datetime.date | None = None, brand_code: str | None = None) -> WarrantyStatus:
    """The status of whatever unit has this serial (typed with any digits, spaces or dashes)."""
    from aftersales.catalog.models import Brand

    key = normalize_identifier(serial)
    unit_filter, params = "serial_key = %s", [key]  # the serial's matching key (catalog/identifiers.py)
    if brand_code:
        unit_filter += f" AND brand_id IN (SELECT id FROM {Brand._meta.db_table} WHERE code = %s)"
        params.append(normalize_identifier(brand_code))
    unit, facts = _load(unit_filter, params)
    if unit is None:
        return not_registered(key, on)
    return _status(unit, facts, on or timezone.localdate())


def not_registered(serial: str, on: datetime.date | None = None) -> WarrantyStatus:
    """The answer for a serial no unit has (when the caller already looked)."""
    return WarrantyStatus(normalize_identifier(serial), on or timezone.localdate(),
                          Coverage(State.NOT_REGISTERED, _("No unit with this serial is registered.")))
