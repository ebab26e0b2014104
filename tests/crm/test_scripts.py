"""The marketing manager's Q&A scripts pages (F54)."""

import pytest
from django.urls import reverse

from aftersales.crm import services
from aftersales.crm.models import Script, ScriptQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_contact(lead):
    return lead.state


def _form(stage, questions=(), **values):
    data = {"title": "نیازسنجی نماینده", "topic": "اولین تماس", "stage": stage.pk if stage else "",
            "question-TOTAL_FORMS": str(max(2, len(questions))), "question-INITIAL_FORMS": "0",
            "question-MIN_NUM_FORMS": "0", "question-MAX_NUM_FORMS": "1000", **values}
    for index in range(max(2, len(questions))):
        row = questions[index] if index < len(questions) else {}
        data.update({f"question-{index}-{name}": value for name, value in {
            "id": "", "text": "", "kind": "text", "choices": "", "move_answer_1": "", "move_step_1": "",
            "move_answer_2": "", "move_step_2": "", **row}.items()})
    return data


def test_a_manager_writes_a_script_whose_answer_moves_the_stage(login, marketing_manager, first_contact):
    response = login(marketing_manager).post(reverse("crm:script-create"), _form(first_contact, [
        {"text": "به پیش‌فاکتور نیاز دارید؟", "kind": "yes_no", "move_answer_1": "بله", "move_step_1": "analyse",
         "move_answer_2": "خیر", "move_step_2": "lose"},
        {"text": "کدام برند؟", "kind": "choice", "choices": "اسنوا\nال‌جی\n"}]))
    script = Script.objects.get()
    assert response.status_code == 302 and response.url == reverse("crm:script-edit", args=[script.pk])
    questions = list(script.questions.order_by("order"))
    assert [(q.text, q.kind, q.choices, q.moves) for q in questions] == [
        ("به پیش‌فاکتور نیاز دارید؟", "yes_no", [], {"بله": "analyse", "خیر": "lose"}),
        ("کدام برند؟", "choice", ["اسنوا", "ال‌جی"], {})]
    page = login(marketing_manager).get(response.url).content.decode()
    assert "به پیش‌فاکتور نیاز دارید؟" in page and 'value="analyse" selected' in page


def test_a_move_by_a_step_that_does_not_leave_the_stage_is_refused_in_persian(login, marketing_manager,
                                                                              first_contact):
    response = login(marketing_manager).post(reverse("crm:script-create"), _form(first_contact, [
        {"text": "مذاکره کنیم؟", "kind": "yes_no", "move_answer_1": "بله", "move_step_1": "negotiate"}]))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-question-0-move_step_1"' in page and "negotiate" in page and "اولین تماس" in page
    assert not Script.objects.exists() and not ScriptQuestion.objects.exists()


def test_a_choice_question_without_choices_and_a_move_on_an_unlisted_answer_are_refused(
        login, marketing_manager, first_contact):
    response = login(marketing_manager).post(reverse("crm:script-create"), _form(first_contact, [
        {"text": "کدام برند؟", "kind": "choice"},
        {"text": "رضایت دارید؟", "kind": "choice", "choices": "زیاد\nکم", "move_answer_1": "متوسط",
         "move_step_1": "analyse"}]))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-question-0-choices"' in page and 'data-testid="error-question-1-move_step_1"' in page
    assert not Script.objects.exists()


def test_script_search_with_arabic_letters_finds_a_persian_question(login, marketing_manager, first_contact):
    services.script_save(acting_user=marketing_manager, title="اولین تماس با نماینده", topic="جذب",
                         stage=first_contact, questions=[{"text": "چند فروشگاه یخچال دارید؟", "kind": "number"}])
    services.script_save(acting_user=marketing_manager, title="رضایت از نصب", topic="خدمات", questions=[])
    client = login(marketing_manager)
    page = client.get(reverse("crm:script-list"), {"q": "يخچال"}).content.decode()  # Arabic ي
    assert "اولین تماس با نماینده" in page and "رضایت از نصب" not in page
    typed = client.get(reverse("crm:script-list"), {"q": "فروشگاه"}, HTTP_HX_REQUEST="true").content.decode()
    assert "اولین تماس با نماینده" in typed and "<html" not in typed  # as typed, the list alone
    grouped = client.get(reverse("crm:script-list"), HTTP_HX_REQUEST="true").content.decode()
    assert grouped.index("جذب") < grouped.index("خدمات")  # grouped by topic


def test_editing_questions_refreshes_the_search_and_removing_one_deletes_it(login, marketing_manager,
                                                                           first_contact):
    script = services.script_save(acting_user=marketing_manager, title="اولین تماس", topic="جذب",
                                  stage=first_contact, questions=[{"text": "بودجه دارید؟", "kind": "yes_no"},
                                                                  {"text": "چند شعبه؟", "kind": "number"}])
    budget, branches = script.questions.order_by("order")
    data = _form(first_contact, [{"id": budget.pk, "text": "کاتالوگ كامل می‌خواهید؟", "kind": "yes_no"},
                                 {"id": branches.pk, "text": "چند شعبه؟", "kind": "number", "DELETE": "on"}],
                 title="اولین تماس", topic="جذب")
    data["question-INITIAL_FORMS"] = "2"
    response = login(marketing_manager).post(reverse("crm:script-edit", args=[script.pk]), data)
    assert response.status_code == 302
    script.refresh_from_db()
    assert list(script.questions.values_list("text", flat=True)) == ["کاتالوگ کامل می‌خواهید؟"]
    assert "کاتالوگ" in script.search_text and "بودجه" not in script.search_text and "شعبه" not in script.search_text


def test_a_question_saved_elsewhere_still_refreshes_the_scripts_search_text(marketing_manager):
    script = services.script_save(acting_user=marketing_manager, title="رضایت", topic="خدمات", questions=[])
    ScriptQuestion.objects.create(script=script, text="از نصب راضی بودید؟")
    assert "نصب" in Script.objects.get(pk=script.pk).search_text


def test_deactivating_a_script_takes_it_off_the_contact_page(login, marketing_manager, visitor_a, lead):
    script = services.script_save(acting_user=marketing_manager, title="رضایت از نصب", topic="خدمات", questions=[])
    login(marketing_manager).post(reverse("crm:script-active", args=[script.pk]), {"active": "0"})
    assert not Script.objects.get(pk=script.pk).is_active
    page = login(visitor_a).get(reverse("crm:contact-log"), {"party": lead.pk}).content.decode()
    assert "رضایت از نصب" not in page


def test_a_visitor_may_not_write_scripts(login, visitor_a):
    client = login(visitor_a)
    assert client.get(reverse("crm:script-create")).status_code == 403
    assert client.post(reverse("crm:script-create"), _form(None)).status_code == 403
    assert not Script.objects.exists()
