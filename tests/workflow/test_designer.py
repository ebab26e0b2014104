"""The workflow designer: editing a definition (designer.py) and the page's edits of the user's draft."""

import pytest

from aftersales.workflow import designer
from aftersales.workflow.definition import definition_of, draft_get
from aftersales.workflow.models import Workflow, WorkflowDraft

pytestmark = pytest.mark.django_db

BASE = {
    "code": "w", "name": "w",
    "states": [
        {"code": "new", "name": "تازه", "is_initial": True, "is_final": False},
        {"code": "done", "name": "انجام‌شده", "is_initial": False, "is_final": True},
    ],
    "transitions": [{"code": "finish", "name": "پایان", "source": "new", "target": "done", "roles": [],
                     "condition": "", "required_fields": [], "requires_comment": False, "actions": []}],
}


# designer.py ---------------------------------------------------------------------------------------------------

def test_a_new_state_gets_a_unique_code_and_the_original_is_not_changed():
    definition, code = designer.state_add(BASE, name="منتظر مشتری", x=10, y=20)
    again, second = designer.state_add(definition, name="منتظر مشتری")
    assert code == "state_1" and second == "state_2"
    assert [s["code"] for s in BASE["states"]] == ["new", "done"]
    assert designer.state_get(definition, code)["x"] == 10 and not designer.state_get(definition, code)["is_initial"]
    latin, code = designer.state_add(BASE, name="Waiting for pickup")
    assert code == "waiting_for_pickup"


def test_making_a_state_initial_unmarks_the_other():
    definition, code = designer.state_add(BASE, name="دوم")
    definition = designer.state_update(definition, code, name="دوم", is_initial=True)
    assert [s["code"] for s in definition["states"] if s["is_initial"]] == [code]


def test_renaming_a_state_code_moves_its_transitions_and_a_taken_code_is_refused():
    definition = designer.state_update(BASE, "done", name="پایان", is_final=True, new_code="closed")
    assert definition["transitions"][0]["target"] == "closed"
    with pytest.raises(designer.Clash):
        designer.state_update(BASE, "done", name="پایان", new_code="new")


def test_removing_a_state_removes_its_transitions():
    definition = designer.state_remove(BASE, "done")
    assert [s["code"] for s in definition["states"]] == ["new"] and definition["transitions"] == []
    with pytest.raises(designer.Gone):
        designer.state_remove(definition, "done")


def test_moving_a_state_keeps_it_on_the_chart():
    definition = designer.state_move(BASE, "new", x=-40, y=120)
    assert designer.state_get(definition, "new")["x"] == 0 and designer.state_get(definition, "new")["y"] == 120


def test_transitions_are_added_with_a_code_unique_from_their_source():
    definition, first = designer.transition_add(BASE, source="new", target="done")
    definition, second = designer.transition_add(definition, source="new", target="done")
    assert first != second and first != "finish"
    definition, back = designer.transition_add(definition, source="done", target="new", name="finish")
    assert back == "finish"  # the same code from another state is fine
    with pytest.raises(designer.Gone):
        designer.transition_add(BASE, source="new", target="nowhere")


def test_a_transition_update_refuses_a_code_its_source_already_has():
    definition, code = designer.transition_add(BASE, source="new", target="done")
    with pytest.raises(designer.Clash):
        designer.transition_update(definition, "new", code, code="finish")
    changed = designer.transition_update(definition, "new", code, code="close", roles=["receptionist"])
    assert designer.transition_get(changed, "new", "close")["roles"] == ["receptionist"]
    assert designer.transition_remove(changed, "new", "close")["transitions"] == BASE["transitions"]


# The pages ------------------------------------------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin(login, head_office):
    return login(head_office)


@pytest.fixture
def repair():
    return Workflow.objects.get(code="repair")


def url(name, *args):
    from django.urls import reverse

    return reverse(f"workflow:{name}", args=args)


def draft_of(user, workflow=None):
    return WorkflowDraft.objects.get(workflow=workflow or Workflow.objects.get(code="repair"), user=user).definition


def test_the_list_shows_each_workflow_with_its_version_and_states(admin):
    page = admin.get(url("list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "گردش کار تعمیر" in body and url("designer", "repair") in body


def test_the_designer_shows_the_chart_the_draft_and_its_base_version(admin, head_office, repair):
    page = admin.get(url("designer", "repair"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-state="received"' in body and 'data-testid="draft-status"' in body
    assert "workflow-chart-interactive" in body and "<script>" not in body and "style=" not in body
    assert WorkflowDraft.objects.filter(workflow=repair, user=head_office).exists()


def test_selecting_a_state_or_an_arrow_opens_its_form(admin):
    state = admin.get(url("designer", "repair") + "?state=ready", **HTMX).content.decode()
    assert 'data-testid="state-panel"' in state and 'data-selected="true"' in state and "<html" not in state
    step = admin.get(url("designer", "repair") + "?transition=received:start_diagnosis", **HTMX).content.decode()
    assert 'data-testid="transition-panel"' in step and 'value="technician"' in step


def test_a_stale_selection_is_told_not_a_500(admin):
    page = admin.get(url("designer", "repair") + "?state=gone&transition=x", **HTMX)
    assert page.status_code == 200 and 'data-testid="notice"' in page.content.decode()


def test_unknown_workflow_is_404_and_others_are_refused(admin, login, reception_a, client):
    assert admin.get(url("designer", "nope")).status_code == 404
    client.logout()
    assert client.get(url("list")).status_code == 302  # to the login
    login(reception_a)
    assert client.get(url("list")).status_code == 403
    assert client.get(url("designer", "repair")).status_code == 403
    assert client.post(url("draft-state-add", "repair"), {"name": "x"}).status_code == 403
    assert not WorkflowDraft.objects.exists()


def test_adding_a_state_changes_only_the_draft(admin, head_office, repair):
    published = definition_of(repair)
    page = admin.post(url("draft-state-add", "repair"), {"name": "منتظر دریافت مشتری"}, **HTMX)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="state-panel"' in body and "منتظر دریافت مشتری" in body
    added = [s for s in draft_of(head_office)["states"] if s["name"] == "منتظر دریافت مشتری"]
    assert len(added) == 1 and added[0]["x"] is not None
    assert definition_of(repair)["states"] == published["states"]
    # The new state has no way in: the checks say so and the chart marks it.
    assert f'data-state="{added[0]["code"]}" data-problem="error"' in body or \
        f'data-state="{added[0]["code"]}" data-problem="error"' in body.replace(' data-selected="true"', "")


def test_saving_a_state_reads_persian_digits_and_shows_errors(admin, head_office):
    saved = admin.post(url("draft-state-save", "repair"), {
        "state": "ready", "name": "آماده تحویل به مشتری", "public_name": "آماده است", "sla_hours": "۲۴"}, **HTMX)
    assert saved.status_code == 200
    state = designer.state_get(draft_of(head_office), "ready")
    assert state["name"] == "آماده تحویل به مشتری" and state["sla_hours"] == 24 and state["code"] == "ready"
    refused = admin.post(url("draft-state-save", "repair"), {"state": "ready", "name": "", "sla_hours": "-3"}, **HTMX)
    body = refused.content.decode()
    assert refused.status_code == 200 and 'data-testid="error-name"' in body and 'data-testid="error-sla_hours"' in body
    assert designer.state_get(draft_of(head_office), "ready")["name"] == "آماده تحویل به مشتری"


def test_removing_a_state_twice_is_told_the_second_time(admin, head_office):
    admin.post(url("draft-state-remove", "repair"), {"state": "ready"}, **HTMX)
    definition = draft_of(head_office)
    assert "ready" not in {s["code"] for s in definition["states"]}
    assert all("ready" not in (t["source"], t["target"]) for t in definition["transitions"])
    again = admin.post(url("draft-state-remove", "repair"), {"state": "ready"}, **HTMX)
    assert again.status_code == 200 and 'data-testid="notice"' in again.content.decode()


def test_dragging_a_state_keeps_its_place(admin, head_office):
    admin.post(url("draft-state-move", "repair"), {"state": "ready", "x": "340", "y": "۲۰۰"}, **HTMX)
    state = designer.state_get(draft_of(head_office), "ready")
    assert (state["x"], state["y"]) == (340, 200)
    bad = admin.post(url("draft-state-move", "repair"), {"state": "ready", "x": "left", "y": ""}, **HTMX)
    assert bad.status_code == 200
    page = admin.get(url("designer", "repair")).content.decode()
    assert 'x="340" y="200"' in page


def test_drawing_an_arrow_adds_a_step_and_opens_it(admin, head_office):
    page = admin.post(url("draft-transition-add", "repair"), {"source": "ready", "target": "received"}, **HTMX)
    body = page.content.decode()
    added = [t for t in draft_of(head_office)["transitions"] if t["source"] == "ready" and t["target"] == "received"]
    assert len(added) == 1 and 'data-testid="transition-panel"' in body
    stale = admin.post(url("draft-transition-add", "repair"), {"source": "ready", "target": "gone"}, **HTMX)
    assert stale.status_code == 200 and 'data-testid="notice"' in stale.content.decode()


def test_saving_a_step_with_roles_condition_fields_and_actions(admin, head_office):
    form = {
        "transition": "ready:hand_back", "name": "تحویل به مشتری", "code": "hand_back", "source": "ready",
        "target": "delivered", "roles": ["receptionist"], "condition": "warranty", "requires_comment": "on",
        "action-count": "2", "action-0-type": "due", "action-0-p_hours": "۴۸", "action-0-p_field": "",
        "action-0-extra": "{}", "action-1-type": "announce", "action-1-p_event": "",
    }
    from aftersales.workflow.engine import param_choices, action_params

    event = param_choices(action_params("announce")[0])[0][0]
    form["action-1-p_event"] = event
    page = admin.post(url("draft-transition-save", "repair"), form, **HTMX)
    assert page.status_code == 200
    step = designer.transition_get(draft_of(head_office), "ready", "hand_back")
    assert step["roles"] == ["receptionist"] and step["condition"] == "warranty" and step["requires_comment"]
    assert step["actions"] == [{"type": "due", "hours": 48}, {"type": "announce", "event": event}]


def test_a_step_with_a_bad_code_or_an_action_without_type_is_not_saved(admin, head_office):
    before = designer.transition_get(draft_get(workflow=Workflow.objects.get(code="repair"), user=head_office)
                                     .definition, "ready", "hand_back")
    page = admin.post(url("draft-transition-save", "repair"), {
        "transition": "ready:hand_back", "name": "تحویل", "code": "تحویل", "source": "ready", "target": "delivered",
        "action-count": "1", "action-0-type": ""}, **HTMX)
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="error-code"' in body
    assert 'data-testid="error-action-0-type"' in body and "یک اقدام انتخاب کنید یا این ردیف را حذف کنید." in body
    assert designer.transition_get(draft_of(head_office), "ready", "hand_back") == before


def test_adding_and_removing_action_rows_redraws_the_panel_without_saving(admin, head_office):
    base = {"transition": "ready:hand_back", "name": "تحویل", "code": "hand_back", "source": "ready",
            "target": "delivered", "action-count": "0"}
    added = admin.post(url("draft-transition-save", "repair"), {**base, "op": "add-action"}, **HTMX).content.decode()
    assert 'name="action-0-type"' in added
    refreshed = admin.post(url("draft-transition-save", "repair"),
                           {**base, "op": "refresh", "action-count": "1", "action-0-type": "due"}, **HTMX)
    assert 'name="action-0-p_hours"' in refreshed.content.decode()
    dropped = admin.post(url("draft-transition-save", "repair"),
                         {**base, "op": "remove-action-0", "action-count": "1", "action-0-type": "due"}, **HTMX)
    assert 'name="action-0-type"' not in dropped.content.decode()
    assert draft_of(head_office)["transitions"] == definition_of(Workflow.objects.get(code="repair"))["transitions"]


def test_removing_a_step_and_discarding_the_draft(admin, head_office, repair):
    admin.post(url("draft-transition-remove", "repair"), {"transition": "ready:hand_back"}, **HTMX)
    assert not any(t["source"] == "ready" and t["code"] == "hand_back" for t in draft_of(head_office)["transitions"])
    page = admin.post(url("draft-discard", "repair"), **HTMX)
    assert page.status_code == 200
    assert draft_of(head_office)["transitions"] == definition_of(repair)["transitions"]


def test_without_script_an_edit_redirects_back_to_the_page(admin, head_office):
    answer = admin.post(url("draft-state-move", "repair"), {"state": "ready", "x": "20", "y": "20"})
    assert answer.status_code == 302 and answer["Location"].endswith("?state=ready")


# In a browser ---------------------------------------------------------------------------------------------------

ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parents[2] / "test-artifacts"


def _browser_login(live_server, page):
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.workflow.models import State, Transition, Workflow
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)  # a transactional test before this one emptied the tables
    sync_roles()
    user = UserFactory(username="designer", role=Role.HEAD_OFFICE_MANAGER, is_staff=True)
    user.set_password("x-Pass-123")
    user.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "designer")
    page.fill("#id_password", "x-Pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return user


def _edit(page, action):
    """Do ``action`` and wait for the designer's answer to be on the page."""
    with page.expect_response(lambda response: "/workflows/" in response.url and response.request.method == "POST"):
        action()
    page.wait_for_timeout(200)


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_administrator_edits_the_chart_with_the_mouse_and_the_buttons(live_server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    refused = []
    page.on("console", lambda message: refused.append((page.url, message.text[:80]))
            if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": 1366, "height": 768})
    user = _browser_login(live_server, page)
    page.goto(f"{live_server.url}/workflows/")
    page.screenshot(path=ARTIFACTS / "workflow-list-1366.png")
    page.click("[data-workflow=repair] a")
    page.wait_for_selector("[data-testid=designer-chart] svg [data-state=received]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=ARTIFACTS / "workflow-designer-1366.png")

    # Click a state: its form; rename it and save.
    page.click("[data-testid=designer-chart] [data-state=ready] rect")
    page.wait_for_selector("[data-testid=state-panel][data-state-code=ready]")
    page.fill("[data-testid=state-form] [name=sla_hours]", "۲۴")
    _edit(page, lambda: page.click("[data-testid=save-state]"))
    assert designer.state_get(draft_of(user), "ready")["sla_hours"] == 24

    # Add a state with the button, then drag it somewhere else.
    page.fill("#wf-new-state", "منتظر دریافت مشتری")
    _edit(page, lambda: page.click("[data-testid=add-state]"))
    page.wait_for_selector("[data-testid=state-panel]")
    code = page.get_attribute("[data-testid=state-panel]", "data-state-code")
    new = _box(page, f"[data-testid=designer-chart] [data-state={code}] rect")
    page.mouse.move(new["x"] + 20, new["y"] + 10)
    page.mouse.down()
    page.mouse.move(new["x"] + 60, new["y"] + 90, steps=6)
    _edit(page, page.mouse.up)
    moved = designer.state_get(draft_of(user), code)
    assert moved["y"] is not None and moved["y"] > 0

    # Drag an arrow from "ready"'s handle to the new state: a step, opened in the panel.
    handle = _box(page, "[data-testid=designer-chart] [data-handle=ready]")
    target = _box(page, f"[data-testid=designer-chart] [data-state={code}] rect")
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=8)
    _edit(page, page.mouse.up)
    page.wait_for_selector("[data-testid=transition-panel]")
    assert any(t["source"] == "ready" and t["target"] == code for t in draft_of(user)["transitions"])

    # The step: receptionists only, text the customer.
    page.check("[data-testid=transition-form] input[name=roles][value=receptionist]")
    _edit(page, lambda: page.click("[data-testid=add-action]"))
    _edit(page, lambda: page.select_option("[data-testid=transition-form] select[name='action-0-type']", "announce"))
    page.select_option("[data-testid=transition-form] [name='action-0-p_event']", index=1)
    _edit(page, lambda: page.click("[data-testid=save-transition]"))
    page.wait_for_selector("[data-testid=notice]")
    step = next(t for t in draft_of(user)["transitions"] if t["source"] == "ready" and t["target"] == code)
    assert step["roles"] == ["receptionist"] and step["actions"][0]["type"] == "announce"
    assert step["actions"][0].get("event")
    page.screenshot(path=ARTIFACTS / "workflow-designer-step-1366.png", full_page=True)

    # Without dragging: "draw an arrow", then two clicks.
    page.click("[data-testid=draw-arrow]")
    page.click(f"[data-testid=designer-chart] [data-state={code}] rect")
    _edit(page, lambda: page.click("[data-testid=designer-chart] [data-state=delivered] rect"))
    page.wait_for_selector("[data-testid=transition-panel]")
    assert any(t["source"] == code and t["target"] == "delivered" for t in draft_of(user)["transitions"])

    # With the keyboard: a state takes the focus, Enter opens it, an arrow key moves it.
    page.focus("[data-testid=designer-chart] [data-state=cancelled]")
    _edit(page, lambda: page.keyboard.press("ArrowDown"))
    assert designer.state_get(draft_of(user), "cancelled")["y"] is not None
    page.wait_for_function("document.activeElement && document.activeElement.dataset.state === 'cancelled'")

    # On a phone the panel stacks under the chart.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workflows/repair/?state={code}")
    chart, panel = _box(page, "[data-testid=designer-chart]"), _box(page, "[data-testid=panel]")
    assert panel["y"] >= chart["y"] + chart["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=ARTIFACTS / "workflow-designer-390.png", full_page=True)
    selected = _box(page, f"[data-testid=designer-chart] [data-state={code}] rect")
    assert selected["x"] >= chart["x"] - 1 and selected["x"] + selected["width"] <= chart["x"] + chart["width"] + 1
    assert refused == []  # no inline script or style the policy refuses


def test_the_menu_offers_the_designer_to_those_who_may_change_workflows(head_office, reception_a):
    from django.utils import translation

    from aftersales.organization.menu import menu_for

    def labels(user):
        with translation.override("en"):
            return [label for group, entries in menu_for(user) for label, _href in entries]

    assert "Workflows" in labels(head_office) and "Workflows" not in labels(reception_a)


def test_a_stale_step_panel_is_told_and_saves_nothing(admin, head_office):
    admin.post(url("draft-transition-remove", "repair"), {"transition": "ready:hand_back"}, **HTMX)
    before = draft_of(head_office)
    page = admin.post(url("draft-transition-save", "repair"), {
        "transition": "ready:hand_back", "name": "تحویل", "code": "hand_back", "source": "ready",
        "target": "delivered", "action-count": "0"}, **HTMX)
    assert page.status_code == 200 and 'data-testid="notice"' in page.content.decode()
    assert draft_of(head_office) == before
    garbage = admin.post(url("draft-transition-save", "repair"), {"transition": "nonsense", "action-count": "x"},
                         **HTMX)
    assert garbage.status_code == 200


def test_a_published_states_code_stays_as_it_is(admin, head_office):
    admin.post(url("draft-state-save", "repair"), {"state": "ready", "name": "آماده", "code": "other"}, **HTMX)
    assert "ready" in {s["code"] for s in draft_of(head_office)["states"]}
    page = admin.get(url("designer", "repair") + "?state=ready").content.decode()
    assert 'name="code"' in page and "disabled" in page.split('name="code"')[1].split(">")[0]


def test_an_action_row_keeps_parameters_the_form_does_not_show_and_reads_persian_hours():
    from aftersales.workflow.forms import ActionForm, action_forms

    rows = action_forms(actions_list=[{"type": "survey", "delay": 3}, {"type": "due", "hours": 24}])
    assert [row.kind for row in rows] == ["survey", "due"] and "p_hours" in rows[1].fields
    posted = {"action-count": "2", "action-0-type": "survey", "action-0-extra": rows[0].initial["extra"],
              "action-1-type": "due", "action-1-p_hours": "۱۲٫۵", "action-1-p_field": "",
              "action-1-extra": rows[1].initial["extra"]}
    bound = action_forms(posted)
    assert all(row.is_valid() for row in bound), [row.errors for row in bound]
    assert [row.action() for row in bound] == [{"type": "survey", "delay": 3}, {"type": "due", "hours": 12.5}]
    changed = ActionForm({"action-0-type": "announce", "action-0-extra": '{"type": "survey", "delay": 3}',
                          "action-0-p_event": ""}, prefix="action-0")
    assert not changed.is_valid() or "delay" not in changed.action()
