"""Cumulative files: at the preview the user chooses what happens to rows already registered (issue 20)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.catalog.models import ProductUnit, UnitEvent
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start
from tests.imports.test_serials import xlsx as serials_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["سریال", "کد برند", "کد مدل", "تاریخ تولید", "بچ / سری ساخت", "تاریخ فروش"]


def xlsx(rows, name="serials.xlsx") -> SimpleUploadedFile:
    return serials_xlsx(rows, header=HEADER, name=name)


@pytest.fixture
def check(integration_user, django_capture_on_commit_callbacks):
    def _check(upload):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(kind="serials", uploaded_file=upload, acting_user=integration_user)
        job.refresh_from_db()
        return job
    return _check


@pytest.fixture
def commit(integration_user, django_capture_on_commit_callbacks):
    def _commit(job, mode):
        with django_capture_on_commit_callbacks(execute=True):
            assert import_job_start(job=job, acting_user=integration_user, mode=mode)
        job.refresh_from_db()
        return job
    return _commit


def serials(count, start=1):
    return [[f"SN{index:04d}", "SNOW", "RF-520", "1405/01/10", "B1", None] for index in range(start, start + count)]


def test_new_rows_only_adds_the_new_serials_of_a_cumulative_file_and_lists_the_others(check, commit, fridge_model):
    assert commit(check(xlsx(serials(3))), ImportJob.Mode.ALL_OR_NOTHING).status == ImportJob.Status.DONE
    job = check(xlsx(serials(3) + serials(200, start=4)))  # the factory's file, a week later
    assert job.status == ImportJob.Status.CHECKED and job.error_count == 0
    assert job.existing_count == 3 and [row["row"] for row in job.existing["rows"]] == [2, 3, 4]
    job = commit(job, ImportJob.Mode.NEW_ONLY)
    assert job.status == ImportJob.Status.DONE
    assert job.result["created"] == 200 and job.result["skipped"] == 3
    assert ProductUnit.objects.count() == 203


def test_add_and_update_shows_what_changes_per_row_then_writes_it(check, commit, fridge_model):
    commit(check(xlsx(serials(2))), ImportJob.Mode.ALL_OR_NOTHING)
    job = check(xlsx([["SN0001", "SNOW", "RF-520", "1405/01/10", "B2", "1405/03/01"],
                      ["SN0002", "SNOW", "RF-520", "1405/01/10", "B1", None],
                      ["SN0003", "SNOW", "RF-520", None, None, None]]))
    assert job.status == ImportJob.Status.CHECKED and job.existing_count == 2 and job.existing["changed"] == 1
    first, second = job.existing["rows"]
    assert {(c["column"], c["old"], c["new"]) for c in first["changes"]} == {
        ("بچ / سری ساخت", "B1", "B2"), ("تاریخ فروش", "—", "۱۴۰۵/۰۳/۰۱")}
    assert second["changes"] == []
    job = commit(job, ImportJob.Mode.UPDATE)
    assert job.status == ImportJob.Status.DONE
    assert (job.result["created"], job.result["updated"], job.result["unchanged"]) == (1, 1, 1)
    unit = ProductUnit.objects.get(serial_key="SN0001")
    assert unit.batch == "B2" and unit.status == ProductUnit.Status.SOLD and unit.sale_date.isoformat() == "2026-05-22"
    assert unit.events.filter(kind=UnitEvent.Kind.SOLD).count() == 1
    assert ProductUnit.objects.get(serial_key="SN0002").batch == "B1"


def test_an_empty_cell_does_not_erase_what_is_stored(check, commit, fridge_model):
    commit(check(xlsx(serials(1))), ImportJob.Mode.ALL_OR_NOTHING)
    job = check(xlsx([["SN0001", "SNOW", "RF-520", None, None, None]]))
    assert job.existing["rows"][0]["changes"] == []
    commit(job, ImportJob.Mode.UPDATE)
    assert ProductUnit.objects.get().batch == "B1"


def test_all_or_nothing_refuses_a_file_with_registered_rows_naming_them_in_persian(check, commit, fridge_model):
    commit(check(xlsx(serials(2))), ImportJob.Mode.ALL_OR_NOTHING)
    job = commit(check(xlsx(serials(5))), ImportJob.Mode.ALL_OR_NOTHING)
    assert job.status == ImportJob.Status.FAILED
    assert "ردیف" in job.result["error"] and "۲، ۳" in job.result["error"]
    assert [clash["row"] for clash in job.result["clashes"]] == [2, 3]
    assert ProductUnit.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # two commits, each in its own transaction, as in production
def test_a_file_overlapping_one_committed_a_moment_earlier_names_the_clashing_rows_and_writes_nothing(
        client, integration_user, check, commit, fridge_model):
    first = check(xlsx(serials(3)))
    second = check(xlsx(serials(4, start=2)))  # rows 2–3 of it are rows 3–4 of the first file
    assert first.existing_count == second.existing_count == 0
    assert commit(first, ImportJob.Mode.ALL_OR_NOTHING).status == ImportJob.Status.DONE
    second = commit(second, ImportJob.Mode.ALL_OR_NOTHING)
    assert second.status == ImportJob.Status.FAILED
    error = second.result["error"]
    assert "UNIQUE" not in error and "duplicate" not in error.lower() and "ثبت" in error
    assert [(clash["row"], clash["key"]) for clash in second.result["clashes"]] == [(2, "SN0002"), (3, "SN0003")]
    assert ProductUnit.objects.count() == 3  # nothing of the second file
    client.force_login(integration_user)
    page = client.get(f"/imports/jobs/{second.pk}/").content.decode()
    assert 'data-testid="import-failed"' in page and 'data-testid="import-clashes"' in page and "SN0003" in page


@pytest.mark.django_db(transaction=True)
def test_new_rows_only_skips_rows_committed_by_another_import_meanwhile(check, commit, fridge_model):
    first = check(xlsx(serials(3)))
    second = check(xlsx(serials(4, start=2)))
    commit(first, ImportJob.Mode.ALL_OR_NOTHING)
    second = commit(second, ImportJob.Mode.NEW_ONLY)
    assert second.status == ImportJob.Status.DONE
    assert second.result["created"] == 2 and second.result["skipped"] == 2
    assert [clash["row"] for clash in second.result["clashes"]] == [2, 3]
    assert ProductUnit.objects.count() == 5


def test_preview_page_offers_the_three_choices_and_lists_registered_rows(
        client, check, commit, integration_user, fridge_model, django_capture_on_commit_callbacks):
    commit(check(xlsx(serials(1))), ImportJob.Mode.ALL_OR_NOTHING)
    job = check(xlsx([["SN0001", "SNOW", "RF-520", "1405/01/10", "B9", None], *serials(1, start=2)]))
    client.force_login(integration_user)
    page = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert page.count('name="mode"') == 3 and 'value="new_only"' in page
    assert 'data-testid="import-existing"' in page and "B9" in page and "فقط ردیف‌های تازه" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/jobs/{job.pk}/commit/", {"mode": "new_only"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.mode == ImportJob.Mode.NEW_ONLY
    page = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert 'data-testid="import-done"' in page
    assert ProductUnit.objects.get(serial_key="SN0001").batch == "B1"



def test_importers_that_cannot_update_offer_only_new_rows_or_all_or_nothing(integration_user, fridge_model, check):
    from aftersales.imports.forms import CommitForm
    from aftersales.imports.registry import get

    assert get("serials").can_update and not get("customers").can_update
    assert [value for value, _label in CommitForm(can_update=False).fields["mode"].choices] == ["new_only", "all"]
    job = check(xlsx(serials(1)))
    job.kind = "customers"  # a checked customers file may not be committed in "add and update"
    assert not import_job_start(job=job, acting_user=integration_user, mode=ImportJob.Mode.UPDATE)


def test_add_and_update_moves_a_unit_to_another_model_shown_by_its_code(check, commit, fridge_model):
    from aftersales.catalog.models import ProductModel

    other = ProductModel.objects.create(code="RF-610", name="یخچال ۶۱۰", brand=fridge_model.brand, group=fridge_model.group)
    commit(check(xlsx(serials(1))), ImportJob.Mode.ALL_OR_NOTHING)
    job = check(xlsx([["SN0001", "SNOW", "RF-610", "1405/01/10", "B1", None]]))
    assert [(c["column"], c["old"], c["new"]) for c in job.existing["rows"][0]["changes"]] == [
        ("کد مدل", fridge_model.code, other.code)]
    commit(job, ImportJob.Mode.UPDATE)
    assert ProductUnit.objects.get().product_model == other
