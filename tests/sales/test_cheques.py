"""Cheques received from parties (F51): Sayad numbers, receipts by cheque, guarded moves, returns."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from aftersales.sales.models import Alarm, Cheque, Receipt
from aftersales.sales.services_cheques import cheque_clear, cheque_deposit, cheque_receive, cheque_return
from tests.sales.test_contracts import START, accountant_a, dealer, make_contract  # noqa: F401  fixtures

SAYAD = "1234567890123456"


@pytest.fixture
def receive(center_a, dealer, accountant_a):  # noqa: F811
    def _receive(**values):
        values.setdefault("center", center_a)
        values.setdefault("customer", dealer)
        values.setdefault("sayad_number", SAYAD)
        values.setdefault("bank", "ملت")
        values.setdefault("amount", 60_000_000)
        values.setdefault("due_date", datetime.date(2026, 6, 21))
        values.setdefault("responsible", accountant_a)
        values.setdefault("acting_user", accountant_a)
        return cheque_receive(**values)

    return _receive


def test_a_cheque_for_an_instalment_records_a_receipt_by_cheque(make_contract, receive, today_is):
    today_is(START)
    contract = make_contract()
    instalment = contract.instalments.first()
    cheque = receive(instalment=instalment, sayad_number="۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶")
    assert cheque.sayad_number == SAYAD and cheque.contract == contract
    instalment.refresh_from_db()
    assert instalment.paid == 60_000_000
    assert cheque.receipt.method == Receipt.Method.CHEQUE


def test_refuses_a_sayad_number_that_is_not_16_digits(receive):
    with pytest.raises(ValidationError) as error:
        receive(sayad_number="12345")
    assert "sayad_number" in error.value.message_dict


def test_the_same_cheque_twice_is_refused_with_a_clear_message(receive):
    receive()
    with pytest.raises(ValidationError) as error:
        receive()
    assert "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶" in error.value.message_dict["sayad_number"][0] or SAYAD in \
        error.value.message_dict["sayad_number"][0]
    assert Cheque.objects.count() == 1


def test_a_cheque_cannot_pay_more_than_the_instalment_owes(make_contract, receive, today_is):
    today_is(START)
    instalment = make_contract().instalments.first()
    with pytest.raises(ValidationError) as error:
        receive(instalment=instalment, amount=70_000_000)
    assert "amount" in error.value.message_dict
    assert not Cheque.objects.exists()


def test_moves_are_guarded(receive, accountant_a):
    cheque = receive()
    with pytest.raises(ValidationError):
        cheque_clear(cheque=cheque, acting_user=accountant_a)
    cheque_deposit(cheque=cheque, acting_user=accountant_a)
    cheque = cheque_clear(cheque=cheque, acting_user=accountant_a)
    assert cheque.state == Cheque.State.CLEARED
    with pytest.raises(ValidationError):
        cheque_return(cheque=cheque, reason="کسری موجودی", acting_user=accountant_a)


def test_a_return_voids_the_receipt_alarms_now_and_marks_the_drawers_credit(
        make_contract, receive, accountant_a, today_is, django_capture_on_commit_callbacks):
    today_is(START)
    instalment = make_contract().instalments.first()
    cheque = receive(instalment=instalment)
    with pytest.raises(ValidationError):
        cheque_return(cheque=cheque, reason="  ", acting_user=accountant_a)
    with django_capture_on_commit_callbacks(execute=True):
        cheque_return(cheque=cheque, reason="کسری موجودی", acting_user=accountant_a)
    instalment.refresh_from_db()
    assert instalment.paid == 0
    assert Receipt.objects.get(cheque=cheque).is_void
    alarm = Alarm.objects.get(key=f"cheque:{cheque.pk}:returned")
    assert alarm.user == accountant_a and "کسری موجودی" in alarm.text
    cheque.customer.refresh_from_db()
    assert cheque.customer.credit_status == "cash_only"
    from aftersales.crm.models import ReturnedCheque

    returned = ReturnedCheque.objects.get()
    assert returned.sayad_number == SAYAD and returned.assessment.assessed_by == accountant_a


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_cheque_recorded_twice_at_once_one_wins(center_a, dealer, accountant_a):  # noqa: F811
    import threading

    from django.db import connection

    results, barrier = [], threading.Barrier(2)

    def record():
        try:
            barrier.wait()
            cheque_receive(center=center_a, customer=dealer, sayad_number=SAYAD, bank="ملت", amount=1000,
                           due_date=datetime.date(2026, 6, 21), responsible=accountant_a, acting_user=accountant_a)
            results.append("ok")
        except ValidationError as error:
            results.append(error.message_dict["sayad_number"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results.count("ok") == 1
    assert any(SAYAD in result for result in results if result != "ok")
    assert Cheque.objects.count() == 1
