"""/api/contacts/ and /api/scripts/: the contact log and the Q&A scripts over REST (F54, F56)."""

import datetime

import pytest
from django.utils import timezone

from aftersales.crm.models import Answer, Party, Script, ScriptQuestion
from aftersales.marketing.models import Contact
from aftersales.workflow.engine import subject_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(lead):
    script = Script.objects.create(title="نیازسنجی نماینده", topic="اولین تماس", stage=lead.state)
    return ScriptQuestion.objects.create(script=script, text="به پیش‌فاکتور نیاز دارید؟", kind="yes_no",
                                         moves={"بله": "analyse"})


def _contact(lead, **values):
    return {"customer": lead.pk, "kind": "call_out", "notes": "", **values}


def test_a_contact_with_answers_is_logged_moves_the_stage_by_an_answer_and_sets_the_next_step(
        api_client, visitor_a, lead, question):
    api_client.force_authenticate(visitor_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api_client.post("/api/contacts/", _contact(lead, outcome="positive", answers=[
        {"question": question.pk, "answer": "بله"},
        {"question": None, "question_text": "تعداد شعب؟", "answer": "۳"}],
        next_step="ارسال کاتالوگ", next_step_date=tomorrow.isoformat()), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(a["question"], a["question_text"], a["answer"]) for a in body["answers"]] == [
        (question.pk, "به پیش‌فاکتور نیاز دارید؟", "بله"), (None, "تعداد شعب؟", "3")]
    assert "پیش‌فاکتور" in body["notes"]  # no notes: the answers make them
    party = Party.objects.get(pk=lead.pk)
    assert party.state.code == "needs_analysis"
    assert (party.next_step, party.next_step_date) == ("ارسال کاتالوگ", tomorrow)
    assert subject_log(party)[-1].data == {"contact": body["id"]}


def test_a_refused_move_is_a_400_on_the_move_and_leaves_nothing(api_client, visitor_a, lead):
    api_client.force_authenticate(visitor_a)
    response = api_client.post("/api/contacts/", _contact(lead, notes="تماس", move="win"), format="json")
    assert response.status_code == 400
    assert "move" in response.json()
    assert not Contact.objects.exists() and not Answer.objects.exists()
    assert Party.objects.get(pk=lead.pk).state.code == "first_contact"


def test_bad_input_is_a_400_with_persian_field_errors(api_client, visitor_a, lead):
    api_client.force_authenticate(visitor_a)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = api_client.post("/api/contacts/", _contact(lead, notes="تماس", next_step_date=yesterday.isoformat()),
                               format="json")
    assert response.status_code == 400 and "گذشته" in response.json()["next_step_date"][0]
    response = api_client.post("/api/contacts/", _contact(lead, answers=[{"question": None, "answer": "بله"}]),
                               format="json")
    assert response.status_code == 400 and "answers[0].question_text" in response.json()
    response = api_client.post("/api/contacts/", _contact(lead, kind="telegram", notes="x"), format="json")
    assert response.status_code == 400 and "kind" in response.json()
    assert not Contact.objects.exists()


def test_another_teams_visitor_cannot_log_on_the_lead_nor_read_its_contacts(api_client, visitor_a, visitor_b, lead):
    api_client.force_authenticate(visitor_a)
    assert api_client.post("/api/contacts/", _contact(lead, notes="تماس"), format="json").status_code == 201
    api_client.force_authenticate(visitor_b)
    assert api_client.post("/api/contacts/", _contact(lead, notes="تماس"), format="json").status_code == 404
    assert Contact.objects.count() == 1
    assert api_client.get("/api/contacts/").json()["results"] == []
    api_client.force_authenticate(visitor_a)
    assert len(api_client.get("/api/contacts/").json()["results"]) == 1


def test_the_same_idempotency_key_logs_once(api_client, visitor_a, lead):
    api_client.force_authenticate(visitor_a)
    first = api_client.post("/api/contacts/", _contact(lead, notes="تماس"), format="json",
                            HTTP_IDEMPOTENCY_KEY="k-1")
    again = api_client.post("/api/contacts/", _contact(lead, notes="تماس"), format="json",
                            HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Contact.objects.count() == 1
    other = api_client.post("/api/contacts/", _contact(lead, kind="visit", notes="بازدید"), format="json",
                            HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and Contact.objects.count() == 1


def test_the_list_filters_by_customer_kind_logger_and_jalali_dates(api_client, visitor_a, marketing_manager, lead):
    from aftersales.crm.services import contact_record

    contact_record(customer=lead.customer, kind="visit", notes="بازدید", acting_user=visitor_a)
    contact_record(customer=lead.customer, kind="call_out", notes="تماس", acting_user=marketing_manager)
    old = contact_record(customer=lead.customer, kind="call_out", notes="قدیمی", acting_user=visitor_a,
                         occurred_at=timezone.now() - datetime.timedelta(days=40))
    api_client.force_authenticate(marketing_manager)

    def notes(**params):
        response = api_client.get("/api/contacts/", params)
        assert response.status_code == 200, response.content
        return sorted(row["notes"] for row in response.json()["results"])

    assert notes(customer=lead.pk) == ["بازدید", "تماس", "قدیمی"]
    assert notes(kind="visit") == ["بازدید"]
    assert notes(logged_by=visitor_a.pk) == ["بازدید", "قدیمی"]
    from aftersales.core import jalali

    day = jalali.format_date(timezone.localtime(old.occurred_at).date(), latin_digits=False)
    assert notes(date_from=day, date_to=day) == ["قدیمی"]
    assert api_client.get("/api/contacts/", {"date_from": "1405/13/01"}).status_code == 400


def test_scripts_are_listed_with_questions_and_found_with_arabic_letters(api_client, visitor_a, lead, question):
    api_client.force_authenticate(visitor_a)
    body = api_client.get("/api/scripts/", {"q": "پيش‌فاكتور"}).json()  # Arabic ي and ك
    assert [row["title"] for row in body["results"]] == ["نیازسنجی نماینده"]
    assert body["results"][0]["questions"][0]["moves"] == {"بله": "analyse"}
    other_stage = lead.state.workflow.states.get(code="negotiation")
    assert api_client.get("/api/scripts/", {"stage": other_stage.pk}).json()["results"] == []
    assert api_client.post("/api/scripts/", {"title": "x", "topic": "y"}, format="json").status_code == 403


def test_a_manager_writes_a_script_and_a_move_not_leaving_its_stage_is_refused(
        api_client, marketing_manager, lead):
    api_client.force_authenticate(marketing_manager)
    stage = lead.state  # first contact: «analyse» and «lose» leave it, «negotiate» does not
    bad = api_client.post("/api/scripts/", {"title": "اولین تماس", "topic": "جذب", "stage": stage.pk, "questions": [
        {"text": "پیش‌فاکتور می‌خواهید؟", "kind": "yes_no", "moves": {"بله": "negotiate"}}]}, format="json")
    assert bad.status_code == 400 and "negotiate" in bad.json()["questions[0].moves"][0]
    assert not Script.objects.exists()
    good = api_client.post("/api/scripts/", {"title": "اولین تماس", "topic": "جذب", "stage": stage.pk, "questions": [
        {"text": "پیش‌فاکتور می‌خواهید؟", "kind": "yes_no", "moves": {"بله": "analyse"}}]}, format="json")
    assert good.status_code == 201, good.content
    pk = good.json()["id"]
    patched = api_client.patch(f"/api/scripts/{pk}/", {"is_active": False, "questions": [
        {"id": good.json()["questions"][0]["id"], "text": "تعداد فروشگاه‌ها؟", "kind": "number"}]}, format="json")
    assert patched.status_code == 200
    script = Script.objects.get(pk=pk)
    assert not script.is_active and "فروشگاه" in script.search_text
    assert api_client.get("/api/scripts/").json()["results"] == []
