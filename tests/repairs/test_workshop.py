"""From reception to hand-back: the shipped workflow, estimates on the tracking page, referral, cartables."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aftersales.repairs.models import RepairOrder
from aftersales.repairs.selectors import cartable, history
from aftersales.repairs.services import (
    estimate_set,
    operation_add,
    order_hand_back,
    order_refer,
    order_transition,
    part_request,
)
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def step(order, code, user, **options):
    return order_transition(order=order, code=code, acting_user=user, **options)


def test_a_warranty_repair_goes_from_reception_to_hand_back_and_asks_for_a_survey(
        receive, warranted_unit, technician_a, manager_a, reception_a, service_item, sms_outbox,
        django_capture_on_commit_callbacks):
    from aftersales.feedback.models import Survey

    with django_capture_on_commit_callbacks(execute=True):
        order = receive(unit=warranted_unit)
        order_refer(order=order, acting_user=manager_a, reason="تخصص یخچال", to_user=technician_a)
        order = step(RepairOrder.objects.get(pk=order.pk), "start_diagnosis", technician_a)
        order = step(order, "start_repair", technician_a)  # warranty: no estimate needed
        operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=45)
        order = step(order, "to_quality_check", technician_a)
        order = step(order, "quality_passed", manager_a)
        order = order_hand_back(order=order, handed_back_to="سارا احمدی، کارت ملی ۰۰۱۲۳۴۵۶۷۸", acting_user=reception_a,
                                version=order.version)
    assert order.state.code == "delivered" and order.handed_back_at is not None
    events = [message.event for message in sms_outbox]
    assert "repair_ready" in events and "repair_handed_back" in events and "survey_invitation" in events
    survey = Survey.objects.get()
    assert survey.technician == technician_a and survey.center == order.center
    assert list(history(unit=warranted_unit)) == [order]
    with nothing_written(), pytest.raises(ValidationError):  # a second hand-back (double click) is refused
        order_hand_back(order=order, handed_back_to="x", acting_user=reception_a)


def test_the_customer_approves_the_estimate_on_the_tracking_page(client, receive, technician_a, sms_outbox,
                                                                django_capture_on_commit_callbacks):
    order = receive(serial="UNKNOWN-7")
    order = step(order, "start_diagnosis", technician_a)
    estimate_set(order=order, amount=4_200_000, acting_user=technician_a)
    with django_capture_on_commit_callbacks(execute=True):
        order = step(RepairOrder.objects.get(pk=order.pk), "ask_approval", technician_a)
    [estimate_sms] = [message for message in sms_outbox if message.event == "repair_estimate"]
    assert "۴٬۲۰۰٬۰۰۰" in estimate_sms.body
    url = reverse("track", args=[order.tracking_code.lower()])  # typed in lower case still works
    page = client.get(url).content.decode()
    assert 'data-testid="track-estimate"' in page and "منتظر تأیید شماست" in page
    assert order.customer.mobile not in page and str(order.customer) not in page  # nothing personal
    client.post(url, {"answer": "approve"})
    order.refresh_from_db()
    assert order.estimate_status == "approved"
    order = step(order, "approved_repair", technician_a)
    assert order.state.code == "repairing"


def test_a_refused_estimate_returns_the_unit_unrepaired(receive, technician_a, reception_a):
    from aftersales.repairs.services import estimate_answer

    order = step(receive(serial="U-9"), "start_diagnosis", technician_a)
    estimate_set(order=order, amount=9_000_000, acting_user=technician_a)
    order = step(RepairOrder.objects.get(pk=order.pk), "ask_approval", technician_a)
    estimate_answer(order=order, approve=False, channel="phone", acting_user=reception_a)
    order = step(RepairOrder.objects.get(pk=order.pk), "refused", technician_a)
    with nothing_written(), pytest.raises(ValidationError):
        order_hand_back(order=order, handed_back_to="x", acting_user=reception_a)  # "hand_back" needs it not refused
    order = order_hand_back(order=RepairOrder.objects.get(pk=order.pk), handed_back_to="سارا احمدی",
                            acting_user=reception_a, code="return_unrepaired")
    assert order.state.code == "returned_unrepaired"


def test_a_referral_to_another_center_moves_the_order_out_of_sight_of_the_first(client, receive, manager_a,
                                                                                center_b, reception_b):
    order = receive(serial="U-3")
    order_refer(order=order, acting_user=manager_a, reason="قطعه فقط در اصفهان", to_center=center_b)
    order.refresh_from_db()
    assert order.center == center_b and order.referrals.get().from_center != center_b
    client.force_login(manager_a)
    assert client.get(reverse("repairs:order", args=[order.pk])).status_code == 404
    client.force_login(reception_b)
    assert client.get(reverse("repairs:order", args=[order.pk])).status_code == 200


def test_referring_to_someone_outside_the_center_is_refused(receive, manager_a, technician_a, center_b):
    order = receive(serial="U-4")
    with nothing_written(), pytest.raises(ValidationError):
        order_refer(order=order, acting_user=manager_a, reason="x", to_user=technician_a, to_center=center_b)


def test_the_cartable_counts_per_state_and_flags_overdue_work(client, receive, manager_a, technician_a):
    import datetime

    from django.utils import timezone

    first, second = receive(serial="A"), receive(serial="B")
    for order in (first, second):
        order_refer(order=order, acting_user=manager_a, reason="نوبت", to_user=technician_a)
    RepairOrder.objects.filter(pk=first.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    mine = cartable(technician_a)
    assert mine["total"] == 2 and mine["overdue"] == 1
    assert [row["state__name"] for row in mine["counts"]] == ["پذیرش شده"]
    client.force_login(technician_a)
    page = client.get(reverse("repairs:cartable")).content.decode()
    assert page.count('data-overdue="true"') == 1
    assert cartable(manager_a, scope="center")["total"] == 2


def test_the_order_page_offers_only_the_steps_the_role_may_take(client, receive, technician_a, reception_a):
    order = receive(serial="Z")
    client.force_login(technician_a)
    assert 'data-step="start_diagnosis"' in client.get(reverse("repairs:order", args=[order.pk])).content.decode()
    client.force_login(reception_a)
    page = client.get(reverse("repairs:order", args=[order.pk])).content.decode()
    assert 'data-step="start_diagnosis"' not in page and 'data-step="cancel"' in page
    response = client.post(reverse("repairs:order-step", args=[order.pk]),
                           {"code": "start_diagnosis", "version": order.version}, follow=True)
    assert 'class="alert alert-danger' in response.content.decode() or "alert-error" in response.content.decode()
    order.refresh_from_db()
    assert order.state.code == "received"


def test_parts_requested_wait_for_the_warehouse(receive, technician_a, warranted_unit):
    from aftersales.catalog.models import SparePart

    part = SparePart.objects.create(code="CMP-1", name="کمپرسور")
    order = step(receive(unit=warranted_unit), "start_diagnosis", technician_a)
    with nothing_written(), pytest.raises(ValidationError):
        step(order, "need_parts", technician_a)
    part_request(order=order, acting_user=technician_a, spare_part=part, quantity=1)
    assert step(order, "need_parts", technician_a).state.code == "awaiting_parts"


def test_an_unknown_tracking_code_says_so_and_guessing_is_rate_limited(client, settings, db):
    settings.TRACKING_CHECKS_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(reverse("track", args=["ABCDEFGHJKMNP"])).status_code == 404
    assert client.get(reverse("track", args=["ABCDEFGHJKMNP"])).status_code == 429


def test_the_units_and_customers_pages_show_every_visit(client, receive, warranted_unit, owner, reception_a):
    first, second = receive(unit=warranted_unit), receive(unit=warranted_unit)
    client.force_login(reception_a)
    for slug, pk in (("units", warranted_unit.pk), ("customers", owner.pk)):
        page = client.get(reverse("desk:detail", args=[slug, pk])).content.decode()
        assert 'data-testid="repair-history"' in page
        assert reverse("repairs:order", args=[first.pk]) in page and reverse("repairs:order", args=[second.pk]) in page


def test_a_center_that_assigns_automatically_gives_the_order_to_the_least_loaded_technician(
        receive, center_a, fridge_model, technician_a, manager_a):
    from aftersales.organization.roles import Role
    from aftersales.personnel.models import StaffProfile
    from tests.factories import UserFactory

    busy = technician_a
    free = UserFactory(username="tech2", role=Role.TECHNICIAN, centers=[center_a])
    for person in (busy, free):
        StaffProfile.objects.create(user=person, center=center_a).product_groups.add(fridge_model.group)
    center_a.auto_assign = True
    center_a.save()
    order_refer(order=receive(serial="B1"), acting_user=manager_a, reason="x", to_user=busy)
    order = receive(product_model=fridge_model, serial="B2")
    assert order.assignee == free and order.referrals.get().reason


def test_the_technician_with_the_skill_for_the_reported_fault_is_suggested_before_a_less_loaded_one(
        client, receive, center_a, fridge_model, technician_a, manager_a):
    from aftersales.catalog.models import FaultCode
    from aftersales.organization.roles import Role
    from aftersales.personnel.models import Skill, StaffProfile, StaffSkill
    from tests.factories import UserFactory

    cooling = FaultCode.objects.create(code="F-COOL", title="سرمایش")
    no_cooling = FaultCode.objects.create(code="F-COOL-NONE", title="سرد نمی‌کند", parent=cooling)
    gas = Skill.objects.create(code="cooling", name="سردسازی")
    gas.fault_codes.add(cooling)  # covers the sub-fault reported below
    skilled, idle = technician_a, UserFactory(username="tech-idle", first_name="مهدی", last_name="رضایی",
                                                   role=Role.TECHNICIAN, centers=[center_a])
    for person in (skilled, idle):
        StaffProfile.objects.create(user=person, center=center_a).product_groups.add(fridge_model.group)
    StaffSkill.objects.create(profile=skilled.staff_profile, skill=gas, level=StaffSkill.Level.EXPERT)
    order_refer(order=receive(serial="S0"), acting_user=manager_a, reason="x", to_user=skilled)  # busier
    center_a.auto_assign = True
    center_a.save()
    order = receive(product_model=fridge_model, serial="S1", faults=[(no_cooling, "")])
    assert order.assignee == skilled and "سردسازی" in order.referrals.get().reason
    plain = receive(product_model=fridge_model, serial="S2")  # no fault needing a skill: the least loaded
    assert plain.assignee == idle

    client.force_login(manager_a)
    page = client.get(reverse("repairs:order", args=[order.pk])).content.decode()
    listed = page[page.index('data-testid="suggestions"'):]
    assert listed.index(str(skilled)) < listed.index(str(idle)) and "سردسازی" in listed


def test_performance_shows_handled_rework_and_hours_per_state(client, receive, technician_a, manager_a, service_item):
    order = receive(serial="P1")
    order_refer(order=order, acting_user=manager_a, reason="x", to_user=technician_a)
    step(RepairOrder.objects.get(pk=order.pk), "start_diagnosis", technician_a)
    from aftersales.repairs.selectors import technician_performance

    [row] = technician_performance(user=manager_a)
    assert row["handled"] == 1 and row["closed"] == 0 and "پذیرش شده" in row["hours_per_state"]
    client.force_login(manager_a)
    assert 'data-testid="performance"' in client.get(reverse("repairs:performance")).content.decode()


def test_the_hand_back_receipt_lists_the_work_and_who_took_the_unit(client, receive, warranted_unit, technician_a,
                                                                   manager_a, reception_a, service_item):
    order = step(receive(unit=warranted_unit), "start_diagnosis", technician_a)
    order = step(order, "start_repair", technician_a)
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=30)
    order = step(step(order, "to_quality_check", technician_a), "quality_passed", manager_a)
    order_hand_back(order=order, handed_back_to="سارا احمدی، کارت ملی", acting_user=reception_a)
    client.force_login(reception_a)
    page = client.get(reverse("repairs:order-handback-receipt", args=[order.pk])).content.decode()
    assert "شارژ گاز" in page and "سارا احمدی، کارت ملی" in page


def test_an_order_referred_to_a_team_waits_in_every_members_cartable_until_one_takes_it(
        receive, center_a, manager_a, technician_a):
    from aftersales.organization.roles import Role
    from aftersales.personnel.models import Team
    from tests.factories import UserFactory

    colleague = UserFactory(username="tech-b", role=Role.TECHNICIAN, centers=[center_a])
    outsider = UserFactory(username="tech-c", role=Role.TECHNICIAN, centers=[center_a])
    fridges = Team.objects.create(center=center_a, code="fridge", name="تیم یخچال")
    fridges.members.add(technician_a, colleague)
    order = receive(serial="T1")
    order_refer(order=order, acting_user=manager_a, reason="تخصص یخچال", to_team=fridges)
    assert cartable(technician_a)["total"] == 1 and cartable(colleague)["total"] == 1
    assert cartable(outsider)["total"] == 0
    order_refer(order=RepairOrder.objects.get(pk=order.pk), acting_user=manager_a, reason="نوبت", to_user=colleague)
    assert cartable(technician_a)["total"] == 0 and cartable(colleague)["total"] == 1
    assert RepairOrder.objects.get(pk=order.pk).team == fridges


def test_a_team_of_another_center_is_refused(receive, center_b, manager_a):
    from aftersales.personnel.models import Team

    other = Team.objects.create(center=center_b, code="wash", name="تیم لباسشویی")
    order = receive(serial="T2")
    with nothing_written(), pytest.raises(ValidationError):  # the team is at center B, the order is asked to stay at A
        order_refer(order=order, acting_user=manager_a, reason="x", to_team=other, to_center=order.center)


def test_referring_a_received_unit_to_another_center_records_its_move(receive, warranted_unit, manager_a, center_b):
    from aftersales.catalog.models import UnitEvent

    order = receive(unit=warranted_unit)
    order_refer(order=order, acting_user=manager_a, reason="تعمیر برد فقط در اصفهان", to_center=center_b)
    move = warranted_unit.events.get(kind=UnitEvent.Kind.TRANSFERRED)
    assert move.reference == order.number and move.details["to_center"] == center_b.code
    warranted_unit.refresh_from_db()
    assert warranted_unit.status == "in_repair"  # a move does not change what the unit is going through


def test_a_busy_centers_cartable_pages_by_fifty_with_the_same_queries_per_page(client, receive, manager_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager_a)
    url = reverse("repairs:cartable") + "?scope=center"
    receive(serial="C-0")
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(1, 51):
        receive(serial=f"C-{index}")
    with CaptureQueriesContext(connection) as many:
        first = client.get(url).content.decode()
    assert len(many) == len(few)  # no query per row
    def rows(page):
        table = page[page.index('data-testid="order-table"'):]
        return table[:table.index("</table>")].count('href="/repairs/orders/')

    assert rows(first) == 50 and "page=2" in first
    assert rows(client.get(url + "&page=2").content.decode()) == 1


def test_performance_filters_by_center_and_says_time_as_people_do(client, receive, technician_a, manager_a, center_a,
                                                                  center_b, head_office):
    import datetime

    from django.urls import reverse

    from aftersales.core.templatetags.persian import duration
    from aftersales.repairs.selectors import technician_performance

    order = receive()
    order.assignee = technician_a
    order.save()
    assert [row["assignee"] for row in technician_performance(user=head_office, center=center_a)] == [technician_a.pk]
    assert technician_performance(user=head_office, center=center_b) == []
    client.force_login(head_office)
    table = client.get(reverse("repairs:performance"), {"center": center_b.pk}).content.decode().split(
        'data-testid="performance"')[1]
    assert technician_a.get_full_name() not in table
    table = client.get(reverse("repairs:performance"), {"center": center_a.pk}).content.decode().split(
        'data-testid="performance"')[1]
    assert technician_a.get_full_name() in table
    assert duration(0) == "کمتر از یک دقیقه" and duration(135) == "۲ ساعت ۱۵ دقیقه"
    assert duration(int(datetime.timedelta(days=3, hours=4).total_seconds() // 60)) == "۳ روز ۴ ساعت"
