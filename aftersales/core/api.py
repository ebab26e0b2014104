"""Pieces every app's API uses."""

import copy
import datetime

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.utils import model_meta
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator
from rest_framework.views import exception_handler as drf_exception_handler

from . import jalali, rowscope
from .constraints import constraint_errors, integrity_errors
from .fields import IdentifierField, NormalizedCharField
from .idempotency import REUSED
from .persian import normalize_text
from .validators import NORMALIZERS, validate_plausible_date


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, including ``view_*`` for reads (DRF's default lets any user read)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


@extend_schema_field({"type": "string", "example": "1405/09/12 09:11", "nullable": True})
class JalaliDateTimeField(serializers.ReadOnlyField):
    """A display-only Jalali rendering of a date or datetime attribute; the ISO field stays the truth."""

    def __init__(self, source: str, **kwargs):
        super().__init__(source=source, **kwargs)

    def to_representation(self, value):
        return jalali.format_datetime(value, latin_digits=True) if value else None


def exception_handler(exc, context):
    """DRF's handler, plus the services' validation errors as 400 with field errors; an error about
    the whole request keeps its ``code`` (stale, role, empty…) for programs to act on."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = exc.message_dict
        else:
            detail = {"non_field_errors": exc.messages}
            if getattr(exc, "code", None):
                detail["code"] = exc.code
        exc = ValidationError(detail=detail)
        if detail.get("code") == REUSED:
            exc.status_code = 422  # the same key with a different request (IETF Idempotency-Key draft)
    return drf_exception_handler(exc, context)


class NormalizingCharField(serializers.CharField):
    """Normalises input (digits, ی/ک, +98…) before validating it, as the model field stores it."""

    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return self.normalizer(value) if value else value


class DateField(serializers.DateField):
    """A date as ISO 2026-11-28 or Jalali 1405/09/07, any digits; dates outside 1900–2099 are refused."""

    default_error_messages = {"invalid": _("Enter a valid date (Jalali 1405/09/07 or ISO 2026-11-28).")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_plausible_date)

    def to_internal_value(self, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if value == "" and self.allow_null:
            return None
        try:
            return jalali.parse_date(value)
        except (TypeError, ValueError):
            self.fail("invalid")


class ScopedChoicesMixin:
    """A serializer's record choices offer only what the caller may see (another center's id is an invalid choice)."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            rowscope.scope_choices(fields, user)
        return fields


class ModelSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    """The base of every API serializer: identifiers and names are normalised like in forms, and a
    related record must be one the caller may see (another center's id is an invalid choice)."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DateField: DateField}

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.DateTimeField):
            field_kwargs["validators"] = [*field_kwargs.get("validators", []), validate_plausible_date]
        if isinstance(model_field, IdentifierField):
            return NormalizingCharField, {**field_kwargs, "normalizer": NORMALIZERS[model_field.kind]}
        if isinstance(model_field, NormalizedCharField):
            return NormalizingCharField, {**field_kwargs, "normalizer": normalize_text}
        return field_class, field_kwargs

    def get_validators(self):
        # validate() checks unique sets and constraints, on the field: DRF's validator for them reports
        # a whole-record error, and skips a constraint whose condition names a field it does not show.
        return [validator for validator in super().get_validators() if not isinstance(validator, UniqueTogetherValidator)]

    def validate(self, attrs):
        """Refuse, as field errors, what the model's unique rules and constraints would refuse at the
        database (DRF skips a UniqueConstraint whose condition names a field it does not show)."""
        attrs = super().validate(attrs)
        errors = constraint_errors(self._candidate(attrs), fields=attrs)
        if errors:
            raise ValidationError(_detail(errors))
        return attrs

    def _candidate(self, attrs):
        """The record as it would be saved, to check the rules on (many-to-many values left aside)."""
        model = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(candidate, name, value)
        return candidate

    def save(self, **kwargs):
        """Save; a duplicate the database still refuses (saved by someone else meanwhile) is a 400 too."""
        try:
            with transaction.atomic():
                return super().save(**kwargs)
        except IntegrityError as error:
            raise ValidationError(_detail(integrity_errors(self.Meta.model, error))) from error


def _detail(errors: dict) -> dict:
    """Django's errors by field as the API's ``{"field": ["message"]}``."""
    return {
        api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: DjangoValidationError(messages).messages
        for name, messages in errors.items()
    }


class CachedRelatedField(serializers.PrimaryKeyRelatedField):
    """A record named by its id, read through ``core.rowcache`` (a reference row on a hot path: the
    product model of a reception) instead of a query each time."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not data.strip().isdigit():
            self.fail("incorrect_type", data_type="str")
        from .rowcache import row_cached

        row = row_cached(self.get_queryset().model, data)
        if row is None:
            self.fail("does_not_exist", pk_value=data)
        return row


def model_field(model, name: str, *, validators=(), cached: bool = False, **overrides) -> serializers.Field:
    """The API field the base serializer builds for ``model.name`` — its length, choices, date range and,
    for a foreign key, a record that exists — for input serializers that are not model serializers
    (the reception, a card's activation). ``validators`` are added to the model's; uniqueness is left
    to the write, since an input names existing records. ``cached``: a foreign key read through
    ``core.rowcache``."""
    builder = ModelSerializer()
    field_class, kwargs = builder.build_field(name, model_meta.get_field_info(model), model, 0)
    if cached:
        field_class = CachedRelatedField
    kwargs["validators"] = [
        *(validator for validator in kwargs.get("validators", []) if not isinstance(validator, UniqueValidator)),
        *validators,
    ]
    kwargs.update(overrides)
    if "default" in overrides:
        kwargs.pop("required", None)
    return field_class(**kwargs)


def paged_schema(name: str, item) -> serializers.Serializer:
    """The schema of a page of ``item`` rows, as DRF's page-number paging answers (count, next, previous, results)."""
    from drf_spectacular.utils import inline_serializer

    return inline_serializer(name, fields={
        "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True), "results": item(many=True)})


def page_parameter():
    """The ``page`` query parameter of a paged list, for the schema."""
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter("page", OpenApiTypes.INT, description="The page (50 rows a page)")


def require_perms(request, *perms) -> None:
    """Refuse (403) an API call whose user lacks any of ``perms``; rows are scoped by the selectors after it."""
    from django.core.exceptions import PermissionDenied

    if not request.user.has_perms(perms):
        raise PermissionDenied


#: A wall-clock time as DRF reads and writes it: "08:00", "08:00:00" or with microseconds.
CLOCK_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def _each_schema_node(node, visit) -> None:
    """Call ``visit`` on every object of a generated schema, depth first (for the postprocessing hooks)."""
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _each_schema_node(value, visit)
    elif isinstance(node, list):
        for value in node:
            _each_schema_node(value, visit)


def clock_times_as_patterns(result, generator, request, public):
    """Describe clock times ("08:00:00") by a pattern instead of JSON Schema's ``time`` format.

    That format is RFC 3339's full-time, which requires a UTC offset; the product's clock times (a shop's
    opening hour, a working day's start, a planned arrival) are Tehran wall-clock times without one, so a
    client validating answers against the schema would refuse every one of them.
    """
    def visit(node):
        if node.get("type") == "string" and node.get("format") == "time":
            node.pop("format")
            node["pattern"] = CLOCK_TIME_PATTERN

    _each_schema_node(result, visit)
    return result


def unicode_word_patterns(result, generator, request, public):
    r"""Leave out patterns with ``\w`` (a Unicode slug's ``^[-\w]+$``), saying in words what they allow.

    Django validates with Python's regexes, where ``\w`` takes Persian and other letters (a customer group's code
    «عمده»); JSON Schema's patterns are ECMAScript's, where ``\w`` is ASCII only and no escape names a letter of any
    script. A client validating the API's answers against the schema would refuse a code the API itself accepted
    and gave back; the API still refuses what the pattern did (a 400 with the field's error).
    """
    from django.utils.translation import gettext

    def visit(node):
        if isinstance(node.get("pattern"), str) and r"\w" in node["pattern"]:
            node.pop("pattern")
            words = gettext("Letters of any script, digits, hyphens and underscores.")
            node["description"] = f"{node['description']} {words}" if node.get("description") else words

    _each_schema_node(result, visit)
    return result
