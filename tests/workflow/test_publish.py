"""Publishing a workflow: versions, records in flight, moves out of removed states, two administrators at
once, restore, and export/import between sites (issue 14)."""

import json

import pytest
from django.core.exceptions import ValidationError

from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import order_transition
from aftersales.workflow.definition import (definition_of, draft_get, workflow_export, workflow_import,
                                            workflow_publish, workflow_restore)
from aftersales.workflow.engine import initial_state, subject_log, transitions_available
from aftersales.workflow.models import State, Workflow, WorkflowDraft
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def workflow(db):
    return Workflow.objects.get(code="repair")


def with_hold(definition):
    """The repair workflow with an "on hold" state: the receptionist holds a new order, then releases it."""
    definition = json.loads(json.dumps(definition))
    definition["states"].append({"code": "on_hold", "name": "معلق", "sla_hours": 12, "x": 40, "y": 300})
    definition["transitions"] += [
        {"code": "hold", "name": "تعلیق", "source": "received", "target": "on_hold", "roles": ["receptionist"]},
        {"code": "release", "name": "ادامه", "source": "on_hold", "target": "received", "roles": ["receptionist"]},
        {"code": "cancel", "name": "لغو معلق", "source": "on_hold", "target": "cancelled", "roles": ["receptionist"],
         "requires_comment": True},
    ]
    return definition


def without_hold(definition):
    definition = json.loads(json.dumps(definition))
    definition["states"] = [s for s in definition["states"] if s["code"] != "on_hold"]
    definition["transitions"] = [t for t in definition["transitions"] if "on_hold" not in (t["source"], t["target"])]
    return definition


def publish(workflow, definition, user, **options):
    options.setdefault("reason", "افزودن حالت معلق")
    options.setdefault("base_version", Workflow.objects.get(pk=workflow.pk).version)
    return workflow_publish(workflow=workflow, definition=definition, acting_user=user, **options)


def test_publishing_writes_a_version_with_who_and_why_and_the_engine_follows_it(workflow, head_office, receive,
                                                                                 reception_a):
    draft = draft_get(workflow=workflow, user=head_office)
    version = publish(workflow, with_hold(draft.definition), head_office)
    workflow.refresh_from_db()
    assert (version.number, workflow.version, version.published_by, version.reason) == (
        2, 2, head_office, "افزودن حالت معلق")
    assert version.definition == definition_of(workflow) and version.definition["version"] == 2
    assert State.objects.get(workflow=workflow, code="on_hold").x == 40
    assert not WorkflowDraft.objects.filter(user=head_office).exists()
    audit = workflow.history.first()
    assert (audit.history_user, audit.history_change_reason) == (head_office, "افزودن حالت معلق")
    order = receive(serial="UNKNOWN-1")
    assert "hold" in {t.code for t in transitions_available(order, reception_a)}
    order = order_transition(order=order, code="hold", acting_user=reception_a)
    # One code ("cancel") leaves two states: the engine takes the one leaving the order's state.
    order = order_transition(order=order, code="cancel", acting_user=reception_a, comment="مشتری منصرف شد")
    assert order.state.code == "cancelled" and subject_log(order)[-1].transition.source.code == "on_hold"


def test_records_keep_their_state_when_a_version_is_published(workflow, head_office, receive, technician_a):
    order = order_transition(order=receive(serial="UNKNOWN-1"), code="start_diagnosis", acting_user=technician_a)
    definition = with_hold(definition_of(workflow))
    definition["states"][1]["name"] = "بررسی فنی"
    publish(workflow, definition, head_office)
    order.refresh_from_db()
    assert order.state.code == "diagnosing" and order.state.name == "بررسی فنی" and order.version == 2


def test_removing_a_state_that_holds_records_needs_a_move_and_nothing_changes_without_one(
        workflow, head_office, receive, reception_a):
    publish(workflow, with_hold(definition_of(workflow)), head_office)
    held = [order_transition(order=receive(serial=f"UNKNOWN-{n}"), code="hold", acting_user=reception_a)
            for n in (1, 2)]
    with nothing_written(*held), pytest.raises(ValidationError) as refused:
        publish(workflow, without_hold(definition_of(workflow)), head_office, reason="حذف حالت معلق")
    assert refused.value.code == "moves" and refused.value.params["states"] == {"on_hold": 2}
    assert "معلق" in refused.value.messages[0]
    with nothing_written(*held), pytest.raises(ValidationError) as refused:
        publish(workflow, without_hold(definition_of(workflow)), head_office, reason="حذف",
                moves={"on_hold": "no_such_state"})
    assert refused.value.code == "moves"


def test_records_of_a_removed_state_are_moved_and_their_history_says_so(workflow, head_office, receive,
                                                                         reception_a):
    publish(workflow, with_hold(definition_of(workflow)), head_office)
    order = order_transition(order=receive(serial="UNKNOWN-1"), code="hold", acting_user=reception_a)
    seen = order.version
    version = publish(workflow, without_hold(definition_of(workflow)), head_office, reason="حالت معلق لازم نیست",
                      moves={"on_hold": "received"})
    order = RepairOrder.objects.get(pk=order.pk)
    assert order.state.code == "received" and order.version == seen + 1
    last = subject_log(order)[-1]
    assert (last.source.code, last.target.code, last.by) == ("on_hold", "received", head_office)
    assert "3" in last.comment and "حالت معلق لازم نیست" in last.comment
    assert version.moves == {"on_hold": "received"}
    retired = State.objects.get(workflow=workflow, code="on_hold")
    assert not retired.is_active and not retired.outgoing.exists() and not retired.incoming.exists()
    assert not RepairOrder.objects.filter(state__is_active=False).exists()
    assert "on_hold" not in {s["code"] for s in definition_of(workflow)["states"]}
    assert initial_state("repair").code == "received"
    # A stale page of the moved order cannot act on it.
    with pytest.raises(ValidationError) as refused:
        order_transition(order=order, code="cancel", acting_user=reception_a, comment="x", version=seen)
    assert refused.value.code == "stale"


def test_a_state_brought_back_reuses_its_row(workflow, head_office):
    publish(workflow, with_hold(definition_of(workflow)), head_office)
    first = State.objects.get(workflow=workflow, code="on_hold").pk
    publish(workflow, without_hold(definition_of(workflow)), head_office, reason="حذف")
    publish(workflow, with_hold(definition_of(workflow)), head_office, reason="بازگشت")
    assert State.objects.get(workflow=workflow, code="on_hold").pk == first
    assert State.objects.get(pk=first).is_active


def test_the_second_administrator_publishing_an_older_version_is_told_who_published_what(
        workflow, head_office, manager_a):
    mine, theirs = draft_get(workflow=workflow, user=manager_a), draft_get(workflow=workflow, user=head_office)
    publish(workflow, with_hold(theirs.definition), head_office, base_version=theirs.base_version)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        publish(workflow, mine.definition, manager_a, base_version=mine.base_version, reason="تغییر من")
    assert refused.value.code == "stale"
    assert refused.value.params["version"] == 2 and refused.value.params["reason"] == "افزودن حالت معلق"
    assert "افزودن حالت معلق" in refused.value.messages[0]


def test_a_version_without_a_reason_or_with_errors_is_refused_and_nothing_is_saved(workflow, head_office):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        publish(workflow, with_hold(definition_of(workflow)), head_office, reason="  ")
    assert refused.value.code == "reason"
    broken = with_hold(definition_of(workflow))
    broken["states"][0]["is_initial"] = False
    with nothing_written(), pytest.raises(ValidationError) as refused:
        publish(workflow, broken, head_office)
    assert refused.value.code == "problems" and refused.value.params["problems"]


def test_restoring_publishes_an_old_version_again_as_a_new_one(workflow, head_office):
    original = definition_of(workflow)
    publish(workflow, with_hold(original), head_office)
    version = workflow_restore(workflow=workflow, number=1, acting_user=head_office, reason="بازگشت به نسخهٔ ۱",
                               base_version=2)
    assert version.number == 3 and version.reason == "بازگشت به نسخهٔ ۱"
    restored = definition_of(workflow)
    assert {**restored, "version": 1} == original
    with nothing_written(), pytest.raises(ValidationError) as refused:
        workflow_restore(workflow=workflow, number=9, acting_user=head_office, reason="x", base_version=3)
    assert refused.value.code == "version"


def test_export_and_import_into_a_fresh_workflow_round_trip(workflow, head_office):
    publish(workflow, with_hold(definition_of(workflow)), head_office)
    name, body = workflow_export(workflow)
    assert name == "workflow-repair-v2.json"
    data = json.loads(body)
    data["code"] = "repair_copy"
    version = workflow_import(data=json.dumps(data).encode(), acting_user=head_office, reason="از سایت آزمایشی")
    copy = Workflow.objects.get(code="repair_copy")
    assert version.workflow == copy and copy.version == 1 and copy.subject == workflow.subject
    exported, imported = definition_of(workflow), definition_of(copy)
    assert {**imported, "code": "repair", "version": 2} == exported


def test_importing_over_a_workflow_publishes_a_new_version_of_it(workflow, head_office):
    data = with_hold(definition_of(workflow))
    version = workflow_import(data=data, acting_user=head_office, reason="از سایت آزمایشی")
    assert version.workflow == workflow and version.number == 2
    with nothing_written(), pytest.raises(ValidationError) as refused:
        workflow_import(data=data, acting_user=head_office, reason="x", base_version=1)
    assert refused.value.code == "stale"


@pytest.mark.parametrize(("data", "code"), [
    (b"\x89PNG\r\n", "format"),
    (b"not json at all", "format"),
    ({"format": "frappe.workflow", "states": [], "transitions": []}, "format"),
    ({"states": [], "transitions": []}, "format"),
    ({"format": "aftersales.workflow", "format_version": 7, "code": "repair", "states": [], "transitions": []},
     "format_version"),
    ({"format": "aftersales.workflow", "format_version": 1, "code": "lead", "name": "سرنخ",
      "subject": "crm.opportunity", "states": [], "transitions": []}, "subject"),
    ({"format": "aftersales.workflow", "format_version": 1, "code": "empty", "name": "خالی",
      "subject": "repairs.repairorder", "states": [], "transitions": []}, "problems"),
])
def test_a_file_of_another_product_or_version_is_refused_with_a_clear_message(head_office, data, code):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        workflow_import(data=data, acting_user=head_office, reason="ورود")
    assert refused.value.code == code and refused.value.messages[0]
    assert set(Workflow.objects.values_list("code", flat=True)) == {"repair", "sales-pipeline", "project-pipeline"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_publishing_at_once_one_wins_the_other_is_told(head_office, manager_a):
    import threading

    from django.db import connections

    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.workflow.models import Transition, WorkflowVersion

    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again
    workflow = Workflow.objects.get(code="repair")
    definition = with_hold(definition_of(workflow))
    results, barrier = [], threading.Barrier(2)

    def work(user):
        try:
            barrier.wait()
            publish(workflow, definition, user, base_version=1)
            results.append("won")
        except ValidationError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(user,)) for user in (head_office, manager_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["stale", "won"]
    assert list(WorkflowVersion.objects.filter(workflow=workflow).values_list("number", flat=True)) == [2, 1]
