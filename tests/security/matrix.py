"""The leak matrix: every URL of the product turned into probes that center A's people send at center B.

The probes come from the URL configuration (``get_resolver()`` walked recursively). A URL's parameters
are mapped to "center B's record of the right type" automatically where the view tells its model (the
admin's model, a DRF viewset's queryset, the desk's registry), else by the small ``HAND_WRITTEN``
table. A model's record is center-bound when it names its center (``scope_center_field``) or is in
``CENTER_PATHS``; national data is in ``NATIONAL`` with a reason. Anything the matrix cannot map
becomes a failing probe, so a new view that forgets scoping fails without anyone writing a test.
"""

import inspect
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from .world import LEAD_B_MOBILE, ROLES_A, SERVICE_CONTRACT_B

UNMAPPED_HINT = "add it to the matrix (or to the explicit list of public/unscoped URLs with a reason)"

#: URLs with parameters that are public or national by design; never probed for center scoping.
PUBLIC_URLS = {
    "survey": "the customer's survey link: a secret token, no login",
    "track": "the customer's tracking page: a secret code, rate-limited, no login",
    "warranty-activate-confirm": "the customer's self-activation confirmation: a secret token",
    "messaging:inbound-webhook": "the SMS gateway's webhook: authenticated by the configured token, no user",
    "warranty:batch-pdf": "a batch of printed warranty cards: national, printed by head office before a center sees the unit",
    "admin:view_on_site": "the admin's view-on-site redirect: reveals only the record's own URL, which is probed itself",
    "admin:password_reset_confirm": "Django's password reset link: a secret token",
    "password_reset_confirm": "Django's password reset link: a secret token",
    "": "unnamed catch-all (the admin's final pattern): redirects to the login or answers 404",
}

#: The customer portal's URLs, pages and API: a portal session or key is no staff login, so staff get the portal's
#: sign-in or a 401 (their lists are still probed below); customer against customer, every portal URL is probed by
#: ``test_portal_isolation.py`` (which fails on one it misses).
PORTAL_PREFIX = ("portal:", "portal-api:")
PORTAL_REASON = "the customer portal: scoped to the signed-in customer, probed by test_portal_isolation.py"

#: Pages without parameters that anyone may open; still probed as lists (they must not show center B's texts).
PUBLIC_PAGES = {
    "healthz": "the load balancer's health check",
    "warranty-check": "the public warranty check by serial",
    "warranty-activate": "the customer's self-activation form",
    "feedback-form": "the public complaint form",
    "feedback-thanks": "the public complaint form's thank-you page",
    "login": "the login page",
    "logout": "the logout page",
    "set_language": "the language switch",
    "api-token": "the token endpoint (credentials in the body)",
    "api-schema": "the OpenAPI schema",
    "api-docs": "the API documentation",
}

#: National data: one list for the whole network; center-bound users read it by their permissions.
NATIONAL = {
    "auth.Group": "roles are the same in every center",
    "organization.RoleProfile": "roles are the same in every center",
    "core.DocumentSequence": "numbering sequences, administrators only",
    "sales.VatRate": "the VAT rates by date are the country's, the same in every center",
    "sales.CommissionRule": "the agents' commission rules are the network's, set by head office",
    "regions.Region": "provinces and cities of the country",
    "regions.SalesTerritory": "sales territories drawn by head office",
    "catalog.ProductGroup": "the product catalog",
    "catalog.Brand": "the product catalog",
    "catalog.ComponentType": "the product catalog",
    "catalog.ProductModel": "the product catalog",
    "catalog.SparePart": "the product catalog",
    "catalog.ServiceItem": "the service price list",
    "catalog.FaultCode": "the fault codes of the network",
    "catalog.ModelPrice": "the product price list",
    "customers.CustomerGroup": "marketing's customer groups, head office",
    "personnel.Skill": "the skills of the network",
    "competitors.Competitor": "market data of head office",
    "competitors.CompetitorProduct": "market data of head office",
    "competitors.PriceObservation": "market data of head office",
    "warranty.WarrantyPolicy": "warranty terms of the manufacturer",
    "warranty.PolicyVersion": "warranty terms of the manufacturer",
    "warranty.ModelWarranty": "warranty terms of the manufacturer",
    "warranty.WarrantyVoid": "a unit's warranty void: follows the unit, national",
    "warranty.PeriodicService": "a unit's periodic services: follow the unit, national",
    "warranty.PurchaseProof": "a unit's proof of purchase sent from the portal: follows the unit, national",
    "messaging.MessageTemplate": "message texts of the network",
    "messaging.EventRule": "messaging rules of the network",
    "messaging.OptOut": "opt-outs of the whole network",
    "messaging.InboundMessage": "the network's inbound SMS line, read by the call center",
    "workflow.Workflow": "workflow definitions of the network",
    "workflow.WorkflowVersion": "published versions of the network's workflow definitions",
    "marketing.Campaign": "campaigns of head office's marketing",
    "reports.FailureAlert": "early warnings on models and batches: network-wide quality facts for head office",
    "marketing.Contact": "call-center contacts with customers, which span all centers",
    "crm.PartyType": "the CRM's party types, edited by head office for the network",
    "crm.LeadSource": "the CRM's lead sources, edited by head office for the network",
    "crm.Script": "Q&A scripts of the network's marketing, written by the marketing manager for every team",
    "crm.ScriptQuestion": "the questions of the network's Q&A scripts",
    "axes.AccessAttempt": "failed logins of the whole site: administrators only",
    "axes.AccessLog": "logins of the whole site: administrators only",
    "axes.AccessFailureLog": "failed logins of the whole site: administrators only",
}

#: National records that center B's work touches: their pages may open for anyone with the permission
#: (customers are served by any center), but must never show center B's work (orders, messages…).
NATIONAL_WITH_CENTER_CONTENT = {
    "customers.Customer": "customers are served by any center; their pages show only the caller's centers' work",
    "catalog.ProductUnit": "the serial registry is national; a unit's page shows only the caller's centers' work",
    "warranty.WarrantyCard": "cards follow the unit; a card's page shows only the caller's centers' work",
}

#: The path to the center of center-bound models that do not declare ``scope_center_field``.
CENTER_PATHS = {
    "organization.User": "centers",
    "organization.CenterMembership": "center",
    "authtoken.Token": "user__centers",
    "authtoken.TokenProxy": "user__centers",
    "imports.ImportJob": "created_by__centers",
    "messaging.Message": "center",
    "repairs.OrderPhoto": "order__center",
    "repairs.OrderFault": "order__center",
    "repairs.Operation": "order__center",
    "repairs.PartLine": "order__center",
    "repairs.Referral": "order__center",
    "repairs.ServiceRequestPhoto": "request__center",
    "billing.InvoiceLine": "invoice__center",
    "billing.ClaimDecision": "claim__invoice__center",
    "billing.DeliveryLine": "delivery__center",
    "crm.PhoneExtension": "user__centers",
    "crm.IncomingCall": "user__centers",
    "crm.ContactSubmission": "contact__logged_by__centers",
    "otp_totp.TOTPDevice": "user__centers",
    "otp_static.StaticDevice": "user__centers",
}


@dataclass(frozen=True)
class Ref:
    """Center B's record of ``label`` (its ``attr``), or the second such record, or its latest history row."""

    label: str
    attr: str = "pk"
    second: bool = False
    history: bool = False
    #: The record only chooses which list to show (a stage's column of the board): probed as a list.
    chooses_list: bool = False


@dataclass(frozen=True)
class Values:
    values: tuple


def _values(*values):
    return Values(tuple(values))


ORDER = Ref("repairs.RepairOrder")
INVOICE = Ref("billing.Invoice")
DELIVERY = Ref("billing.DeliveryDocument")
SERVICE_REQUEST = Ref("repairs.ServiceRequest")
CUSTOMER = Ref("customers.Customer")
UNIT = Ref("catalog.ProductUnit")
CARD = Ref("warranty.WarrantyCard", "number")
CAMPAIGN = Ref("marketing.Campaign")
PARTY = Ref("crm.Party")
#: The stage center B's party is in: its board column lists the caller's team's parties of that stage.
PARTY_STAGE = Ref("crm.Party", "state_id", chooses_list=True)
#: Center B's visitor (the world's second user), named as a marketer in the CRM's filters.
VISITOR_B = Ref("organization.User", second=True)


def _importer_kinds():
    from aftersales.imports.registry import importers

    return _values(*[importer.kind for importer in importers()])


def _stock_actions():
    from aftersales.stock.views import ACTIONS

    return _values(*ACTIONS)


def _report_slugs():
    from aftersales.reports.registry import all_reports

    return _values(*[report.slug for report in all_reports()])


def _part_actions():
    return _values("issue", "backorder", "return", "cancel", "serials")


#: Hand-written pages: URL name -> what each parameter names. A callable gives enumerated values late.
HAND_WRITTEN = {
    **{f"repairs:{name}": {"pk": ORDER} for name in (
        "order", "order-step", "order-estimate", "order-estimate-phone", "order-estimate-seen", "order-fault", "order-operation",
        "order-part", "order-refer", "order-take", "order-handback-receipt", "order-receipt", "order-issue-slip",
        "order-estimate-override")},
    "repairs:order-photo": {"pk": ORDER, "photo_pk": Ref("repairs.OrderPhoto")},
    "repairs:order-receipt-pdf": {"pk": ORDER, "size": _values("a5", "80mm")},
    "repairs:part-action": {"pk": Ref("repairs.PartLine"), "action": _part_actions},
    # Customers' service requests waiting at center B (issue 22): the page, its photo, confirm and decline.
    **{f"repairs:{name}": {"pk": SERVICE_REQUEST} for name in ("request", "request-confirm", "request-decline")},
    "repairs:request-photo": {"pk": SERVICE_REQUEST, "photo_pk": Ref("repairs.ServiceRequestPhoto")},
    "api-repairs-request-confirm": {"pk": SERVICE_REQUEST},
    "api-repairs-request-decline": {"pk": SERVICE_REQUEST},
    "api-repairs-order": {"pk": ORDER},
    "api-repairs-step": {"pk": ORDER},
    "api-repairs-estimate": {"pk": ORDER},
    "api-repairs-estimate-override": {"pk": ORDER},
    "api-billing-delivery-invoice": {"pk": DELIVERY},
    **{f"billing:{name}": {"pk": INVOICE} for name in ("invoice", "invoice-pdf", "invoice-pay", "invoice-credit")},
    "billing:claim": {"pk": Ref("billing.WarrantyClaim")},
    "billing:delivery": {"pk": DELIVERY},
    "billing:delivery-invoice": {"pk": DELIVERY},
    "imports:job": {"pk": Ref("imports.ImportJob")},
    "imports:commit": {"pk": Ref("imports.ImportJob")},
    "imports:upload": {"kind": _importer_kinds},
    "imports:template": {"kind": _importer_kinds},
    "stock:move": {"action": _stock_actions},
    "customers:merge": {"pk": CUSTOMER, "duplicate_pk": Ref("customers.Customer", second=True)},
    "customers:phone-add": {"pk": CUSTOMER},
    "customers:address-add": {"pk": CUSTOMER},
    "marketing:contact-add": {"customer_pk": CUSTOMER},
    **{f"marketing:{name}": {"pk": CAMPAIGN} for name in (
        "campaign-detail", "campaign-progress", "campaign-launch", "campaign-cancel")},
    "api-marketing-campaign": {"pk": CAMPAIGN},
    "warranty:card": {"number": CARD},
    "warranty:card-pdf": {"number": CARD},
    "warranty:card-activate": {"number": CARD},
    "warranty:card-issue": {"unit_pk": UNIT},
    "warranty:periodic-record": {"unit_pk": UNIT},
    "warranty:owner-transfer": {"unit_pk": UNIT},
    "warranty:proof-photo": {"pk": Ref("warranty.PurchaseProof")},
    "feedback:complaint-answer": {"pk": Ref("feedback.Complaint")},
    "feedback:complaint-assign": {"pk": Ref("feedback.Complaint")},
    "feedback:complaint-link-order": {"pk": Ref("feedback.Complaint")},
    "organization:center-detail": {"pk": Ref("organization.ServiceCenter")},
    "organization:center-edit": {"pk": Ref("organization.ServiceCenter")},
    "personnel:skill-set": {"pk": Ref("personnel.StaffProfile")},
    "personnel:skill-remove": {"pk": Ref("personnel.StaffProfile"), "skill_pk": Ref("personnel.Skill")},
    **{f"workflow:{name}": {"code": Ref("workflow.Workflow", "code")} for name in (
        "designer", "draft-state-add", "draft-state-save", "draft-state-remove", "draft-state-move",
        "draft-transition-add", "draft-transition-save", "draft-transition-remove", "draft-discard",
        "publish", "versions", "walk", "export")},
    "workflow:version": {"code": Ref("workflow.Workflow", "code"), "number": Ref("workflow.WorkflowVersion", "number")},
    "api-workflows-export": {"code": Ref("workflow.Workflow", "code")},
    "api-workflows-publish": {"code": Ref("workflow.Workflow", "code")},
    **{f"reports:{name}": {"slug": _report_slugs} for name in (
        "detail", "drill", "filter-save", "email", "subscribe")},
    "reports:export": {"slug": _report_slugs, "fmt": _values("xlsx", "csv", "pdf")},
    "reports:filter-delete": {"slug": _report_slugs, "pk": Ref("reports.SavedFilter")},
    "reports:unsubscribe": {"slug": _report_slugs, "pk": Ref("reports.Subscription")},
    "api-report": {"slug": _report_slugs},
    **{f"crm:{name}": {"pk": PARTY} for name in (
        "party-detail", "party-edit", "party-move", "party-convert", "party-merge", "credit-assess", "plan-create",
        "appointment-book")},
    "crm:party-enter": {"customer_pk": CUSTOMER},
    # The panel of B's customer opens without B's CRM side; of B's lead (party pk = customer pk) it is refused.
    "crm:panel": {"customer_pk": _values(CUSTOMER, PARTY)},
    "api-crm-panel": {"customer_pk": _values(CUSTOMER, PARTY)},
    "crm:caller": {"phone": _values(LEAD_B_MOBILE)},
    "crm:appointment-cancel": {"pk": Ref("crm.Appointment")},
    "crm:report-detail": {"pk": Ref("crm.DailyReport")},
    "crm:report-comment": {"pk": Ref("crm.DailyReport")},
    "crm:contact-done": {"pk": Ref("marketing.Contact")},
    **{f"crm:{name}": {"pk": Ref("crm.Script")} for name in ("script-edit", "script-active")},
    # The boards of the marketing workflow center B's party is on: lists of the caller's team's parties.
    "crm:board-workflow": {"code": _values("sales-pipeline")},
    "crm:board-move": {"code": _values("sales-pipeline")},
    "crm:board-column": {"code": _values("sales-pipeline"), "state_pk": PARTY_STAGE},
    "api-crm-stage-parties": {"state_pk": PARTY_STAGE},
    **{name: {"pk": PARTY} for name in ("api-lead", "api-party-move", "api-party-convert", "api-party-merge")},
    "api-appointment-cancel": {"pk": Ref("crm.Appointment")},
    "api-daily-report-comment": {"pk": Ref("crm.DailyReport")},
    "api-script": {"pk": Ref("crm.Script")},
    # Service contracts' units (sales, F25).
    **{f"sales:{name}": {"pk": Ref("sales.Contract")} for name in (
        "coverage-units", "coverage-unit-add", "coverage-units-bulk")},
    "sales:coverage-unit-remove": {"pk": Ref("sales.Contract"), "unit_pk": Ref("sales.ContractUnit")},
    "sales:coverage-unit-visit": {"pk": Ref("sales.ContractUnit")},
    **{name: {"pk": Ref("sales.Contract")} for name in ("api-contract-units", "api-contract-units-bulk")},
    "api-contract-unit": {"pk": Ref("sales.Contract"), "unit_pk": Ref("sales.ContractUnit")},
    "api-contract-unit-visit": {"pk": Ref("sales.ContractUnit")},
    "api-unit-service-contract": {"serial": _values("LKB-0001")},
    # Contracts, cheques and alarms (sales, F51, F52).
    **{f"sales:{name}": {"pk": Ref("sales.Contract")} for name in (
        "contract-detail", "contract-edit", "contract-end", "contract-cancel")},
    **{f"sales:{name}": {"pk": Ref("sales.Cheque")} for name in (
        "cheque-detail", "cheque-deposit", "cheque-clear", "cheque-return")},
    "sales:alarm-seen": {"pk": Ref("sales.Alarm")},
    "api-contract": {"pk": Ref("sales.Contract")},
    **{name: {"pk": Ref("sales.Cheque")} for name in (
        "api-cheque", "api-cheque-deposit", "api-cheque-clear", "api-cheque-return")},
    # Proformas, invoices, receipts and debts (sales, issue 17): the first document is B's invoice, the second its proforma.
    **{f"sales:{name}": {"pk": Ref("sales.SalesDocument")} for name in (
        "document", "document-pdf", "invoice-credit", "invoice-receipt")},
    "sales:proforma-invoice": {"pk": Ref("sales.SalesDocument", second=True)},
    "sales:receipt-void": {"pk": Ref("sales.Receipt")},
    "sales:receivable-detail": {"customer_pk": CUSTOMER},
    **{name: {"pk": Ref("sales.SalesDocument", second=True)} for name in ("api-sales-proforma", "api-sales-proforma-invoice")},
    **{name: {"pk": Ref("sales.SalesDocument")} for name in ("api-sales-invoice", "api-sales-invoice-credit-notes")},
    # Agents and their commission (sales, F42); the rules are the network's (national).
    **{name: {"pk": Ref("sales.Agent")} for name in ("sales:agent-detail", "sales:agent-move", "sales:agent-active",
                                                    "api-agent")},
    **{name: {"pk": Ref("sales.CommissionStatement")} for name in (
        "sales:commission-statement", "sales:commission-approve", "sales:commission-statement-pdf",
        "api-commission-statement", "api-commission-statement-approve")},
    "sales:commission-rule-edit": {"pk": Ref("sales.CommissionRule")},
    # Visit expenses (field, F58): the page, its receipt photo and the decisions.
    **{f"field:expense-{name}": {"pk": Ref("field.VisitExpense")} for name in (
        "detail", "receipt", "approve", "refuse", "withdraw")},
    # The marketer's phone (field, F47, F56): a stop's outcome and skip over the API.
    **{f"api-field-stop-{name}": {"pk": Ref("field.TourStop")} for name in ("outcome", "skip")},
    # Marketing plans (field, F46).
    **{name: {"pk": Ref("field.TargetPlan")} for name in (
        "field:target-plan-detail", "field:target-plan-edit", "api-field-target-plan")},
    # Places, routes and tours (field, F48, F47): a day by its pk, a day over the API by its tour and date.
    **{name: {"pk": Ref("field.Place")} for name in ("field:place-edit", "api-field-place")},
    **{name: {"pk": Ref("field.Route")} for name in (
        "field:route-detail", "field:route-edit", "field:route-place-add", "field:route-place-up",
        "field:route-place-down", "field:route-place-remove", "api-field-route")},
    **{name: {"pk": Ref("field.Tour")} for name in (
        "field:tour-detail", "field:tour-edit", "field:tour-stops-add", "field:tour-publish", "api-field-tour",
        "api-field-tour-stops")},
    **{name: {"pk": Ref("field.TourDay")} for name in ("field:tour-day", "field:tour-day-optimise")},
    **{f"field:tour-stop-{name}": {"pk": Ref("field.TourStop")} for name in ("pin", "unpin", "move", "remove")},
    "api-field-tour-day-optimise": {"pk": Ref("field.Tour"), "date": Ref("field.TourDay", "date")},
}

#: Lists that take center B's records in the query string (filters, "new invoice for these orders"…).
QUERY_PROBES = {
    # Field marketing's lists filtered by center B's visitor, tour, route or party.
    "field:expense-list": [{"marketer": VISITOR_B}, {"tour": Ref("field.Tour")}],
    "field:expense-export": [{"marketer": VISITOR_B}, {"tour": Ref("field.Tour")}],
    "field:expense-totals": [{"marketer": VISITOR_B}, {"by": "tour"}],
    "api-field-expenses": [{"marketer": VISITOR_B}, {"tour": Ref("field.Tour")}],
    "field:expense-create": [{"tour": Ref("field.Tour")}],
    "field:place-list": [{"party": CUSTOMER}, {"route": Ref("field.Route")}],
    "field:place-create": [{"party": CUSTOMER}],
    "field:tour-list": [{"marketer": VISITOR_B}],
    "field:today": [{"marketer": VISITOR_B}],
    "api-field-check-in-list": [{"marketer": VISITOR_B}],
    "repairs:cartable": [{"scope": "center"}],
    "repairs:reception-warranty": [{"serial": Ref("catalog.ProductUnit", "serial")}, {"serial": SERVICE_CONTRACT_B}],
    "repairs:reception": [{"serial": Ref("catalog.ProductUnit", "serial")}],
    "api-units-lookup": [{"number": Ref("catalog.ProductUnit", "serial")}, {"number": SERVICE_CONTRACT_B}],
    "billing:invoice-new": [{"orders": ORDER}, {"customer": CUSTOMER}],
    "billing:statement": [{"technician": Ref("organization.User")}],
    "stock:ledger": [{"warehouse": Ref("stock.Warehouse")}],
    "stock:levels": [{"warehouse": Ref("stock.Warehouse")}],
    "crm:contact-log": [{"party": PARTY}, {"customer": PARTY}, {"appointment": Ref("crm.Appointment")}],
    "crm:contact-scripts": [{"party": PARTY}],
    "crm:party-list": [{"marketer": VISITOR_B}, {"q": LEAD_B_MOBILE}],
    "crm:appointment-calendar": [{"marketer": VISITOR_B}],
    "crm:plan-progress": [{"marketer": VISITOR_B}],
    "crm:report-list": [{"marketer": VISITOR_B}],
    "crm:day": [{"marketer": VISITOR_B}],
    "api-contacts": [{"customer": PARTY}, {"logged_by": VISITOR_B}],
    "api-appointments": [{"marketer": VISITOR_B}],
    "api-credit-assessments": [{"party": PARTY}],
    "api-leads": [{"q": LEAD_B_MOBILE}],
    "api-crm-lookup": [{"phone": LEAD_B_MOBILE}],
    "crm:contact-party-search": [{"q": LEAD_B_MOBILE}, {"q": "لیکبی"}],
    "crm:caller-search": [{"phone": LEAD_B_MOBILE}],
    "crm:contact-questions": [{"party": PARTY, "script": Ref("crm.Script")}],
    "sales:coverage-contracts": [{"q": SERVICE_CONTRACT_B}, {"q": "LKB-0001"}],
    "sales:contract-list": [{"q": SERVICE_CONTRACT_B}, {"party": CUSTOMER}],
    "sales:cheque-list": [{"q": "LEAKB"}, {"party": CUSTOMER}],
    "sales:cheque-receive": [{"instalment": Ref("sales.Instalment")}],
    "api-contract-list": [{"q": SERVICE_CONTRACT_B}, {"party": CUSTOMER}],
    "api-cheque-list": [{"party": CUSTOMER}],
    "sales:invoice-list": [{"q": "LEAKB"}, {"center": Ref("organization.ServiceCenter")}],
    "sales:receivables": [{"center": Ref("organization.ServiceCenter")}],
    "api-sales-invoices": [{"customer": CUSTOMER}],
    "api-sales-receipts": [{"document": Ref("sales.SalesDocument")}],
    "api-sales-debts": [{"center": Ref("organization.ServiceCenter")}],
}

HTML_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Probe:
    """One request of one role: ``kind`` says what must hold (see ``test_leak_matrix.py``)."""

    kind: str  # "object", "content", "admin-national", "list", "unmapped"
    route: str
    name: str
    method: str
    role: str
    params: tuple = ()  # ((name, Ref | str), ...)
    query: tuple = ()  # ((name, Ref | str), ...)
    is_api: bool = False
    is_admin: bool = False
    label: str = ""  # the model of the record the probe targets
    reason: str = ""

    @property
    def id(self) -> str:
        shown = self.route
        for name, value in self.params:
            pattern = r"\([^)]*\)" if name.startswith("_") else r"<(?:\w+:)?%s>|\(\?P<%s>[^)]*\)" % (name, name)
            shown = re.sub(pattern,
                           "{%s}" % (value.label.split(".")[1] + (".history" if value.history else "")
                                     if isinstance(value, Ref) else value), shown, count=1)
        shown = "/" + shown.replace("^", "").replace("$", "").replace("\\", "")
        if self.query:
            shown += "?" + "&".join(f"{k}={v.label.split('.')[1] if isinstance(v, Ref) else v}" for k, v in self.query)
        return f"{self.method} {shown} as {self.role}"


@dataclass
class Matrix:
    probes: list = field(default_factory=list)
    allowed: dict = field(default_factory=dict)  # route -> reason (public/national, not probed)
    views: set = field(default_factory=set)  # routes probed
    allowed_names: set = field(default_factory=set)  # URL names allow-listed as public or national

    def add(self, probe: Probe):
        self.probes.append(probe)
        self.views.add(probe.route + " " + ",".join(f"{k}={v}" for k, v in probe.params if not isinstance(v, Ref)))


def walk(resolver=None, prefix="", namespace=""):
    """Yield (route text, full name, pattern) of every URL pattern, included ones too."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from walk(pattern, text, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield text, name, pattern


def parameters(route_pattern) -> list[str]:
    if isinstance(route_pattern, RoutePattern):
        return list(route_pattern.converters)
    if isinstance(route_pattern, RegexPattern):
        if not route_pattern.regex.groupindex:  # positional groups, e.g. simple-history's per-version view
            return [f"_{index}" for index in range(route_pattern.regex.groups)]
        return list(route_pattern.regex.groupindex)
    return []


def _model_admin_for(route: str):
    """The ModelAdmin whose URLs ``route`` is under (``admin/<app>/<model>/…``)."""
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if not match:
        return None
    for model, model_admin in admin.site._registry.items():
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            return model_admin
    return None


def _view_class(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _api_methods(callback) -> tuple:
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(m.upper() for m in actions)
    cls = _view_class(callback)
    return tuple(m for m in API_METHODS if cls is not None and hasattr(cls, m.lower()))


def center_path(label: str) -> str | None:
    model = apps.get_model(label)
    return getattr(model, "scope_center_field", None) or CENTER_PATHS.get(label)


def classify(label: str) -> tuple[str, str]:
    """("object" | "content" | "national" | "unmapped", reason) for a model label."""
    if center_path(label):
        return "object", ""
    if label in NATIONAL_WITH_CENTER_CONTENT:
        return "content", NATIONAL_WITH_CENTER_CONTENT[label]
    if label in NATIONAL:
        return "national", NATIONAL[label]
    return "unmapped", (f"model {label} is neither center-bound (scope_center_field or CENTER_PATHS) nor national "
                        f"(NATIONAL): {UNMAPPED_HINT}")


def _expand(spec: dict) -> list[dict]:
    """The parameter sets of a spec whose values may be enumerations."""
    sets = [{}]
    for name, value in spec.items():
        if callable(value):
            value = value()
        options = value.values if isinstance(value, Values) else (value,)
        sets = [{**s, name: option} for s in sets for option in options]
    return sets


def _is_format_variant(route: str, params: list[str]) -> bool:
    return "format" in params


def build_matrix() -> Matrix:
    from aftersales.desk import registry as desk_registry

    matrix = Matrix()
    roles = list(ROLES_A)
    for route, name, pattern in walk():
        params = parameters(pattern.pattern)
        if _is_format_variant(route, params):
            matrix.allowed[route] = "format suffix of a route probed without it"
            continue
        callback = pattern.callback
        is_api = route.startswith("api/")
        is_admin = route.startswith("admin/")
        model_admin = _model_admin_for(route) if is_admin else None
        methods = _api_methods(callback) if is_api else HTML_METHODS
        if not params:
            if name in PUBLIC_PAGES:
                matrix.allowed.setdefault("public: " + route, PUBLIC_PAGES[name])
            for query in [(), *[tuple(q.items()) for q in QUERY_PROBES.get(name, [])]]:
                for role in roles:
                    matrix.add(Probe("list", route, name, "GET", role, query=query, is_api=is_api, is_admin=is_admin))
            continue
        if name in PUBLIC_URLS or name.startswith(PORTAL_PREFIX):
            matrix.allowed[route] = PUBLIC_URLS.get(name, PORTAL_REASON)
            matrix.allowed_names.add(name)
            continue

        specs: list[dict] = []
        if model_admin is not None:
            label = model_admin.model._meta.label
            spec = {}
            for param in params:
                if param == "_0" and name.endswith("_simple_history"):
                    spec[param] = Ref(label)
                elif param == "_1" and name.endswith("_simple_history"):
                    spec[param] = Ref(label, history=True)
                elif param in ("object_id", "id", "pk"):
                    spec[param] = Ref(label)
                elif param == "version_id":
                    spec[param] = Ref(label, history=True)
                else:
                    spec = None
                    break
            specs = [spec] if spec else []
        elif name in HAND_WRITTEN:
            specs = _expand(HAND_WRITTEN[name])
        elif name.startswith("desk:") and set(params) <= {"slug", "pk"}:
            for resource in desk_registry.resources():
                spec = {"slug": resource.slug}
                if "pk" in params:
                    spec["pk"] = Ref(resource.model._meta.label)
                specs.append(spec)
        elif is_api and params == ["pk"] and getattr(_view_class(callback), "queryset", None) is not None:
            specs = [{"pk": Ref(_view_class(callback).queryset.model._meta.label)}]
        elif name == "admin:app_list":
            specs = [{"app_label": label} for label in sorted({m._meta.app_label for m in admin.site._registry})]

        if not specs:
            for role in roles:
                matrix.add(Probe("unmapped", route, name, "GET", role,
                                 reason=f"URL {route!r} ({name}) takes {params} that the matrix cannot map: "
                                        + UNMAPPED_HINT))
            continue

        for spec in specs:
            refs = [v for v in spec.values() if isinstance(v, Ref) and not v.chooses_list]
            items = tuple(spec.items())
            if not refs:
                # Enumerated values only (an importer's kind, a stock action): a page like a list.
                for role in roles:
                    matrix.add(Probe("list", route, name, "GET", role, params=items, is_api=is_api,
                                     is_admin=is_admin))
                continue
            main = refs[0].label
            kind, reason = classify(main)
            if kind == "national":
                if not is_admin:
                    matrix.allowed[f"{route} [{main}]"] = f"national: {reason}"
                    matrix.allowed_names.add(name)
                    continue
                kind = "admin-national"
            probe_methods = methods
            if is_admin and (name.endswith("_history") or name == "admin:app_list"):
                probe_methods = ("GET",)
            for method in probe_methods:
                for role in roles:
                    matrix.add(Probe(kind, route, name, method, role, params=items, is_api=is_api,
                                     is_admin=is_admin, label=main, reason=reason))
    return matrix


def schema_paths() -> dict[str, list[str]]:
    """The OpenAPI schema's paths and their methods (drf-spectacular)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {path: [m.upper() for m in operations if m in {"get", "post", "put", "patch", "delete"}]
            for path, operations in schema["paths"].items()}


def describe(callback) -> str:
    target = inspect.unwrap(callback)
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', '?')}"
