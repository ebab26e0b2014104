"""A marketer's day on a phone with the connection cut in the middle (issue 18): check in at the first stop
online, lose the connection, check in at the second stop and record its outcome (both queued on the phone),
get the connection back and see the queue drain — one check-in per stop and one contact, even when the
queue is replayed."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Near Vanak square, a few metres from the first stop's place.
PHONE_AT = {"latitude": 35.75755, "longitude": 51.41005, "accuracy": 12}


@pytest.fixture(autouse=True)
def _reference(transactional_db):
    """A transactional test before this one emptied the tables the migrations had filled."""
    from django.apps import apps

    from aftersales.crm.reference import load_marketing_reference
    from aftersales.organization.roles import sync_roles

    sync_roles()
    load_marketing_reference(apps)


def _sign_in(browser, url, user, password, **context):
    session = browser.new_context(locale="fa-IR", **context)
    page = session.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")
    return session, page


def _state(page, stop):
    return page.locator(f"[data-stop='{stop.pk}'] [data-testid=stop-state]")


def test_a_marketers_day_with_the_connection_cut_and_restored(live_server, browser, password, center_a):
    from aftersales.field.models import CheckIn
    from aftersales.marketing.models import Contact
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory
    from tests.field.conftest_visits import make_tour

    visitor = UserFactory(username="visitor_phone", first_name="مریم", last_name="احمدی", role=Role.VISITOR,
                          centers=[center_a])
    _tour, stops = make_tour(visitor, center_a, stops=3)
    first, second = stops[0], stops[1]
    ARTIFACTS.mkdir(exist_ok=True)
    phone, page = _sign_in(browser, live_server.url, visitor, password, viewport={"width": 390, "height": 844},
                           is_mobile=True, has_touch=True, geolocation=PHONE_AT, permissions=["geolocation"])

    page.goto(f"{live_server.url}/field/today/")
    page.locator("[data-testid=field-today]").wait_for()
    assert page.locator("[data-testid=stop]").count() == 3
    assert page.locator(f"[data-stop='{first.pk}'] [data-testid=stop-call]").get_attribute("href").startswith("tel:")
    assert page.locator(f"[data-stop='{first.pk}'] [data-testid=stop-navigate]").get_attribute(
        "href").startswith("geo:35.757500,51.410000")
    page.screenshot(path=str(ARTIFACTS / "field-visits-1-today.png"), full_page=True)

    # Stop 1, online: checked in at once, near the place.
    page.locator(f"[data-stop='{first.pk}'] [data-testid=check-in]").click()
    expect(_state(page, first)).to_contain_text("ورود ثبت شد", timeout=15000)
    check_in = CheckIn.objects.get(stop=first)
    assert check_in.latitude is not None and not check_in.is_far and check_in.distance_m < 50
    page.screenshot(path=str(ARTIFACTS / "field-visits-2-checked-in.png"), full_page=True)

    # The connection drops: stop 2's check-in and outcome wait on the phone.
    phone.set_offline(True)
    page.locator(f"[data-stop='{second.pk}'] [data-testid=check-in]").click()
    expect(page.locator("[data-testid=queue-count]")).to_have_text("۱", timeout=15000)
    assert _state(page, second).text_content().strip() == "در صف ارسال"
    outcome = page.locator(f"[data-stop='{second.pk}'] [data-testid=outcome-form]")
    outcome.wait_for()
    outcome.locator("label", has_text="مثبت").click()
    outcome.locator("[data-testid=outcome-notes]").fill("مدیر فروشگاه ۱۲ یخچال برای فصل تابستان سفارش داد")
    outcome.locator("input[name=next_step]").fill("ارسال پیش‌فاکتور")
    outcome.locator("[data-testid=outcome-submit]").click()
    expect(page.locator("[data-testid=queue-count]")).to_have_text("۲", timeout=15000)
    assert page.locator("[data-testid=queue-banner]").is_visible()
    queued = page.evaluate("window.localStorage.getItem('aftersales.field.today.queue')")
    assert not CheckIn.objects.filter(stop=second).exists()
    page.screenshot(path=str(ARTIFACTS / "field-visits-3-offline-queued.png"), full_page=True)

    # The connection is back: the queue drains by itself, in order.
    phone.set_offline(False)
    page.locator("[data-testid=queue-banner]").wait_for(state="hidden", timeout=20000)
    expect(_state(page, second)).to_contain_text("نتیجه ثبت شد", timeout=15000)
    page.screenshot(path=str(ARTIFACTS / "field-visits-4-back-online.png"), full_page=True)

    # The same queue sent again (a phone that lost the answers): nothing doubles.
    page.evaluate("queue => window.localStorage.setItem('aftersales.field.today.queue', queue)", queued)
    page.reload()
    page.locator("[data-testid=queue-banner]").wait_for(state="hidden", timeout=20000)
    assert page.evaluate("window.localStorage.getItem('aftersales.field.today.queue')") == "[]"

    assert CheckIn.objects.filter(stop=first).count() == 1
    assert CheckIn.objects.filter(stop=second).count() == 1
    contacts = Contact.objects.filter(customer=second.customer, kind="visit")
    assert contacts.count() == 1 and "۱۲ یخچال" in contacts.get().notes
    assert CheckIn.objects.get(stop=second).contact_id == contacts.get().pk
    assert page.locator("[data-testid=today-progress]").text_content().strip().startswith("۲ از ۳")

    # The third shop is closed: skipped with a reason.
    third = stops[2]
    page.locator(f"[data-stop='{third.pk}'] .today-skip summary").click()
    page.locator(f"[data-stop='{third.pk}'] input[name=reason]").fill("مغازه تعطیل بود")
    page.locator(f"[data-stop='{third.pk}'] [data-testid=skip]").click()
    expect(_state(page, third)).to_contain_text("انجام نشد", timeout=15000)
    third.refresh_from_db()
    assert third.status == "skipped"
    page.screenshot(path=str(ARTIFACTS / "field-visits-5-replayed.png"), full_page=True)
    phone.close()


def test_a_check_in_queued_while_the_session_ran_out_is_sent_after_signing_in_again(live_server, browser, password,
                                                                                      center_a):
    """Long on the road without a connection, the marketer's session times out: the queued check-in is not
    dropped on the server's 401; the page asks to sign in again and sends it once that is done."""
    from aftersales.field.models import CheckIn
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory
    from tests.field.conftest_visits import make_tour

    visitor = UserFactory(username="visitor_signed_out", first_name="رضا", last_name="کاظمی", role=Role.VISITOR,
                          centers=[center_a])
    _tour, stops = make_tour(visitor, center_a, stops=2)
    first = stops[0]
    phone, page = _sign_in(browser, live_server.url, visitor, password, viewport={"width": 390, "height": 844},
                           is_mobile=True, has_touch=True, geolocation=PHONE_AT, permissions=["geolocation"])
    page.goto(f"{live_server.url}/field/today/")
    page.locator("[data-testid=field-today]").wait_for()

    phone.set_offline(True)
    page.locator(f"[data-stop='{first.pk}'] [data-testid=check-in]").click()
    expect(page.locator("[data-testid=queue-count]")).to_have_text("۱", timeout=15000)
    # The session ends while the phone is offline (as after SESSION_IDLE_MINUTES), then the connection is back.
    phone.clear_cookies()
    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-today-error]")).to_contain_text("وارد شوید", timeout=15000)
    assert page.locator("[data-testid=queue-count]").text_content().strip() == "۱"
    assert not CheckIn.objects.filter(stop=first).exists()
    page.screenshot(path=str(ARTIFACTS / "field-visits-6-signed-out.png"), full_page=True)

    # Signed in again: the page sends what waited on the phone, once.
    page.goto(f"{live_server.url}/accounts/login/?next=/field/today/")
    page.fill("#id_username", visitor.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/field/today/")
    page.locator("[data-testid=queue-banner]").wait_for(state="hidden", timeout=20000)
    assert CheckIn.objects.filter(stop=first).count() == 1
    phone.close()
