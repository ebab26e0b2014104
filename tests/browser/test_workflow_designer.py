"""Issue 14's "Done when": a new administrator adds «waiting for the customer to collect» to the repair
workflow with a step that texts the customer and only receptionists may take, publishes it with a reason,
and a receptionist then walks a ready order through it."""

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WAITING = "در انتظار مراجعه مشتری"
NOTIFY = "اطلاع به مشتری برای مراجعه"
COLLECTED = "مشتری مراجعه کرد"


REFUSED = []  # what the Content Security Policy refused, on any page of the test


def login(browser, live_server, username, password, **context):
    page = browser.new_context(locale="fa-IR", viewport={"width": 1366, "height": 900}, **context).new_page()
    page.on("console", lambda message: REFUSED.append((page.url, message.text[:120]))
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def ready_order(center_a, unit, service_item):
    """A warranty order taken through the shipped workflow to «ready» by its technician and manager."""
    from aftersales.organization.roles import Role
    from aftersales.repairs.services import operation_add, order_transition, reception_create
    from tests.factories import UserFactory

    desk = UserFactory(username="desk", role=Role.RECEPTIONIST, centers=[center_a])
    bench = UserFactory(username="bench", role=Role.TECHNICIAN, centers=[center_a])
    chief = UserFactory(username="chief", role=Role.CENTER_MANAGER, centers=[center_a])
    order = reception_create(center=center_a, customer=unit.owner, unit=unit, acting_user=desk,
                             description="یخچال سرد نمی‌کند")
    for code, user in (("start_diagnosis", bench), ("start_repair", bench)):
        order = order_transition(order=order, code=code, acting_user=user)
    operation_add(order=order, acting_user=bench, service_item=service_item, minutes=30)
    for code, user in (("to_quality_check", bench), ("quality_passed", chief)):
        order = order_transition(order=order, code=code, acting_user=user)
    assert order.state.code == "ready"
    return order


def settled(page):
    """Wait until htmx has no request in flight and has settled the last swap."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def until(page, act, selector, tries=3):
    """Do ``act`` once htmx is idle and wait for ``selector``; again if a swap raced it."""
    for attempt in range(tries):
        settled(page)
        act()
        try:
            page.wait_for_selector(selector, timeout=8000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                page.screenshot(path=str(ARTIFACTS / "workflow-designer-failed.png"), full_page=True)
                raise


def open_state(page, code):
    until(page, lambda: page.click(f"[data-testid=designer-chart] [data-state='{code}'] rect"),
          f"[data-testid=state-panel][data-state-code='{code}']")


def add_step(page, source, target_name, name, roles, event=None):
    """From the state panel of ``source``: a step to the state named ``target_name``, filled in its panel."""
    open_state(page, source)
    page.select_option("[data-testid=add-step-form] select[name=target]", label=target_name)
    until(page, lambda: page.click("[data-testid=add-step]"), "[data-testid=transition-panel]")
    form = page.locator("[data-testid=transition-form]")
    form.locator("input[name=name]").fill(name)
    for box in form.locator("input[name=roles]").all():
        if box.is_checked() != (box.get_attribute("value") in roles):
            box.click()
    if event:
        row = "[data-testid=transition-form] [data-action-row='0']"
        until(page, lambda: page.click("[data-testid=transition-form] [data-testid=add-action]"), row)

        def choose_announce():
            kind = f"{row} select[name$='-type']"
            if page.locator(kind).input_value() == "announce":  # chosen, but the refresh was lost: again
                page.select_option(kind, "")
                settled(page)
            page.select_option(kind, "announce")

        until(page, choose_announce, f"{row} select[name$='p_event']")
        page.select_option(f"{row} select[name$='p_event']", event)
    settled(page)
    page.click("[data-testid=transition-form] [data-testid=save-transition]")
    settled(page)
    page.wait_for_selector(f"[data-testid=transition-panel] h2:has-text('{name}')")


def test_a_new_administrator_adds_a_waiting_state_that_texts_the_customer_and_a_receptionist_uses_it(
        live_server, browser, password, center_a, warranted_unit, service_item):
    from aftersales.messaging.models import EventRule, Message, MessageTemplate
    from aftersales.messaging.reference import load_default_templates
    from aftersales.organization.roles import Role, sync_roles
    from aftersales.repairs.models import RepairOrder
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.workflow.models import State, Transition, TransitionLog, Workflow, WorkflowVersion
    from tests.factories import UserFactory

    # A transactional test before this one emptied the tables the migrations filled.
    load_repair_workflow(Workflow, State, Transition)
    load_default_templates(MessageTemplate, EventRule)
    sync_roles()
    UserFactory(username="newadmin", first_name="نگار", last_name="رضایی", role=Role.SYSTEM_ADMIN, is_staff=True)
    order = ready_order(center_a, warranted_unit, service_item)
    mobile = order.customer.mobile
    texts_before = Message.objects.filter(to=mobile, event="repair_ready").count()
    ARTIFACTS.mkdir(exist_ok=True)
    REFUSED.clear()

    admin = login(browser, live_server, "newadmin", password)
    admin.goto(f"{live_server.url}/workflows/")
    admin.click("a[href='/workflows/repair/']")
    admin.wait_for_selector("[data-testid=designer-chart] svg")
    admin.fill("#wf-new-state", WAITING)
    admin.click("[data-testid=add-state]")
    admin.wait_for_selector(f"[data-testid=designer-chart] text:has-text('{WAITING}')")
    waiting = admin.locator(f"[data-testid=designer-chart] [data-state]:has(text:has-text('{WAITING}'))")
    waiting_code = waiting.first.get_attribute("data-state")
    assert waiting_code and waiting_code != "ready"

    add_step(admin, "ready", WAITING, NOTIFY, {Role.RECEPTIONIST}, event="repair_ready")
    add_step(admin, waiting_code, "آماده تحویل", COLLECTED, {Role.RECEPTIONIST})
    admin.screenshot(path=str(ARTIFACTS / "workflow-designer.png"), full_page=True)

    admin.click("[data-testid=publish-link]")
    admin.wait_for_selector("[data-testid=publish-form]")
    changes = admin.locator("[data-testid=publish-changes]").inner_text()
    assert WAITING in changes and NOTIFY in changes and COLLECTED in changes
    assert not admin.locator("[data-testid=problem-error]").count()
    admin.fill("#id_reason", "مشتری‌ها دستگاه آماده را دیر تحویل می‌گیرند؛ پیامک یادآوری بفرستیم")
    assert admin.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    admin.screenshot(path=str(ARTIFACTS / "workflow-publish.png"), full_page=True)
    admin.click("[data-testid=publish-submit]")
    admin.wait_for_selector("[data-testid=version-meta]")
    assert admin.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    admin.screenshot(path=str(ARTIFACTS / "workflow-version.png"), full_page=True)

    workflow = Workflow.objects.get(code="repair")
    version = WorkflowVersion.objects.get(workflow=workflow, number=workflow.version)
    assert version.published_by.username == "newadmin" and "پیامک" in version.reason
    step = next(t for t in version.definition["transitions"] if t["source"] == "ready" and t["target"] == waiting_code)
    assert step["roles"] == [Role.RECEPTIONIST]
    assert step["actions"] == [{"type": "announce", "event": "repair_ready"}]

    # Try it: the receptionist's steps out of «ready» for this order, the new one open.
    admin.goto(f"{live_server.url}/workflows/repair/walk/?role={Role.RECEPTIONIST}&record={order.pk}")
    assert admin.locator(f"[data-testid=walk-steps] [data-transition='{step['code']}']").get_attribute("data-open") == "true"
    assert admin.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    admin.screenshot(path=str(ARTIFACTS / "workflow-walk.png"), full_page=True)

    # A technician is not offered the step; the receptionist is, and takes it.
    bench = login(browser, live_server, "bench", password)
    bench.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    assert not bench.locator(f"button[data-step='{step['code']}']").count()

    desk = login(browser, live_server, "desk", password)
    desk.goto(f"{live_server.url}/repairs/orders/{order.pk}/")
    desk.wait_for_selector(f"button[data-step='{step['code']}']")
    desk.screenshot(path=str(ARTIFACTS / "workflow-order-ready.png"), full_page=True)
    desk.click(f"button[data-step='{step['code']}']")
    desk.wait_for_selector(f"[data-testid=order-state][data-state='{waiting_code}']")
    desk.screenshot(path=str(ARTIFACTS / "workflow-order-waiting.png"), full_page=True)

    order = RepairOrder.objects.get(pk=order.pk)
    assert order.state.code == waiting_code and order.state.name == WAITING
    log = TransitionLog.objects.filter(object_id=order.pk).order_by("-at", "-pk").first()
    assert log.target.code == waiting_code and log.by.username == "desk"
    texts = Message.objects.filter(to=mobile, event="repair_ready")
    assert texts.count() == texts_before + 1
    back = next(t for t in version.definition["transitions"] if t["source"] == waiting_code)
    assert desk.locator(f"button[data-step='{back['code']}']").count() == 1  # «the customer came»
    assert not REFUSED, REFUSED
