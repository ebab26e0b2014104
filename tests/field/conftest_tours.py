"""The tours' cast: center A's visitor ``tour_visitor`` (and B's), center A's manager (``manager_a``, shared),
dealers of center A in the CRM with places in Tehran (``dealers``: eight, the last without coordinates) and
``make_tour`` that plans a tour through the services."""

import datetime
import itertools

import pytest
from django.utils import timezone

from aftersales.organization.roles import Role
from tests.factories import UserFactory

_mobiles = itertools.count(1000)

#: Shops in Tehran: (name, latitude, longitude).
SHOPS = [("فروشگاه ونک", 35.7575, 51.4098), ("فروشگاه تجریش", 35.8048, 51.4347),
         ("فروشگاه ولیعصر", 35.7331, 51.4108), ("فروشگاه نیاوران", 35.8123, 51.4680),
         ("فروشگاه یوسف‌آباد", 35.7280, 51.4020), ("فروشگاه پاسداران", 35.7697, 51.4707),
         ("فروشگاه سعادت‌آباد", 35.7824, 51.3747), ("فروشگاه بی‌نشان", None, None)]


@pytest.fixture
def tour_visitor(center_a):
    return UserFactory(username="tour_visitor", role=Role.VISITOR, centers=[center_a], first_name="رضا",
                       last_name="احمدی")


@pytest.fixture
def tour_visitor_b(center_b):
    return UserFactory(username="tour_visitor_b", role=Role.VISITOR, centers=[center_b])


def make_party(center, marketer, name, *, rating="warm"):
    from aftersales.crm.models import PartyType
    from aftersales.crm.services import lead_create

    return lead_create(acting_user=marketer, kind="legal", company_name=name, mobile=f"0912{next(_mobiles):07d}",
                       party_type=PartyType.objects.get(code="dealer"), center=center, marketer=marketer,
                       rating=rating)


@pytest.fixture
def dealers(center_a, tour_visitor, manager_a):
    """Eight parties of center A, each with a place (the last one's without coordinates)."""
    from aftersales.field.services_tours import place_create

    result = []
    for index, (name, lat, lon) in enumerate(SHOPS):
        party = make_party(center_a, tour_visitor, name, rating="hot" if index % 2 == 0 else "cold")
        place_create(customer=party.customer, center=center_a, acting_user=manager_a, latitude=lat, longitude=lon,
                     opens_at=datetime.time(9, 0), closes_at=datetime.time(20, 0))
        result.append(party.customer)
    return result


@pytest.fixture
def make_tour(center_a, tour_visitor, manager_a):
    from aftersales.field.services_tours import tour_create

    def _make(**values):
        today = timezone.localdate()
        values.setdefault("name", "تور شمال تهران")
        values.setdefault("center", center_a)
        values.setdefault("marketer", tour_visitor)
        values.setdefault("start_date", today)
        values.setdefault("end_date", today + datetime.timedelta(days=3))
        values.setdefault("start_latitude", 35.7310)
        values.setdefault("start_longitude", 51.4260)
        values.setdefault("acting_user", manager_a)
        return tour_create(**values)

    return _make
