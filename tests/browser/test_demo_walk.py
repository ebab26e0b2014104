"""The demo as a newcomer meets it after `make run`: a fresh database, `seed_demo --size small`, the server,
and the worker's SMS on the demo's phone (var/messages/sms.jsonl). Each role signs in and finds its work —
the receptionist warranty and paid orders and the home-visit schedule, the technician a cartable and the
day's visits on a phone, the keeper the parts queue with stock on hand, the accountant invoices, payments
and a claim — and a customer opens the tracking link of their SMS on a phone and sees the estimate and
the center's phone (issue 13). Screenshots go to test-artifacts/demo-walk-*.png."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """What `make run` does, in a folder of its own: migrate, seed the demo, send its SMS, serve."""
    var = tmp_path_factory.mktemp("demo-var")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AFTERSALES_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "aftersales.settings.dev",
           "SITE_URL": url, "SMS_BACKEND": "file", "MESSAGING_QUIET_HOURS": ""}
    env.pop("DATABASE_URL", None)  # `make run` is the embedded SQLite
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--size", "small"],
                    ["shell", "-c", "from aftersales.messaging.tasks import dispatch\nwhile dispatch(): pass"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    server = subprocess.Popen(manage + ["runserver", "--noreload", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield {"url": url, "var": var}
    finally:
        server.terminate()
        server.wait(30)


def _sign_in(browser, demo, username, **context):
    page = browser.new_context(locale="fa-IR", **context).new_page()
    page.goto(f"{demo['url']}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{demo['url']}/")
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"demo-walk-{name}.png"), full_page=True)


def _rows(page, selector="table tbody tr"):
    return page.locator(selector).count()


def test_the_receptionist_finds_warranty_and_paid_orders_and_the_home_visit_schedule(browser, demo):
    page = _sign_in(browser, demo, "reception", **DESKTOP)
    page.goto(f"{demo['url']}/repairs/orders/")
    assert _rows(page) > 0
    body = page.inner_text("main")
    assert "گارانتی" in body and "آزاد" in body or "غیرگارانتی" in body  # warranty and paid work side by side
    _shot(page, "reception-orders")
    page.goto(f"{demo['url']}/repairs/schedule/?view=week")
    _shot(page, "reception-schedule-week")
    this_week = page.locator("[data-testid=visit]").count()
    page.click("[data-testid=schedule-next]")  # this week's gaps may all be past (on a Thursday evening)
    page.wait_for_load_state()
    _shot(page, "reception-schedule-next-week")
    # The demo books the coming seven days: on a Thursday evening (Friday off) all of them fall in next week.
    assert this_week + page.locator("[data-testid=visit]").count() > 0
    assert page.locator("a[data-testid=free-slot]").count() > 0
    page.goto(f"{demo['url']}/repairs/reception/")
    assert page.locator("#id_mobile").is_visible()


def test_the_technician_finds_a_cartable_and_the_days_visits_on_a_phone(browser, demo):
    page = _sign_in(browser, demo, "technician", **PHONE)
    page.goto(f"{demo['url']}/repairs/cartable/")
    assert _rows(page) > 0
    _shot(page, "technician-cartable-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the cartable scrolls sideways on a phone ({width} px)"
    page.goto(f"{demo['url']}/repairs/schedule/today/")
    assert page.locator("main").is_visible()
    _shot(page, "technician-today-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"


def test_the_keeper_finds_the_parts_queue_with_stock_on_hand(browser, demo):
    page = _sign_in(browser, demo, "warehouse", **DESKTOP)
    page.goto(f"{demo['url']}/repairs/parts/")
    assert _rows(page) > 0
    _shot(page, "keeper-parts-queue")


def test_the_accountant_finds_invoices_payments_and_a_warranty_claim(browser, demo):
    page = _sign_in(browser, demo, "accountant", **DESKTOP)
    page.goto(f"{demo['url']}/billing/")
    assert _rows(page) > 0
    _shot(page, "accountant-invoices")
    page.locator("table tbody tr a").first.click()
    page.wait_for_load_state()
    assert "ریال" in page.inner_text("main")
    _shot(page, "accountant-invoice")
    pdf = page.request.get(page.url.rstrip("/") + "/pdf/")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    page.goto(f"{demo['url']}/billing/claims/")
    assert _rows(page) > 0


def test_a_customer_opens_the_tracking_link_of_their_sms_on_a_phone_and_answers_the_estimate(browser, demo):
    sms = [json.loads(line) for line in (demo["var"] / "messages" / "sms.jsonl").read_text().splitlines()]
    links: dict[str, list[str]] = {}
    for message in sms:
        for word in message["text"].split():
            if "/track/" in word:
                links.setdefault(word, []).append(message["text"])
    assert links, "no SMS of the demo carries a tracking link"
    assert all(link.startswith(demo["url"]) for link in links), "links must point at the site that sent them"
    page = browser.new_context(locale="fa-IR", **PHONE).new_page()
    for link, texts in links.items():  # the estimate SMS: its page asks for an answer
        page.goto(link)
        if page.locator("[data-testid=estimate-approve]").count():
            break
    else:
        pytest.fail("no demo customer has an estimate waiting for their answer")
    assert page.locator("[data-testid=track-estimate-lines] tr").count() >= 3  # lines, VAT, total
    total = page.get_attribute("[data-testid=track-estimate-total]", "data-amount")
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    figures = {f"{int(total):,}", f"{int(total):,}".translate(persian).replace(",", "٬")}
    assert any(figure in text for text in texts for figure in figures), \
        f"the SMS and the tracking page show different figures: {figures} in {texts}"
    assert page.locator("[data-testid=track-center-phone]").get_attribute("href").startswith("tel:0")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the tracking page scrolls sideways on a phone ({width} px)"
    _shot(page, "customer-estimate-phone")
    page.click("[data-testid=estimate-approve]")
    page.wait_for_selector("[data-testid=track-answer][data-answer=approved]")
    _shot(page, "customer-approved-phone")


def _dispatch(demo):
    """The worker's pass over the outbox (`make run` runs the worker beside the server)."""
    env = {**os.environ, "AFTERSALES_VAR_DIR": str(demo["var"]), "DJANGO_SETTINGS_MODULE": "aftersales.settings.dev",
           "SITE_URL": demo["url"], "SMS_BACKEND": "file", "MESSAGING_QUIET_HOURS": ""}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "shell", "-c",
                    "from aftersales.messaging.tasks import dispatch\nwhile dispatch(): pass"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)


def _last_code_to(demo, mobile) -> str:
    import re

    sms = [json.loads(line) for line in (demo["var"] / "messages" / "sms.jsonl").read_text().splitlines()]
    texts = [message["text"] for message in sms if message.get("to") == mobile and "پرتال" in message["text"]]
    assert texts, f"no sign-in code was texted to {mobile}"
    digits = texts[-1].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    return re.search(r"(?<!\d)\d{5}(?!\d)", digits).group()


def _fits_a_phone(page, what):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} scrolls sideways on a phone ({width} px)"


def test_a_customer_signs_in_to_the_portal_on_a_phone_and_a_receptionist_confirms_their_home_visit(browser, demo):
    """Issue 22: the code from the demo's SMS file, a unit's warranty, the last repair and its invoice, a home
    visit asked for on the phone and confirmed at the desk, then seen by the customer with its tracking code."""
    import datetime

    from aftersales.core import jalali
    from aftersales.portal.demo import DEMO_MOBILE

    url = demo["url"]
    phone = browser.new_context(locale="fa-IR", **PHONE).new_page()
    phone.goto(f"{url}/portal/")
    phone.wait_for_url("**/portal/sign-in/**")
    _shot(phone, "portal-sign-in-phone")
    phone.fill("#id_mobile", DEMO_MOBILE)
    phone.click("[data-testid=portal-sign-in] button[type=submit]")
    phone.wait_for_selector("[data-testid=portal-code]")
    _dispatch(demo)
    phone.fill("#id_code", _last_code_to(demo, DEMO_MOBILE))
    phone.click("[data-testid=portal-code] button[type=submit]")
    phone.wait_for_url(f"{url}/portal/")
    assert phone.locator("[data-testid=portal-estimate-waiting]").count() >= 1
    _fits_a_phone(phone, "the portal's home")
    _shot(phone, "portal-home-phone")

    phone.goto(f"{url}/portal/units/")
    states = {phone.locator("[data-testid=portal-unit]").nth(i).get_attribute("data-state")
              for i in range(phone.locator("[data-testid=portal-unit]").count())}
    assert {"active", "expired", "not_activated"} <= states, states
    _shot(phone, "portal-units-phone")
    phone.locator("[data-testid=portal-unit][data-state=active]").first.click()
    phone.wait_for_selector("[data-testid=portal-warranty][data-state=active]")
    assert phone.locator("[data-testid=portal-warranty-end]").inner_text().strip()
    _fits_a_phone(phone, "a unit's page")
    _shot(phone, "portal-unit-phone")

    phone.goto(f"{url}/portal/repairs/")
    finished = phone.locator("[data-testid=portal-order]")
    invoice = None
    for index in range(finished.count()):
        finished.nth(index).click()
        phone.wait_for_selector("[data-testid=portal-repair-state]")
        if phone.locator("[data-testid=portal-invoice-pdf]").count():
            invoice = phone.locator("[data-testid=portal-invoice-pdf]").first.get_attribute("href")
            break
        phone.go_back()
    assert invoice, "no repair of the demo customer has an invoice"
    assert phone.locator("[data-testid=portal-steps] li").count() >= 1
    _shot(phone, "portal-repair-phone")
    pdf = phone.request.get(f"{url}{invoice}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    phone.goto(f"{url}/portal/service/")
    phone.check("input[name=kind][value=home]")
    phone.fill("#id_description", "کولر آبی روشن می‌شود ولی خنک نمی‌کند")
    import zoneinfo

    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Tehran")).date()  # the server's calendar day
    day = jalali.format_date(today + datetime.timedelta(days=3), latin_digits=True)
    # Typed, as on a phone's keyboard (focusing the field would open the picker's calendar over the button).
    phone.eval_on_selector("#id_preferred_on", "(field, day) => { field.value = day; }", day)
    phone.select_option("#id_window", "morning")
    _shot(phone, "portal-service-form-phone")
    phone.click("[data-testid=portal-service-form] button[type=submit]")
    phone.wait_for_url(f"{url}/portal/")
    assert phone.locator("[data-testid=portal-service-request][data-status=pending]").count() >= 1
    _shot(phone, "portal-service-sent-phone")

    desk = _sign_in(browser, demo, "reception", **DESKTOP)
    desk.goto(f"{url}/repairs/cartable/")
    request = desk.locator("[data-testid=service-requests] a[data-request]", has_text="کولر آبی")
    if not request.count():  # the description is on the request's page, the list shows the product
        request = desk.locator("[data-testid=service-requests] a[data-request]").last
    _shot(desk, "reception-service-requests")
    request.first.click()
    desk.wait_for_selector("[data-testid=request-details][data-status=pending]")
    assert "کولر آبی" in desk.inner_text("[data-testid=request-description]")
    desk.click("[data-testid=request-confirm]")
    desk.wait_for_url("**/repairs/orders/**")
    _shot(desk, "reception-confirmed-order")

    phone.goto(f"{url}/portal/repairs/")
    confirmed = phone.locator("[data-testid=portal-service-request][data-status=confirmed]")
    assert confirmed.count() >= 1
    assert confirmed.first.locator("[data-testid=portal-service-request-order]").inner_text().strip()
    _shot(phone, "portal-request-became-order-phone")
