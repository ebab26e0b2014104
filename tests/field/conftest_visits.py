"""The visits' cast: center A's visitor ``visitor_v`` (and a colleague), a marketing manager of A, B's visitor,
and ``make_tour`` that writes a tour straight through the models (the tours part builds its own services):
a published tour of today with stops at dealers in Tehran, the first place with coordinates."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.organization.roles import Role
from tests.factories import UserFactory

_numbers = itertools.count(1)

#: The places' coordinates: Vanak square, Tajrish, Azadi tower (Tehran).
POINTS = [(Decimal("35.757500"), Decimal("51.410000")), (Decimal("35.804200"), Decimal("51.433800")),
          (Decimal("35.699700"), Decimal("51.338000"))]


@pytest.fixture
def visitor_v(center_a):
    return UserFactory(username="visitor_v", role=Role.VISITOR, centers=[center_a], first_name="رضا",
                       last_name="احمدی")


@pytest.fixture
def visitor_v2(center_a):
    return UserFactory(username="visitor_v2", role=Role.VISITOR, centers=[center_a])


@pytest.fixture
def visitor_vb(center_b):
    return UserFactory(username="visitor_vb", role=Role.VISITOR, centers=[center_b])


@pytest.fixture
def field_manager(center_a):
    return UserFactory(username="field_manager", role=Role.CENTER_MANAGER, centers=[center_a])


def make_party(center, marketer, name: str):
    """A dealer of ``center`` in the CRM (a lead at the workflow's first stage) with a mobile."""
    from aftersales.crm.models import PartyType
    from aftersales.crm.services import lead_create

    number = next(_numbers)
    party = lead_create(acting_user=marketer, kind="legal", company_name=name, mobile=f"0912{3000000 + number:07d}",
                        party_type=PartyType.objects.get(code="dealer"), center=center, marketer=marketer)
    return party.customer


def make_tour(marketer, center, *, day: datetime.date | None = None, stops: int = 3, status: str = "published",
              positions=True):
    """A tour of ``marketer`` for ``day`` (today) with ``stops`` stops in planned order at 09:00, 10:00…;
    ``positions``: True (every place has coordinates), False (none), or a list of booleans."""
    from aftersales.field.models import Place, Tour, TourDay, TourStop

    day = day or timezone.localdate()
    tour = Tour.objects.create(name=f"تور {next(_numbers)}", center=center, marketer=marketer, start_date=day,
                               end_date=day, status=status)
    tour_day = TourDay.objects.create(tour=tour, date=day)
    flags = positions if isinstance(positions, list) else [positions] * stops
    rows = []
    for index in range(stops):
        customer = make_party(center, marketer, f"فروشگاه لوازم خانگی شماره {next(_numbers)}")
        lat, lon = POINTS[index % len(POINTS)] if flags[index] else (None, None)
        place = Place.objects.create(customer=customer, center=center, name="", latitude=lat, longitude=lon,
                                     position_source="typed" if lat is not None else "")
        rows.append(TourStop.objects.create(day=tour_day, customer=customer, place=place, typed_order=index + 1,
                                            order=index + 1, planned_arrival=datetime.time(9 + index, 0)))
    return tour, rows
