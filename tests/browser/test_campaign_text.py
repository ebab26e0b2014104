"""Marketing writes a campaign's text and sees it filled as it is typed (issue 13), in headless Chromium."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_campaign_text_preview_fills_the_customers_values_live(live_server, page):
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import PASSWORD, UserFactory

    sync_roles()
    UserFactory(username="mm", role=Role.MARKETING_MANAGER)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "mm")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/marketing/campaigns/new/")
    page.fill("#id_body", "{customer_name} عزیز، سرویس زمستانه {tracking_code}")
    preview = page.locator("[data-testid=preview-text]")
    assert "سارا احمدی عزیز" in preview.inner_text() or "Sara Ahmadi" in preview.inner_text()
    assert "tracking_code" in page.inner_text("[data-testid=preview-unknown]")  # a place a campaign cannot fill
    assert page.inner_text("[data-testid=preview-fallbacks]").startswith("مشتری عزیز")  # the name's fallback
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "campaign-text.png"), full_page=True)
