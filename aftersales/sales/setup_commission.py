"""What the commission part of sales registers when the app is ready: default permissions (F42).

Head-office and marketing managers manage agents and rules, calculate and approve; an accountant reads the
statements and calculates them; a center manager reads its center's agents and statements (row scope).
Calculating is ``sales.add_commissionstatement``.
"""


def ready() -> None:
    from aftersales.organization.roles import Role, grant_by_default

    for role in (Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
        grant_by_default(role, "sales.view_agent", "sales.add_agent", "sales.change_agent",
                         "sales.view_commissionrule", "sales.add_commissionrule", "sales.change_commissionrule",
                         "sales.view_commissionstatement", "sales.add_commissionstatement",
                         "sales.approve_commissionstatement", "customers.view_customer")
    grant_by_default(Role.ACCOUNTANT, "sales.view_agent", "sales.view_commissionrule",
                     "sales.view_commissionstatement", "sales.add_commissionstatement")
    grant_by_default(Role.CENTER_MANAGER, "sales.view_agent", "sales.view_commissionstatement")
