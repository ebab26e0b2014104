"""Patterns in the API's schema read alike in Python (Django's validators) and in ECMAScript (JSON Schema's
dialect, as clients and schemathesis validate answers): a customer group's code in Persian letters, accepted by
the API, also passes the schema the API publishes."""

import jsonschema_rs
import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _group_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["components"]["schemas"]["CustomerGroup"]


def test_a_unicode_slug_is_described_in_words_not_by_an_ascii_only_ecmascript_pattern():
    code = _group_schema()["properties"]["code"]
    assert "pattern" not in code and code["description"]
    check = jsonschema_rs.validator_for(code)
    for accepted in ("عمده", "VIP-1", "ÒÖR", "کد_۱۲"):
        assert check.is_valid(accepted), accepted


def test_a_group_the_api_created_with_a_persian_code_validates_against_the_published_schema(api_client):
    api_client.force_authenticate(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = api_client.post("/api/customer-groups/", {"code": "عمده", "name": "عمده‌فروشان"}, format="json")
    assert response.status_code == 201, response.content
    schema = SchemaGenerator().get_schema(request=None, public=True)
    group = {**_group_schema(), "components": schema["components"]}
    jsonschema_rs.validator_for(group).validate(response.json())
    refused = api_client.post("/api/customer-groups/", {"code": "عمده فروش", "name": "x"}, format="json")
    assert refused.status_code == 400 and "code" in refused.json()
