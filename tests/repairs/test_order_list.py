"""The repair orders list filters like every other list and exports what it shows to Excel."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_kind_and_warranty_and_exports_only_the_users_centers(
        client, receive, reception_a, reception_b, center_b, warranted_unit):
    from aftersales.repairs.services import reception_create

    warranty_order = receive(serial=warranted_unit.serial)
    home_order = receive(kind="home", address="تهران، خیابان آزادی")
    theirs = reception_create(center=center_b, acting_user=reception_b, description="صدا می‌دهد",
                              customer_mobile="09121112233")
    client.force_login(reception_a)
    page = client.get(reverse("repairs:order-list"), {"kind": "home"})
    numbers = [row.number for row in page.context["orders"]]
    assert numbers == [home_order.number]
    page = client.get(reverse("repairs:order-list"), {"warranty": "yes"})
    assert [row.number for row in page.context["orders"]] == [warranty_order.number]
    export = client.get(reverse("repairs:order-export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(row[0] for row in rows) == sorted([warranty_order.number, home_order.number])
    assert {row[1] for row in rows} == {warranty_order.center.name} != {theirs.center.name}
    assert sheet.sheet_view.rightToLeft
    filtered = load_workbook(io.BytesIO(client.get(reverse("repairs:order-export"), {"kind": "home"}).content)).active
    assert [row[0] for row in filtered.iter_rows(min_row=2, values_only=True)] == [home_order.number]
