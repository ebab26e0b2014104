"""Rows written by statements built once per model (core.inserts; issue 21)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from aftersales.core.inserts import insert_row, insert_unless_exists
from aftersales.messaging.models import Message
from aftersales.workflow.models import State, TransitionLog

pytestmark = pytest.mark.django_db


def test_insert_row_writes_every_field_and_the_defaults(center_a, reception_a):
    state = State.objects.filter(workflow__code="repair").first()
    log = insert_row(TransitionLog(content_type=ContentType.objects.get_for_model(State), object_id=2**40,
                                   target=state, by=reception_a, comment="پذیرش"))
    stored = TransitionLog.objects.get()
    assert log.pk == stored.pk and not log._state.adding
    assert (stored.object_id, stored.target, stored.by, stored.comment, stored.data, stored.source) == (
        2**40, state, reception_a, "پذیرش", {}, None)
    assert abs((stored.at - log.at).total_seconds()) < 1e-3


def test_a_key_written_before_is_left_as_it_was():
    first = Message(channel="sms", to="09121234567", body="یک", idempotency_key="k-1")
    assert insert_unless_exists(first, unique_field="idempotency_key") and first.pk
    again = Message(channel="sms", to="09121234567", body="دو", idempotency_key="k-1")
    assert not insert_unless_exists(again, unique_field="idempotency_key") and again.pk is None
    assert list(Message.objects.values_list("body", flat=True)) == ["یک"]
