"""The shipped workflow guards its steps: "parts arrived" only when every requested part is issued or
cancelled, and the quality check is passed by someone other than the one who repaired the unit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aftersales.organization.roles import Role
from aftersales.repairs.parts import part_cancel, part_issue
from aftersales.repairs.services import operation_add, order_transition, part_request
from aftersales.workflow.engine import transitions_available
from tests.factories import UserFactory
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def step(order, code, user):
    return order_transition(order=order, code=code, acting_user=user)


@pytest.fixture
def waiting_for_parts(receive, warranted_unit, technician_a, compressor_part):
    """A warranty order waiting for one compressor the technician asked for."""
    order = step(receive(unit=warranted_unit), "start_diagnosis", technician_a)
    line = part_request(order=order, acting_user=technician_a, spare_part=compressor_part, quantity=1)
    return step(order, "need_parts", technician_a), line


@pytest.fixture
def in_quality_check(receive, warranted_unit, technician_a, service_item):
    """A warranty order that technician_a repaired and sent to the quality check."""
    order = step(step(receive(unit=warranted_unit), "start_diagnosis", technician_a), "start_repair", technician_a)
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=30)
    return step(order, "to_quality_check", technician_a)


def test_parts_cannot_be_marked_arrived_while_a_part_is_requested_and_not_issued(waiting_for_parts, technician_a):
    order, _line = waiting_for_parts
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(order, "parts_arrived", technician_a)
    assert refused.value.code == "condition"
    assert "همه قطعه‌های درخواستی" in refused.value.messages[0]
    order.refresh_from_db()
    assert order.state.code == "awaiting_parts"
    assert "parts_arrived" not in [t.code for t in transitions_available(order, technician_a)]


def test_parts_arrive_once_issued(waiting_for_parts, technician_a, keeper_a, stocked):
    order, line = waiting_for_parts
    part_issue(line=line, warehouse=stocked, quantity=1, acting_user=keeper_a)
    assert step(order, "parts_arrived", technician_a).state.code == "repairing"


def test_parts_arrive_once_the_missing_part_is_cancelled(waiting_for_parts, technician_a, manager_a):
    order, line = waiting_for_parts
    part_cancel(line=line, acting_user=manager_a)
    assert step(order, "parts_arrived", technician_a).state.code == "repairing"


def test_a_technician_cannot_pass_the_quality_check_of_his_own_repair(in_quality_check, technician_a):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(in_quality_check, "quality_passed", technician_a)
    assert refused.value.code == "condition"
    in_quality_check.refresh_from_db()
    assert in_quality_check.state.code == "quality_check"
    codes = [t.code for t in transitions_available(in_quality_check, technician_a)]
    assert "quality_passed" not in codes and "quality_failed" in codes


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.CENTER_MANAGER])
def test_another_technician_or_the_manager_passes_the_quality_check(in_quality_check, center_a, role):
    checker = UserFactory(username="checker", role=role, centers=[center_a])
    assert step(in_quality_check, "quality_passed", checker).state.code == "ready"


def test_whoever_sent_the_repair_to_the_check_cannot_pass_it(receive, warranted_unit, technician_a, manager_a,
                                                             service_item):
    order = step(step(receive(unit=warranted_unit), "start_diagnosis", technician_a), "start_repair", technician_a)
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=30)
    order = step(order, "to_quality_check", manager_a)
    for repairer in (technician_a, manager_a):
        with nothing_written(), pytest.raises(ValidationError):
            step(order, "quality_passed", repairer)


def test_the_order_page_offers_quality_passed_only_to_someone_else(client, in_quality_check, technician_a, manager_a):
    url, step_url = (reverse(name, args=[in_quality_check.pk]) for name in ("repairs:order", "repairs:order-step"))
    client.force_login(technician_a)
    assert 'data-step="quality_passed"' not in client.get(url).content.decode()
    answer = client.post(step_url, {"code": "quality_passed", "version": in_quality_check.version}, follow=True)
    assert "کسی غیر از تعمیرکار" in answer.content.decode()
    in_quality_check.refresh_from_db()
    assert in_quality_check.state.code == "quality_check"
    client.force_login(manager_a)
    assert 'data-step="quality_passed"' in client.get(url).content.decode()


def test_the_migration_guards_an_installed_workflow_and_keeps_an_administrators_condition():
    import importlib

    from django.apps import apps

    from aftersales.workflow.models import Transition

    guards = importlib.import_module("aftersales.repairs.migrations.0006_workflow_guards")
    shipped = Transition.objects.filter(workflow__code="repair")
    shipped.filter(code="parts_arrived").update(condition="")  # installed before the guards shipped
    shipped.filter(code="quality_passed").update(condition="warranty")  # an administrator's own
    guards.guard(apps, None)
    assert shipped.get(code="parts_arrived").condition == "parts_settled"
    assert shipped.get(code="quality_passed").condition == "warranty"
