"""The demo of tours: the visitor's published tour with today's stops ordered, for their phone's day."""

import random

import pytest
from django.utils import timezone

from aftersales.field.models import Place, Route, Tour, TourStop

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm_demo(db):
    from aftersales.crm.demo import seed_crm
    from aftersales.organization.demo import seed_organization

    seed_organization(size="small")
    seed_crm(size="small", rng=random.Random(7))


def test_the_demo_visitor_has_a_published_tour_with_today_ordered(crm_demo):
    from aftersales.field.demo_tours import seed_tours

    line = seed_tours(size="small", rng=random.Random(1))
    assert "places" in line
    tour = Tour.objects.get(marketer__username="visitor", status=Tour.Status.PUBLISHED)
    today = tour.days.get(date=timezone.localdate())
    stops = list(today.stops.order_by("order"))
    assert len(stops) == 8
    assert today.optimised_at is not None
    assert today.planned_distance_m < today.typed_distance_m
    assert stops[-1].flag == TourStop.Flag.NO_POSITION
    assert all(stop.planned_arrival for stop in stops[:-1])
    assert tour.days.count() >= 2
    assert Route.objects.get().places.count() == 6
    assert Place.objects.filter(latitude__isnull=False).count() >= 7
    assert seed_tours(size="small", rng=random.Random(1)) == "already present"
