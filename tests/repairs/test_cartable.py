"""Cartables show the work: a center's unassigned orders wait in its technicians' pool until one takes
them, and each role opens the tab that holds its work."""

import pytest
from django.urls import reverse

from aftersales.organization.roles import Role
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import order_refer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tab(client, user, **params):
    client.force_login(user)
    answer = client.get(reverse("repairs:cartable"), params)
    assert answer.status_code == 200
    return answer.context["scope"], answer.content.decode()


def test_a_technician_with_nothing_assigned_opens_the_pool_with_the_new_order(client, receive, technician_a):
    order = receive(serial="POOL-1")
    scope, page = _tab(client, technician_a)
    assert scope == "pool"
    assert reverse("repairs:order", args=[order.pk]) in page
    assert reverse("repairs:order-take", args=[order.pk]) in page


def test_a_technician_with_work_opens_his_own_orders_then_the_pool(client, receive, technician_a, manager_a):
    mine, waiting = receive(serial="MINE-1"), receive(serial="POOL-2")
    order_refer(order=mine, acting_user=manager_a, reason="نوبت", to_user=technician_a)
    scope, page = _tab(client, technician_a)
    assert scope == "mine"
    assert reverse("repairs:order", args=[mine.pk]) in page and reverse("repairs:order", args=[waiting.pk]) not in page
    tabs = page[page.index('data-testid="cartable-tabs"'):]
    assert tabs.index('data-scope="mine"') < tabs.index('data-scope="pool"')
    _scope, pool = _tab(client, technician_a, scope="pool")
    assert reverse("repairs:order", args=[waiting.pk]) in pool and reverse("repairs:order", args=[mine.pk]) not in pool


@pytest.mark.parametrize("user", ["reception_a", "manager_a"])
def test_receptionists_and_managers_open_the_centers_orders(client, receive, user, request):
    order = receive(serial="CENTER-1")
    scope, page = _tab(client, request.getfixturevalue(user))
    assert scope == "center" and reverse("repairs:order", args=[order.pk]) in page


def test_a_receptionist_has_no_pool_to_take_from(client, receive, reception_a):
    order = receive(serial="CENTER-2")
    scope, page = _tab(client, reception_a, scope="pool")
    assert scope == "center" and reverse("repairs:order-take", args=[order.pk]) not in page
    client.post(reverse("repairs:order-take", args=[order.pk]))
    assert RepairOrder.objects.get(pk=order.pk).assignee is None


def test_another_centers_pool_and_another_teams_orders_stay_out(client, receive, technician_a, center_a, manager_a):
    from aftersales.personnel.models import Team

    other_team = Team.objects.create(center=center_a, code="wash", name="تیم لباسشویی")
    theirs = receive(serial="TEAM-1")
    order_refer(order=theirs, acting_user=manager_a, reason="تخصص", to_team=other_team)
    _scope, pool = _tab(client, technician_a, scope="pool")
    assert reverse("repairs:order", args=[theirs.pk]) not in pool
    client.post(reverse("repairs:order-take", args=[theirs.pk]))
    assert RepairOrder.objects.get(pk=theirs.pk).assignee is None


def test_a_technician_takes_an_order_from_the_pool_and_it_is_kept_in_its_history(client, receive, technician_a):
    order = receive(serial="TAKE-1")
    client.force_login(technician_a)
    answer = client.post(reverse("repairs:order-take", args=[order.pk]))
    assert answer.status_code == 302 and answer.url == reverse("repairs:order", args=[order.pk])
    order.refresh_from_db()
    assert order.assignee == technician_a
    referral = order.referrals.get()
    assert referral.to_user == technician_a and referral.by == technician_a and referral.reason
    assert order.history.first().history_user == technician_a
    _scope, mine = _tab(client, technician_a)
    assert _scope == "mine" and reverse("repairs:order", args=[order.pk]) in mine


def test_an_order_someone_took_first_is_refused(client, receive, technician_a, center_a):
    order = receive(serial="TAKE-2")
    first = UserFactory(username="quick", role=Role.TECHNICIAN, centers=[center_a])
    client.force_login(first)
    client.post(reverse("repairs:order-take", args=[order.pk]))
    client.force_login(technician_a)
    answer = client.post(reverse("repairs:order-take", args=[order.pk]), follow=True)
    assert "همین حالا این برگه تعمیر را برداشت" in answer.content.decode()
    order.refresh_from_db()
    assert order.assignee == first and order.referrals.count() == 1
