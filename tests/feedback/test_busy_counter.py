"""Complaints arriving at once (PostgreSQL; issue 21): the whole network numbers its complaints from one
series, so a complaint still being written must not hold up the next one — its number is taken only at
the very end — and the numbers still run 1, 2… with no gap, in the order the complaints were committed."""

import pytest

from aftersales.core.models import DocumentSequence
from aftersales.feedback import services
from aftersales.feedback.models import Complaint
from aftersales.messaging.services import inbound_record
from tests.busy import Pause, overlap

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _web(text, mobile):
    return services.complaint_receive(channel="web", text=text, mobile=mobile).number


def _email(text, mobile):
    inbound_record(channel="email", sender=f"{mobile}@example.com", subject="شکایت", body=text)
    return Complaint.objects.get(text=text).number


@pytest.mark.parametrize("send", [_web, _email], ids=["web form", "e-mail"])
def test_a_slow_complaint_does_not_hold_up_the_next_one(send, monkeypatch):
    """The first complaint stops just before its number; a second one goes through meanwhile and takes
    number 1; the first then ends with number 2. Had the number been taken when the complaint was
    saved, the second would wait for the first."""
    pause, assign = Pause(), services.document_number_assign

    def slow_assign(document, **kwargs):  # everything else of the complaint is written
        pause.here()
        return assign(document, **kwargs)

    monkeypatch.setattr(services, "document_number_assign", slow_assign)
    slow_box, quick_box, finished_meanwhile = overlap(lambda: send("دیر شد", "09121234567"),
                                                      lambda: send("گران بود", "09351234567"), pause)
    assert finished_meanwhile, "the second complaint waited for the first one to be written"
    year = quick_box["result"].split("-")[0]
    assert (quick_box, slow_box) == ({"result": f"{year}-000001"}, {"result": f"{year}-000002"})
    assert dict(Complaint.objects.values_list("text", "number")) == {"گران بود": f"{year}-000001",
                                                                    "دیر شد": f"{year}-000002"}
    assert DocumentSequence.objects.get(scope=Complaint.number_scope, document_type="complaint").last_number == 2
    # The audit trail shows each complaint under its number from its first row on.
    assert sorted(Complaint.history.values_list("number", flat=True).distinct()) == [f"{year}-000001",
                                                                                   f"{year}-000002"]
