import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from aftersales.catalog.models import ModelPrice
from aftersales.competitors.models import Competitor, CompetitorProduct, PriceObservation
from aftersales.competitors.selectors import price_comparison
from aftersales.imports.models import ImportJob
from aftersales.imports.services import import_job_create, import_job_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(fridge_model):
    ModelPrice.objects.create(product_model=fridge_model, effective_on=datetime.date(2026, 1, 1), price=900_000_000)
    ModelPrice.objects.create(product_model=fridge_model, effective_on=datetime.date(2026, 6, 1), price=990_000_000)
    rival = Competitor.objects.create(code="lg", name="ال‌جی")
    product = CompetitorProduct.objects.create(competitor=rival, code="GR-X257", name="ساید ال‌جی", our_model=fridge_model)
    for day, price in [(datetime.date(2026, 3, 1), 950_000_000), (datetime.date(2026, 3, 1), 970_000_000), (datetime.date(2026, 7, 1), 1_050_000_000)]:
        PriceObservation.objects.create(product=product, observed_on=day, price=price)
    return fridge_model


def test_comparison_gives_our_price_history_and_their_daily_average(market):
    data = price_comparison(product_model_id=market.pk)
    assert [price for _day, price in data["ours"]] == [900_000_000, 990_000_000]
    assert data["theirs"]["ال‌جی ساید ال‌جی"] == [(datetime.date(2026, 3, 1), 960_000_000), (datetime.date(2026, 7, 1), 1_050_000_000)]


def test_comparison_page_draws_a_local_chart_with_jalali_dates(client, head_office, market):
    client.force_login(head_office)
    body = client.get("/competitors/compare/").content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in body and 'id="chart-data"' in body
    assert "۱۴۰۴/۱۰/۱۱" in body  # 2026-01-01, our first price


def test_receptionist_may_not_see_competitor_prices(client, reception_a, market):
    client.force_login(reception_a)
    assert client.get("/competitors/compare/").status_code == 403


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["رقیب", "کد مدل", "مدل مشابه ما", "تاریخ مشاهده", "قیمت (ریال)", "منطقه"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("prices.xlsx", buffer.getvalue())


def test_price_import_maps_products_and_refuses_unknowns(head_office, market, django_capture_on_commit_callbacks):
    rows = [["ال‌جی", "GR-B100", "RF-520", "1405/08/01", "۸۸۰٬۰۰۰٬۰۰۰", "تهران"],
            ["سامسونگ", "RS-1", None, "1405/08/01", 10, None],
            ["lg", "GR-B100", None, "1405/08/40", "abc", "ناکجا"]]
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="competitor-prices", uploaded_file=_xlsx(rows), acting_user=head_office)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REJECTED
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "رقیب"), (4, "تاریخ مشاهده"), (4, "قیمت (ریال)"), (4, "منطقه")}
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind="competitor-prices", uploaded_file=_xlsx(rows[:1]), acting_user=head_office)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_start(job=job, acting_user=head_office)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    product = CompetitorProduct.objects.get(code="GR-B100")
    assert product.our_model == market and product.prices.get().price == 880_000_000
