"""The price comparison chart is reached from the menu and from the pages of a competitor, a competitor
product and our model, opened on that model (issue 20, "Smaller things seen")."""

import pytest
from django.urls import reverse

from aftersales.competitors.models import Competitor, CompetitorProduct
from aftersales.organization.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival_product(fridge_model):
    rival = Competitor.objects.create(code="lg", name="ال‌جی")
    return CompetitorProduct.objects.create(competitor=rival, code="GR-X257", name="ساید ال‌جی", our_model=fridge_model)


def test_the_chart_is_in_the_menu_of_who_may_see_prices(client, reception_a):
    client.force_login(UserFactory(username="marketing", role=Role.MARKETING_MANAGER))
    assert reverse("competitors:compare") in client.get("/").content.decode()
    client.force_login(reception_a)
    assert reverse("competitors:compare") not in client.get("/").content.decode()


def test_the_chart_is_linked_from_the_competitor_product_and_model_pages(client, head_office, rival_product,
                                                                          fridge_model):
    client.force_login(head_office)
    link = f'{reverse("competitors:compare")}?model={fridge_model.pk}'
    for slug, pk in (("competitor-products", rival_product.pk), ("competitors", rival_product.competitor_id),
                     ("product-models", fridge_model.pk)):
        page = client.get(reverse("desk:detail", args=[slug, pk])).content.decode()
        assert 'data-testid="compare-link"' in page and link in page, slug
        assert "نمودار مقایسه قیمت" in page


def test_no_link_for_who_may_not_see_prices(client, reception_a, fridge_model, rival_product):
    client.force_login(reception_a)
    page = client.get(reverse("desk:detail", args=["product-models", fridge_model.pk])).content.decode()
    assert 'data-testid="compare-link"' not in page
