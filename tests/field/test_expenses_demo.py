"""The expenses' demo: the demo visitor's month with approved, refused (with a reason) and pending expenses,
receipts as real images, written once."""

import random

import pytest

from aftersales.field.models import VisitExpense

pytestmark = pytest.mark.django_db


def test_demo_writes_the_visitors_month_of_expenses_once(settings, tmp_path):
    from PIL import Image

    from aftersales.core import jalali
    from aftersales.field import demo_expenses
    from aftersales.organization.demo import seed_organization

    settings.MEDIA_ROOT = tmp_path
    seed_organization(size="small")
    assert demo_expenses.seed(size="small", rng=random.Random(1))
    expenses = VisitExpense.objects.filter(marketer__username="visitor")
    statuses = sorted(expenses.values_list("status", flat=True))
    assert statuses.count("approved") == 3 and statuses.count("refused") == 1 and statuses.count("pending") == 3
    assert expenses.get(status="refused").refusal_reason
    assert {expense.decided_by.username for expense in expenses.exclude(status="pending")} == {"center"}
    from django.utils import timezone

    assert all(expense.spent_on >= jalali.month_start(timezone.localdate()) for expense in expenses)
    for expense in expenses.exclude(receipt=""):
        with Image.open(expense.receipt.path) as image:
            assert image.format == "PNG"
    assert demo_expenses.seed(size="small", rng=random.Random(1)) == []
