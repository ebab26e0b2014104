"""Filing visit expenses and deciding them (F58): the receipt over the threshold, twin submits, the
manager's one decision on another's expense, withdrawal, totals and scoping."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.field.models import VisitExpense
from aftersales.field.selectors_expenses import approval_queue, expense_list, expense_totals
from aftersales.field.services_expenses import (RECEIPT_MAX_BYTES, expense_approve, expense_refuse, expense_submit,
                                                expense_withdraw)

from .conftest_expenses import *  # noqa: F401,F403
from .conftest_expenses import png

pytestmark = pytest.mark.django_db


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])


def test_an_expense_over_the_threshold_is_refused_without_a_receipt_photo(submit):
    with pytest.raises(ValidationError) as error:
        submit(amount=5_000_001)
    assert "عکس رسید" in messages(error, "receipt") and "۵٬۰۰۰٬۰۰۰" in messages(error, "receipt")
    assert not VisitExpense.objects.exists()
    expense = submit(amount=5_000_001, receipt=png())
    assert expense.status == "pending" and expense.receipt.name.endswith(".png")
    assert submit(amount=5_000_000).receipt.name == ""  # at the threshold itself no photo is needed


def test_a_receipt_that_is_not_an_image_or_too_large_is_refused(submit):
    with pytest.raises(ValidationError) as error:
        submit(receipt=SimpleUploadedFile("receipt.jpg", b"%PDF-1.4 not a photo"))
    assert "عکس" in messages(error, "receipt")
    big = png()
    big.size = RECEIPT_MAX_BYTES + 1
    with pytest.raises(ValidationError) as error:
        submit(receipt=big)
    assert "مگابایت" in messages(error, "receipt")
    assert not VisitExpense.objects.exists()


def test_an_expense_cannot_be_dated_in_the_future_nor_outside_its_tour(submit, tour_a):
    with pytest.raises(ValidationError) as error:
        submit(spent_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "آینده" in messages(error, "spent_on")
    with pytest.raises(ValidationError) as error:
        submit(tour=tour_a, spent_on=tour_a.start_date - datetime.timedelta(days=1))
    assert "تور" in messages(error, "spent_on")


def test_a_marketer_files_only_for_their_own_tour(submit, tour_a, visitor_a2):
    with pytest.raises(ValidationError) as error:
        submit(acting_user=visitor_a2, tour=tour_a)
    assert "tour" in error.value.message_dict
    expense = submit(tour=tour_a)
    assert (expense.center, expense.marketer, expense.tour) == (tour_a.center, tour_a.marketer, tour_a)


def test_twin_submits_with_one_key_store_one_expense(submit, visitor_a, visitor_a2):
    first = submit(submission_key="form-key-1", receipt=png())
    again = submit(submission_key="form-key-1", receipt=png())
    assert again.pk == first.pk and VisitExpense.objects.count() == 1
    other = submit(acting_user=visitor_a2, submission_key="form-key-1")  # another user's key is their own
    assert other.pk != first.pk
    with pytest.raises(ValidationError) as error:
        submit(submission_key="form-key-1", amount=999)
    assert error.value.code == "idempotency_key_reused"


def test_a_manager_approves_once_and_never_their_own_expense(submit, manager_a, visitor_a, center_a):
    expense = submit()
    decided = expense_approve(expense=expense, acting_user=manager_a)
    assert (decided.status, decided.decided_by, decided.decided_at is not None) == ("approved", manager_a, True)
    with pytest.raises(ValidationError) as error:
        expense_refuse(expense=expense, acting_user=manager_a, reason="دوباره")
    assert "پیش‌تر" in " ".join(error.value.messages)
    own = expense_submit(acting_user=manager_a, kind="meal", amount=500_000, spent_on=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        expense_approve(expense=own, acting_user=manager_a)
    assert "مدیر دیگری" in " ".join(error.value.messages)
    with pytest.raises(PermissionDenied):
        expense_approve(expense=own, acting_user=visitor_a)  # a marketer decides nothing
    assert [entry.history_change_reason for entry in expense.history.order_by("history_id")] == [
        "هزینه ثبت شد", "هزینه تأیید شد"]


def test_a_refusal_needs_a_reason_that_the_marketer_reads(submit, manager_a):
    expense = submit()
    with pytest.raises(ValidationError) as error:
        expense_refuse(expense=expense, acting_user=manager_a, reason="  ")
    assert "reason" in error.value.message_dict
    expense_refuse(expense=expense, acting_user=manager_a, reason="رسید ندارد")
    expense.refresh_from_db()
    assert (expense.status, expense.refusal_reason) == ("refused", "رسید ندارد")


def test_another_centers_manager_cannot_decide(submit, manager_b):
    expense = submit()
    with pytest.raises(PermissionDenied):
        expense_approve(expense=expense, acting_user=manager_b)
    expense.refresh_from_db()
    assert expense.status == "pending"


def test_a_marketer_withdraws_a_pending_expense_but_not_a_decided_one(submit, visitor_a, visitor_a2, manager_a,
                                                                     django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    expense = submit(receipt=png())
    with pytest.raises(ValidationError):
        expense_withdraw(expense=expense, acting_user=visitor_a2)
    stored = expense.receipt.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        expense_withdraw(expense=expense, acting_user=visitor_a)
    assert not VisitExpense.objects.filter(pk=expense.pk).exists() and not default_storage.exists(stored)
    assert VisitExpense.history.filter(id=expense.pk, history_type="-", history_user=visitor_a).exists()
    decided = expense_approve(expense=submit(), acting_user=manager_a)
    with pytest.raises(ValidationError):
        expense_withdraw(expense=decided, acting_user=visitor_a)


def test_a_marketer_reads_their_own_a_manager_the_team_another_center_nothing(submit, visitor_a, visitor_a2,
                                                                            visitor_b, manager_a, accountant_a,
                                                                            head_office):
    mine, theirs = submit(), submit(acting_user=visitor_a2)
    far = submit(acting_user=visitor_b)
    assert set(expense_list(user=visitor_a)) == {mine}
    assert set(expense_list(user=manager_a)) == {mine, theirs}
    assert set(expense_list(user=accountant_a)) == {mine, theirs}
    assert set(expense_list(user=head_office)) == {mine, theirs, far}
    assert set(approval_queue(user=manager_a)) == {mine, theirs}
    assert not approval_queue(user=visitor_a).exists()


def test_totals_per_marketer_tour_and_month_split_approved_pending_and_refused(submit, visitor_a, visitor_a2,
                                                                              manager_a, tour_a):
    today = timezone.localdate()
    expense_approve(expense=submit(amount=1_000_000, tour=tour_a, spent_on=today), acting_user=manager_a)
    expense_refuse(expense=submit(amount=300_000, spent_on=today), acting_user=manager_a, reason="تکراری")
    submit(amount=200_000, tour=tour_a, spent_on=today)
    submit(acting_user=visitor_a2, amount=50_000, spent_on=today)
    rows, grand = expense_totals(user=manager_a, by="marketer")
    assert [(row.label, row.approved, row.pending, row.refused, row.count) for row in rows] == [
        ("آرش کاظمی", 1_000_000, 200_000, 300_000, 3), ("بهاره توکلی", 0, 50_000, 0, 1)]
    assert (grand.approved, grand.pending, grand.refused, grand.count) == (1_000_000, 250_000, 300_000, 4)
    rows, _grand = expense_totals(user=manager_a, by="tour")
    assert [(row.key, row.approved, row.pending) for row in rows] == [(tour_a.pk, 1_000_000, 200_000),
                                                                     (None, 0, 50_000)]
    rows, _grand = expense_totals(user=manager_a, by="month")
    assert len(rows) == 1 and rows[0].total == 1_550_000
    assert expense_totals(user=visitor_a2, by="marketer")[1].total == 50_000  # a marketer totals their own
