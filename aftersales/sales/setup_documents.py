"""What the documents part of sales registers when the app is ready: default permissions and the customer's panel."""


def ready() -> None:
    from aftersales.organization.roles import Role, grant_by_default

    view = ("sales.view_salesdocument", "sales.view_receipt", "sales.view_vatrate", "customers.view_customer")
    issue = ("sales.add_salesdocument", "sales.issue_salesdocument")
    for role in (Role.ACCOUNTANT, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER, Role.MARKETING_MANAGER):
        grant_by_default(role, *view, *issue, "sales.add_receipt")
    for role in (Role.ACCOUNTANT, Role.CENTER_MANAGER, Role.HEAD_OFFICE_MANAGER):
        grant_by_default(role, "sales.credit_salesdocument", "sales.change_receipt")
    # Visitors and the call center quote prices: they see documents and issue proformas.
    for role in (Role.VISITOR, Role.CALL_CENTER_AGENT):
        grant_by_default(role, *view, "sales.add_salesdocument")

    # The party's sales documents and debt on every customer's page.
    from aftersales.desk import registry

    from .views_documents import customer_sales_panel

    registry.get("customers").detail_panels.append(("sales/partials/customer_documents.html", customer_sales_panel))
