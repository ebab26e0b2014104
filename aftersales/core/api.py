"""Pieces every app's API uses."""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueTogetherValidator
from rest_framework.views import exception_handler as drf_exception_handler

from . import jalali
from .constraints import constraint_errors, integrity_errors
from .fields import IdentifierField, NormalizedCharField
from .persian import normalize_text
from .validators import NORMALIZERS


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, including ``view_*`` for reads (DRF's default lets any user read)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


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
    return drf_exception_handler(exc, context)


class NormalizingCharField(serializers.CharField):
    """Normalises input (digits, ی/ک, +98…) before validating it, as the model field stores it."""

    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return self.normalizer(value) if value else value


class ModelSerializer(serializers.ModelSerializer):
    """The base of every API serializer: identifiers and names are normalised like in forms."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
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
