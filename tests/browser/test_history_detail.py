"""A unit's service history in a browser: a repair order opens to what was done on it, and the periodic
visit given by a colleague stands in the same timeline (issue 20)."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.test_repairs import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_visit_opens_to_its_work_and_the_periodic_visit_is_in_the_timeline(
        live_server, browser, password, center_a, warranted_unit, service_item):
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.models import OrderFault
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.services import fault_add, operation_add, reception_create
    from aftersales.warranty.models import PolicyVersion
    from aftersales.warranty.services import periodic_schedule_create, periodic_service_record
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)
    sync_roles()
    desk = UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    bench = UserFactory(username="bench", role=Role.TECHNICIAN, centers=[center_a], first_name="رضا", last_name="نوری")
    order = reception_create(center=center_a, customer=warranted_unit.owner, acting_user=desk, unit=warranted_unit,
                             description="برفک می‌زند")
    fault_add(order=order, acting_user=desk, note="برفک", source=OrderFault.Source.REPORTED)
    fault_add(order=order, acting_user=bench, note="ترموستات خراب", source=OrderFault.Source.FOUND)
    operation_add(order=order, acting_user=bench, service_item=service_item, minutes=35, note="ترموستات عوض شد")
    version = PolicyVersion.objects.get(policy__code="fridge-18")
    PolicyVersion.objects.filter(pk=version.pk).update(free_periodic_services=1, periodic_interval_months=1)
    version.refresh_from_db()
    periodic_schedule_create(unit=warranted_unit, version=version,
                             start=timezone.localdate() - datetime.timedelta(days=30))
    periodic_service_record(unit=warranted_unit, acting_user=desk, performed_by=bench, work_done="شستشوی کندانسور",
                            minutes=20)
    ARTIFACTS.mkdir(exist_ok=True)

    page = login(browser, live_server, "desk", password)
    page.goto(f"{live_server.url}/data/units/{warranted_unit.pk}/")
    visit = page.locator("[data-testid=history-order]").first
    assert not visit.locator("[data-testid=history-operations]").is_visible()
    visit.locator("summary").click()
    assert visit.locator("[data-testid=history-operations]").is_visible()
    assert "رضا نوری" in visit.locator("[data-testid=history-operations]").inner_text()
    assert "ترموستات خراب" in visit.locator("[data-testid=history-faults]").inner_text()
    periodic = page.locator("[data-testid=history-periodic]").first
    assert "رضا نوری" in periodic.locator("summary").inner_text()
    periodic.locator("summary").click()
    assert "شستشوی کندانسور" in periodic.inner_text()
    page.locator("[data-testid=repair-history]").screenshot(path=str(ARTIFACTS / "unit-history.png"))
