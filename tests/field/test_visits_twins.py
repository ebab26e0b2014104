"""Twin requests at the same instant (PostgreSQL): the offline queue and the live request sending one check-in
with one key store one row; two outcomes of one visit with one key log one contact."""

import pytest
from django.utils import timezone

from aftersales.field.models import CheckIn
from aftersales.field.services_visits import check_in_record, visit_outcome_record
from aftersales.marketing.models import Contact
from tests.field.conftest_visits import *  # noqa: F401,F403
from tests.field.conftest_visits import POINTS, make_tour
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


def test_two_twin_check_ins_with_one_key_store_one(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a, stops=1)
    at = timezone.now()
    lat, lon = POINTS[0]

    def check_in():
        return check_in_record(stop=stops[0], acting_user=visitor_v, at=at, latitude=lat, longitude=lon,
                               submission_key="twin-key").pk

    first, second = at_once(check_in)
    assert first == second, (first, second)
    assert CheckIn.objects.filter(stop=stops[0]).count() == 1


def test_two_twin_outcomes_with_one_key_log_one_contact(visitor_v, center_a):
    _tour, stops = make_tour(visitor_v, center_a, stops=1)
    check_in_record(stop=stops[0], acting_user=visitor_v, at=timezone.now(), submission_key="c")

    def outcome():
        return visit_outcome_record(stop=stops[0], acting_user=visitor_v, outcome="positive",
                                    notes="سفارش ثبت شد", submission_key="twin-outcome").pk

    first, second = at_once(outcome)
    assert first == second, (first, second)
    assert Contact.objects.filter(customer=stops[0].customer, kind="visit").count() == 1
    assert CheckIn.objects.get(stop=stops[0]).contact_id == first
