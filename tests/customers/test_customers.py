import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from aftersales.customers.models import Customer, CustomerPhone
from aftersales.customers.selectors import customer_duplicates
from aftersales.customers.services import customer_merge, customer_phone_add
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def _person(**fields):
    customer = Customer(kind="person", first_name="مریم", last_name="احمدی", **fields)
    customer.full_clean()
    customer.save()
    return customer


def test_person_needs_a_last_name_and_legal_entity_a_company_name():
    with nothing_written(), pytest.raises(ValidationError) as error:
        Customer(kind="person", first_name="علی").full_clean()
    assert "last_name" in error.value.message_dict
    with nothing_written(), pytest.raises(ValidationError) as error:
        Customer(kind="legal", national_code="0499370899").full_clean()
    assert {"company_name", "national_code"} <= set(error.value.message_dict)


def test_invalid_national_code_is_refused_with_a_field_error():
    with nothing_written(), pytest.raises(ValidationError) as error:
        _person(national_code="1234567890")
    assert "national_code" in error.value.message_dict


def test_duplicates_are_found_by_national_code_or_any_mobile(head_office):
    first = _person(national_code="0499370899", mobile="09121234567")
    unrelated = _person(mobile="09350000000")
    by_phone = Customer.objects.create(kind="person", last_name="احمدي")
    customer_phone_add(customer=by_phone, number="+98 912 123 4567", acting_user=head_office)
    assert set(customer_duplicates(first)) == {by_phone}
    assert by_phone in Customer.objects.filter(search_text__contains="09121234567")
    assert unrelated not in customer_duplicates(first)


def test_merge_moves_phones_and_fills_gaps_and_hides_the_duplicate(head_office, client):
    keep = _person(national_code="0499370899", mobile="09121234567")
    duplicate = _person(mobile="09121234567", email="m@example.ir")
    customer_phone_add(customer=duplicate, number="02188776655", kind="landline", acting_user=head_office)
    customer_merge(keep=keep, duplicate=duplicate, acting_user=head_office)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.email == "m@example.ir" and duplicate.merged_into == keep
    assert set(keep.phones.values_list("number", flat=True)) == {"02188776655"}
    assert keep.history.latest().history_user == head_office
    client.force_login(head_office)
    listing = client.get("/data/customers/").content.decode()
    assert f'/data/customers/{duplicate.pk}/' not in listing and f'/data/customers/{keep.pk}/' in listing
    with nothing_written(), pytest.raises(ValidationError):
        customer_merge(keep=keep, duplicate=duplicate, acting_user=head_office)


def test_merge_page_needs_the_permission(client, reception_a, head_office):
    keep, duplicate = _person(mobile="09121234567"), _person(mobile="09121234567")
    client.force_login(reception_a)
    with nothing_written():
        assert client.post(f"/customers/{keep.pk}/merge/{duplicate.pk}/").status_code == 403
    client.force_login(head_office)
    page = client.get(f"/data/customers/{keep.pk}/").content.decode()
    assert 'data-testid="duplicates"' in page
    assert client.post(f"/customers/{keep.pk}/merge/{duplicate.pk}/").status_code == 302
    assert Customer.objects.get(pk=duplicate.pk).merged_into_id == keep.pk


def test_search_box_finds_a_customer_by_name_typed_with_arabic_letters(client, reception_a, head_office):
    _person(mobile="09121234567", national_code="0499370899")
    client.force_login(head_office)
    for query in ("مريم احمدي", "۰۹۱۲۱۲۳۴۵۶۷", "0499370899"):
        assert "مریم احمدی" in client.get("/data/customers/", {"q": query}).content.decode(), query
    # A center's receptionist finds the customer by an exact identifier, typed with any digits, not by name.
    client.force_login(reception_a)
    for query in ("۰۹۱۲۱۲۳۴۵۶۷", "+98 912 123 4567", "۰۴۹۹۳۷۰۸۹۹"):
        assert "مریم احمدی" in client.get("/data/customers/", {"q": query}).content.decode(), query
    assert "مریم احمدی" not in client.get("/data/customers/", {"q": "مريم احمدي"}).content.decode()


def test_customer_form_shows_persian_errors_and_saves_nothing(client, reception_a):
    client.force_login(reception_a)
    response = client.post("/data/customers/new/", {"kind": "person", "last_name": "کریمی", "national_code": "1111111111", "mobile": "0912"})
    body = response.content.decode()
    assert 'data-testid="error-national_code"' in body and 'data-testid="error-mobile"' in body
    assert not Customer.objects.exists()


def test_birth_date_is_typed_in_jalali(client, reception_a):
    client.force_login(reception_a)
    response = client.post("/data/customers/new/", {"kind": "person", "last_name": "کریمی", "birth_date": "۱۳۷۰/۰۵/۲۰"})
    assert response.status_code == 302
    assert str(Customer.objects.get().birth_date) == "1991-08-11"


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["تلفن همراه", "نوع", "نام", "نام خانوادگی", "نام شرکت", "کد ملی", "شهر یا منطقه", "نشانی"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("customers.xlsx", buffer.getvalue())


def test_customer_import_checks_codes_cities_and_duplicates(head_office, django_capture_on_commit_callbacks):
    _person(mobile="09121111111")
    rows = [
        ["۰۹۱۲۲۲۲۲۲۲۲", "حقیقی", "رضا", "کریمی", None, "0499370899", "اصفهان", "خیابان چهارباغ"],
        ["09121111111", "حقیقی", "زهرا", "نوری", None, None, None, None],         # already a customer
        ["09123333333", "حقوقی", None, None, None, None, None, None],              # no company name
        ["09124444444", "حقیقی", "سارا", "امیری", None, "1234567890", "ناکجا", None],  # bad code, unknown city
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="customers", uploaded_file=_xlsx(rows), acting_user=head_office)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED and job.error_count == 2
    assert {(e["row"], e["column"]) for e in job.errors} == {(4, "نام شرکت"), (5, "کد ملی"), (5, "شهر یا منطقه")}
    assert [row["row"] for row in job.existing["rows"]] == [3]  # already a customer: listed apart, not an error

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="customers", uploaded_file=_xlsx(rows[:1]), acting_user=head_office)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_start(job=job, acting_user=head_office)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    imported = Customer.objects.get(national_code="0499370899")
    assert imported.mobile == "09122222222" and imported.addresses.get().region.name == "اصفهان"
    assert CustomerPhone.objects.filter(customer=imported).count() == 1


def test_search_box_finds_the_owner_of_a_serial(client, reception_a):
    from aftersales.catalog.models import Brand, ProductGroup, ProductModel, ProductUnit

    owner = _person(mobile="09121234567")
    model = ProductModel.objects.create(code="RF1", name="یخچال", brand=Brand.objects.create(code="B", name="ب"),
                                        group=ProductGroup.objects.create(code="G", name="گ"))
    ProductUnit.objects.create(serial="SN-12345", brand=model.brand, product_model=model, owner=owner)
    client.force_login(reception_a)
    body = client.get("/data/customers/", {"q": "sn ۱۲۳۴۵"}).content.decode()
    assert f"/data/customers/{owner.pk}/" in body
    assert "SN-" in client.get(f"/data/customers/{owner.pk}/").content.decode()  # the serial as registered


def test_staff_add_phone_and_address_on_the_customer_page(client, reception_a):
    from aftersales.regions.models import Region

    customer = _person(mobile="09121234567")
    client.force_login(reception_a)
    page = client.get(f"/data/customers/{customer.pk}/").content.decode()
    assert 'data-testid="phone-form"' in page and 'data-testid="address-form"' in page
    client.post(f"/customers/{customer.pk}/phones/", {"phone-kind": "landline", "phone-number": "۰۲۱-۸۸۷۷۶۶۵۵"})
    bad = client.post(f"/customers/{customer.pk}/phones/", {"phone-kind": "mobile", "phone-number": "123"}, follow=True)
    assert "شماره تلفن همراه معتبر وارد کنید" in bad.content.decode()
    city = Region.objects.get(kind="city", name="شیراز")
    client.post(f"/customers/{customer.pk}/addresses/", {"address-region": city.pk, "address-address": "خیابان زند",
                                                         "address-postal_code": "۷۱۳۴۵۶۷۸۹۱"})
    assert list(customer.phones.values_list("number", flat=True)) == ["02188776655"]
    address = customer.addresses.get()
    assert address.region == city and address.postal_code == "7134567891"
    customer.refresh_from_db()
    assert "02188776655" in customer.search_text


def test_technician_may_not_add_phones(client, technician_a):
    customer = _person(mobile="09121234567")
    client.force_login(technician_a)
    with nothing_written():
        assert client.post(f"/customers/{customer.pk}/phones/", {"phone-kind": "mobile", "phone-number": "09120000000"}).status_code == 403
