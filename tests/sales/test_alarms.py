"""The nightly alarm pass (F52): each alarm fires once, at its time and not before."""

import datetime

import pytest

from aftersales.sales.alarms import alarm_seen, alarms_fire
from aftersales.sales.models import Alarm
from aftersales.sales.services_cheques import cheque_receive
from tests.sales.test_contracts import START, accountant_a, dealer, make_contract  # noqa: F401  fixtures

DUE = datetime.date(2026, 6, 21)  # 1405/03/31


def test_an_instalment_alarm_fires_its_days_before_and_only_once(make_contract, accountant_a):  # noqa: F811
    contract = make_contract(alarm_days_before=7)
    assert alarms_fire(today=DUE - datetime.timedelta(days=8)) == 0
    assert alarms_fire(today=DUE - datetime.timedelta(days=7)) == 1
    assert alarms_fire(today=DUE - datetime.timedelta(days=7)) == 0
    assert alarms_fire(today=DUE) == 0
    alarm = Alarm.objects.get()
    assert alarm.key == f"instalment:{contract.instalments.first().pk}:due"
    assert alarm.user == accountant_a
    assert "۱۴۰۵/۰۳/۳۱" in alarm.text and "۶۰٬۰۰۰٬۰۰۰" in alarm.text


def test_paid_instalments_and_ended_contracts_do_not_alarm(make_contract, accountant_a):  # noqa: F811
    from aftersales.sales.services_contracts import contract_end

    contract_end(contract=make_contract(), acting_user=accountant_a)
    assert alarms_fire(today=DUE) == 0


def test_a_contract_ending_alarms_once(make_contract):
    contract = make_contract(alarm_days_before=10)
    alarms_fire(today=contract.end_date - datetime.timedelta(days=11))
    assert not Alarm.objects.filter(kind=Alarm.Kind.CONTRACT_ENDING).exists()
    alarms_fire(today=contract.end_date - datetime.timedelta(days=10))
    alarms_fire(today=contract.end_date)
    assert Alarm.objects.filter(kind=Alarm.Kind.CONTRACT_ENDING).count() == 1


def test_a_standalone_cheque_alarms_the_setting_days_before(center_a, dealer, accountant_a, settings):  # noqa: F811
    settings.SALES_CHEQUE_ALARM_DAYS = 3
    cheque_receive(center=center_a, customer=dealer, sayad_number="1234567890123456", bank="ملت", amount=5_000_000,
                   due_date=DUE, responsible=accountant_a, acting_user=accountant_a)
    assert alarms_fire(today=DUE - datetime.timedelta(days=4)) == 0
    assert alarms_fire(today=DUE - datetime.timedelta(days=3)) == 1
    assert alarms_fire(today=DUE - datetime.timedelta(days=1)) == 0
    assert Alarm.objects.get().kind == Alarm.Kind.CHEQUE_DUE


def test_the_clock_moving_fires_the_alarm_on_its_night(make_contract, today_is):
    make_contract(alarm_days_before=7)
    today_is(DUE - datetime.timedelta(days=8))
    assert alarms_fire() == 0
    today_is(DUE - datetime.timedelta(days=7))
    assert alarms_fire() == 1
    assert alarms_fire() == 0


def test_the_alarm_is_announced_once_to_the_responsible_users_mobile(make_contract, accountant_a,  # noqa: F811
                                                                      django_capture_on_commit_callbacks):
    from aftersales.messaging.models import Message

    make_contract()
    with django_capture_on_commit_callbacks(execute=True):
        alarms_fire(today=DUE)
        alarms_fire(today=DUE)
    message = Message.objects.get()
    assert message.to == "09120000001" and "۱۴۰۵/۰۳/۳۱" in message.body  # the shipped template and rule


def test_seen_alarm_leaves_the_panel_and_others_cannot_mark_it(make_contract, accountant_a, center_a):  # noqa: F811
    from django.core.exceptions import PermissionDenied

    from aftersales.sales.selectors_contracts import alarms_unseen
    from tests.factories import UserFactory

    make_contract()
    alarms_fire(today=DUE)
    alarm = Alarm.objects.get()
    assert alarms_unseen(user=accountant_a)["count"] == 1
    with pytest.raises(PermissionDenied):
        alarm_seen(alarm=alarm, acting_user=UserFactory(username="other", centers=[center_a]))
    alarm_seen(alarm=alarm, acting_user=accountant_a)
    assert alarms_unseen(user=accountant_a)["count"] == 0
