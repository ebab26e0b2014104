"""The expenses cast: visitor_a (آرش کاظمی) of center A with a tour, visitor_b of center B, an accountant of
A, the marketing manager, and receipts as small PNG photos. Imported explicitly by the expenses' tests."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.organization.roles import Role
from tests.factories import UserFactory


def png(name: str = "receipt.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 12), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FIELD_RECEIPT_REQUIRED_OVER = 5_000_000


@pytest.fixture
def visitor_a(center_a):
    return UserFactory(username="visitor_a", first_name="آرش", last_name="کاظمی", role=Role.VISITOR,
                       centers=[center_a])


@pytest.fixture
def visitor_a2(center_a):
    return UserFactory(username="visitor_a2", first_name="بهاره", last_name="توکلی", role=Role.VISITOR,
                       centers=[center_a])


@pytest.fixture
def visitor_b(center_b):
    return UserFactory(username="visitor_b", first_name="نگار", last_name="صدری", role=Role.VISITOR,
                       centers=[center_b])


@pytest.fixture
def accountant_a(center_a):
    return UserFactory(username="accountant_a", role=Role.ACCOUNTANT, centers=[center_a])


@pytest.fixture
def marketing_head(db):
    return UserFactory(username="marketing_head", first_name="مهسا", last_name="رضایی", role=Role.MARKETING_MANAGER)


@pytest.fixture
def tour_a(center_a, visitor_a, manager_a):
    from aftersales.field.models import Tour

    today = timezone.localdate()
    return Tour.objects.create(name="تور بازار تهران", center=center_a, marketer=visitor_a,
                               start_date=today - datetime.timedelta(days=10), end_date=today + datetime.timedelta(days=5),
                               created_by=manager_a)


@pytest.fixture
def submit(visitor_a):
    """File an expense (as visitor_a unless ``acting_user`` is given) for yesterday."""
    from aftersales.field.services_expenses import expense_submit

    def _submit(**values):
        values.setdefault("acting_user", visitor_a)
        values.setdefault("kind", "transport")
        values.setdefault("amount", 1_200_000)
        values.setdefault("spent_on", timezone.localdate() - datetime.timedelta(days=1))
        return expense_submit(**values)

    return _submit
