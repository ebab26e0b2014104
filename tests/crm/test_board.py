"""The kanban board of a marketing workflow: columns with scoped counts, keyset pages, and moves by drag."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.crm import board, services
from aftersales.crm.models import Party, PartyType
from aftersales.customers.models import Customer
from aftersales.organization.roles import Role
from aftersales.workflow.engine import subject_log
from aftersales.workflow.models import State
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def stage(code, workflow="sales-pipeline"):
    return State.objects.get(workflow__code=workflow, code=code)


def make_parties(count, *, center, marketer=None, state="first_contact", party_type="dealer", is_lead=True,
                 rating="warm", entered_at=None, name="مشتری"):
    """``count`` parties straight in the tables (the board only reads them), each a minute older than the next."""
    customers = Customer.objects.bulk_create(
        [Customer(kind="legal", company_name=f"{name} {index}", is_lead=is_lead) for index in range(count)])
    start = entered_at or timezone.now() - datetime.timedelta(days=30)
    kind = PartyType.objects.get(code=party_type)
    target = stage(state, kind.workflow.code)
    return Party.objects.bulk_create([
        Party(customer=customer, center=center, marketer=marketer, party_type=kind, rating=rating, state=target,
              state_entered_at=start + datetime.timedelta(minutes=index)) for index, customer in enumerate(customers)])


def card_ids(html: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'data-party="(\d+)"', html)]


# --- the columns ------------------------------------------------------------------------------------------------

def test_the_board_opens_on_the_first_marketing_workflow(login, visitor_a):
    response = login(visitor_a).get(reverse("crm:board"))
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:board-workflow", args=["sales-pipeline"])


def test_a_column_per_stage_in_order_with_the_scoped_count_and_the_cards(login, lead, visitor_a, center_a):
    make_parties(3, center=center_a, marketer=visitor_a, state="needs_analysis")
    response = login(visitor_a).get(reverse("crm:board-workflow", args=["sales-pipeline"]))
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [column["state"].code for column in columns] == [
        "first_contact", "needs_analysis", "proforma_sent", "negotiation", "won", "lost"]
    assert [column["count"] for column in columns] == [1, 3, 0, 0, 0, 0]
    html = response.content.decode()
    assert "فروشگاه لوازم خانگی نور" in html
    assert f'href="/crm/parties/{lead.pk}/"' in html
    # Counts in Persian digits, the tabs of both shipped workflows.
    assert '<span class="badge rounded-pill text-bg-secondary" data-count' in html and "۳</span>" in html
    assert "مراحل فروش پروژه‌ای" in html


def test_another_teams_visitor_sees_none_of_the_first_teams_parties(login, lead, visitor_a, visitor_b, center_a):
    make_parties(4, center=center_a, marketer=visitor_a)
    response = login(visitor_b).get(reverse("crm:board-workflow", args=["sales-pipeline"]))
    assert [column["count"] for column in response.context["columns"]] == [0] * 6
    assert "فروشگاه لوازم خانگی نور" not in response.content.decode()
    column = login(visitor_b).get(reverse("crm:board-column", args=["sales-pipeline", stage("first_contact").pk]))
    assert card_ids(column.content.decode()) == []


def test_a_role_that_spans_every_center_counts_every_team(login, lead, center_b, marketing_manager, visitor_b):
    make_parties(2, center=center_b, marketer=visitor_b)
    response = login(marketing_manager).get(reverse("crm:board-workflow", args=["sales-pipeline"]))
    assert response.context["columns"][0]["count"] == 3


def test_the_card_shows_lead_type_rating_days_next_step_and_marketer(login, lead, visitor_a):
    Party.objects.filter(pk=lead.pk).update(
        state_entered_at=timezone.now() - datetime.timedelta(days=12), next_step="ارسال کاتالوگ",
        next_step_date=datetime.date(2026, 12, 1))
    html = login(visitor_a).get(reverse("crm:board-workflow", args=["sales-pipeline"])).content.decode()
    card = html[html.index(f'data-testid="card-{lead.pk}"'):]
    card = card[:card.index("</li>")]
    for shown in ("سرنخ", "نماینده فروش", "داغ", "۱۲ روز", "ارسال کاتالوگ", "۱۴۰۵/۰۹/۱۰", "سارا کریمی"):
        assert shown in card, shown


def test_the_filters_narrow_cards_and_counts_and_stay_on_the_next_page(login, visitor_a, center_a, marketing_manager):
    make_parties(30, center=center_a, marketer=visitor_a, rating="hot", name="داغ")
    make_parties(5, center=center_a, marketer=marketing_manager, rating="cold", name="سرد")
    make_parties(2, center=center_a, marketer=visitor_a, rating="hot", is_lead=False, name="خریدار")
    client = login(marketing_manager)
    url = reverse("crm:board-workflow", args=["sales-pipeline"])
    assert client.get(url, {"rating": "cold"}).context["columns"][0]["count"] == 5
    assert client.get(url, {"marketer": marketing_manager.pk}).context["columns"][0]["count"] == 5
    assert client.get(url, {"kind": "customer"}).context["columns"][0]["count"] == 2
    response = client.get(url, {"rating": "hot", "kind": "lead"})
    first = response.context["columns"][0]
    assert first["count"] == 30 and len(first["cards"]) == board.PAGE_SIZE
    html = response.content.decode()
    assert "rating=hot&amp;kind=lead&amp;after=" in html  # the «more» button keeps the filters
    second = client.get(reverse("crm:board-column", args=["sales-pipeline", first["cards"][0].state_id]),
                        {"rating": "hot", "kind": "lead", "after": first["after"]})
    assert len(card_ids(second.content.decode())) == 5
    assert "سرد" not in second.content.decode()
    # A type of the other workflow or a made-up rating narrows nothing away on the page.
    assert client.get(url, {"rating": "boiling"}).context["columns"][0]["count"] == 37


def test_the_menu_has_the_board(login, visitor_a):
    html = login(visitor_a).get(reverse("crm:board-workflow", args=["sales-pipeline"])).content.decode()
    assert reverse("crm:board") in html and "تابلوی مراحل" in html


def test_the_board_needs_the_right_to_see_parties(login, reception_a):
    assert login(reception_a).get(reverse("crm:board-workflow", args=["sales-pipeline"])).status_code == 403


def test_an_unknown_workflow_or_one_of_repairs_is_not_found(login, visitor_a):
    from aftersales.workflow.models import Workflow

    client = login(visitor_a)
    assert client.get(reverse("crm:board-workflow", args=["no-such"])).status_code == 404
    other = Workflow.objects.exclude(code__in=["sales-pipeline", "project-pipeline"]).first()
    if other is not None:
        assert client.get(reverse("crm:board-workflow", args=[other.code])).status_code == 404


# --- keyset pages -----------------------------------------------------------------------------------------------

def test_keyset_pages_walk_a_column_with_no_card_twice_and_none_missed(login, visitor_a, center_a):
    parties = make_parties(60, center=center_a, marketer=visitor_a)
    # Twenty of them entered the stage at the very same moment: the primary key breaks the tie.
    same = timezone.now() - datetime.timedelta(days=40, microseconds=7)
    Party.objects.filter(pk__in=[party.pk for party in parties[20:40]]).update(state_entered_at=same)
    client = login(visitor_a)
    url = reverse("crm:board-column", args=["sales-pipeline", stage("first_contact").pk])
    seen, after, pages = [], "", 0
    while True:
        response = client.get(url, {"after": after} if after else {})
        assert response.status_code == 200
        seen += card_ids(response.content.decode())
        pages += 1
        after = response.context["after"]
        if not after:
            break
    assert pages == 3
    expected = list(Party.objects.filter(center=center_a).order_by("state_entered_at", "pk")
                    .values_list("pk", flat=True))
    assert seen == expected and len(set(seen)) == 60
    # The oldest in the stage come first: the twenty tied ones before the rest.
    assert set(seen[:20]) == {party.pk for party in parties[20:40]}


def test_a_move_between_pages_neither_repeats_nor_skips_a_card(login, visitor_a, center_a):
    make_parties(30, center=center_a, marketer=visitor_a)
    client = login(visitor_a)
    url = reverse("crm:board-column", args=["sales-pipeline", stage("first_contact").pk])
    first = client.get(url)
    shown = card_ids(first.content.decode())
    # Meanwhile a card of the first page leaves the stage.
    moved = Party.objects.get(pk=shown[3])
    services.party_move(party=moved, code="analyse", acting_user=visitor_a)
    rest = card_ids(client.get(url, {"after": first.context["after"]}).content.decode())
    assert len(rest) == 5 and not set(rest) & set(shown)
    assert set(shown + rest) == set(Party.objects.filter(center=center_a).values_list("pk", flat=True)) | {moved.pk}


def test_a_broken_page_marker_is_a_persian_message_not_an_error(login, visitor_a):
    url = reverse("crm:board-column", args=["sales-pipeline", stage("first_contact").pk])
    response = login(visitor_a).get(url, {"after": "yesterday,x"})
    assert response.status_code == 400
    assert "نشانه" in response.content.decode() or "صفحه" in response.content.decode()


def test_a_stage_of_another_workflow_is_not_a_column_of_this_board(login, visitor_a):
    url = reverse("crm:board-column", args=["sales-pipeline", stage("site_survey", "project-pipeline").pk])
    assert login(visitor_a).get(url).status_code == 404


# --- moves ------------------------------------------------------------------------------------------------------

def move(client, party, target, *, version=None, comment="", query="", as_json=True):
    url = reverse("crm:board-move", args=["sales-pipeline"]) + (f"?{query}" if query else "")
    data = {"party": party.pk, "state": target.pk, "version": version or party.version}
    if comment:
        data["comment"] = comment
    return client.post(url, data, **(JSON if as_json else {}))


def test_a_drag_to_the_next_stage_moves_the_party_and_both_counts_update(login, lead, visitor_a, center_a):
    make_parties(2, center=center_a, marketer=visitor_a)
    response = move(login(visitor_a), lead, stage("needs_analysis"))
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] and data["state"] == stage("needs_analysis").pk
    assert data["counts"] == {str(stage("first_contact").pk): {"value": 2, "display": "۲"},
                              str(stage("needs_analysis").pk): {"value": 1, "display": "۱"}}
    assert f'data-version="{lead.version + 1}"' in data["card"]
    assert f'data-state="{stage("needs_analysis").pk}"' in data["card"]
    assert "بررسی نیاز" in data["message"]
    lead.refresh_from_db()
    assert lead.state.code == "needs_analysis"
    step = subject_log(lead)[-1]
    assert (step.by, step.transition.code) == (visitor_a, "analyse")


def test_a_drag_where_the_workflow_has_no_step_is_refused_in_persian_and_nothing_changes(login, lead, visitor_a):
    response = move(login(visitor_a), lead, stage("won"))
    assert response.status_code == 400
    data = response.json()
    assert not data["ok"] and data["code"] == "no_step"
    assert "اولین تماس" in data["message"] and "موفق" in data["message"]
    lead.refresh_from_db()
    assert (lead.state.code, lead.version) == ("first_contact", 1)
    assert len(subject_log(lead)) == 1


def test_a_step_the_role_may_not_take_is_refused_with_the_workflows_reason(login, lead, visitor_a, center_a):
    agent = UserFactory(username="agent", role=Role.CALL_CENTER_AGENT, centers=[center_a])
    for code in ("analyse", "send_proforma", "negotiate"):
        lead = services.party_move(party=lead, code=code, acting_user=visitor_a)
    response = move(login(agent), lead, stage("won"))
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "role" and "خرید کرد" in data["message"]
    lead.refresh_from_db()
    assert lead.state.code == "negotiation"
    # The agent's card offers no «won» in its list; the visitor's does.
    html = login(agent).get(reverse("crm:board-workflow", args=["sales-pipeline"])).content.decode()
    card = html[html.index(f'data-testid="card-{lead.pk}"'):]
    assert f'<option value="{stage("won").pk}"' not in card[:card.index("</li>")]


def test_a_stale_card_is_refused_and_the_move_taken_meanwhile_stands(login, lead, visitor_a, marketing_manager):
    services.party_move(party=lead, code="analyse", acting_user=marketing_manager)  # someone else, a moment ago
    response = move(login(visitor_a), lead, stage("lost"), version=1, comment="قیمت بالا")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "stale" and "بررسی نیاز" in data["message"]
    lead.refresh_from_db()
    assert (lead.state.code, lead.version) == ("needs_analysis", 2)


def test_a_step_that_asks_for_a_comment_asks_for_it_then_moves_with_it(login, lead, visitor_a):
    client = login(visitor_a)
    response = move(client, lead, stage("lost"))
    assert response.status_code == 400
    data = response.json()
    assert data["needs_comment"] and data["code"] == "comment" and data["step"] == "ناموفق"
    assert "توضیح" in data["message"]
    lead.refresh_from_db()
    assert lead.state.code == "first_contact"
    response = move(client, lead, stage("lost"), comment="بودجه ندارد")
    assert response.status_code == 200 and response.json()["ok"]
    lead.refresh_from_db()
    assert lead.state.code == "lost" and subject_log(lead)[-1].comment == "بودجه ندارد"


def test_another_teams_visitor_cannot_move_the_card(login, lead, visitor_b):
    assert move(login(visitor_b), lead, stage("needs_analysis")).status_code == 404
    lead.refresh_from_db()
    assert lead.state.code == "first_contact"


def test_moving_needs_the_right_to_move(login, lead, manager_a):
    assert move(login(manager_a), lead, stage("needs_analysis")).status_code == 403


def test_a_card_on_another_workflow_or_to_its_own_stage_is_refused(login, lead, visitor_a):
    client = login(visitor_a)
    response = move(client, lead, stage("first_contact"))
    assert response.status_code == 400 and response.json()["code"] == "same"
    url = reverse("crm:board-move", args=["project-pipeline"])
    response = client.post(url, {"party": lead.pk, "state": stage("site_survey", "project-pipeline").pk,
                                 "version": 1}, **JSON)
    assert response.status_code == 400 and response.json()["code"] == "workflow"


def test_the_counts_after_a_move_keep_the_boards_filters(login, lead, visitor_a, center_a):
    make_parties(3, center=center_a, marketer=visitor_a, rating="cold")
    data = move(login(visitor_a), lead, stage("needs_analysis"), query="rating=hot").json()
    assert data["counts"][str(stage("first_contact").pk)]["value"] == 0


def test_without_the_script_the_move_redirects_to_the_board_with_a_message(login, lead, visitor_a):
    client = login(visitor_a)
    response = move(client, lead, stage("won"), as_json=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:board-workflow", args=["sales-pipeline"])
    page = client.get(response["Location"]).content.decode()
    assert "اولین تماس" in page and "alert-danger" in page
    response = move(client, lead, stage("needs_analysis"), as_json=False)
    lead.refresh_from_db()
    assert lead.state.code == "needs_analysis"


def test_a_move_without_a_stage_says_so(login, lead, visitor_a):
    url = reverse("crm:board-move", args=["sales-pipeline"])
    response = login(visitor_a).post(url, {"party": lead.pk}, **JSON)
    assert response.status_code == 400 and "مرحله" in response.json()["message"]


def test_a_move_without_the_cards_version_is_refused(login, lead, visitor_a):
    url = reverse("crm:board-move", args=["sales-pipeline"])
    response = login(visitor_a).post(url, {"party": lead.pk, "state": stage("needs_analysis").pk}, **JSON)
    assert response.status_code == 400 and "تابلو" in response.json()["message"]
    lead.refresh_from_db()
    assert lead.state.code == "first_contact"
