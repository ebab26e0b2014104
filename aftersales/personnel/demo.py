"""Demo staff profiles: every technician of every center, with skills and product groups."""

from django.db import transaction

from aftersales.catalog.models import FaultCode, ProductGroup

from .models import Skill, StaffProfile, StaffSkill

SKILLS = [("cooling", "سردسازی"), ("electronics", "برد و الکترونیک"), ("motors", "موتور و مکانیک"), ("installation", "نصب")]
FAULTS_REPAIRED = {"cooling": ["F-COOL"], "electronics": ["F-POWER"], "motors": ["F-WATER"]}


@transaction.atomic
def seed_personnel(*, size: str, rng) -> str:
    from aftersales.organization.models import User

    if StaffProfile.objects.exists():
        return "already present"
    skills = [Skill.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in SKILLS]
    for skill in skills:
        skill.fault_codes.add(*FaultCode.objects.filter(code__in=FAULTS_REPAIRED.get(skill.code, [])))
    groups = list(ProductGroup.objects.filter(parent__isnull=False))
    technicians = User.objects.filter(groups__name="technician").prefetch_related("centers")
    profiles = []
    for user in technicians:
        center = next(iter(user.centers.all()), None)
        if center is not None:
            profiles.append(StaffProfile(user=user, center=center, specialty=rng.choice(SKILLS)[1],
                                         hourly_rate=rng.choice([1_200_000, 1_500_000, 2_000_000]),
                                         # the "technician" login makes home visits (issue 13's schedule)
                                         does_home_service=rng.random() < 0.5 or user.username == "technician"))
    StaffProfile.objects.bulk_create(profiles, batch_size=2000)
    links, staff_skills, saved = [], [], list(StaffProfile.objects.select_related("user"))
    for profile in saved:
        for group in rng.sample(groups, k=min(2, len(groups))):
            links.append(StaffProfile.product_groups.through(staffprofile_id=profile.pk, productgroup_id=group.pk))
        for skill in rng.sample(skills, k=2):
            staff_skills.append(StaffSkill(profile=profile, skill=skill, level=rng.choice([1, 2, 3])))
        profile.search_text = profile.build_search_text()  # the name comes from the user, known only now
    StaffProfile.objects.bulk_update(saved, ["search_text"], batch_size=2000)
    StaffProfile.product_groups.through.objects.bulk_create(links, batch_size=5000)
    StaffSkill.objects.bulk_create(staff_skills, batch_size=5000)
    return f"{len(profiles)} technician profiles"
