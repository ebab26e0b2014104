"""The phone page /field/today/ (issue 18): today's stops in order with call and navigate links, the forms that
work without JavaScript, a manager's read-only look at a marketer's day, and the menu item."""

import pytest

from aftersales.field.models import CheckIn, TourStop
from aftersales.marketing.models import Contact
from tests.field.conftest_visits import *  # noqa: F401,F403
from tests.field.conftest_visits import make_tour

pytestmark = pytest.mark.django_db


def test_the_page_lists_todays_stops_with_call_and_geo_links(login, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a, positions=[True, False, True])
    response = login(visitor_v).get("/field/today/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "تور امروز من" in html
    assert html.index(f'data-stop="{stops[0].pk}"') < html.index(f'data-stop="{stops[1].pk}"')
    assert f'href="tel:{stops[0].customer.mobile}"' in html
    assert 'href="geo:35.757500,51.410000' in html
    assert html.count('data-testid="stop-navigate"') == 2  # the place without coordinates has no link
    assert "۰۹:۰۰" in html  # planned arrival in Persian digits
    assert "<script>" not in html and 'style="' not in html


def test_a_user_without_the_right_is_refused(login, reception_a):
    assert login(reception_a).get("/field/today/").status_code == 403


def test_no_stops_today_says_so(login, visitor_v):
    assert "امروز بازدیدی" in login(visitor_v).get("/field/today/").content.decode()


def test_the_forms_work_without_javascript(login, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    client = login(visitor_v)
    stop = stops[0]
    for _ in range(2):  # a double submit checks in once
        response = client.post("/field/today/", {"action": "check_in", "stop": stop.pk, "submission_key": "k"})
        assert response.status_code == 302
    assert CheckIn.objects.filter(stop=stop).count() == 1
    client.post("/field/today/", {"action": "outcome", "stop": stop.pk, "submission_key": "o",
                                  "outcome": "positive", "notes": "بازدید خوب بود"})
    assert Contact.objects.filter(customer=stop.customer, kind="visit").count() == 1
    client.post("/field/today/", {"action": "skip", "stop": stops[1].pk, "reason": ""})
    assert TourStop.objects.get(pk=stops[1].pk).status == "skipped"


def test_a_refused_plain_post_shows_the_persian_message(login, visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a)
    client = login(visitor_v)
    response = client.post("/field/today/", {"action": "outcome", "stop": stops[0].pk, "submission_key": "o",
                                             "notes": "x"}, follow=True)
    assert "پیش از ثبت نتیجه" in response.content.decode()


def test_a_manager_sees_a_marketers_day_read_only(login, visitor_v, field_manager, visitor_vb, center_a):
    make_tour(visitor_v, center_a)
    client = login(field_manager)
    response = client.get(f"/field/today/?marketer={visitor_v.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="stop"' in html and 'data-testid="check-in"' not in html
    assert client.get(f"/field/today/?marketer={visitor_vb.pk}").status_code == 404
    assert client.get("/field/today/?marketer=abc").status_code == 404


def test_the_menu_offers_my_tour_today_to_a_visitor(login, visitor_v):
    html = login(visitor_v).get("/field/today/").content.decode()
    assert 'href="/field/today/"' in html
