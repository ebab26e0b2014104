from aftersales.desk.registry import Resource, register

from .models import Skill, StaffProfile, Team
from .selectors import staff_search

register(Resource(
    model=StaffProfile, slug="staff",
    list_fields=["full_name", "center", "specialty", "does_home_service", "hourly_rate", "is_active"],
    form_fields=["user", "center", "personnel_number", "specialty", "product_groups", "work_hours", "hourly_rate",
                 "commission_percent", "does_home_service", "is_active"],
    detail_fields=["full_name", "center", "personnel_number", "specialty", "product_groups", "work_hours",
                   "hourly_rate", "does_home_service", "is_active"],
    filter_fields=["center", "does_home_service", "is_active"], select_related=["user", "center"],
    search=staff_search,  # by name, specialty, personnel number or a skill's name
))
register(Resource(model=Skill, slug="skills", list_fields=["name", "code"], form_fields=["code", "name", "fault_codes"],
                  detail_fields=["code", "name", "fault_codes"]))
register(Resource(
    model=Team, slug="teams", list_fields=["name", "code", "center", "is_active"],
    form_fields=["center", "code", "name", "members", "is_active"], filter_fields=["center", "is_active"],
    select_related=["center"],
))
