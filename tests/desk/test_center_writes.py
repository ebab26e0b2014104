"""Every write checks that the center it names (or moves to) is one of the caller's: pages, API and
admin alike; the drop-downs offer only the caller's centers, colleagues and warehouses."""

import pytest
from django.urls import reverse

from aftersales.feedback.models import Complaint
from aftersales.imports.models import ImportJob
from aftersales.personnel.models import Team
from aftersales.stock.models import Warehouse

pytestmark = pytest.mark.django_db


def test_a_center_manager_cannot_create_or_move_a_warehouse_into_another_center(api_client, manager_a, center_a,
                                                                                center_b):
    api_client.force_authenticate(manager_a)
    answer = api_client.post("/api/warehouses/", {"center": center_b.pk, "code": "x", "name": "انبار دیگر"},
                             format="json")
    assert answer.status_code in (400, 403) and not Warehouse.objects.filter(center=center_b).exists()
    mine = Warehouse.objects.create(center=center_a, code="main", name="انبار تهران")
    answer = api_client.patch(f"/api/warehouses/{mine.pk}/", {"center": center_b.pk}, format="json")
    assert answer.status_code in (400, 403)
    mine.refresh_from_db()
    assert mine.center == center_a


def test_a_center_manager_cannot_create_a_team_of_another_center_on_the_desk(client, manager_a, center_a, center_b):
    client.force_login(manager_a)
    client.post(reverse("desk:create", args=["teams"]), {"center": center_b.pk, "code": "t1", "name": "تیم",
                                                          "is_active": "on"})
    assert not Team.objects.filter(center=center_b).exists()
    page = client.get(reverse("desk:create", args=["teams"])).content.decode()
    assert center_a.name in page and center_b.name not in page


def test_a_receptionist_cannot_file_a_complaint_for_another_center(client, reception_a, center_b):
    client.force_login(reception_a)
    client.post(reverse("desk:create", args=["complaints"]), {"kind": "complaint", "category": "other",
                                                               "name": "مینا", "mobile": "09121112233",
                                                               "center": center_b.pk, "text": "شکایت"})
    assert not Complaint.objects.filter(center=center_b).exists()


def test_desk_forms_offer_only_the_users_colleagues(client, manager_a, reception_a, reception_b, center_a):
    client.force_login(manager_a)
    page = client.get(reverse("desk:create", args=["warehouses"])).content.decode()
    assert f'value="{reception_a.pk}"' in page and f'value="{reception_b.pk}"' not in page


def test_another_centers_import_job_does_not_open(client, manager_a, manager_b):
    job = ImportJob.objects.create(kind="customers", original_name="مشتریان.xlsx", created_by=manager_b)
    client.force_login(manager_a)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    client.force_login(manager_b)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200
