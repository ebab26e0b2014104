"""The workflow definition: read from the published rows, drafted per administrator, and checked before
publishing, each problem in Persian naming the state or step it concerns (issue 14)."""

import pytest

from aftersales.repairs.models import RepairOrder
from aftersales.workflow.definition import (definition_of, definition_problems, draft_discard, draft_get, draft_save,
                                            records_in_states, role_choices, subject_fields)
from aftersales.workflow.engine import action_params, param_choices, subject_models, transition_explain
from aftersales.workflow.models import Workflow, WorkflowDraft

pytestmark = pytest.mark.django_db


@pytest.fixture
def workflow(db):
    return Workflow.objects.get(code="repair")


@pytest.fixture
def definition(workflow):
    return definition_of(workflow)


def errors(definition, **options):
    return [p for p in definition_problems(definition, **options) if p.level == "error"]


def state(definition, code):
    return next(item for item in definition["states"] if item["code"] == code)


def step(definition, source, code):
    return next(item for item in definition["transitions"] if item["source"] == source and item["code"] == code)


def test_the_shipped_workflow_moves_repair_orders_and_starts_as_version_one(workflow, definition):
    assert workflow.version == 1 and workflow.versions.get(number=1).definition == definition
    assert definition["format"] == "aftersales.workflow" and definition["subject"] == "repairs.repairorder"
    assert [s["code"] for s in definition["states"]][:2] == ["received", "diagnosing"]
    assert step(definition, "received", "cancel")["roles"] == ["receptionist", "center_manager"]
    assert RepairOrder in subject_models()


def test_the_shipped_workflow_has_no_errors(definition, reception_a, technician_a, manager_a):
    assert errors(definition) == []


def test_a_definition_without_an_initial_state_is_refused(definition):
    state(definition, "received")["is_initial"] = False
    assert any("آغازین" in p.message or "initial" in p.message for p in errors(definition))


def test_two_initial_states_are_refused_naming_the_second(definition):
    state(definition, "diagnosing")["is_initial"] = True
    problems = errors(definition)
    assert [p.state for p in problems] == ["diagnosing"]


def test_a_state_no_step_reaches_is_marked(definition):
    definition["states"].append({"code": "limbo", "name": "برزخ", "is_final": True})
    problems = errors(definition)
    assert [(p.state, p.level) for p in problems] == [("limbo", "error")] and "برزخ" in problems[0].message


def test_a_state_with_no_way_out_that_is_not_final_is_marked(definition):
    definition["transitions"] = [t for t in definition["transitions"] if t["source"] != "quality_check"]
    definition["transitions"].append({"code": "qc", "name": "کنترل", "source": "repairing", "target": "quality_check"})
    assert [p.state for p in errors(definition)] == ["quality_check"]


def test_two_steps_with_one_code_from_one_state_are_refused_but_one_code_from_two_states_is_fine(definition):
    assert {(t["source"], t["code"]) for t in definition["transitions"] if t["code"].startswith("cancel")}
    step(definition, "diagnosing", "cancel_diagnosis")["code"] = "cancel"  # "cancel" from two states
    assert errors(definition) == []
    definition["transitions"].append({**step(definition, "received", "cancel"), "name": "لغو دوم"})
    assert [p.transition for p in errors(definition)] == [("received", "cancel")]


def test_a_step_to_a_state_that_does_not_exist_is_refused(definition):
    step(definition, "received", "cancel")["target"] = "nowhere"
    assert ("received", "cancel") in [p.transition for p in errors(definition)]


def test_an_unknown_condition_role_or_action_is_refused(definition):
    cancel = step(definition, "received", "cancel")
    cancel.update(condition="moon_is_full", roles=["wizard"], actions=[{"type": "teleport"}])
    messages = [p.message for p in errors(definition)]
    assert len(messages) == 3 and any("moon_is_full" in m for m in messages) and any("wizard" in m for m in messages)
    assert all(p.transition == ("received", "cancel") for p in errors(definition))


@pytest.mark.parametrize("action", [{"type": "due", "hours": -2}, {"type": "due", "hours": "بیست"},
                                    {"type": "due", "field": "customer"}, {"type": "announce"},
                                    {"type": "announce", "event": "no_such_event"}, {"type": "assign", "to": "boss"}])
def test_an_action_with_wrong_parameters_is_refused(definition, action):
    step(definition, "received", "cancel")["actions"] = [action]
    assert [p.transition for p in errors(definition)] == [("received", "cancel")]


def test_action_parameters_typed_in_a_form_are_understood(definition):
    step(definition, "received", "cancel")["actions"] = [{"type": "due", "hours": "۲۴", "field": ""},
                                                          {"type": "due", "field": "promised_on"}]
    assert errors(definition) == []


def test_a_required_field_that_the_record_does_not_have_is_refused(definition):
    step(definition, "received", "cancel")["required_fields"] = ["estimate_amount", "shoe_size"]
    problems = errors(definition)
    assert len(problems) == 1 and "shoe_size" in problems[0].message


def test_empty_names_and_a_bad_due_time_are_refused(definition):
    state(definition, "ready")["name"] = " "
    state(definition, "repairing")["sla_hours"] = -4
    step(definition, "received", "cancel")["name"] = ""
    problems = errors(definition)
    assert {p.state for p in problems} >= {"ready", "repairing"}
    assert ("received", "cancel") in [p.transition for p in problems]


def test_a_role_no_active_user_holds_is_a_warning_not_an_error(definition, technician_a, manager_a):
    problems = definition_problems(definition)
    warned = [p for p in problems if p.level == "warning"]
    assert not [p for p in problems if p.level == "error"]
    assert warned and all(p.transition for p in warned)
    assert any("انباردار" in p.message for p in warned)  # nobody is a warehouse keeper here


def test_a_final_state_with_a_way_out_is_a_warning(definition):
    definition["transitions"].append({"code": "reopen", "name": "بازگشایی", "source": "delivered",
                                      "target": "received"})
    assert [(p.level, p.state) for p in definition_problems(definition) if p.state == "delivered"] == [
        ("warning", "delivered")]


def test_something_that_is_not_a_definition_is_one_problem_not_a_crash():
    assert [p.level for p in definition_problems({"states": "x"})] == ["error"]
    assert [p.level for p in definition_problems({"states": [1], "transitions": []})] == ["error"]


def test_a_draft_starts_from_the_published_definition_and_is_per_administrator(workflow, definition, manager_a,
                                                                                 head_office):
    draft = draft_get(workflow=workflow, user=manager_a)
    assert draft.definition == definition and draft.base_version == 1
    edited = {**definition, "states": [*definition["states"], {"code": "x", "name": "تازه", "x": "12.4"}]}
    draft_save(draft=draft, definition=edited)
    assert draft_get(workflow=workflow, user=manager_a).definition["states"][-1]["x"] == 12
    assert draft_get(workflow=workflow, user=head_office).definition == definition  # the other one's draft
    draft_discard(workflow=workflow, user=manager_a)
    assert not WorkflowDraft.objects.filter(user=manager_a).exists()
    assert definition_of(workflow) == definition  # a draft publishes nothing


def test_pickers_offer_persian_labels(workflow):
    fields = dict(subject_fields(workflow))
    assert fields["estimate_amount"] and "part_lines" in fields and "state" not in fields
    assert ("receptionist", "پذیرش‌گر") in role_choices() or dict(role_choices())["receptionist"]
    dates = dict(subject_fields(workflow, dates_only=True))
    assert "promised_on" in dates and "estimate_amount" not in dates
    (event,) = action_params("announce")
    assert "repair_ready" in dict(param_choices(event, workflow))
    assert {value for value, _label in param_choices(action_params("assign")[0])} == {
        "acting_user", "received_by", "nobody"}
    assert dict(param_choices(action_params("due")[1], workflow)) == dates


def test_records_in_states_counts_the_subjects_records(workflow, receive, technician_a):
    receive(serial="UNKNOWN-1")
    receive(serial="UNKNOWN-2")
    assert records_in_states(workflow) == {"received": 2}


def test_the_walk_through_explains_why_a_step_is_closed(receive, technician_a):
    order = receive(serial="UNKNOWN-1")
    checks = {check.transition.code: check for check in transition_explain(order, roles={"receptionist"})}
    assert checks["cancel"].open and any("توضیح" in r or "comment" in r for r in checks["cancel"].reasons)
    assert not checks["start_diagnosis"].open and len(checks["start_diagnosis"].reasons) == 1
    as_technician = {c.transition.code: c for c in transition_explain(order, user=technician_a)}
    assert as_technician["start_diagnosis"].open and not as_technician["cancel"].open


def test_the_walk_through_names_a_condition_and_missing_fields(receive, technician_a):
    from aftersales.repairs.services import order_transition

    order = order_transition(order=receive(serial="UNKNOWN-1"), code="start_diagnosis", acting_user=technician_a)
    checks = {check.transition.code: check for check in transition_explain(order, roles={"technician"})}
    ask = checks["ask_approval"]
    assert not ask.open and len(ask.reasons) == 2  # the condition, and the estimate amount to fill
    assert checks["start_repair"].open
