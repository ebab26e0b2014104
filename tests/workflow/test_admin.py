"""The generic admin for experts: its chart draws, the page fits a 1366 px screen, and an edit there is
kept as a workflow version like a publish (issue 14)."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from aftersales.workflow.models import Workflow

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class _Form(HTMLParser):
    """The values a browser would post from the page's change form."""

    def __init__(self):
        super().__init__()
        self.values, self._textarea, self._select, self._in_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.values[name] = "on"
            else:
                self.values[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.values[name] = name, ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str) -> dict:
    parser = _Form()
    parser.feed(html)
    return {name: value.removeprefix("\n") for name, value in parser.values.items()}


@pytest.fixture
def workflow(db):
    return Workflow.objects.get(code="repair")


def test_the_admin_page_draws_the_chart_in_a_sized_box_and_links_the_designer(admin_client, workflow):
    page = admin_client.get(f"/admin/workflow/workflow/{workflow.pk}/change/").content.decode()
    assert '<div class="workflow-admin-chart"><svg' in page and "workflow/admin_workflow.css" in page
    assert f'href="/workflows/{workflow.code}/"' in page
    assert 'cols="36"' in page and 'rows="2"' in page  # narrow JSON boxes


def test_an_edit_in_the_admin_is_kept_as_a_version(admin_client, admin_user, workflow):
    url = f"/admin/workflow/workflow/{workflow.pk}/change/"
    values = form_values(admin_client.get(url).content.decode())
    names = [key for key, value in values.items() if key.startswith("states-") and key.endswith("-name")
             and value == "آماده تحویل"]
    values[names[0]] = "آماده برای تحویل"
    values["_save"] = "Save"
    response = admin_client.post(url, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.refresh_from_db()
    version = workflow.versions.get(number=2)
    assert workflow.version == 2 and version.published_by == admin_user and version.reason
    assert "آماده برای تحویل" in {state["name"] for state in version.definition["states"]}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_page_fits_a_1366_screen_and_its_chart_is_visible(live_server, browser, password):
    from aftersales.repairs.reference import load_repair_workflow
    from aftersales.workflow.models import State, Transition
    from tests.factories import UserFactory

    load_repair_workflow(Workflow, State, Transition)  # a flushed database: ship the workflow again
    UserFactory(username="root", is_staff=True, is_superuser=True)
    workflow = Workflow.objects.get(code="repair")
    page = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/workflow/workflow/{workflow.pk}/change/")
    chart = page.locator(".workflow-admin-chart svg").bounding_box()
    assert chart["width"] > 500 and chart["height"] > 100
    box = page.locator(".field-chart .readonly").bounding_box()
    assert chart["x"] >= box["x"] - 1 and chart["x"] + chart["width"] <= box["x"] + box["width"] + 1  # not cut off
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workflow-admin.png"))
    page.locator("#states-group").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "workflow-admin-states.png"))
    page.locator("#transitions-group .inline-related").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "workflow-admin-transitions.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    header = page.locator("#header").bounding_box()
    assert header["x"] >= 0 and header["x"] + header["width"] <= 1366
