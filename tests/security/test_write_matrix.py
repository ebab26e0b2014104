"""Writes into another center, generated from the desk's resources and the admin registry: for every
form or API field that chooses a record of a center-scoped model (a center, warehouse, team, colleague…),
a center-bound user of center A with every permission posts center B's record there and must be refused,
with nothing written. A new resource or admin page with such a field joins the matrix by itself."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from aftersales.core import rowscope
from aftersales.desk import registry
from aftersales.desk.api import viewset_for
from aftersales.organization.roles import Role

from ..factories import UserFactory
from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(world):
    """A center manager of center A who holds every permission: refusals come from the center rule."""
    user = UserFactory(username="writer_a", role=Role.CENTER_MANAGER, centers=[world.center_a], is_staff=True)
    user.user_permissions.add(*Permission.objects.all())
    assert not Group.objects.get(name=Role.CENTER_MANAGER).role_profile.spans_all_centers
    return user


def _scoped_fields(fields):
    for name, field in fields.items():
        target = getattr(field, "child_relation", field)
        queryset = getattr(target, "queryset", None)
        if getattr(field, "read_only", False) or queryset is None or not rowscope.is_scoped(queryset.model):
            continue
        yield name, field, queryset.model


def _api_cases():
    cases = []
    for resource in registry.resources():
        serializer = viewset_for(resource).serializer_class()
        for name, field, model in _scoped_fields(serializer.fields):
            cases.append(pytest.param(resource.slug, name, model._meta.label, hasattr(field, "child_relation"),
                                      id=f"api:{resource.slug}.{name}"))
    return cases


def _admin_cases():
    cases = []
    for model, model_admin in admin.site._registry.items():
        if getattr(model_admin, "superuser_only", False):
            continue
        for db_field in [*model._meta.fields, *model._meta.many_to_many]:
            related = getattr(db_field, "related_model", None)
            if db_field.editable and related is not None and rowscope.is_scoped(related):
                cases.append(pytest.param(model._meta.label, db_field.name, related._meta.label,
                                          id=f"admin:{model._meta.label}.{db_field.name}"))
    return cases


API_CASES, ADMIN_CASES = _api_cases(), _admin_cases()


def test_the_write_matrix_covers_the_center_choices():
    labels = {case.values[2] for case in API_CASES + ADMIN_CASES}
    assert {"organization.ServiceCenter", "organization.User", "stock.Warehouse"} <= labels, labels
    assert len(API_CASES) >= 5 and len(ADMIN_CASES) >= 10, (len(API_CASES), len(ADMIN_CASES))


def _referencing(model, field_name, target):
    return model._default_manager.filter(**{field_name: target}).count()


@pytest.mark.parametrize(("slug", "field_name", "target_label", "many"), API_CASES)
def test_the_api_refuses_another_centers_record_as_a_choice(api_client, world, writer, slug, field_name,
                                                            target_label, many):
    target = world.records.get(target_label)
    if target is None:
        pytest.fail(f"the matrix's world has no record of {target_label} in center B: add one to world.py")
    resource = registry.get(slug)
    before = _referencing(resource.model, field_name, target)
    api_client.force_authenticate(writer)
    answer = api_client.post(f"/api/{slug}/", {field_name: [target.pk] if many else target.pk}, format="json")
    assert answer.status_code in (400, 403, 405), answer.content
    if answer.status_code == 400:
        assert field_name in answer.json(), answer.json()
    assert _referencing(resource.model, field_name, target) == before


@pytest.mark.parametrize(("model_label", "field_name", "target_label"), ADMIN_CASES)
def test_the_admin_refuses_another_centers_record_as_a_choice(client, world, writer, model_label, field_name,
                                                              target_label):
    from django.apps import apps

    target = world.records.get(target_label)
    if target is None:
        pytest.fail(f"the matrix's world has no record of {target_label} in center B: add one to world.py")
    model = apps.get_model(model_label)
    before = _referencing(model, field_name, target)
    login(client, writer)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    answer = client.post(url, {field_name: target.pk})
    assert answer.status_code in (200, 403), answer.status_code  # the form again with its errors, or no add
    assert _referencing(model, field_name, target) == before
    if answer.status_code == 200:
        form = answer.context.get("adminform")
        if form is not None and field_name in form.form.fields:
            assert field_name in form.form.errors, form.form.errors
