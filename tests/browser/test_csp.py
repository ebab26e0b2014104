"""The Content-Security-Policy breaks no page: Chromium reports no violation on the main pages."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Chromium reports every refused script, style or image on the console, and fires this event.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def test_main_pages_load_with_no_policy_violation(live_server, page, password, center_a):
    from aftersales.organization.roles import Role, sync_roles
    from tests.factories import UserFactory

    sync_roles()
    admin = UserFactory(username="boss", role=Role.HEAD_OFFICE_MANAGER, is_staff=True, is_superuser=True)
    ARTIFACTS.mkdir(exist_ok=True)
    violations = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "CSP violation" in message.text else None)

    page.goto(f"{live_server.url}/warranty/check?serial=NO-SUCH-1")
    page.wait_for_selector("[data-testid=warranty-result]")
    page.goto(f"{live_server.url}/feedback/")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.screenshot(path=str(ARTIFACTS / "csp-dashboard.png"), full_page=True)

    for path in ["/admin/", "/admin/organization/user/", f"/admin/organization/user/{admin.pk}/change/",
                 "/admin/messaging/messagetemplate/add/", "/competitors/compare/", "/api/", "/no-such-page/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/admin/organization/user/")
    page.screenshot(path=str(ARTIFACTS / "csp-admin-changelist.png"))

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)  # drawn by the script file, not inline
    page.screenshot(path=str(ARTIFACTS / "csp-api-docs.png"))

    assert violations == []
    # The watch itself works: an inline style added by a page is refused and reported.
    page.evaluate("() => document.body.insertAdjacentHTML('beforeend', '<p style=\\'color: red\\'>x</p>')")
    page.wait_for_timeout(200)
    assert violations and "style-src" in violations[0]
