"""The pages around the workflow designer (issue 14): publish with its refusals (someone published first,
problems, records left in a removed state, no reason), versions and restore, the walk-through, and the
workflow file's export and import."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.organization.roles import Role
from aftersales.repairs.models import RepairOrder
from aftersales.repairs.services import order_transition
from aftersales.workflow.definition import definition_of, draft_get, draft_save, workflow_publish
from aftersales.workflow.models import State, TransitionLog, Workflow, WorkflowDraft, WorkflowVersion
from tests.factories import UserFactory
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db

WAITING = {"code": "waiting_collection", "name": "در انتظار مراجعه مشتری", "public_name": "", "is_initial": False,
           "is_final": False, "sla_hours": None, "x": None, "y": None}


@pytest.fixture
def repair():
    return Workflow.objects.get(code="repair")


@pytest.fixture
def admin_two(db):
    return UserFactory(username="head_office_2", first_name="مینا", last_name="کریمی", role=Role.HEAD_OFFICE_MANAGER,
                       is_staff=True)


def with_waiting_state(definition: dict) -> dict:
    """The definition plus «waiting for the customer to collect»: reached from ready, left by hand-back."""
    changed = copy.deepcopy(definition)
    changed["states"].append(dict(WAITING))
    changed["transitions"] += [
        {"code": "wait_collection", "name": "اطلاع به مشتری برای مراجعه", "source": "ready", "target": WAITING["code"],
         "roles": ["receptionist"], "condition": "", "required_fields": [], "requires_comment": False,
         "actions": [{"type": "announce", "event": "repair_ready"}]},
        {"code": "collected", "name": "مشتری مراجعه کرد", "source": WAITING["code"], "target": "ready",
         "roles": ["receptionist"], "condition": "", "required_fields": [], "requires_comment": False, "actions": []},
    ]
    return changed


def without_cancelled(definition: dict) -> dict:
    """The definition without the «cancelled» state and the steps into it."""
    changed = copy.deepcopy(definition)
    changed["states"] = [s for s in changed["states"] if s["code"] != "cancelled"]
    changed["transitions"] = [t for t in changed["transitions"] if t["target"] != "cancelled"]
    return changed


def edit_draft(workflow, user, change) -> WorkflowDraft:
    draft = draft_get(workflow=workflow, user=user)
    return draft_save(draft=draft, definition=change(draft.definition))


def publish_url(workflow):
    return reverse("workflow:publish", args=[workflow.code])


# Permission ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, args", [
    ("workflow:publish", ["repair"]), ("workflow:versions", ["repair"]), ("workflow:version", ["repair", 1]),
    ("workflow:walk", ["repair"]), ("workflow:export", ["repair"]), ("workflow:import", []),
])
def test_every_page_is_refused_to_a_role_without_the_workflow_permission(login, reception_a, repair, name, args):
    assert login(reception_a).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name, args", [
    ("workflow:publish", ["repair"]), ("workflow:versions", ["repair"]), ("workflow:version", ["repair", 1]),
    ("workflow:walk", ["repair"]), ("workflow:import", []),
])
def test_every_page_opens_for_head_office(login, head_office, repair, name, args):
    response = login(head_office).get(reverse(name, args=args))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


# Publish ---------------------------------------------------------------------------------------------------------

def test_publish_page_tells_what_the_draft_changes_and_publishes_it_with_the_reason(login, head_office, repair):
    edit_draft(repair, head_office, with_waiting_state)
    client = login(head_office)
    page = client.get(publish_url(repair)).content.decode()
    assert 'data-testid="publish-changes"' in page
    assert "«در انتظار مراجعه مشتری»" in page and "«اطلاع به مشتری برای مراجعه»" in page
    assert 'data-testid="problem-error"' not in page

    response = client.post(publish_url(repair), {"action": "publish", "reason": "مشتری‌ها دیر مراجعه می‌کنند"})
    repair.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("workflow:version", args=["repair", repair.version])
    assert repair.version == 2
    assert State.objects.get(workflow=repair, code=WAITING["code"]).is_active
    version = WorkflowVersion.objects.get(workflow=repair, number=2)
    assert version.reason == "مشتری‌ها دیر مراجعه می‌کنند" and version.published_by == head_office
    assert not WorkflowDraft.objects.filter(workflow=repair, user=head_office).exists()
    detail = client.get(response.url).content.decode()
    assert "مشتری‌ها دیر مراجعه می‌کنند" in detail and 'data-state="waiting_collection"' in detail


def test_publishing_without_a_reason_is_refused_and_writes_nothing(login, head_office, repair):
    draft = edit_draft(repair, head_office, with_waiting_state)
    client = login(head_office)
    with nothing_written(repair, draft):
        response = client.post(publish_url(repair), {"action": "publish", "reason": "  "})
    assert response.status_code == 400
    assert 'data-testid="error-reason"' in response.content.decode()


def test_a_draft_with_errors_shows_them_and_is_not_published(login, head_office, repair):
    def unreachable(definition):
        changed = copy.deepcopy(definition)
        changed["states"].append(dict(WAITING))  # nothing leads to it, nothing leaves it
        return changed

    draft = edit_draft(repair, head_office, unreachable)
    client = login(head_office)
    page = client.get(publish_url(repair)).content.decode()
    assert 'data-testid="problem-error"' in page
    assert 'data-testid="publish-submit" disabled' in page
    with nothing_written(repair, draft):
        response = client.post(publish_url(repair), {"action": "publish", "reason": "آزمایش"})
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()


def test_records_in_a_removed_state_must_be_given_a_new_state_and_their_move_is_logged(
        login, head_office, repair, receive, reception_a):
    order = order_transition(order=receive(serial="UNKNOWN-1"), code="cancel", acting_user=reception_a,
                             comment="مشتری منصرف شد")
    draft = edit_draft(repair, head_office, without_cancelled)
    client = login(head_office)
    page = client.get(publish_url(repair)).content.decode()
    assert 'name="move_cancelled"' in page
    assert "«لغو شده»" in page

    with nothing_written(repair, draft, order):
        refused = client.post(publish_url(repair), {"action": "publish", "reason": "حذف وضعیت لغو"})
    assert refused.status_code == 400
    assert 'data-testid="error-move_cancelled"' in refused.content.decode()

    response = client.post(publish_url(repair), {"action": "publish", "reason": "حذف وضعیت لغو",
                                                 "move_cancelled": "returned_unrepaired"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state.code == "returned_unrepaired"
    log = TransitionLog.objects.filter(object_id=order.pk, target__code="returned_unrepaired").get()
    assert log.source.code == "cancelled" and log.by == head_office
    assert not State.objects.get(workflow=repair, code="cancelled").is_active
    versions = client.get(reverse("workflow:versions", args=["repair"])).content.decode()
    assert "از «لغو شده» به «عودت‌شده بدون تعمیر»" in versions


def test_someone_publishing_first_is_told_with_who_why_and_what_they_changed(login, head_office, admin_two, repair):
    mine = edit_draft(repair, head_office, without_cancelled)
    theirs = edit_draft(repair, admin_two, with_waiting_state)
    workflow_publish(workflow=repair, definition=theirs.definition, acting_user=admin_two,
                     reason="پیامک مراجعه", base_version=theirs.base_version)
    client = login(head_office)
    repair.refresh_from_db()
    with nothing_written(repair, mine):
        response = client.post(publish_url(repair), {"action": "publish", "reason": "حذف لغو"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="publish-stale"' in page
    assert "مینا کریمی" in page and "پیامک مراجعه" in page
    assert "«در انتظار مراجعه مشتری»" in page  # what they changed

    # Keep my draft: it now builds on their version and would remove only what I removed.
    assert client.post(publish_url(repair), {"action": "rebase"}).status_code == 302
    mine.refresh_from_db()
    assert mine.base_version == repair.version
    page = client.get(publish_url(repair)).content.decode()
    assert 'data-testid="publish-stale"' not in page and 'data-testid="publish-form"' in page


def test_discarding_a_stale_draft_goes_back_to_the_latest_version(login, head_office, admin_two, repair):
    edit_draft(repair, head_office, without_cancelled)
    theirs = edit_draft(repair, admin_two, with_waiting_state)
    workflow_publish(workflow=repair, definition=theirs.definition, acting_user=admin_two,
                     reason="پیامک مراجعه", base_version=theirs.base_version)
    response = login(head_office).post(publish_url(repair), {"action": "discard"})
    assert response.status_code == 302 and response.url == reverse("workflow:designer", args=["repair"])
    assert not WorkflowDraft.objects.filter(workflow=repair, user=head_office).exists()


# Versions and restore --------------------------------------------------------------------------------------------

def test_versions_list_who_when_why_and_a_version_can_be_restored(login, head_office, repair):
    draft = edit_draft(repair, head_office, with_waiting_state)
    workflow_publish(workflow=repair, definition=draft.definition, acting_user=head_office,
                     reason="افزودن انتظار مراجعه", base_version=draft.base_version)
    client = login(head_office)
    page = client.get(reverse("workflow:versions", args=["repair"])).content.decode()
    assert 'data-version="2"' in page and 'data-version="1"' in page and "افزودن انتظار مراجعه" in page

    old = client.get(reverse("workflow:version", args=["repair", 1])).content.decode()
    assert "<svg" in old and 'data-testid="restore-form"' in old
    assert "«در انتظار مراجعه مشتری»" in old  # restoring would remove it

    with nothing_written(repair):
        refused = client.post(reverse("workflow:version", args=["repair", 1]), {"reason": "", "base_version": 2})
    assert refused.status_code == 400

    response = client.post(reverse("workflow:version", args=["repair", 1]),
                           {"reason": "بازگشت به نسخه اول", "base_version": 2})
    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.version == 3
    assert not State.objects.get(workflow=repair, code=WAITING["code"]).is_active
    assert WorkflowVersion.objects.get(workflow=repair, number=3).reason == "بازگشت به نسخه اول"


def test_restoring_after_someone_else_published_is_refused(login, head_office, admin_two, repair):
    client = login(head_office)
    draft = edit_draft(repair, admin_two, with_waiting_state)
    workflow_publish(workflow=repair, definition=draft.definition, acting_user=admin_two,
                     reason="پیامک مراجعه", base_version=draft.base_version)
    third = edit_draft(repair, admin_two, without_cancelled)
    workflow_publish(workflow=repair, definition=third.definition, acting_user=admin_two,
                     reason="حذف لغو", base_version=third.base_version)
    repair.refresh_from_db()
    with nothing_written(repair):
        response = client.post(reverse("workflow:version", args=["repair", 1]),
                               {"reason": "بازگشت", "base_version": 2})  # the page was opened at version 2
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()


# Walk-through ----------------------------------------------------------------------------------------------------

def test_walk_through_shows_open_and_closed_steps_for_a_role(login, head_office, repair, receive):
    order = receive(serial="UNKNOWN-1")
    page = login(head_office).get(reverse("workflow:walk", args=["repair"]),
                                  {"role": Role.RECEPTIONIST, "record": order.pk}).content.decode()
    assert 'data-testid="walk-record-state" data-state="received"' in page
    assert 'data-transition="cancel" data-open="true"' in page
    assert 'data-transition="start_diagnosis" data-open="false"' in page
    assert "<svg" in page


def test_walk_through_finds_a_record_by_its_number_in_persian_digits(login, head_office, repair, receive):
    from aftersales.core.persian import to_persian_digits

    order = receive(serial="UNKNOWN-1")
    page = login(head_office).get(reverse("workflow:walk", args=["repair"]),
                                  {"role": Role.TECHNICIAN, "q": to_persian_digits(order.number)}).content.decode()
    assert 'data-transition="start_diagnosis" data-open="true"' in page


def test_walk_through_offers_only_records_of_the_users_centers(login, repair, receive, center_b):
    from django.contrib.auth.models import Permission

    order = receive(serial="UNKNOWN-1")  # at center A
    designer = UserFactory(username="designer_b", role=Role.CENTER_MANAGER, centers=[center_b], is_staff=True)
    designer.user_permissions.add(Permission.objects.get(codename="change_workflow"))
    client = login(designer)
    page = client.get(reverse("workflow:walk", args=["repair"]), {"role": Role.RECEPTIONIST}).content.decode()
    assert f'value="{order.pk}"' not in page
    page = client.get(reverse("workflow:walk", args=["repair"]),
                      {"role": Role.RECEPTIONIST, "record": order.pk}).content.decode()
    assert 'data-testid="walk-not-found"' in page and 'data-testid="walk-steps"' not in page


# Export and import -----------------------------------------------------------------------------------------------

def test_export_downloads_the_published_definition_as_a_file(login, head_office, repair):
    response = login(head_office).get(reverse("workflow:export", args=["repair"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="workflow-repair-v1.json"'
    data = json.loads(response.content)
    assert data["format"] == "aftersales.workflow" and data["code"] == "repair"
    assert {s["code"] for s in data["states"]} == {s["code"] for s in definition_of(repair)["states"]}


def test_an_exported_file_imports_back_with_its_change_after_a_preview(login, head_office, repair):
    client = login(head_office)
    data = with_waiting_state(json.loads(client.get(reverse("workflow:export", args=["repair"])).content))
    upload = SimpleUploadedFile("repair-v1.json", json.dumps(data, ensure_ascii=False).encode(), "application/json")
    with nothing_written(repair):
        preview = client.post(reverse("workflow:import"), {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-testid="import-changes"' in page and "«در انتظار مراجعه مشتری»" in page
    assert 'name="definition"' in page

    definition = json.dumps(data, ensure_ascii=False)
    response = client.post(reverse("workflow:import"), {"definition": definition, "base_version": 1,
                                                        "reason": "از سایت آزمایشی"})
    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.version == 2
    assert State.objects.filter(workflow=repair, code=WAITING["code"], is_active=True).exists()
    assert definition_of(repair)["transitions"][-2]["roles"] == ["receptionist"]


@pytest.mark.parametrize("content", [
    b"not json at all",
    b"\xff\xfe\x00garbage",
    json.dumps({"format": "another.product", "states": []}).encode(),
    json.dumps({"format": "aftersales.workflow", "format_version": 99, "code": "repair"}).encode(),
    json.dumps(["a", "list"]).encode(),
    b"[" * 100_000,
    json.dumps({"format": "aftersales.workflow", "format_version": 1, "code": "repair", "states": "none"}).encode(),
])
def test_a_broken_or_foreign_file_is_refused_with_a_message(login, head_office, repair, content):
    upload = SimpleUploadedFile("other.json", content, "application/json")
    client = login(head_office)
    with nothing_written(repair):
        response = client.post(reverse("workflow:import"), {"file": upload})
    assert response.status_code == 400
    assert 'data-testid="error-file"' in response.content.decode()


def test_an_import_with_errors_is_shown_and_not_published(login, head_office, repair):
    client = login(head_office)
    data = json.loads(client.get(reverse("workflow:export", args=["repair"])).content)
    data["transitions"][0]["roles"] = ["no_such_role"]
    upload = SimpleUploadedFile("repair.json", json.dumps(data).encode(), "application/json")
    page = client.post(reverse("workflow:import"), {"file": upload}).content.decode()
    assert 'data-testid="problem-error"' in page
    with nothing_written(repair):
        response = client.post(reverse("workflow:import"), {"definition": json.dumps(data), "base_version": 1,
                                                            "reason": "آزمایش"})
    assert response.status_code == 400


def test_a_file_of_a_workflow_this_site_lacks_is_imported_as_a_new_workflow(login, head_office, repair):
    client = login(head_office)
    data = json.loads(client.get(reverse("workflow:export", args=["repair"])).content)
    data.update(code="repair_copy", name="گردش کار تعمیر (آزمایشی)")
    upload = SimpleUploadedFile("copy.json", json.dumps(data, ensure_ascii=False).encode(), "application/json")
    page = client.post(reverse("workflow:import"), {"file": upload}).content.decode()
    assert 'data-testid="import-target"' in page and "گردش کار تعمیر (آزمایشی)" in page
    assert 'data-testid="import-changes"' not in page
    response = client.post(reverse("workflow:import"), {"definition": json.dumps(data, ensure_ascii=False),
                                                        "base_version": "", "reason": "نسخه آزمایشی"})
    assert response.status_code == 302
    copy_ = Workflow.objects.get(code="repair_copy")
    assert copy_.version == 1 and copy_.states.count() == repair.states.count()
    assert response.url == reverse("workflow:version", args=["repair_copy", 1])


def test_restoring_a_version_without_a_state_that_holds_records_asks_where_they_go(
        login, head_office, reception_a, repair, receive):
    draft = edit_draft(repair, head_office, with_waiting_state)
    workflow_publish(workflow=repair, definition=draft.definition, acting_user=head_office,
                     reason="افزودن انتظار مراجعه", base_version=draft.base_version)
    order = receive(serial="UNKNOWN-1")
    waiting = State.objects.get(workflow=repair, code=WAITING["code"])
    RepairOrder.objects.filter(pk=order.pk).update(state=waiting)  # as if walked there
    client = login(head_office)
    url = reverse("workflow:version", args=["repair", 1])
    assert f'name="move_{WAITING["code"]}"' in client.get(url).content.decode()
    with nothing_written(repair):
        refused = client.post(url, {"reason": "بازگشت", "base_version": 2})
    assert refused.status_code == 400
    response = client.post(url, {"reason": "بازگشت", "base_version": 2, f"move_{WAITING['code']}": "ready"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state.code == "ready"


def test_walk_through_answers_htmx_with_the_result_only(login, head_office, repair, receive):
    order = receive(serial="UNKNOWN-1")
    response = login(head_office).get(reverse("workflow:walk", args=["repair"]),
                                      {"role": Role.RECEPTIONIST, "record": order.pk}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert 'data-transition="cancel" data-open="true"' in page and "<svg" in page


def test_a_missing_version_or_workflow_is_not_found(login, head_office, repair):
    client = login(head_office)
    assert client.get(reverse("workflow:version", args=["repair", 99])).status_code == 404
    assert client.get(reverse("workflow:walk", args=["no-such"])).status_code == 404
