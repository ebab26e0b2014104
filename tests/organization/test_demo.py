import pytest
from django.core.management import call_command

from aftersales.organization.models import ServiceCenter, User
from aftersales.organization.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_network_with_every_role_once(capsys):
    call_command("seed_demo", "--size", "small")
    out = capsys.readouterr().out
    assert "admin" in out and "demo1234" in out
    centers = ServiceCenter.objects.count()
    users = User.objects.count()
    assert ServiceCenter.objects.values("province").distinct().count() >= 5
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert all(center.history.exists() for center in ServiceCenter.objects.all())
    assert ServiceCenter.objects.filter(manager__isnull=True).count() == 0

    call_command("seed_demo", "--size", "small")
    assert (ServiceCenter.objects.count(), User.objects.count()) == (centers, users)


def test_demo_people_pass_the_same_validation_as_typed_input():
    call_command("seed_demo", "--size", "small")
    for user in User.objects.order_by("?")[:30]:
        user.full_clean(exclude=["password"])
    for center in ServiceCenter.objects.all():
        center.full_clean()


def test_demo_logins_work_and_reception_sees_only_the_first_center(client):
    call_command("seed_demo", "--size", "small")
    assert client.login(username="reception", password="demo1234")
    body = client.get("/centers/").content.decode()
    first, second = ServiceCenter.objects.order_by("code")[:2]
    assert first.name in body and second.name not in body


def test_head_office_logins_belong_to_no_center_and_center_login_runs_the_first():
    call_command("seed_demo", "--size", "small")
    assert not User.objects.get(username="manager").centers.exists()
    first = ServiceCenter.objects.order_by("code").first()
    assert first.manager.username == "center"
    assert first.staff.filter(groups__name=Role.CENTER_MANAGER).count() == 1
