"""Units sold per model and production day (catalog.UnitsSold), kept by every write of a unit for the
failure rate per thousand units sold: a save, a deletion (one, or a selection at once), an import of new
serials (the bulk path) and an import that updates them; each time the counts equal a recount."""

import datetime

import pytest

from aftersales.catalog.models import ProductUnit, UnitsSold
from aftersales.catalog.tallies import units_sold_rebuild
from aftersales.imports.models import ImportJob
from tests.imports.test_modes import check, commit, xlsx  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
FARVARDIN_10 = datetime.date(2026, 3, 30)  # 1405/01/10


def counts():
    return {(row.product_model_id, row.production_date): row.units for row in UnitsSold.objects.exclude(units=0)}


def recounted():
    kept = counts()
    units_sold_rebuild()
    assert counts() == kept
    return kept


def test_saving_and_deleting_units_keeps_the_counts(fridge_model):
    other = type(fridge_model).objects.create(code="RF-600", name="یخچال ۶۰۰", brand=fridge_model.brand,
                                              group=fridge_model.group)
    sold = ProductUnit.objects.create(serial="S-1", brand=fridge_model.brand, product_model=fridge_model,
                                      production_date=FARVARDIN_10, sale_date=datetime.date(2026, 5, 1))
    unsold = ProductUnit.objects.create(serial="S-2", brand=fridge_model.brand, product_model=fridge_model,
                                        production_date=FARVARDIN_10)
    assert recounted() == {(fridge_model.pk, FARVARDIN_10): 1}
    unsold = ProductUnit.objects.get(pk=unsold.pk)
    unsold.sale_date = datetime.date(2026, 6, 1)
    unsold.save()
    assert recounted() == {(fridge_model.pk, FARVARDIN_10): 2}
    sold = ProductUnit.objects.get(pk=sold.pk)
    sold.product_model = other
    sold.save()
    assert recounted() == {(fridge_model.pk, FARVARDIN_10): 1, (other.pk, FARVARDIN_10): 1}
    unsold.status = ProductUnit.Status.IN_REPAIR
    unsold.save(update_fields=["status"])
    sold.delete()
    assert recounted() == {(fridge_model.pk, FARVARDIN_10): 1}
    ProductUnit.objects.filter(pk=unsold.pk).delete()  # a selection deleted at once (the admin's action)
    assert recounted() == {}


def test_imports_of_new_serials_and_of_updates_keep_the_counts(check, commit, fridge_model):  # noqa: F811
    rows = [[f"SN{index:04d}", "SNOW", "RF-520", "1405/01/10", "B1", "1405/03/01" if index % 2 else None]
            for index in range(1, 11)]
    assert commit(check(xlsx(rows)), ImportJob.Mode.ALL_OR_NOTHING).status == ImportJob.Status.DONE
    assert recounted() == {(fridge_model.pk, FARVARDIN_10): 5}
    job = check(xlsx([["SN0002", "SNOW", "RF-520", "1405/01/10", "B1", "1405/03/02"],
                      ["SN0004", "SNOW", "RF-520", "1405/01/11", "B1", "1405/03/02"],
                      ["SN0011", "SNOW", "RF-520", None, None, "1405/03/02"]]))
    assert commit(job, ImportJob.Mode.UPDATE).status == ImportJob.Status.DONE
    assert recounted() == {(fridge_model.pk, FARVARDIN_10): 6, (fridge_model.pk, FARVARDIN_10 + datetime.timedelta(days=1)): 1,
                           (fridge_model.pk, None): 1}
