"""Demo customers: persons and companies with mobiles, landlines and addresses in real cities."""

import json
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from aftersales.organization.demo import _mobile, _national_code, _postal_code

from .models import Customer, CustomerAddress, CustomerPhone

COUNT = {"small": 300, "large": 100_000}
COMPANY_WORDS = ["شرکت", "فروشگاه", "هتل", "رستوران", "بیمارستان"]


@transaction.atomic
def seed_customers(*, size: str, rng) -> str:
    from aftersales.regions.models import Region

    if Customer.objects.exists():
        return "already present"
    started = time.perf_counter()
    people = json.loads((Path(settings.PACKAGE_DIR) / "fixtures" / "demo" / "people.json").read_text(encoding="utf-8"))
    cities = list(Region.objects.filter(kind="city").values_list("pk", "name"))
    customers, used_mobiles, used_codes = [], set(), set()
    for index in range(COUNT[size]):
        mobile = _mobile(rng)
        while mobile in used_mobiles:
            mobile = _mobile(rng)
        used_mobiles.add(mobile)
        if index % 10 == 9:
            customer = Customer(kind="legal", company_name=f"{rng.choice(COMPANY_WORDS)} {rng.choice(people['last_names'])} {index}",
                                mobile=mobile)
        else:
            code = _national_code(rng)
            while code in used_codes:
                code = _national_code(rng)
            used_codes.add(code)
            female = rng.random() < 0.5
            customer = Customer(kind="person", first_name=rng.choice(people["first_names_female" if female else "first_names_male"]),
                                last_name=rng.choice(people["last_names"]), national_code=code, mobile=mobile)
        customer.search_text = customer.build_search_text()
        customers.append(customer)
    Customer.objects.bulk_create(customers, batch_size=5000)
    customers = list(Customer.objects.order_by("pk").only("pk", "mobile"))
    CustomerPhone.objects.bulk_create([CustomerPhone(customer=c, kind="mobile", number=c.mobile) for c in customers], batch_size=5000)
    addresses = []
    for customer in customers:
        city_pk, city = rng.choice(cities)
        addresses.append(CustomerAddress(customer=customer, region_id=city_pk, postal_code=_postal_code(rng),
                                         address=f"{city}، {rng.choice(people['streets'])}، پلاک {rng.randrange(1, 300)}"))
    CustomerAddress.objects.bulk_create(addresses, batch_size=5000)
    return f"{len(customers):,} customers in {time.perf_counter() - started:.1f} s"
