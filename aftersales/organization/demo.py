"""Demo data for the organization: centers in several provinces and staff in every role.

Deterministic (seeded random), so the same command gives the same people on every machine.
"""

import json
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from aftersales.core.validators import is_valid_national_code

from .models import CenterMembership, ServiceCenter, User
from .roles import SPANS_ALL_CENTERS, Role, sync_roles

DEMO_PASSWORD = "demo1234"
DEMO_DIR = Path(settings.PACKAGE_DIR) / "fixtures" / "demo"
SIZES = {"small": {"centers": 12, "staff_per_center": 8}, "large": {"centers": 1000, "staff_per_center": 10}}
# One login per role for people trying the product. Head-office roles belong to no center;
# the others work in the first center (Tehran), whose manager is the "center" login.
DEMO_LOGINS = [
    ("admin", Role.SYSTEM_ADMIN),
    ("manager", Role.HEAD_OFFICE_MANAGER),
    ("center", Role.CENTER_MANAGER),
    ("reception", Role.RECEPTIONIST),
    ("technician", Role.TECHNICIAN),
    ("warehouse", Role.WAREHOUSE_KEEPER),
    ("accountant", Role.ACCOUNTANT),
    ("callcenter", Role.CALL_CENTER_AGENT),
    ("marketing", Role.MARKETING_MANAGER),
    ("visitor", Role.VISITOR),
]
_CENTER_STAFF_ROLES = [Role.CENTER_MANAGER, Role.RECEPTIONIST, Role.TECHNICIAN, Role.TECHNICIAN, Role.TECHNICIAN,
                       Role.WAREHOUSE_KEEPER, Role.ACCOUNTANT, Role.VISITOR, Role.TECHNICIAN, Role.RECEPTIONIST]


def _national_code(rng: random.Random) -> str:
    while True:
        body = f"{rng.randrange(1, 10**9):09d}"
        total = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
        code = body + str(total if total < 2 else 11 - total)
        if is_valid_national_code(code):
            return code


def _mobile(rng: random.Random) -> str:
    return "09" + rng.choice(["12", "13", "19", "35", "36", "37", "38", "39", "01", "21"]) + f"{rng.randrange(10**7):07d}"


def _postal_code(rng: random.Random) -> str:
    zone = "".join(rng.choice("13456789") for _ in range(5))
    return zone + f"{rng.randrange(10**5):05d}"


@transaction.atomic
def seed_organization(*, size: str = "small", seed: int = 1405) -> dict:
    """Create the demo network once; running it again changes nothing."""
    if User.objects.filter(username="admin").exists():
        return {"created": False, "logins": DEMO_LOGINS}
    sync_roles()
    rng = random.Random(seed)
    people = json.loads((DEMO_DIR / "people.json").read_text(encoding="utf-8"))
    provinces = json.loads((DEMO_DIR / "provinces.json").read_text(encoding="utf-8"))
    plan = SIZES[size]
    password = make_password(DEMO_PASSWORD)
    groups = {group.name: group for group in Group.objects.all()}

    centers = []
    for index in range(plan["centers"]):
        region = provinces[index % len(provinces)]
        city = region["cities"][(index // len(provinces)) % len(region["cities"])]
        centers.append(
            ServiceCenter(
                code=f"C{index + 1:04d}",
                name=f"{rng.choice(people['center_words'])} {city} {index // len(provinces) + 1}",
                province=region["province"],
                city=city,
                address=f"{city}، {rng.choice(people['streets'])}، پلاک {rng.randrange(1, 400)}",
                postal_code=_postal_code(rng),
                phone=f"{region['area_code']}{rng.randrange(2 * 10**7, 9 * 10**7):08d}",
            )
        )
    for center in centers:
        center.search_text = center.build_search_text()
    bulk_create_with_history(centers, ServiceCenter, batch_size=1000)
    centers = list(ServiceCenter.objects.order_by("code"))

    def person(username):
        female = rng.random() < 0.4
        first = rng.choice(people["first_names_female" if female else "first_names_male"])
        return User(
            username=username, password=password, first_name=first, last_name=rng.choice(people["last_names"]),
            mobile=_mobile(rng), national_code=_national_code(rng), is_active=True,
        )

    users, roles_of, center_of = [], {}, {}
    for username, role in DEMO_LOGINS:
        user = person(username)
        user.is_staff = role in {Role.SYSTEM_ADMIN, Role.HEAD_OFFICE_MANAGER, Role.CENTER_MANAGER}
        user.is_superuser = role == Role.SYSTEM_ADMIN
        users.append(user)
        roles_of[username] = role
        if role not in SPANS_ALL_CENTERS:
            center_of[username] = centers[0]
    for center in centers:
        for slot in range(plan["staff_per_center"]):
            if center == centers[0] and _CENTER_STAFF_ROLES[slot % len(_CENTER_STAFF_ROLES)] == Role.CENTER_MANAGER:
                continue
            username = f"{center.code.lower()}-{slot + 1:02d}"
            users.append(person(username))
            roles_of[username] = _CENTER_STAFF_ROLES[slot % len(_CENTER_STAFF_ROLES)]
            center_of[username] = center
    bulk_create_with_history(users, User, batch_size=2000)

    by_name = dict(User.objects.values_list("username", "pk"))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=by_name[name], group_id=groups[role.value].pk) for name, role in roles_of.items()],
        batch_size=5000,
    )
    CenterMembership.objects.bulk_create(
        [CenterMembership(user_id=by_name[name], center=center) for name, center in center_of.items()], batch_size=5000
    )
    managers = {center_of[name].pk: by_name[name] for name, role in roles_of.items() if role == Role.CENTER_MANAGER}
    for center in centers:
        center.manager_id = managers.get(center.pk)
    bulk_update_with_history(centers, ServiceCenter, ["manager"], batch_size=1000)
    return {"created": True, "logins": DEMO_LOGINS, "centers": len(centers), "users": len(users)}
