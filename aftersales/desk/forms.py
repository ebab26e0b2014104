from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import JALALI_FORMFIELD_OVERRIDES, StyledFormMixin, UniqueErrorsMixin


def _formfield(db_field, **kwargs):
    for field_class, overrides in JALALI_FORMFIELD_OVERRIDES.items():
        if type(db_field) is field_class:
            return db_field.formfield(**{**overrides, **kwargs})
    return db_field.formfield(**kwargs)


class ResourceForm(UniqueErrorsMixin, StyledFormMixin, forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)


def resource_form_class(resource):
    """A ModelForm for the resource: Jalali date inputs, Bootstrap widgets, a reason for the audit."""
    if resource.form_class:
        return resource.form_class
    return forms.modelform_factory(
        resource.model, form=ResourceForm, fields=resource.form_fields, formfield_callback=_formfield
    )
