from django.db.models import QuerySet

from aftersales.organization.scoping import scope_queryset

from .models import StaffProfile


def technicians_find(*, user, skill_code: str | None = None, product_group_id: int | None = None,
                     min_level: int = 1, home_service: bool | None = None) -> QuerySet[StaffProfile]:
    """Active staff the user may see who have a skill (at a level) and may service a product group.

    A product group covers its sub-groups: a technician of "refrigerators" services side-by-sides.
    """
    profiles = scope_queryset(StaffProfile.objects.filter(is_active=True).select_related("user", "center"), user)
    if skill_code:
        profiles = profiles.filter(skills__skill__code=skill_code, skills__level__gte=min_level)
    if product_group_id:
        from django.apps import apps

        group_model = apps.get_model("catalog", "ProductGroup")
        ancestors, node = [], group_model.objects.filter(pk=product_group_id).first()
        while node is not None:
            ancestors.append(node.pk)
            node = node.parent
        profiles = profiles.filter(product_groups__in=ancestors)
    if home_service is not None:
        profiles = profiles.filter(does_home_service=home_service)
    return profiles.distinct()


def skills_for_faults(fault_code_ids) -> dict[int, str]:
    """The skills that repair these faults, by id with their names; a skill set on a fault covers its
    sub-faults (a skill for "cooling" repairs "no cooling")."""
    from django.apps import apps

    from .models import Skill

    fault_model = apps.get_model("catalog", "FaultCode")
    codes, frontier = set(), {pk for pk in fault_code_ids if pk}
    while frontier:  # up the tree: fault trees are a few levels deep
        codes |= frontier
        frontier = set(fault_model.objects.filter(pk__in=frontier, parent__isnull=False)
                       .values_list("parent", flat=True)) - codes
    if not codes:
        return {}
    return dict(Skill.objects.filter(fault_codes__in=codes).distinct().values_list("pk", "name"))


def staff_search(records: QuerySet[StaffProfile], query: str) -> QuerySet[StaffProfile]:
    """Staff whose name, specialty or personnel number holds the words typed, or who have a skill whose
    name or code does (searching «شارژ گاز» finds everyone with that skill)."""
    from django.db.models import Q

    from aftersales.core.search import search_filter

    from .models import Skill, StaffSkill

    if not (query or "").strip():
        return records
    skills = search_filter(Skill.objects.all(), query)
    with_skill = StaffSkill.objects.filter(skill__in=skills).values("profile")
    return records.filter(Q(pk__in=search_filter(StaffProfile.objects.all(), query).values("pk")) | Q(pk__in=with_skill))
