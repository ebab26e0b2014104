import datetime

import pytest

from aftersales.warranty.services import warranty_card_activate, warranty_card_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_unit(unit, policy):
    from aftersales.customers.models import Customer

    owner = Customer.objects.create(kind="person", first_name="مریم", last_name="احمدی", mobile="09121234567")
    card = warranty_card_issue(unit=unit)
    warranty_card_activate(number=card.number, purchase_date=datetime.date(2026, 3, 30), channel="staff", owner=owner)
    return unit


def test_api_gives_product_and_component_status_with_iso_and_jalali_dates(api_client, reception_a, active_unit):
    api_client.force_authenticate(reception_a)
    body = api_client.get("/api/warranty/status/", {"serial": "sn-۱۴۰۵-۰۰۰۱", "on": "2026-11-28"}).json()
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
    assert "/warranty/check?serial=SN14050001" in view and "<svg" in view
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
    assert client.post(f"/warranty/units/{unit.pk}/card/").status_code == 403


def test_one_search_box_finds_a_unit_by_card_number_or_owner(client, reception_a, active_unit):
    card = active_unit.warranty_cards.get()
    client.force_login(reception_a)
    persian_card = card.number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    for query in (persian_card, "۰۹۱۲۱۲۳۴۵۶۷", "+98 912 123 4567", "SN 1405 0001"):
        body = client.get("/data/units/", {"q": query}).content.decode()
        assert f"/data/units/{active_unit.pk}/" in body, query
    assert f"/data/units/{active_unit.pk}/" not in client.get("/data/units/", {"q": "09120000000"}).content.decode()
