"""Importing competitor price observations from Excel/CSV (F03, F05)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.catalog.models import ProductModel
from aftersales.core.persian import isolate, search_key
from aftersales.imports.cells import code, date, text, whole_number
from aftersales.imports.registry import Column, Importer, register

from .models import Competitor, CompetitorProduct, PriceObservation

_SOURCES = {search_key(str(label)): value for value, label in PriceObservation.Source.choices}


class PriceImporter(Importer):
    kind = "competitor-prices"
    label = gettext_lazy("Competitor prices")
    permission = "competitors.add_priceobservation"
    exports = "competitor-prices"  # the list exports this template's columns (codes), so its file imports back
    columns = [
        Column("competitor", gettext_lazy("competitor"), required=True, example="lg", export="product__competitor__code"),
        Column("product_code", gettext_lazy("model code"), required=True, example="GR-X257", export="product__code"),
        Column("product_name", gettext_lazy("name"), example="یخچال ساید", export="product__name"),
        Column("our_model", gettext_lazy("our comparable model"), example="RF-520", export="product__our_model__code"),
        Column("observed_on", gettext_lazy("observed on"), required=True, example="1405/09/01"),
        Column("price", gettext_lazy("price (rials)"), required=True, example="950000000"),
        Column("city", gettext_lazy("region"), example="تهران", export="region__name"),
        # The source's code (shop, website…), as the template has it: its label depends on the language.
        Column("source", gettext_lazy("source"), example="shop", export=lambda observation: observation.source),
    ]

    def prepare(self):
        from aftersales.regions.models import Region

        self.competitors = {}
        for pk, slug, name in Competitor.objects.values_list("pk", "code", "name"):
            self.competitors[search_key(slug)] = pk
            self.competitors[search_key(name)] = pk
        self.models = dict(ProductModel.objects.values_list("code", "pk"))
        self.regions = {search_key(name): pk for pk, name in Region.objects.values_list("pk", "name")}

    def clean_row(self, values):
        errors = []
        competitor = self.competitors.get(search_key(text(values.get("competitor"))))
        if competitor is None:
            errors.append(("competitor", _("Unknown competitor: %(name)s. Define it first.") % {"name": isolate(text(values.get("competitor")) or "—")}))
        product_code = text(values.get("product_code")).upper()
        if not product_code:
            errors.append(("product_code", _("The model code is missing.")))
        observed_on = date(values.get("observed_on"), errors, "observed_on")
        if values.get("observed_on") in (None, ""):
            errors.append(("observed_on", _("The date is missing.")))
        price = whole_number(values.get("price"))
        if not price or price <= 0:
            errors.append(("price", _("Enter the price in rials as a whole number.")))
        our_model = None
        if text(values.get("our_model")):
            our_model = self.models.get(code(values.get("our_model")))
            if our_model is None:
                errors.append(("our_model", _("Unknown model code: %(code)s.") % {"code": isolate(text(values.get("our_model")))}))
        region = None
        if text(values.get("city")):
            region = self.regions.get(search_key(text(values.get("city"))))
            if region is None:
                errors.append(("city", _("Unknown city or district: %(name)s.") % {"name": isolate(text(values.get("city")))}))
        source = _SOURCES.get(search_key(text(values.get("source"))), text(values.get("source")).lower() or "shop")
        if source not in PriceObservation.Source.values:
            errors.append(("source", _("Unknown source: %(name)s.") % {"name": isolate(text(values.get("source")))}))
        if errors:
            return None, errors
        return {"competitor_id": competitor, "product_code": product_code, "product_name": text(values.get("product_name")) or product_code,
                "our_model_id": our_model, "observed_on": observed_on, "price": price, "region_id": region,
                "source": source}, []

    def key(self, row):
        return (row["competitor_id"], row["product_code"], str(row["observed_on"]), row["region_id"], row["source"])

    def existing_keys(self, keys):
        found = set()
        for observation in PriceObservation.objects.filter(
            product__code__in={key[1] for key in keys}, observed_on__in={key[2] for key in keys}
        ).select_related("product"):
            found.add((observation.product.competitor_id, observation.product.code, str(observation.observed_on),
                       observation.region_id, observation.source))
        return found

    def commit(self, rows, *, acting_user, progress):
        count, products = 0, {}
        for row in rows:
            key = (row["competitor_id"], row["product_code"])
            if key not in products:
                products[key], _created = CompetitorProduct.objects.get_or_create(
                    competitor_id=row["competitor_id"], code=row["product_code"],
                    defaults={"name": row["product_name"], "our_model_id": row["our_model_id"]},
                )
            product = products[key]
            if row["our_model_id"] and product.our_model_id != row["our_model_id"]:
                product.our_model_id = row["our_model_id"]
                product.save(update_fields=["our_model"])
            PriceObservation.objects.create(
                product=product, observed_on=row["observed_on"], price=row["price"], region_id=row["region_id"],
                source=row["source"], recorded_by=acting_user,
            )
            count += 1
        progress(count)
        return {"created": count}


register(PriceImporter())
