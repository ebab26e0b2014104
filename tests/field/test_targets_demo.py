"""The targets' demo: this month's plan of the demo visitor's team, its achievement non-zero from the sales demo."""

import random

import pytest

from aftersales.field.models import TargetPlan
from aftersales.field.selectors_targets import achievement, plan_targets
from tests.sales.conftest import price_list, unpriced_model, washer_model  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_demo_plan_shows_the_visitors_sales_and_visits_and_runs_once(price_list, unpriced_model):  # noqa: F811
    from aftersales.field import demo_targets
    from aftersales.organization.demo import seed_organization
    from aftersales.organization.models import User
    from aftersales.sales import demo_documents

    seed_organization(size="small")
    demo_documents.seed(size="small", rng=random.Random("sales-1405"))
    assert demo_targets.seed(size="small", rng=random.Random(1))
    plan = TargetPlan.objects.get()
    visitor = User.objects.get(username="visitor")
    figures = {item.target.metric: item for item in achievement(plan, plan_targets(plan, visitor))}
    assert figures["sales_amount"].achieved > 0 and figures["visits"].achieved == 2
    assert plan.targets.filter(marketer__isnull=True).exists()
    assert demo_targets.seed(size="small", rng=random.Random(1)) == []
