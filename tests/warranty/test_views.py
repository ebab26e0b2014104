import datetime

import pytest

from aftersales.warranty.services import warranty_card_activate, warranty_card_issue
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db

# The day these tests stand on: the purchase of 2026-03-30 (۱۴۰۵/۰۱/۱۰) is under its 18 months' warranty,
# which ends on 2027-10-01 (۱۴۰۶/۰۷/۰۹), whatever the real date.
TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _on_a_fixed_day(today_is):
    today_is(TODAY)


@pytest.fixture
def active_unit(unit, policy):
    from aftersales.customers.models import Customer

    owner = Customer.objects.create(kind="person", first_name="مریم", last_name="احمدی", mobile="09121234567")
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=datetime.date(2026, 3, 30), channel="staff", owner=owner)
    return unit


def test_api_gives_product_and_component_status_with_iso_and_jalali_dates(api_client, reception_a, active_unit):
    api_client.force_authenticate(reception_a)
    body = api_client.get("/api/warranty/status/", {"serial": "sn-۱۴۰۵-۰۰۰۱", "on": TODAY.isoformat()}).json()
    assert body["product"]["state"] == "active" and body["product"]["end"] == "2027-10-01"
    assert body["product"]["end_jalali"] == "1406/07/09"
    assert [c["component_name"] for c in body["components"]] == ["کمپرسور"]


def test_api_answers_unknown_serials_with_a_state_not_a_404(api_client, reception_a):
    api_client.force_authenticate(reception_a)
    response = api_client.get("/api/warranty/status/", {"serial": "NOPE"})
    assert response.status_code == 200 and response.json()["product"]["state"] == "not_registered"
    assert api_client.get("/api/warranty/status/", {"serial": "X", "on": "1405-13-01"}).status_code == 400
    assert api_client.get("/api/warranty/status/").status_code == 400


def test_public_check_shows_status_and_end_date_but_no_owner(client, active_unit):
    body = client.get("/warranty/check", {"serial": "SN 1405 0001"}).content.decode()
    assert 'data-state="active"' in body and "۱۴۰۶/۰۷/۰۹" in body
    assert "احمدی" not in body and "09121234567" not in body and "۰۹۱۲۱۲۳۴۵۶۷" not in body


def test_public_check_of_an_unknown_serial_says_so(client, db):
    body = client.get("/warranty/check", {"serial": "ZZ-9"}).content.decode()
    assert 'data-state="not_registered"' in body


def test_public_check_is_rate_limited(client, settings, db):
    settings.WARRANTY_PUBLIC_CHECKS_PER_MINUTE = 3
    codes = [client.get("/warranty/check", {"serial": f"X{i}"}).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_staff_issue_activate_and_print_a_card_from_the_unit_page(client, reception_a, unit, policy):
    client.force_login(reception_a)
    page = client.get(f"/data/units/{unit.pk}/").content.decode()
    assert 'data-testid="card-issue"' in page and 'data-state="not_activated"' in page
    client.post(f"/warranty/units/{unit.pk}/card/")
    card = unit.warranty_cards.get()
    client.post(f"/warranty/cards/{card.number}/activate/", {"purchase_date": "۱۴۰۵/۰۱/۱۰"})
    card.refresh_from_db()
    assert card.status == "active" and str(card.purchase_date) == "2026-03-30"
    page = client.get(f"/data/units/{unit.pk}/").content.decode()
    assert 'data-state="active"' in page and "۱۴۰۶/۰۷/۰۹" in page
    view = client.get(f"/warranty/cards/{card.number}/").content.decode()
    assert "/warranty/check?serial=SN-1405-0001" in view and "<svg" in view  # the serial as registered
    pdf = client.get(f"/warranty/cards/{card.number}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_card_activation_with_a_bad_date_or_twice_explains(client, reception_a, unit, policy):
    client.force_login(reception_a)
    client.post(f"/warranty/units/{unit.pk}/card/")
    card = unit.warranty_cards.get()
    response = client.post(f"/warranty/cards/{card.number}/activate/", {"purchase_date": "1405/13/01"}, follow=True)
    assert "تاریخ شمسی معتبر" in response.content.decode()
    client.post(f"/warranty/cards/{card.number}/activate/", {"purchase_date": "1405/01/10"})
    response = client.post(f"/warranty/cards/{card.number}/activate/", {"purchase_date": "1405/01/10"}, follow=True)
    assert "پیش‌تر" in response.content.decode()


def test_technician_may_not_issue_cards(client, technician_a, unit, policy):
    client.force_login(technician_a)
    with nothing_written():
        assert client.post(f"/warranty/units/{unit.pk}/card/").status_code == 403


def test_one_search_box_finds_a_unit_by_card_number_or_owner(client, reception_a, active_unit):
    card = active_unit.warranty_cards.get()
    client.force_login(reception_a)
    persian_card = card.number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    for query in (persian_card, "۰۹۱۲۱۲۳۴۵۶۷", "+98 912 123 4567", "SN 1405 0001"):
        body = client.get("/data/units/", {"q": query}).content.decode()
        assert f"/data/units/{active_unit.pk}/" in body, query
    assert f"/data/units/{active_unit.pk}/" not in client.get("/data/units/", {"q": "09120000000"}).content.decode()


def test_dealer_activates_a_card_through_the_api_and_the_buyer_becomes_owner(api_client, head_office, unit, policy):
    card = warranty_card_issue(unit=unit)
    api_client.force_authenticate(head_office)
    spaced = " ".join(card.number[i:i + 4] for i in range(0, 12, 4))
    response = api_client.post("/api/warranty/cards/activate/", {
        "number": spaced, "purchase_date": "۱۴۰۵/۰۱/۱۰", "owner_mobile": "+98 912 555 6677", "owner_name": "رضا کریمی"}, format="json")
    assert response.status_code == 200 and response.json()["product"]["state"] == "active"
    unit.refresh_from_db()
    card.refresh_from_db()
    assert card.channel == "dealer" and unit.owner.mobile == "09125556677" and unit.owner.last_name == "کریمی"
    again = api_client.post("/api/warranty/cards/activate/", {"number": card.number, "purchase_date": "2026-03-30"}, format="json")
    assert again.status_code == 400 and "number" in again.json()


def test_api_activation_refuses_mistyped_numbers_and_bad_dates(api_client, head_office, reception_a, unit, policy):
    card = warranty_card_issue(unit=unit)
    api_client.force_authenticate(head_office)
    wrong = card.number[:-1] + str((int(card.number[-1]) + 1) % 10)
    assert set(api_client.post("/api/warranty/cards/activate/", {"number": wrong, "purchase_date": "2026-03-30"}, format="json").json()) == {"number"}
    assert set(api_client.post("/api/warranty/cards/activate/", {"number": card.number, "purchase_date": "1405/13/01"}, format="json").json()) == {"purchase_date"}
    api_client.force_authenticate(reception_a.__class__.objects.create(username="nobody"))
    with nothing_written():
        assert api_client.post("/api/warranty/cards/activate/", {"number": card.number, "purchase_date": "2026-03-30"}, format="json").status_code == 403


def test_owner_transfer_keeps_the_warranty_and_records_the_event(unit, policy, reception_a):
    from aftersales.customers.models import Customer
    from aftersales.warranty.services import unit_owner_transfer
    from aftersales.warranty.status import unit_warranty_status

    first = Customer.objects.create(kind="person", last_name="یکم")
    second = Customer.objects.create(kind="person", last_name="دوم")
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=datetime.date(2026, 3, 30), channel="staff", owner=first)
    before = unit_warranty_status(unit, on=datetime.date(2026, 6, 1)).product
    unit_owner_transfer(unit=unit, new_owner=second, acting_user=reception_a, reason="فروش دست دوم")
    unit.refresh_from_db()
    assert unit.owner == second and unit.status == "produced"
    assert unit_warranty_status(unit, on=datetime.date(2026, 6, 1)).product == before
    event = unit.events.get(kind="owner_changed")
    assert event.details == {"from_customer": first.pk, "to_customer": second.pk} and event.reference == "فروش دست دوم"


def test_receptionist_hands_the_unit_to_a_new_owner_by_mobile(client, reception_a, active_unit):
    client.force_login(reception_a)
    assert 'data-testid="owner-form"' in client.get(f"/data/units/{active_unit.pk}/").content.decode()
    client.post(f"/warranty/units/{active_unit.pk}/owner/", {"mobile": "۰۹۳۵۱۱۱۲۲۳۳", "name": "علی رضایی", "reason": "هدیه"})
    active_unit.refresh_from_db()
    assert active_unit.owner.mobile == "09351112233" and active_unit.owner.first_name == "علی"
    bad = client.post(f"/warranty/units/{active_unit.pk}/owner/", {"mobile": "123"}, follow=True).content.decode()
    assert "شماره تلفن همراه معتبر" in bad


def test_cards_of_a_batch_are_issued_once_and_printed_together(client, head_office, fridge_model, policy):
    from aftersales.catalog.models import ProductUnit

    for number in range(3):
        ProductUnit.objects.create(serial=f"B-{number}", brand=fridge_model.brand, product_model=fridge_model, batch="L7")
    client.force_login(head_office)
    client.post("/warranty/cards/batch/", {"batch": "l-7"})
    client.post("/warranty/cards/batch/", {"batch": "L7"})
    assert ProductUnit.objects.filter(batch="L7", warranty_cards__isnull=False).count() == 3  # issued once
    page = client.get("/warranty/cards/batch/", {"batch": "L7"}).content.decode()
    assert "/warranty/cards/batch/L7/1.pdf" in page
    pdf = client.get("/warranty/cards/batch/L7/1.pdf").content
    assert pdf.startswith(b"%PDF") and _page_count(pdf) == 3


def _page_count(pdf: bytes) -> int:
    """Pages of a PDF, counted in its objects (compressed object streams included)."""
    import re
    import zlib

    chunks = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return sum(len(re.findall(rb"/Type\s*/Page(?!s)", chunk)) for chunk in chunks)
