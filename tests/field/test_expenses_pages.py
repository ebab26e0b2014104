"""The expense pages (F58): the marketer's phone form (camera, hidden key), «my expenses», the approval
queue, the receipt photo through a scoped view, totals, and the accountant's Excel of approved expenses."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from aftersales.core import jalali
from aftersales.field.models import VisitExpense
from aftersales.field.services_expenses import expense_approve, expense_refuse

from .conftest_expenses import *  # noqa: F401,F403
from .conftest_expenses import png

pytestmark = pytest.mark.django_db


def form_data(**values):
    data = {"spent_on": jalali.format_date(timezone.localdate(), latin_digits=True), "kind": "meal",
            "amount": "۱٬۲۰۰٬۰۰۰", "description": "ناهار", "submission_key": "page-key-1"}
    data.update(values)
    return data


def test_the_phone_form_opens_the_camera_and_carries_a_submission_key(login, visitor_a):
    page = login(visitor_a).get("/field/expenses/new/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'accept="image/*"' in body and 'capture="environment"' in body and 'enctype="multipart/form-data"' in body
    assert 'name="submission_key"' in body


def test_a_double_submit_of_the_form_files_one_expense_with_persian_digits(login, visitor_a):
    client = login(visitor_a)
    first = client.post("/field/expenses/new/", form_data())
    second = client.post("/field/expenses/new/", form_data())
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    expense = VisitExpense.objects.get()
    assert (expense.amount, expense.marketer, expense.status) == (1_200_000, visitor_a, "pending")


def test_over_the_threshold_without_a_photo_the_form_says_so_in_persian(login, visitor_a):
    client = login(visitor_a)
    page = client.post("/field/expenses/new/", form_data(amount="6000000"))
    assert page.status_code == 200 and not VisitExpense.objects.exists()
    assert "عکس رسید لازم است" in page.content.decode()
    page = client.post("/field/expenses/new/", form_data(amount="6000000", receipt=png()))
    assert page.status_code == 302 and VisitExpense.objects.get().receipt


def test_the_receipt_photo_is_served_only_to_those_who_may_read_the_expense(login, submit, client, visitor_a2,
                                                                           manager_a, manager_b):
    expense = submit(receipt=png())
    page = login(manager_a).get(f"/field/expenses/{expense.pk}/")
    assert f"/field/expenses/{expense.pk}/receipt/" in page.content.decode()
    assert "/media/" not in page.content.decode()
    photo = client.get(f"/field/expenses/{expense.pk}/receipt/")
    assert photo.status_code == 200 and b"".join(photo.streaming_content).startswith(b"\x89PNG")
    assert login(manager_b).get(f"/field/expenses/{expense.pk}/receipt/").status_code == 404
    assert login(visitor_a2).get(f"/field/expenses/{expense.pk}/receipt/").status_code == 404  # a colleague's own


def test_the_manager_approves_and_refuses_from_the_queue(login, submit, manager_a, visitor_a):
    first, second = submit(amount=100_000), submit(amount=200_000)
    client = login(manager_a)
    queue = client.get("/field/expenses/queue/").content.decode()
    assert "آرش کاظمی" in queue and "۱۰۰٬۰۰۰" in queue
    assert client.post(f"/field/expenses/{first.pk}/approve/", {"back": "queue"})["Location"] == "/field/expenses/queue/"
    client.post(f"/field/expenses/{second.pk}/refuse/", {"reason": ""})
    second.refresh_from_db()
    assert second.status == "pending"  # no reason, no refusal
    client.post(f"/field/expenses/{second.pk}/refuse/", {"reason": "رسید ندارد"})
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status, second.refusal_reason) == ("approved", "refused", "رسید ندارد")
    mine = login(visitor_a).get("/field/expenses/mine/").content.decode()
    assert "رسید ندارد" in mine and "تأیید شد" in mine


def test_a_marketer_cannot_decide_and_sees_only_their_own_list(login, submit, visitor_a, visitor_a2):
    theirs = submit(acting_user=visitor_a2, description="کرایه بهاره")
    submit(description="کرایه آرش")
    client = login(visitor_a)
    assert client.post(f"/field/expenses/{theirs.pk}/approve/").status_code == 403
    body = client.get("/field/expenses/").content.decode()
    assert "بهاره" not in body
    assert client.get(f"/field/expenses/{theirs.pk}/").status_code == 404
    assert client.get("/field/expenses/export.xlsx").status_code == 403


def test_the_accountants_excel_holds_the_approved_expenses_with_jalali_dates(login, submit, manager_a,
                                                                            accountant_a, visitor_a2):
    today = timezone.localdate()
    approved = expense_approve(expense=submit(amount=2_500_000, spent_on=today, description="بنزین"),
                               acting_user=manager_a)
    expense_approve(expense=submit(acting_user=visitor_a2, amount=700_000, spent_on=today - datetime.timedelta(days=1)),
                    acting_user=manager_a)
    expense_refuse(expense=submit(amount=9_000), acting_user=manager_a, reason="تکراری")
    submit(amount=8_000)  # pending: not exported
    client = login(accountant_a)
    response = client.get("/field/expenses/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:5] == ("تاریخ", "بازاریاب", "تیم", "نوع", "مبلغ (ریال)")
    assert [(row[0], row[1], row[4]) for row in rows[1:]] == [
        (jalali.format_date(today - datetime.timedelta(days=1), latin_digits=True), "بهاره توکلی", 700_000),
        (jalali.format_date(today, latin_digits=True), "آرش کاظمی", 2_500_000)]
    assert rows[2][7] == "بنزین" and rows[2][8] == manager_a.get_full_name()
    only = client.get("/field/expenses/export.xlsx", {"marketer": approved.marketer_id})
    rows = list(load_workbook(io.BytesIO(only.content)).worksheets[0].iter_rows(values_only=True))
    assert [row[4] for row in rows[1:]] == [2_500_000]


def test_the_totals_page_shows_each_marketers_approved_pending_and_refused(login, submit, manager_a):
    expense_approve(expense=submit(amount=1_000_000), acting_user=manager_a)
    submit(amount=250_000)
    for by in ("marketer", "tour", "month"):
        page = login(manager_a).get("/field/expenses/totals/", {"by": by})
        assert page.status_code == 200
    body = login(manager_a).get("/field/expenses/totals/").content.decode()
    assert "آرش کاظمی" in body and "۱٬۰۰۰٬۰۰۰" in body and "۲۵۰٬۰۰۰" in body


def test_the_list_filters_by_status_kind_and_jalali_month(login, submit, manager_a):
    today = timezone.localdate()
    submit(kind="meal", description="غذای امروز", spent_on=today)
    last_month = jalali.month_start(today) - datetime.timedelta(days=3)
    submit(kind="transport", description="کرایه ماه قبل", spent_on=last_month)
    client = login(manager_a)
    month = jalali.format_date(last_month, "%Y/%m", latin_digits=True)
    listed = client.get("/field/expenses/", {"month": month}).context["expenses"]
    assert [expense.description for expense in listed] == ["کرایه ماه قبل"]
    assert [e.description for e in client.get("/field/expenses/", {"kind": "meal"}).context["expenses"]] == [
        "غذای امروز"]
    assert list(client.get("/field/expenses/", {"status": "approved"}).context["expenses"]) == []
    assert client.get("/field/expenses/", {"month": "۱۴۰۵/۱۳", "tour": "99999999999999999999"}).status_code == 200
