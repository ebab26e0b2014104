"""Satisfaction surveys: a texted link, one answer per link, results by center, technician and product (F60)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aftersales.feedback.models import Survey
from aftersales.feedback.selectors import survey_results
from aftersales.feedback.services import survey_answer, survey_invite
from tests.helpers import nothing_written

pytestmark = pytest.mark.django_db


def test_the_customer_gets_a_short_link_by_sms_once_per_service(center_a, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        survey = survey_invite(mobile="09121234567", center=center_a, ref="repairs.order:7", customer_name="سارا احمدی")
        again = survey_invite(mobile="09121234567", center=center_a, ref="repairs.order:7")
    assert again.pk == survey.pk
    [sms] = sms_outbox
    assert f"/s/{survey.token}" in sms.body and "سارا احمدی" in sms.body and center_a.name in sms.body
    assert len(survey.token) >= 16  # 96 random bits: links cannot be guessed


def test_one_answer_per_link(center_a, client):
    survey = survey_invite(mobile="09121234567", center=center_a)
    response = client.post(reverse("survey", args=[survey.token]), {"score": "4", "recommend": "9", "comment": "خوب بود"})
    assert response.status_code == 200 and 'data-testid="survey-done"' in response.content.decode()
    survey.refresh_from_db()
    assert (survey.score, survey.recommend, survey.comment) == (4, 9, "خوب بود")
    second = client.post(reverse("survey", args=[survey.token]), {"score": "1", "recommend": "0"})
    assert "already" in second.content.decode() or "قبلاً" in second.content.decode()
    survey.refresh_from_db()
    assert survey.score == 4
    with nothing_written(), pytest.raises(ValidationError):
        survey_answer(token=survey.token, score=1, recommend=0)


def test_a_score_is_required_and_must_be_one_to_five(center_a, client):
    survey = survey_invite(mobile="09121234567", center=center_a)
    with nothing_written():
        assert client.post(reverse("survey", args=[survey.token]), {"recommend": "5"}).status_code == 400
    with nothing_written():
        assert client.post(reverse("survey", args=[survey.token]), {"score": "9"}).status_code == 400
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_an_expired_survey_takes_no_answer(center_a):
    survey = survey_invite(mobile="09121234567", center=center_a)
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    with nothing_written(), pytest.raises(ValidationError):
        survey_answer(token=survey.token, score=5, recommend=10)


def test_an_unknown_link_is_a_404(client, db):
    assert client.get(reverse("survey", args=["nope"])).status_code == 404


def test_results_by_center_technician_and_product_with_nps(center_a, center_b, technician_a, fridge_model, head_office):
    answers = [(center_a, 5, 10), (center_a, 4, 9), (center_a, 2, 3), (center_b, 3, 7)]
    for center, score, recommend in answers:
        survey = survey_invite(mobile="09121234567", center=center, technician=technician_a, product_model=fridge_model)
        survey_answer(token=survey.token, score=score, recommend=recommend)
    survey_invite(mobile="09121234567", center=center_a)  # sent, not answered
    by_center = {row["id"]: row for row in survey_results(user=head_office, by="center")}
    a = by_center[center_a.pk]
    assert (a["sent"], a["answered"], a["average"], a["nps"]) == (4, 3, 3.67, 33)  # (2 − 1) / 3 promoters − detractors
    assert by_center[center_b.pk]["nps"] == 0
    [technician] = survey_results(user=head_office, by="technician")
    assert technician["answered"] == 4 and technician["name"]
    [product] = survey_results(user=head_office, by="product")
    assert product["name"] == fridge_model.name


def test_a_center_manager_sees_only_their_centers_results(center_a, center_b, manager_a, client):
    for center in (center_a, center_b):
        survey_answer(token=survey_invite(mobile="09121234567", center=center).token, score=5, recommend=10)
    assert [row["id"] for row in survey_results(user=manager_a, by="center")] == [center_a.pk]
    client.force_login(manager_a)
    page = client.get(reverse("feedback:results"), {"by": "center", "start": "۱۴۰۰/۰۱/۰۱"}).content.decode()
    assert center_a.name in page and center_b.name not in page


def test_technicians_may_not_open_the_results(client, technician_a):
    client.force_login(technician_a)
    assert client.get(reverse("feedback:results")).status_code == 403
