"""A manager orders a tour's day in the browser (issue 18): the typed and proposed orders side by side, the
figures in Persian digits and the schematic map drawn by the server (no tile server, no foreign host)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _reference(transactional_db):
    """A transactional test before this one emptied the tables the migrations had filled."""
    from django.apps import apps

    from aftersales.crm.reference import load_marketing_reference
    from aftersales.organization.roles import sync_roles

    sync_roles()
    load_marketing_reference(apps)


def test_a_manager_optimises_a_day_and_sees_the_schematic_map(live_server, browser, password, center_a, settings):
    from aftersales.field import services_tours as services
    from aftersales.field.models import TourDay
    from aftersales.organization.roles import Role
    from tests.factories import UserFactory
    from tests.field.conftest_tours import SHOPS, make_party

    settings.FIELD_MAP_TILE_URL = ""
    manager = UserFactory(username="tour_manager", role=Role.CENTER_MANAGER, centers=[center_a], is_staff=True)
    visitor = UserFactory(username="tour_visitor", role=Role.VISITOR, centers=[center_a], first_name="رضا",
                          last_name="احمدی")
    customers = []
    for name, lat, lon in SHOPS:
        party = make_party(center_a, visitor, name)
        services.place_create(customer=party.customer, center=center_a, acting_user=manager, latitude=lat,
                              longitude=lon)
        customers.append(party.customer)
    from django.utils import timezone

    today = timezone.localdate()
    tour = services.tour_create(name="تور شمال تهران", center=center_a, marketer=visitor, start_date=today,
                                end_date=today, start_latitude=35.7310, start_longitude=51.4260, acting_user=manager)
    services.tour_add_stops(tour=tour, date=today, customers=customers, acting_user=manager)
    day = TourDay.objects.get(tour=tour)

    ARTIFACTS.mkdir(exist_ok=True)
    violations = []
    session = browser.new_context(locale="fa-IR", viewport={"width": 1280, "height": 900})
    page = session.new_page()
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/field/tours/days/{day.pk}/")
    expect(page.get_by_test_id("day-not-optimised")).to_be_visible()
    page.get_by_test_id("day-optimise").click()
    expect(page.get_by_test_id("day-figures")).to_be_visible()
    expect(page.get_by_test_id("day-schematic")).to_be_visible()
    expect(page.get_by_test_id("map-point")).to_have_count(7)
    expect(page.get_by_test_id("flag-no-position")).to_have_count(1)
    planned_km = page.get_by_test_id("planned-km").inner_text()
    assert planned_km and all(char in "۰۱۲۳۴۵۶۷۸۹٫٬" for char in planned_km), planned_km
    page.screenshot(path=str(ARTIFACTS / "field-tour-day.png"), full_page=True)
    assert violations == []
    assert all(url.startswith(live_server.url) for url in requests), [u for u in requests
                                                                       if not u.startswith(live_server.url)]
    session.close()
