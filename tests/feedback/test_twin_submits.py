"""The public complaint form submitted twice at the same instant (a double click): one complaint,
and both answers lead to its tracking number (PostgreSQL)."""

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.feedback.models import Complaint
from aftersales.feedback.services import complaint_receive
from tests.twins import at_once

from .test_complaints import form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_complaint_forms_with_one_submission_at_once_record_one_complaint():

    def submit():
        client = Client()
        answer = client.post(reverse("feedback-form"), form_data(submission="twin"))
        return answer.status_code, client.session.get("feedback_number")

    first, second = at_once(submit)
    assert first == second and first[0] == 302 and first[1], (first, second)
    assert Complaint.objects.get().number == first[1]


def test_two_complaints_with_one_key_at_once_give_one_complaint():

    def submit():
        return complaint_receive(channel="web", text="دیر شد", mobile="09121234567", submission_key="twin").pk

    first, second = at_once(submit)
    assert first == second and isinstance(first, int), (first, second)
    assert Complaint.objects.count() == 1
