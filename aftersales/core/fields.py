"""Model fields that keep Persian input in one canonical form.

Use them for every identifier (national code, mobile, postal code…) and every name that is searched.
"""

from django import forms
from django.db import models

from .persian import normalize_text
from .validators import NORMALIZERS, IdentifierValidator, validate_past_date

_MAX_LENGTH = {
    "national_code": 10,
    "legal_national_id": 11,
    "economic_number": 14,
    "mobile": 11,
    "postal_code": 10,
    "landline": 11,
    "sayad_number": 16,
}


class PastDateField(models.DateField):
    """A date that has happened (birth, purchase, production, sale): refused in the future or before 1900.

    Only validators differ from a DateField, so migrations see a DateField and the column is unchanged.
    """

    default_validators = [validate_past_date]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs


class NormalizingFormField(forms.CharField):
    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        # The typed value may be longer than the stored one (+98…, dashes, spaces).
        kwargs["max_length"] = None
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalizer(value) if value else value


class IdentifierField(models.CharField):
    """An Iranian identifier: validated with a Persian message and stored canonically.

    ``kind`` is one of national_code, legal_national_id, economic_number, mobile,
    postal_code or landline.
    """

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("max_length", _MAX_LENGTH[kind])
        super().__init__(*args, **kwargs)
        self.validators.append(IdentifierValidator(kind))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if kwargs.get("max_length") == _MAX_LENGTH[self.kind]:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return NORMALIZERS[self.kind](value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = NORMALIZERS[self.kind](value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": NormalizingFormField, "normalizer": NORMALIZERS[self.kind], **kwargs}
        )


class NormalizedCharField(models.CharField):
    """Free text (names, titles) stored with ی/ک, ASCII digits and folded spaces."""

    def pre_save(self, model_instance, add):
        value = normalize_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NormalizingFormField, "normalizer": normalize_text, **kwargs})
