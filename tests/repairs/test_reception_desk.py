"""The reception desk of issue 13: a known mobile fills in the customer, the national code is taken (and
never silently overwritten), an unknown serial needs the product model, and who brought the unit is kept."""

import pytest
from django.urls import reverse

from aftersales.customers.models import Customer
from aftersales.repairs.models import RepairOrder

from .test_api import body

pytestmark = pytest.mark.django_db

# Valid national codes (check digit right) and one that fails it.
CODE, OTHER_CODE, BAD_CODE = "0499370899", "0076229645", "0499370890"


@pytest.fixture
def desk(client, reception_a):
    client.force_login(reception_a)
    return client


def _form(center, **fields):
    return {"center": center.pk, "mobile": "09121234567", "kind": "in_center", "description": "یخچال سرد نمی‌کند",
            "submission": "desk-1", **fields}


def test_a_known_mobile_typed_in_persian_digits_shows_the_customer_and_fills_the_name(desk, owner):
    owner.national_code = CODE
    owner.save()
    answer = desk.get(reverse("repairs:reception-customer"), {"mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'data-found="true"' in page and "سارا احمدی" in page
    assert "۰۴۹۹۳۷۰۸۹۹" in page  # the national code, to check against the ID card
    # The name and code fields of the form are replaced (htmx out-of-band) with the customer's.
    assert 'id="id_customer_name"' in page and 'value="سارا احمدی"' in page and 'hx-swap-oob="true"' in page
    assert 'id="id_national_code"' in page and f'value="{CODE}"' in page


def test_an_unknown_mobile_asks_for_the_new_customers_name_and_national_code(desk, owner):
    page = desk.get(reverse("repairs:reception-customer"), {"mobile": "09359876543"}).content.decode()
    assert 'data-found="false"' in page and "مشتری جدید" in page and "کد ملی" in page
    assert "سارا احمدی" not in page and "hx-swap-oob" not in page
    half = desk.get(reverse("repairs:reception-customer"), {"mobile": "0912"}).content.decode()
    assert "data-found" not in half and "hx-swap-oob" not in half


def test_the_desk_has_the_national_code_and_brought_by_fields_and_the_mobile_looks_the_customer_up(desk):
    page = desk.get(reverse("repairs:reception")).content.decode()
    assert 'name="national_code"' in page and 'name="brought_by_name"' in page and 'name="brought_by_mobile"' in page
    assert 'hx-get="/repairs/reception/customer/"' in page and 'id="customer-preview"' in page


def test_a_new_customer_is_registered_with_the_national_code_and_who_brought_the_unit_is_kept(
        desk, center_a, fridge_model, reception_a):
    answer = desk.post(reverse("repairs:reception"), _form(
        center_a, mobile="09351112233", customer_name="نگار رحیمی", national_code="۰۴۹۹۳۷۰۸۹۹", serial="NEW-1",
        product_model=fridge_model.pk, brought_by_name="حسین موسوی", brought_by_mobile="۰۹۱۹ ۴۴۴ ۵۵۶۶"))
    assert answer.status_code == 302, answer.context["form"].errors
    order = RepairOrder.objects.get()
    assert order.customer.national_code == CODE and order.customer.last_name == "رحیمی"
    assert order.brought_by_name == "حسین موسوی" and order.brought_by_mobile == "09194445566"
    assert order.product_model == fridge_model
    detail = desk.get(reverse("repairs:order", args=[order.pk])).content.decode()
    assert 'data-testid="brought-by"' in detail and "حسین موسوی" in detail and "۰۹۱۹۴۴۴۵۵۶۶" in detail
    receipt = desk.get(reverse("repairs:order-receipt", args=[order.pk])).content.decode()
    assert 'data-testid="receipt-brought-by"' in receipt and "حسین موسوی" in receipt and "۰۹۱۹۴۴۴۵۵۶۶" in receipt


def test_the_printed_receipt_names_who_brought_the_unit(receive, rf, fridge_model):
    from django.template.loader import render_to_string

    from aftersales.repairs.views import _receipt_context

    order = receive(serial="PDF-1", product_model=fridge_model, brought_by_name="پیک آسان‌بر",
                    brought_by_mobile="09194445566")
    for size in ("a5", "80mm"):
        html = render_to_string("repairs/receipt_pdf.html", _receipt_context(order, size, rf.get("/")))
        assert "آورندهٔ دستگاه" in html and "پیک آسان‌بر" in html and "۰۹۱۹۴۴۴۵۵۶۶" in html
    plain = receive(serial="PDF-2", product_model=fridge_model)
    html = render_to_string("repairs/receipt_pdf.html", _receipt_context(plain, "a5", rf.get("/")))
    assert "آورندهٔ دستگاه" not in html


def test_a_known_customer_without_a_national_code_gets_the_one_given(desk, center_a, owner, fridge_model,
                                                                     reception_a):
    answer = desk.post(reverse("repairs:reception"), _form(center_a, national_code=CODE, serial="K-1",
                                                           product_model=fridge_model.pk))
    assert answer.status_code == 302
    owner.refresh_from_db()
    assert owner.national_code == CODE and RepairOrder.objects.get().customer == owner
    assert owner.history.first().history_user == reception_a  # the audit row says who recorded it


def test_a_known_customer_with_another_national_code_is_refused_and_nothing_is_written(
        desk, center_a, owner, fridge_model):
    owner.national_code = CODE
    owner.save()
    customers = Customer.objects.count()
    answer = desk.post(reverse("repairs:reception"), _form(center_a, national_code=OTHER_CODE, serial="K-2",
                                                           product_model=fridge_model.pk))
    assert answer.status_code == 400
    assert "کد ملی دیگری" in " ".join(answer.context["form"].errors["national_code"])
    owner.refresh_from_db()
    assert owner.national_code == CODE  # not overwritten
    assert not RepairOrder.objects.exists() and Customer.objects.count() == customers


def test_a_national_code_another_customer_holds_or_a_bad_check_digit_is_refused(desk, center_a, owner, fridge_model):
    owner.national_code = CODE
    owner.save()
    taken = desk.post(reverse("repairs:reception"), _form(center_a, mobile="09351112233", customer_name="نگار رحیمی",
                                                          national_code=CODE, serial="K-3", product_model=fridge_model.pk))
    assert taken.status_code == 400 and "مشتری دیگری" in " ".join(taken.context["form"].errors["national_code"])
    bad = desk.post(reverse("repairs:reception"), _form(center_a, mobile="09351112233", national_code=BAD_CODE,
                                                        serial="K-3", product_model=fridge_model.pk))
    assert bad.status_code == 400 and "کد ملی" in " ".join(bad.context["form"].errors["national_code"])
    assert not RepairOrder.objects.exists() and not Customer.objects.filter(mobile="09351112233").exists()


@pytest.mark.parametrize("serial, message", [("NOT-REGISTERED-9", "در سامانه ثبت نشده"), ("", "بدون سریال")])
def test_an_unknown_or_missing_serial_without_a_model_is_refused_and_nothing_is_written(desk, center_a, serial,
                                                                                        message):
    answer = desk.post(reverse("repairs:reception"), _form(center_a, mobile="09351112233", customer_name="نگار رحیمی",
                                                           serial=serial))
    assert answer.status_code == 400
    assert message in " ".join(answer.context["form"].errors["product_model"])
    assert not RepairOrder.objects.exists() and not Customer.objects.filter(mobile="09351112233").exists()


def test_a_registered_serial_needs_no_model(desk, center_a, warranted_unit):
    answer = desk.post(reverse("repairs:reception"), _form(center_a, serial=warranted_unit.serial))
    assert answer.status_code == 302
    assert RepairOrder.objects.get().product_model == warranted_unit.product_model


def test_a_bad_mobile_of_who_brought_the_unit_is_refused(desk, center_a, fridge_model):
    answer = desk.post(reverse("repairs:reception"), _form(center_a, serial="B-1", product_model=fridge_model.pk,
                                                           brought_by_name="حسین موسوی", brought_by_mobile="12345"))
    assert answer.status_code == 400 and answer.context["form"].errors["brought_by_mobile"]
    assert not RepairOrder.objects.exists()


class TestApi:
    @pytest.fixture
    def api(self, api_client, reception_a):
        api_client.force_authenticate(reception_a)
        return api_client

    def test_the_national_code_and_who_brought_the_unit_are_stored_and_returned(self, api, center_a):
        answer = api.post(reverse("api-repairs-reception"), body(
            center_a, customer_mobile="09351112233", customer_national_code="۰۴۹۹۳۷۰۸۹۹", brought_by_name="حسین موسوی",
            brought_by_mobile="09194445566"), format="json")
        assert answer.status_code == 201, answer.content
        assert answer.json()["brought_by_name"] == "حسین موسوی" and answer.json()["brought_by_mobile"] == "09194445566"
        assert Customer.objects.get(mobile="09351112233").national_code == CODE
        again = api.get(reverse("api-repairs-order", args=[answer.json()["id"]])).json()
        assert again["brought_by_name"] == "حسین موسوی"

    def test_another_national_code_on_record_is_a_400_on_the_field_and_nothing_is_written(self, api, center_a, owner):
        owner.national_code = CODE
        owner.save()
        answer = api.post(reverse("api-repairs-reception"), body(center_a, customer_national_code=OTHER_CODE),
                          format="json")
        assert answer.status_code == 400 and "کد ملی دیگری" in answer.json()["customer_national_code"][0]
        owner.refresh_from_db()
        assert owner.national_code == CODE and not RepairOrder.objects.exists()

    def test_a_bad_national_code_is_a_400(self, api, center_a):
        answer = api.post(reverse("api-repairs-reception"), body(center_a, customer_national_code=BAD_CODE),
                          format="json")
        assert answer.status_code == 400 and "customer_national_code" in answer.json()
        assert not RepairOrder.objects.exists()

    def test_an_unknown_serial_without_a_model_is_a_400_and_nothing_is_written(self, api, center_a):
        answer = api.post(reverse("api-repairs-reception"), body(center_a, customer_mobile="09351112233",
                                                                 product_model=None), format="json")
        assert answer.status_code == 400 and "مدل محصول" in answer.json()["product_model"][0]
        assert not RepairOrder.objects.exists() and not Customer.objects.filter(mobile="09351112233").exists()
