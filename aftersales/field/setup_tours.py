"""What the tours part of field marketing registers when the app is ready: default permissions, demo data."""


def ready() -> None:
    from aftersales.core.demo import register_seeder
    from aftersales.organization.roles import Role, grant_by_default

    from .demo_tours import seed_tours

    planning = ("field.add_tour", "field.change_tour", "field.view_tour", "field.add_tourday", "field.change_tourday",
                "field.view_tourday", "field.add_tourstop", "field.change_tourstop", "field.view_tourstop",
                "field.add_route", "field.change_route", "field.view_route", "field.add_place",
                "field.change_place", "field.view_place")
    for role in (Role.MARKETING_MANAGER, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER):
        grant_by_default(role, *planning)
    # A visitor follows their own tours (the selectors keep them to those) and takes places' positions at
    # check-ins; they do not plan.
    grant_by_default(Role.VISITOR, "field.view_tour", "field.view_tourday", "field.view_tourstop",
                     "field.view_place", "field.add_place", "field.change_place")

    register_seeder("field-tours", seed_tours, order=82)
