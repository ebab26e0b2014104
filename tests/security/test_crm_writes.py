"""The CRM's writes that name a party in their body, tried by center A's visitor with center B's: refused,
nothing written. (The leak matrix sends empty bodies to URLs that name B's records; these name B's records
in the body of A's own URLs.) And the control: B's own people find B's CRM texts where A's are refused."""

import datetime

import pytest
from django.utils import timezone

from aftersales.crm.models import Appointment, AppointmentPlan, Party
from aftersales.marketing.models import Contact

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor_a(world):
    return world.users_a["visitor"]


@pytest.fixture
def party_b(world):
    return Party.objects.select_related("state").get(pk=world.records["crm.Party"].pk)


def _unchanged(party_b):
    party = Party.objects.get(pk=party_b.pk)
    return (party.state_id, party.version, party.next_step, Contact.objects.filter(customer_id=party_b.pk).count(),
            Appointment.objects.filter(party_id=party_b.pk).count(),
            AppointmentPlan.objects.filter(party_id=party_b.pk).count())


def test_the_board_does_not_move_another_teams_card(client, world, visitor_a, party_b):
    before = _unchanged(party_b)
    target = party_b.state.workflow.states.get(code="proforma_sent")
    login(client, visitor_a)
    answer = client.post("/crm/board/sales-pipeline/move/", {"party": party_b.pk, "state": target.pk,
                                                              "version": party_b.version})
    assert answer.status_code in (400, 403, 404, 409), answer.status_code
    assert _unchanged(party_b) == before


def test_the_contact_api_and_page_do_not_log_with_another_teams_party(client, api_client, world, visitor_a, party_b):
    before = _unchanged(party_b)
    api_client.force_authenticate(visitor_a)
    answer = api_client.post("/api/contacts/", {"customer": party_b.pk, "kind": "visit", "notes": "از مرکز الف",
                                                "move": "send_proforma"}, format="json")
    assert answer.status_code in (400, 403, 404), answer.content
    login(client, visitor_a)
    client.post(f"/crm/log/?party={party_b.pk}", {"party": party_b.pk, "kind": "visit", "notes": "از مرکز الف",
                                                  "outcome": "positive", "submission": "leak-a-1"})
    assert _unchanged(party_b) == before


def test_appointments_are_not_booked_with_another_teams_party(api_client, world, visitor_a, party_b):
    before = _unchanged(party_b)
    api_client.force_authenticate(visitor_a)
    at = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    answer = api_client.post("/api/appointments/", {"party": party_b.pk, "at": at}, format="json")
    assert answer.status_code == 400 and "party" in answer.json(), answer.content
    plan = world.records["crm.AppointmentPlan"]
    answer = api_client.post("/api/appointments/", {"party": party_b.pk, "plan": plan.pk, "at": at}, format="json")
    assert answer.status_code == 400, answer.content
    assert _unchanged(party_b) == before


def test_center_bs_people_find_bs_crm_texts_where_as_are_refused(client, world, party_b):
    """The control: the markers are on B's pages for B's people, so their absence for A means scoping."""
    login(client, world.users_b["visitor"])
    assert "LeakbContactNextStep" in client.get("/crm/parties/").content.decode()  # the last contact's next step
    assert "LeakbContactNotes" in client.get(f"/crm/panel/{party_b.pk}/").content.decode()
    login(client, world.users_b["center_manager"])
    report = world.records["crm.DailyReport"]
    assert "LeakbManagerComment" in client.get(f"/crm/reports/{report.pk}/").content.decode()
    assert "LeakbVerdict" in client.get(f"/crm/parties/{party_b.pk}/").content.decode()
