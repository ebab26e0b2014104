"""Every quantity and amount box takes Persian or Arabic digits and thousands separators («۸۵۰٬۰۰۰٬۰۰۰»,
«850,000,000», «850 000 000»): the app's forms, the desk's forms and the admin (issue 20)."""

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from aftersales.catalog.models import SparePart
from aftersales.core.forms import StyledFormMixin

pytestmark = pytest.mark.django_db


class QuantityForm(StyledFormMixin, forms.Form):
    quantity = forms.IntegerField(min_value=1)
    share = forms.DecimalField(max_digits=5, decimal_places=2, required=False)


@pytest.mark.parametrize("typed", ["۱٬۲۰۰", "1,200", "١٢٠٠", "۱ ۲۰۰", "1،200", " ۱۲۰۰ "])
def test_an_app_forms_quantity_takes_any_digits_and_separators(typed):
    form = QuantityForm({"quantity": typed, "share": "۱۲٫۵"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quantity"] == 1200 and str(form.cleaned_data["share"]) == "12.5"


def test_a_number_that_is_not_one_is_still_refused():
    form = QuantityForm({"quantity": "۱۲الف"})
    assert not form.is_valid() and "quantity" in form.errors


def test_the_desk_form_takes_a_price_with_persian_separators(client, head_office, fridge_model):
    client.force_login(head_office)
    part = SparePart.objects.create(code="CMP-1", name="کمپرسور", price=1)
    edit = reverse("desk:edit", args=["spare-parts", part.pk])
    page = client.get(edit).content.decode()
    assert 'type="number"' not in page
    from aftersales.desk.forms import resource_form_class
    from aftersales.desk.registry import get

    form_class = resource_form_class(get("spare-parts"))
    data = {name: value for name, value in form_class(instance=part).initial.items() if value is not None}
    data.update({"price": "۸۵۰٬۰۰۰٬۰۰۰", "reason": ""})
    data = {key: (value if not isinstance(value, list) else [v.pk if hasattr(v, "pk") else v for v in value])
            for key, value in data.items()}
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    part.refresh_from_db()
    assert part.price == 850_000_000


def test_the_admin_form_takes_a_price_with_separators_and_choices_keep_their_drop_down(rf, head_office):
    from aftersales.personnel.models import StaffSkill

    request = rf.get("/")
    request.user = head_office
    form_class = admin.site._registry[SparePart].get_form(request)
    field = form_class.base_fields["price"]
    assert field.clean("850,000,000") == 850_000_000 and field.clean("۸۵۰ ۰۰۰ ۰۰۰") == 850_000_000
    from aftersales.core.forms import JALALI_FORMFIELD_OVERRIDES

    level = StaffSkill._meta.get_field("level")
    overrides = JALALI_FORMFIELD_OVERRIDES[type(level)]
    assert isinstance(level.formfield(**overrides).widget, forms.Select)
