"""The targets' cast: center A's team (its manager, visitors ``visitor_a`` and ``visitor_a2``), Tehran
province with the city of Tehran and its district 1, Isfahan city, a sales territory of district 1, and
helpers that write an invoice or a credit note for a party, log a visit and make a party."""

import datetime
import itertools

import pytest
from django.utils import timezone

from aftersales.organization.roles import Role
from tests.factories import UserFactory

_numbers = itertools.count(1)


@pytest.fixture
def visitor_a(center_a):
    return UserFactory(username="visitor_a", role=Role.VISITOR, centers=[center_a], first_name="رضا",
                       last_name="احمدی")


@pytest.fixture
def visitor_a2(center_a):
    return UserFactory(username="visitor_a2", role=Role.VISITOR, centers=[center_a], first_name="مریم",
                       last_name="نوری")


@pytest.fixture
def visitor_b(center_b):
    return UserFactory(username="visitor_b", role=Role.VISITOR, centers=[center_b])


@pytest.fixture
def marketing_manager(center_a):
    return UserFactory(username="marketing_manager", role=Role.MARKETING_MANAGER, centers=[center_a])


@pytest.fixture
def regions(db):
    from aftersales.regions.models import Region, SalesTerritory

    tehran_province = Region.objects.create(code="T23", name="تهران", kind="province")
    tehran = Region.objects.create(code="T2301", name="تهران", kind="city", parent=tehran_province)
    district = Region.objects.create(code="T230101", name="منطقه ۱", kind="district", parent=tehran)
    isfahan_province = Region.objects.create(code="T10", name="اصفهان", kind="province")
    isfahan = Region.objects.create(code="T1001", name="اصفهان", kind="city", parent=isfahan_province)
    north = SalesTerritory.objects.create(code="NORTH", name="شمال تهران")
    north.regions.add(district)
    return {"tehran_province": tehran_province, "tehran": tehran, "district": district,
            "isfahan_province": isfahan_province, "isfahan": isfahan, "north": north}


@pytest.fixture
def party_types(db):
    from aftersales.crm.models import PartyType

    types = {party_type.code: party_type for party_type in PartyType.objects.all()}
    assert len(types) >= 2
    return types


@pytest.fixture
def plan_days():
    """This plan's range: ten days ago to twenty days ahead (31 days, 11 gone by today)."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=10), today + datetime.timedelta(days=20)


@pytest.fixture
def make_party(center_a, manager_a, party_types):
    from aftersales.crm.services import party_create
    from aftersales.customers.models import Customer

    def _make(*, marketer, region=None, party_type=None, name="فروشگاه", center=None, by=None):
        number = next(_numbers)
        customer = Customer.objects.create(kind="legal", company_name=f"{name} {number}",
                                           mobile=f"0912{number:07d}")
        return party_create(customer=customer, party_type=party_type or party_types["dealer"],
                            center=center or center_a, acting_user=by or manager_a, marketer=marketer, region=region)

    return _make


@pytest.fixture
def sell(center_a):
    """Write an issued sales invoice (or, with ``credit=True``, a credit note) of ``amount`` rials before VAT."""
    from aftersales.sales.models import SalesDocument

    def _sell(party, amount, *, on=None, credit=False, vat=0):
        number = next(_numbers)
        kind = SalesDocument.Kind.CREDIT if credit else SalesDocument.Kind.INVOICE
        amount = -amount if credit else amount
        return SalesDocument.objects.create(
            center=center_a, kind=kind, number=f"T-{number}", customer_id=party.pk,
            issued_on=on or timezone.localdate(), subtotal=amount, discount=0, vat=vat, total=amount + vat)

    return _sell


@pytest.fixture
def visit(center_a):
    from aftersales.marketing.models import Contact

    def _visit(party, marketer, *, at=None, kind=Contact.Kind.VISIT):
        return Contact.objects.create(customer_id=party.pk, kind=kind, notes="بازدید", logged_by=marketer,
                                      occurred_at=at or timezone.now())

    return _visit
