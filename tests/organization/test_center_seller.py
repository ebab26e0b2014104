"""A center's identity as the seller on its invoices: economic number, national ID or the owner's
national code, registration number, edited on the desk and validated like every identifier."""

import pytest

pytestmark = pytest.mark.django_db

BASE = {"name": "مرکز خدمات تهران", "province": "تهران", "city": "تهران", "postal_code": "1345678901",
        "phone": "02188776655", "is_active": "on"}


def test_a_manager_records_the_centers_seller_identity(client, manager_a, center_a):
    client.force_login(manager_a)
    data = {**BASE, "legal_name": "شركت خدمات البرز", "economic_number": "۱۰۱۰۱۲۳۴۵۶۵",
            "legal_national_id": "10101234565", "registration_number": "45821"}
    response = client.post(f"/centers/{center_a.pk}/edit/", data)
    assert response.status_code == 302
    center_a.refresh_from_db()
    assert (center_a.legal_name, center_a.economic_number, center_a.legal_national_id,
            center_a.registration_number) == ("شرکت خدمات البرز", "10101234565", "10101234565", "45821")
    page = client.get(f"/centers/{center_a.pk}/").content.decode()
    assert "۱۰۱۰۱۲۳۴۵۶۵" in page and "شماره اقتصادی" in page


def test_a_wrong_economic_number_or_national_id_saves_nothing(client, manager_a, center_a):
    client.force_login(manager_a)
    response = client.post(f"/centers/{center_a.pk}/edit/", {**BASE, "economic_number": "12345",
                                                              "legal_national_id": "10101234560"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-economic_number"' in body and 'data-testid="error-legal_national_id"' in body
    center_a.refresh_from_db()
    assert center_a.economic_number == "" and center_a.legal_national_id == ""
