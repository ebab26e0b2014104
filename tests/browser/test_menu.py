"""The staff top menu stays on one line on office screens (1366 and 1280 px wide), issue 13.

The superuser has the most entries; they are grouped into a few drop-downs by subject
(``organization.menu``), which open with the mouse and the keyboard. On a phone the menu folds
behind the menu button.
"""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _login_superuser(live_server, page):
    from django.contrib.auth import get_user_model

    from aftersales.organization.roles import sync_roles

    sync_roles()
    get_user_model().objects.create_superuser("root", password="x-Pass-123", first_name="مدیر", last_name="سامانه")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "x-Pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _one_line_height(page) -> float:
    """The height of the bar with a single item in it: the brand's line plus the bar's padding."""
    return page.evaluate("""() => {
        const nav = document.querySelector('nav.app-nav');
        const style = getComputedStyle(nav);
        const link = document.querySelector('nav.app-nav .navbar-nav > .nav-item');
        const brand = document.querySelector('nav.app-nav .navbar-brand');
        return Math.max(link.getBoundingClientRect().height, brand.getBoundingClientRect().height)
            + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    }""")


@pytest.mark.parametrize("width,height", [(1366, 768), (1280, 800)])
def test_superuser_menu_is_one_line_on_office_screens(live_server, page, width, height):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": width, "height": height})
    _login_superuser(live_server, page)

    groups = page.locator("[data-testid=main-menu] > .dropdown")
    assert groups.count() == 8  # workshop, warranty, warehouse & billing, customers & marketing, CRM, sales, master data,
    # admin
    nav_height = page.locator("nav.app-nav").bounding_box()["height"]
    assert nav_height <= _one_line_height(page) + 1
    items = page.locator("nav.app-nav .navbar-nav > .nav-item, [data-testid=switch-language], [data-testid=user-menu]")
    tops = {round(items.nth(i).bounding_box()["y"] + items.nth(i).bounding_box()["height"] / 2)
            for i in range(items.count())}
    assert max(tops) - min(tops) <= 2  # every entry on the same line
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing pushed off screen
    logout = page.locator("nav.app-nav form[action$='/logout/'] button").bounding_box()
    assert 0 <= logout["x"] and logout["x"] + logout["width"] <= width

    workshop = page.locator("[data-menu-group=workshop]")
    workshop.locator(".dropdown-toggle").click()
    menu = workshop.locator(".dropdown-menu")
    menu.wait_for(state="visible")
    assert "برگه‌های تعمیر" in menu.inner_text() or menu.locator("a").count() >= 3
    page.screenshot(path=str(ARTIFACTS / f"menu-{width}.png"))
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden")

    # The keyboard alone: focus the warranty group, open it with Enter, walk into it with the arrow key.
    warranty = page.locator("[data-menu-group=warranty]")
    warranty.locator(".dropdown-toggle").focus()
    page.keyboard.press("Enter")
    warranty.locator(".dropdown-menu").wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('dropdown-item')")
    page.keyboard.press("Escape")

    # In English (longer labels, left to right) the bar still holds on one line.
    page.click("[data-testid=switch-language]")
    page.wait_for_selector("html[lang=en]")
    page.screenshot(path=str(ARTIFACTS / f"menu-{width}-en.png"))
    assert page.locator("nav.app-nav").bounding_box()["height"] <= _one_line_height(page) + 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_folds_the_menu_behind_a_button(live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    _login_superuser(live_server, page)
    assert not page.locator("[data-testid=main-menu]").is_visible()
    page.click(".navbar-toggler")
    page.locator("[data-testid=main-menu]").wait_for(state="visible")
    page.locator("[data-menu-group=customers] .dropdown-toggle").click()
    page.locator("[data-menu-group=customers] .dropdown-menu").wait_for(state="visible")
    page.screenshot(path=str(ARTIFACTS / "menu-390.png"))
