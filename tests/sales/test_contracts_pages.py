"""The contracts', cheques' and alarms' pages and API: wiring, scoping, permissions, 400s."""

import datetime

import pytest

from aftersales.sales.alarms import alarms_fire
from aftersales.sales.models import Cheque, Contract
from tests.sales.test_contracts import START, accountant_a, dealer, make_contract  # noqa: F401  fixtures


@pytest.fixture
def contract(make_contract):
    return make_contract()


def test_contract_pages_show_the_plan_and_the_list_filters(client, accountant_a, contract):  # noqa: F811
    client.force_login(accountant_a)
    page = client.get("/sales/contracts/?kind=agency&ends_within=۴۰۰")
    assert page.status_code == 200 and contract.title in page.content.decode()
    page = client.get(f"/sales/contracts/{contract.pk}/")
    assert page.status_code == 200 and "۶۰٬۰۰۰٬۰۰۰" in page.content.decode()


def test_another_centers_user_gets_404(client, manager_b, contract):
    client.force_login(manager_b)
    assert client.get(f"/sales/contracts/{contract.pk}/").status_code == 404


def test_contract_form_refuses_a_plan_that_does_not_add_up(client, manager_a, dealer, center_a):  # noqa: F811
    client.force_login(manager_a)
    data = {"center": center_a.pk, "kind": "supply", "title": "تأمین سالانه", "customer": dealer.pk,
            "start_date": "1405/01/01", "end_date": "1405/12/29", "value": "1000", "responsible": manager_a.pk,
            "alarm_days_before": "7", "plan-TOTAL_FORMS": "1", "plan-INITIAL_FORMS": "0", "plan-MIN_NUM_FORMS": "1",
            "plan-MAX_NUM_FORMS": "120", "plan-0-due_date": "1405/02/01", "plan-0-amount": "900"}
    page = client.post("/sales/contracts/new/", data)
    assert page.status_code == 200 and "۹۰۰" in page.content.decode()
    assert not Contract.objects.exists()
    data["plan-0-amount"] = "1000"
    page = client.post("/sales/contracts/new/", data)
    assert page.status_code == 302 and Contract.objects.get().value == 1000


def test_split_evenly_fills_the_plan_rows(client, manager_a, dealer, center_a):  # noqa: F811
    client.force_login(manager_a)
    data = {"center": center_a.pk, "kind": "supply", "title": "تأمین", "customer": dealer.pk,
            "start_date": "1405/01/01", "end_date": "1405/12/29", "value": "300", "responsible": manager_a.pk,
            "alarm_days_before": "7", "plan-TOTAL_FORMS": "0", "plan-INITIAL_FORMS": "0", "plan-MIN_NUM_FORMS": "1",
            "plan-MAX_NUM_FORMS": "120", "split-count": "3", "split-first_due": "1405/02/01", "split": "1"}
    page = client.post("/sales/contracts/new/", data)
    assert page.status_code == 200 and page.content.decode().count('name="plan-') >= 6
    assert not Contract.objects.exists()


def test_cheque_return_page_asks_the_reason_then_marks_it(client, accountant_a, contract, today_is):  # noqa: F811
    from aftersales.sales.services_cheques import cheque_receive

    cheque = cheque_receive(center=contract.center, customer=contract.customer, sayad_number="1234567890123456",
                            bank="ملت", amount=1000, due_date=START, responsible=accountant_a,
                            acting_user=accountant_a)
    client.force_login(accountant_a)
    assert client.get(f"/sales/cheques/{cheque.pk}/").status_code == 200
    assert client.post(f"/sales/cheques/{cheque.pk}/return/", {"reason": ""}).status_code == 400
    assert client.post(f"/sales/cheques/{cheque.pk}/return/", {"reason": "کسری موجودی"}).status_code == 302
    cheque.refresh_from_db()
    assert cheque.state == Cheque.State.RETURNED


def test_alarms_panel_and_seen_button(client, accountant_a, contract):  # noqa: F811
    alarms_fire(today=datetime.date(2026, 6, 21))
    client.force_login(accountant_a)
    home = client.get("/")
    assert "panel-sales-alarms" in home.content.decode()
    alarm = accountant_a.sales_alarms.get()
    assert client.post(f"/sales/alarms/{alarm.pk}/seen/", {"next": "https://evil.example/"}).status_code == 302
    alarm.refresh_from_db()
    assert alarm.seen_at is not None
    assert "panel-sales-alarms" not in client.get("/").content.decode()


def test_api_creates_a_contract_and_answers_400_with_row_errors(api_client, accountant_a, dealer,  # noqa: F811
                                                                center_a):
    api_client.force_authenticate(accountant_a)
    body = {"center": center_a.pk, "kind": "agency", "title": "نمایندگی", "customer": dealer.pk,
            "start_date": "1405/01/01", "end_date": "1405/12/29", "value": 100, "responsible": accountant_a.pk,
            "instalments": [{"due_date": "1404/12/01", "amount": 100}]}
    answer = api_client.post("/api/contracts/", body, format="json")
    assert answer.status_code == 400 and "instalments[0].due_date" in answer.json()
    body["instalments"][0]["due_date"] = "1405/06/01"
    answer = api_client.post("/api/contracts/", body, format="json")
    assert answer.status_code == 201 and answer.json()["instalments"][0]["amount"] == 100
    assert api_client.get("/api/contracts/").json()["count"] == 1


def test_api_cheque_moves_and_my_alarms(api_client, accountant_a, contract, center_a, dealer, today_is):  # noqa: F811
    today_is(START)
    api_client.force_authenticate(accountant_a)
    instalment = contract.instalments.first()
    answer = api_client.post("/api/cheques/", {"center": center_a.pk, "customer": dealer.pk,
                                               "sayad_number": "1234567890123456", "bank": "ملت", "amount": 1000,
                                               "due_date": "1405/02/01", "responsible": accountant_a.pk,
                                               "instalment": instalment.pk}, format="json")
    assert answer.status_code == 201 and answer.json()["receipt"]
    pk = answer.json()["id"]
    assert api_client.post(f"/api/cheques/{pk}/clear/").status_code == 400
    assert api_client.post(f"/api/cheques/{pk}/deposit/").json()["state"] == "deposited"
    assert api_client.post(f"/api/cheques/{pk}/return/", {}, format="json").status_code == 400
    assert api_client.post(f"/api/cheques/{pk}/return/", {"reason": "امضا مغایر"}, format="json").json()["state"] \
        == "returned"
    assert api_client.get("/api/alarms/").json()["count"] == 1


def test_api_hides_another_centers_cheque(api_client, manager_b, contract, accountant_a):  # noqa: F811
    from aftersales.sales.services_cheques import cheque_receive

    cheque = cheque_receive(center=contract.center, customer=contract.customer, sayad_number="1234567890123456",
                            bank="ملت", amount=1000, due_date=START, responsible=accountant_a,
                            acting_user=accountant_a)
    api_client.force_authenticate(manager_b)
    assert api_client.get(f"/api/cheques/{cheque.pk}/").status_code == 404
