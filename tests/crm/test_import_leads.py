"""Leads from an Excel file: each row through lead_create; bad rows named in Persian at the preview."""

import pytest

from aftersales.crm.models import Party
from aftersales.customers.models import Customer
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start
from tests.helpers import xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["kind", "first_name", "last_name", "company_name", "national_code", "legal_national_id", "mobile", "phone",
          "party_type", "rating", "score", "source", "city", "activity", "marketer", "team"]


def _row(**values):
    row = dict.fromkeys(HEADER, "")
    row.update(values)
    return [row[name] for name in HEADER]


@pytest.fixture
def run(marketing_manager, django_capture_on_commit_callbacks):
    def _run(rows, user=marketing_manager):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(kind="leads", uploaded_file=xlsx_upload(HEADER, rows, "leads.xlsx"),
                                    acting_user=user)
        job.refresh_from_db()
        if job.status == ImportJob.Status.CHECKED:
            with django_capture_on_commit_callbacks(execute=True):
                assert import_job_start(job=job, acting_user=user)
            job.refresh_from_db()
        return job
    return _run


def test_a_good_file_registers_the_leads(run, visitor_a, center_a):
    job = run([
        _row(kind="حقوقی", company_name="فروشگاه نور", legal_national_id="10380284790", mobile="۰۹۱۲۱۲۳۴۵۶۷",
             party_type="dealer", rating="گرم", source="exhibition", activity="لوازم خانگی", marketer="visitor_a"),
        _row(kind="حقیقی", first_name="علی", last_name="رضایی", phone="02188776655", party_type="نماینده فروش",
             rating="hot", score="۸۰", team=center_a.code),
    ])
    assert job.status == ImportJob.Status.DONE, (job.errors, job.result)
    assert job.result["created"] == 2
    shop = Party.objects.get(customer__company_name="فروشگاه نور")
    assert shop.customer.is_lead and shop.customer.mobile == "09121234567"
    assert shop.marketer == visitor_a and shop.center == center_a and shop.source.code == "exhibition"
    assert shop.rating == "warm" and shop.state.code == "first_contact"
    ali = Party.objects.get(customer__last_name="رضایی")
    assert ali.rating == "hot" and ali.score == 80 and ali.center == center_a
    assert ali.customer.phones.filter(number="02188776655").exists()


def test_bad_rows_are_named_in_persian_and_nothing_is_written(run, visitor_a):
    Customer.objects.create(first_name="مریم", last_name="کاظمی", national_code="0012345679")
    job = run([
        _row(last_name="یک", national_code="0012345679", party_type="dealer", marketer="visitor_a"),
        _row(last_name="دو", mobile="123", party_type="dealer", marketer="visitor_a"),
        _row(last_name="سه", mobile="09120000001", party_type="ناشناخته", marketer="visitor_a"),
        _row(last_name="چهار", mobile="09120000002", party_type="dealer", marketer="nobody"),
        _row(last_name="پنج", mobile="09120000003", party_type="dealer", rating="خیلی داغ", team="TEH01"),
    ])
    assert job.status == ImportJob.Status.REJECTED
    by_row = {}
    for error in job.errors:
        by_row.setdefault(error["row"], []).append(error["message"])
    assert any("مریم کاظمی" in message for message in by_row[2])
    assert set(by_row) == {2, 3, 4, 5, 6}
    assert all(message and not message.isascii() for messages in by_row.values() for message in messages)
    assert not Party.objects.exists()


def test_a_mobile_on_record_is_an_already_registered_row(run, visitor_a, lead):
    job = run([_row(company_name="نور", kind="حقوقی", mobile="09121234567", party_type="dealer",
                    marketer="visitor_a")])
    assert job.existing_count == 1
    assert job.status == ImportJob.Status.FAILED  # all or nothing: the registered row is named
    assert Party.objects.count() == 1


def test_a_visitor_cannot_import_leads_into_another_team(run, visitor_a, center_b):
    job = run([_row(last_name="رضایی", mobile="09120000009", party_type="dealer", team=center_b.code)],
              user=visitor_a)
    assert job.status == ImportJob.Status.FAILED
    assert not Party.objects.exists()
