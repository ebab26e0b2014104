"""The workflow engine on the shipped repair workflow: roles, conditions, required fields, comments,
actions, stale versions and two people at once."""

import threading

import pytest
from django.core.exceptions import ValidationError

from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import estimate_set, operation_add, order_transition
from aftersales.workflow.chart import workflow_svg
from aftersales.workflow.engine import subject_log, transitions_available
from aftersales.workflow.models import Transition, Workflow
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(receive):
    return receive(serial="UNKNOWN-1")  # non-warranty


def step(order, code, user, **options):
    return order_transition(order=order, code=code, acting_user=user, **options)


def test_a_role_not_named_on_the_transition_is_refused(order, reception_a):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(order, "start_diagnosis", reception_a)
    assert refused.value.code == "role"


def test_a_transition_from_another_state_is_refused(order, technician_a):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(order, "quality_passed", technician_a)
    assert refused.value.code == "state"


def test_conditions_route_non_warranty_work_above_the_limit_to_the_customers_approval(order, technician_a):
    order = step(order, "start_diagnosis", technician_a)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(order, "ask_approval", technician_a)  # no estimate yet: the condition does not hold
    assert refused.value.code == "condition"
    estimate_set(order=order, amount=3_500_000, acting_user=technician_a)
    codes = {t.code for t in transitions_available(RepairOrder.objects.get(pk=order.pk), technician_a)}
    assert "ask_approval" in codes and "start_repair" not in codes


def test_required_fields_and_comments_are_asked_for_by_name(order, technician_a, manager_a, service_item):
    from aftersales.repairs.services import estimate_answer

    order = step(order, "start_diagnosis", technician_a)
    estimate_set(order=order, amount=1_000_000, acting_user=technician_a)
    order = step(order, "ask_approval", technician_a)
    estimate_answer(order=order, approve=True, channel="web")
    order = step(RepairOrder.objects.get(pk=order.pk), "approved_repair", technician_a)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(order, "to_quality_check", technician_a)
    assert refused.value.code == "fields"
    operation_add(order=order, acting_user=technician_a, service_item=service_item, minutes=40)
    order = step(order, "to_quality_check", technician_a)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(order, "quality_failed", manager_a)
    assert refused.value.code == "comment"
    order = step(order, "quality_failed", manager_a, comment="نشتی گاز هنوز هست")
    assert order.state.code == "repairing" and subject_log(order)[-1].comment == "نشتی گاز هنوز هست"


def test_a_stale_page_cannot_move_the_order(order, technician_a, manager_a):
    seen = order.version
    step(order, "start_diagnosis", technician_a, version=seen)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        step(order, "cancel_diagnosis", manager_a, version=seen, comment="x")
    assert refused.value.code == "stale" and "در حال عیب‌یابی" in refused.value.messages[0]


def test_the_due_time_follows_the_states_sla(order, technician_a):
    order = step(order, "start_diagnosis", technician_a)
    assert round((order.due_at - order.state_entered_at).total_seconds() / 3600) == 24


def test_every_move_is_kept_with_who_and_when(order, technician_a):
    step(order, "start_diagnosis", technician_a)
    log = subject_log(order)
    assert [entry.target.code for entry in log] == ["received", "diagnosing"] and log[-1].by == technician_a


def test_a_transition_with_an_unknown_condition_or_action_is_refused_in_the_admin(db):
    workflow = Workflow.objects.get(code="repair")
    transition = Transition(workflow=workflow, code="x", name="x", source=workflow.states.first(),
                            target=workflow.states.last(), condition="moon_is_full", actions=[{"type": "teleport"}])
    with nothing_written(), pytest.raises(ValidationError) as refused:
        transition.full_clean()
    assert {"condition", "actions"} <= set(refused.value.message_dict)


def test_a_due_action_sets_the_due_time_from_hours_or_from_a_date_of_the_record(order, technician_a):
    import datetime

    from django.utils import timezone

    start = Transition.objects.get(workflow__code="repair", code="start_diagnosis")
    start.actions = [*start.actions, {"type": "due", "hours": 2}]
    start.full_clean()
    start.save()
    before = timezone.now()
    diagnosing = step(order, "start_diagnosis", technician_a)
    stored = RepairOrder.objects.get(pk=order.pk).due_at
    assert before + datetime.timedelta(hours=2) <= stored <= timezone.now() + datetime.timedelta(hours=2)
    assert diagnosing.state.sla_hours != 2  # the action, not the state's SLA

    to_repair = Transition.objects.get(workflow__code="repair", code="start_repair")
    to_repair.actions = [{"type": "due", "field": "promised_on"}]
    to_repair.save()
    RepairOrder.objects.filter(pk=order.pk).update(promised_on=datetime.date(2026, 12, 1))
    step(RepairOrder.objects.get(pk=order.pk), "start_repair", technician_a)
    due = timezone.localtime(RepairOrder.objects.get(pk=order.pk).due_at)
    assert (due.date(), due.hour) == (datetime.date(2026, 12, 1), 23)


@pytest.mark.parametrize("action", [{"type": "due"}, {"type": "due", "hours": -3}, {"type": "due", "hours": "24"},
                                    {"type": "due", "hours": 4, "field": "promised_on"}])
def test_a_due_action_without_a_sensible_time_is_refused_in_the_admin(db, action):
    start = Transition.objects.get(workflow__code="repair", code="start_diagnosis")
    start.actions = [action]
    with nothing_written(), pytest.raises(ValidationError) as refused:
        start.full_clean()
    assert "actions" in refused.value.message_dict


def test_the_chart_is_drawn_from_the_definition_with_the_current_state_marked(order):
    svg = workflow_svg(order.state.workflow, current_state_id=order.state_id)
    assert svg.count("<rect") == 10 and 'data-state="received" data-current="true"' in svg
    assert "در انتظار تأیید مشتری" in svg and svg.count("marker-end=") == 15


def test_the_admin_edits_the_workflow_and_shows_its_chart(admin_client):
    workflow = Workflow.objects.get(code="repair")
    page = admin_client.get(f"/admin/workflow/workflow/{workflow.pk}/change/").content.decode()
    assert "<svg" in page and "پذیرش شده" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_same_step_at_once_exactly_one_wins(center_a, reception_a, technician_a):
    from aftersales.customers.models import Customer
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.repairs.services import reception_create
    from aftersales.workflow.models import State

    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again
    customer = Customer.objects.create(kind="person", last_name="x", mobile="09121234567")
    order = reception_create(center=center_a, customer=customer, acting_user=reception_a, description="x")
    results, barrier = [], threading.Barrier(4)

    def work():
        from django.db import connections

        try:
            barrier.wait()
            step(RepairOrder.objects.get(pk=order.pk), "start_diagnosis", technician_a)
            results.append("won")
        except ValidationError as error:
            results.append(error.code)
        except Exception as error:  # noqa: BLE001 - any other failure must show in the assertion
            results.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["state", "state", "state", "won"]
    assert len(subject_log(RepairOrder.objects.get(pk=order.pk))) == 2


def test_the_technician_who_starts_the_diagnosis_takes_the_order(order, technician_a):
    assert order.assignee is None
    order = step(order, "start_diagnosis", technician_a)
    order.refresh_from_db()
    assert order.assignee == technician_a and order.referrals.get().reason == "شروع عیب‌یابی"
