from aftersales.desk.registry import Resource, register

from .models import Competitor, CompetitorProduct, PriceObservation

register(Resource(
    model=Competitor, slug="competitors", list_fields=["name", "code", "brand_names"],
    form_fields=["code", "name", "brand_names", "website", "notes"],
    children=[("products", ["code", "name", "our_model"])],
))
register(Resource(
    model=CompetitorProduct, slug="competitor-products",
    list_fields=["name", "code", "competitor", "our_model"], form_fields=["competitor", "code", "name", "our_model"],
    filter_fields=["competitor"], select_related=["competitor", "our_model"],
    children=[("prices", ["observed_on", "price", "region", "source"])],
))
register(Resource(
    model=PriceObservation, slug="competitor-prices",
    list_fields=["product", "observed_on", "price", "region", "source"],
    form_fields=["product", "observed_on", "price", "region", "source"],
    filter_fields=["source"], select_related=["product__competitor", "product__our_model", "region"],
))
