"""Two managers, or a double click, at the same instant (PostgreSQL): a tour is created once for one key, and
two managers editing the same tour from the same version do not both write."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftersales.field import services_tours as services
from aftersales.field.models import Tour, TourStop
from tests.field.conftest_tours import dealers, make_tour, tour_visitor  # noqa: F401
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference(transactional_db):
    """A transactional test before this one emptied the tables the migrations had filled."""
    from django.apps import apps

    from aftersales.crm.reference import load_marketing_reference
    from aftersales.organization.roles import sync_roles

    sync_roles()
    load_marketing_reference(apps)


def _outcome(call):
    def run():
        try:
            return call()
        except ValidationError as error:
            return " ".join(error.messages)
    return run


def test_a_double_submit_of_a_tour_creates_one(center_a, manager_a, tour_visitor):
    today = timezone.localdate()

    def create():
        return services.tour_create(name="تور دوقلو", center=center_a, marketer=tour_visitor, start_date=today,
                                    end_date=today + datetime.timedelta(days=1), acting_user=manager_a,
                                    submission_key="twin-tour").pk

    first, second = at_once(create)
    assert first == second, (first, second)
    assert Tour.objects.count() == 1


def test_two_managers_adding_from_the_same_version_write_once(make_tour, dealers, manager_a):
    tour = make_tour()
    version = tour.version
    customers = iter([dealers[0], dealers[1]])

    def add():
        return len(services.tour_add_stops(tour=tour, date=tour.start_date, customers=[next(customers)],
                                           acting_user=manager_a, version=version))

    results = at_once(_outcome(add))
    assert sorted(map(str, results)).count("1") == 1, results
    assert TourStop.objects.count() == 1
    assert Tour.objects.get().version == version + 1
