"""Values read from a query string (``?center=12``), typed and range-checked for the column they filter.

A crafted ``?center=99999999999999999999`` must find nothing, like any unknown id, instead of failing
in the driver: SQLite raises OverflowError above 2**63-1 and PostgreSQL a DataError outside a
column's range. Every page, export and API filter that reads a value for a model field goes through
``lookup_value`` (or ``id_or_none`` / ``ids`` for bare ids).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, models
from django_filters import fields as filter_fields
from django_filters import filters as filter_classes
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet
from django_filters.rest_framework.filterset import FILTER_FOR_DBFIELD_DEFAULTS

from .persian import to_ascii_digits


class Unmatchable(ValueError):
    """No row can hold the value (wrong type, or outside the column's range): the filter matches nothing."""


def _target(field):
    """The field a filter on ``field`` compares with: a relation's target (the pk, or its ``to_field``)."""
    while field.is_relation:
        field = field.target_field
    return field


def lookup_value(field, raw):
    """``raw`` typed for filtering on the model ``field``; raises ``Unmatchable`` when no row can hold it."""
    target = _target(field)
    if isinstance(raw, str):
        raw = to_ascii_digits(raw.strip())
    try:
        value = target.to_python(raw)
    except ValidationError:
        raise Unmatchable(raw) from None
    if isinstance(target, models.IntegerField) and value is not None:
        low, high = connection.ops.integer_field_range(target.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            raise Unmatchable(raw)
    return value


def id_or_none(raw, model: type[models.Model]) -> int | None:
    """``raw`` (any digits) as a primary key of ``model``, or None when it cannot be one."""
    if raw in (None, ""):
        return None
    try:
        return lookup_value(model._meta.pk, raw)
    except Unmatchable:
        return None


def ids(raws: Iterable, model: type[models.Model]) -> list[int]:
    """The values of ``raws`` that can be primary keys of ``model``; the others are dropped."""
    return [pk for pk in (id_or_none(raw, model) for raw in raws) if pk is not None]


class IdRangeMixin:
    """For model choice form fields: a value that cannot be a key of the queryset's model is an invalid
    choice, refused before it reaches the database (``__in`` lookups are not range-checked by Django)."""

    def _key_field(self):
        meta = self.queryset.model._meta
        return meta.get_field(self.to_field_name) if self.to_field_name else meta.pk

    def _refuse_unmatchable(self, values) -> None:
        field = self._key_field()
        for value in values:
            try:
                lookup_value(field, value)
            except Unmatchable:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                ) from None


# The API's filters (django-filter): foreign keys and many-to-many filters refuse, with 400 and the
# field's message, a value that cannot be a key; the backend is the REST framework's default.


class ModelChoiceField(IdRangeMixin, filter_fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and value != self.null_value:
            self._refuse_unmatchable([value])
        return super().to_python(value)


class ModelMultipleChoiceField(IdRangeMixin, filter_fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            self._refuse_unmatchable([item for item in value if item != self.null_value])
        return super()._check_values(value)


class ModelChoiceFilter(filter_classes.ModelChoiceFilter):
    field_class = ModelChoiceField


class ModelMultipleChoiceFilter(filter_classes.ModelMultipleChoiceFilter):
    field_class = ModelMultipleChoiceField


_RANGE_CHECKED = {
    filter_classes.ModelChoiceFilter: ModelChoiceFilter,
    filter_classes.ModelMultipleChoiceFilter: ModelMultipleChoiceFilter,
}


class FilterSet(RestFilterSet):
    FILTER_DEFAULTS = {
        db_field: {**options, "filter_class": _RANGE_CHECKED.get(options["filter_class"], options["filter_class"])}
        for db_field, options in FILTER_FOR_DBFIELD_DEFAULTS.items()
    }


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend with range-checked key filters (``REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]``)."""

    filterset_base = FilterSet

