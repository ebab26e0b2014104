"""The visits' demo: yesterday's stops of the demo visitor checked in with outcomes, today's first two checked in
(the second flagged far), the rest left for the phone; a second run writes nothing."""

import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.field.models import CheckIn, TourStop
from aftersales.marketing.models import Contact
from tests.field.conftest_visits import make_tour

pytestmark = pytest.mark.django_db


def test_demo_checks_in_the_visitors_stops_through_the_services():
    from aftersales.field.demo_visits import seed_visits
    from aftersales.organization.demo import seed_organization

    seed_organization(size="small")
    visitor = get_user_model().objects.get(username="visitor")
    center = visitor.centers.order_by("code").first()
    today = timezone.localdate()
    _old, yesterday_stops = make_tour(visitor, center, day=today - datetime.timedelta(days=1), stops=2)
    _tour, today_stops = make_tour(visitor, center, stops=3)

    assert seed_visits(size="small", rng=random.Random(1))
    assert CheckIn.objects.filter(stop__in=yesterday_stops).count() == 2
    assert Contact.objects.filter(customer__in=[stop.customer for stop in yesterday_stops], kind="visit").count() == 2
    first, second = (CheckIn.objects.get(stop=stop) for stop in today_stops[:2])
    assert not first.is_far and first.contact_id and second.is_far and not second.contact_id
    assert TourStop.objects.get(pk=today_stops[2].pk).status == TourStop.Status.PLANNED
    assert not seed_visits(size="small", rng=random.Random(1))
