"""The stage board of a marketing workflow (issue 16): a marketer drags a lead's card to the next stage, a drag
the workflow refuses comes back with its reason, a step that asks why asks in a dialog, and on a phone the
card's «move to…» list does what a drag does."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


# Chromium reports every refused script, style or image on the console, and fires this event.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def login(browser, live_server, username, password, **context):
    page = browser.new_context(locale="fa-IR", **context).new_page()
    page.add_init_script(REPORT_VIOLATIONS)
    page.violations = []
    page.on("console", lambda message: page.violations.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def marketer(center_a):
    from django.apps import apps

    from aftersales.crm.reference import load_marketing_reference
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import UserFactory

    # A transactional test before this one emptied the tables the migrations had filled.
    sync_roles()
    load_marketing_reference(apps)
    return UserFactory(username="marketer", first_name="نیما", last_name="صالحی", role=Role.VISITOR,
                       centers=[center_a])


def leads(center, marketer, *names):
    from aftersales.crm.models import PartyType
    from aftersales.crm.services import lead_create

    dealer = PartyType.objects.get(code="dealer")
    return [lead_create(acting_user=marketer, kind="legal", company_name=name, party_type=dealer, center=center,
                        marketer=marketer, rating="hot", next_step="ارسال کاتالوگ") for name in names]


def column_of(page, party) -> str:
    return page.eval_on_selector(f"[data-testid=card-{party.pk}]",
                                 "card => card.closest('.board-column').dataset.testid")


def count_of(page, code) -> str:
    return page.text_content(f"[data-testid=column-{code}] [data-count]").strip()


def test_a_marketer_drags_cards_and_the_workflow_decides(live_server, browser, password, center_a, marketer):
    from aftersales.crm.models import Party

    ARTIFACTS.mkdir(exist_ok=True)
    first, second, third = leads(center_a, marketer, "فروشگاه نور", "بنکداری امید", "لوازم خانگی آرش")
    page = login(browser, live_server, "marketer", password, viewport={"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/crm/board/")
    page.wait_for_url("**/crm/board/sales-pipeline/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The six stages of the workflow side by side on an office screen: nothing to scroll to drag.
    assert page.evaluate("(b => b.scrollWidth <= b.clientWidth + 1)(document.querySelector('[data-testid=board]'))")
    assert count_of(page, "first_contact") == "۳" and count_of(page, "needs_analysis") == "۰"
    page.screenshot(path=str(ARTIFACTS / "crm-board.png"), full_page=True)

    # The lead's card goes from the first stage to the next.
    page.drag_and_drop(f"[data-testid=card-{first.pk}]", "[data-testid=column-needs_analysis]")
    page.wait_for_selector("[data-testid=board-message].alert-success")
    assert "بررسی نیاز" in page.text_content("[data-testid=board-message]")
    assert column_of(page, first) == "column-needs_analysis"
    assert count_of(page, "first_contact") == "۲" and count_of(page, "needs_analysis") == "۱"
    assert Party.objects.get(pk=first.pk).state.code == "needs_analysis"
    page.screenshot(path=str(ARTIFACTS / "crm-board-moved.png"), full_page=True)

    # A drag the workflow has no step for comes back, with the reason in Persian.
    page.drag_and_drop(f"[data-testid=card-{second.pk}]", "[data-testid=column-won]")
    page.wait_for_selector("[data-testid=board-message].alert-danger")
    message = page.text_content("[data-testid=board-message]")
    assert "گامی" in message and "اولین تماس" in message
    assert column_of(page, second) == "column-first_contact"
    assert count_of(page, "first_contact") == "۲" and count_of(page, "won") == "۰"
    assert Party.objects.get(pk=second.pk).state.code == "first_contact"
    page.screenshot(path=str(ARTIFACTS / "crm-board-refused.png"), full_page=True)

    # «Lost» asks why: the dialog asks, and the move goes with the answer.
    page.drag_and_drop(f"[data-testid=card-{third.pk}]", "[data-testid=column-lost]")
    page.wait_for_selector("[data-comment-dialog][open]")
    assert column_of(page, third) == "column-first_contact"
    page.fill("[data-comment-text]", "فعلاً بودجه خرید ندارد")
    page.screenshot(path=str(ARTIFACTS / "crm-board-comment.png"))
    page.click("[data-testid=comment-ok]")
    page.wait_for_selector("[data-testid=board-message].alert-success")
    assert "ناموفق" in page.text_content("[data-testid=board-message]")
    assert column_of(page, third) == "column-lost"
    assert count_of(page, "lost") == "۱"
    lost = Party.objects.get(pk=third.pk)
    assert lost.state.code == "lost"
    from aftersales.workflow.engine import subject_log

    assert subject_log(lost)[-1].comment == "فعلاً بودجه خرید ندارد"
    assert page.violations == []
    page.context.close()


def test_on_a_phone_the_card_moves_with_its_move_to_list(live_server, browser, password, center_a, marketer):
    from aftersales.crm.models import Party
    from aftersales.workflow.models import State

    ARTIFACTS.mkdir(exist_ok=True)
    from tests.crm.test_board import make_parties

    # 26 parties longer in the first stage than the new lead: its card is on the column's second page.
    make_parties(26, center=center_a, marketer=marketer, name="فروشگاه قدیمی")
    (lead,) = leads(center_a, marketer, "فروشگاه ستاره")
    page = login(browser, live_server, "marketer", password, **PHONE)
    page.goto(f"{live_server.url}/crm/board/sales-pipeline/")
    # The board scrolls sideways inside itself; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert count_of(page, "first_contact") == "۲۷"
    assert page.locator("[data-testid=column-first_contact] .board-card").count() == 25
    page.click("[data-testid=column-first_contact] [data-testid=more]")
    card = page.locator(f"[data-testid=card-{lead.pk}]")
    card.wait_for()
    assert page.locator("[data-testid=column-first_contact] .board-card").count() == 27
    assert page.locator("[data-testid=column-first_contact] [data-testid=more]").count() == 0
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "crm-board-phone.png"))
    target = State.objects.get(workflow__code="sales-pipeline", code="needs_analysis")
    # Only the stages the workflow leads to from here are offered.
    offered = page.eval_on_selector_all(f"[data-testid=move-{lead.pk}] option", "options => options.map(o => o.value)")
    assert str(target.pk) in offered and len(offered) == 3  # the prompt, «needs analysis», «lost»
    page.select_option(f"[data-testid=move-{lead.pk}]", str(target.pk))
    page.tap(f"[data-testid=move-go-{lead.pk}]")
    page.wait_for_selector("[data-testid=board-message].alert-success")
    assert column_of(page, lead) == "column-needs_analysis"
    assert count_of(page, "needs_analysis") == "۱" and count_of(page, "first_contact") == "۲۶"
    assert Party.objects.get(pk=lead.pk).state_id == target.pk
    page.locator("[data-testid=column-needs_analysis]").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "crm-board-phone-moved.png"))
    assert page.violations == []
    page.context.close()
