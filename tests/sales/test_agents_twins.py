"""Two managers saving overlapping commission rules at the same instant: one wins (PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest

from aftersales.organization.roles import Role
from aftersales.sales.models import CommissionRule
from aftersales.sales.services_commission import commission_rule_save
from tests.factories import UserFactory
from tests.twins import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    from aftersales.organization.roles import sync_roles

    sync_roles()


def test_two_overlapping_rules_saved_at_once_keep_one():
    user = UserFactory(username="rules_manager", role=Role.HEAD_OFFICE_MANAGER)

    def save():
        return commission_rule_save(kind="override", level=1, product_group=None, tier_from=0, rate=Decimal("1"),
                                    valid_from=datetime.date(2026, 3, 21), valid_to=None, acting_user=user).pk

    results = at_once(save)
    assert CommissionRule.objects.count() == 1
    assert sum(isinstance(result, int) for result in results) == 1, results
    assert any("ValidationError" in str(result) and "valid_from" in str(result) for result in results), results
