import pytest

from aftersales.organization.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def dealer_type(db):
    from aftersales.crm.models import PartyType

    return PartyType.objects.get(code="dealer")


@pytest.fixture
def visitor_a(center_a):
    return UserFactory(username="visitor_a", role=Role.VISITOR, centers=[center_a])


@pytest.fixture
def visitor_b(center_b):
    return UserFactory(username="visitor_b", role=Role.VISITOR, centers=[center_b])


@pytest.fixture
def marketing_manager(center_a):
    return UserFactory(username="marketing_manager", role=Role.MARKETING_MANAGER, centers=[center_a])


@pytest.fixture
def lead(dealer_type, center_a, visitor_a):
    from aftersales.crm.services import lead_create

    return lead_create(acting_user=visitor_a, kind="legal", company_name="فروشگاه لوازم خانگی نور",
                       mobile="09121234567", party_type=dealer_type, center=center_a, marketer=visitor_a,
                       rating="hot", activity="لوازم خانگی")
