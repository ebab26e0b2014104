"""Twin submits of a visit expense (PostgreSQL): the same form key sent twice at the same instant stores one
expense; two managers deciding one expense at once give one decision, the other is told it was decided."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aftersales.field.models import VisitExpense
from aftersales.field.services_expenses import expense_approve, expense_refuse, expense_submit
from aftersales.organization.roles import Role
from tests.factories import UserFactory
from tests.twins import at_once

from .conftest_expenses import *  # noqa: F401,F403

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    from aftersales.organization.roles import sync_roles

    sync_roles()


def test_one_key_sent_twice_at_once_stores_one_expense(visitor_a):
    def send():
        expense = expense_submit(acting_user=visitor_a, kind="meal", amount=900_000, submission_key="twin-key",
                                 spent_on=timezone.localdate() - datetime.timedelta(days=1))
        return expense.pk

    first, second = at_once(send)
    assert first == second and VisitExpense.objects.count() == 1


def test_two_managers_deciding_one_expense_at_once_give_one_decision(visitor_a, manager_a, center_a):
    other = UserFactory(username="manager_a2", role=Role.CENTER_MANAGER, centers=[center_a])
    expense = expense_submit(acting_user=visitor_a, kind="meal", amount=900_000, spent_on=timezone.localdate())
    deciders = iter([("approve", manager_a), ("refuse", other)])

    def decide():
        action, manager = next(deciders)
        try:
            if action == "approve":
                expense_approve(expense=expense, acting_user=manager)
            else:
                expense_refuse(expense=expense, acting_user=manager, reason="رسید ندارد")
            return action
        except ValidationError as error:
            return " ".join(error.messages)

    outcomes = at_once(decide)
    decided = [outcome for outcome in outcomes if outcome in ("approve", "refuse")]
    assert len(decided) == 1, outcomes
    assert "پیش‌تر" in next(outcome for outcome in outcomes if outcome not in decided)
    expense.refresh_from_db()
    assert expense.status == {"approve": "approved", "refuse": "refused"}[decided[0]]
    assert expense.history.filter(history_type="~").count() == 1
