"""The leak matrix's world: two centers, A (Tehran) and B (Isfahan), the center-bound cast of A, and one
record of every kind in center B, each carrying a marker text that must never reach A's people.

Records are made through the apps' services where one exists, else with the ORM. Everything is built
once per test module inside a transaction that is rolled back at the end (see ``conftest.py``).
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import timezone

from aftersales.organization.roles import Role

from ..factories import ServiceCenterFactory, UserFactory

#: The center-bound roles of center A that try center B's records (organization/roles.py).
ROLES_A = {
    "receptionist": {"role": Role.RECEPTIONIST},
    "technician": {"role": Role.TECHNICIAN},
    "center_manager": {"role": Role.CENTER_MANAGER, "is_staff": True},
    "warehouse_keeper": {"role": Role.WAREHOUSE_KEEPER},
    "accountant": {"role": Role.ACCOUNTANT},
    # The CRM's field marketer: sees their team's parties and may log, move, book and file (issue 16).
    "visitor": {"role": Role.VISITOR},
}
#: The number of center B's after-sales service contract (reception's lookup is probed with it).
SERVICE_CONTRACT_B = "LEAKB-SC-0001"
#: The mobile of center B's lead (the caller lookup is probed with it).
LEAD_B_MOBILE = "09131110009"


@dataclass
class World:
    center_a: object = None
    center_b: object = None
    users_a: dict = field(default_factory=dict)
    users_b: dict = field(default_factory=dict)
    superuser: object = None
    #: model label ("repairs.RepairOrder") -> center B's record of that kind (or the national record
    #: that center B's work touches: its customer, unit, card).
    records: dict = field(default_factory=dict)
    #: A second record per label where a URL names two (a customer merge).
    seconds: dict = field(default_factory=dict)
    #: Texts that identify center B's records; none may appear on a page that A's people open.
    markers: dict = field(default_factory=dict)
    #: Texts of center B's work that may not appear even on national pages (a customer's or a unit's).
    scoped_markers: dict = field(default_factory=dict)

    def record(self, model) -> models.Model | None:
        return self.records.get(model._meta.label)


def _add(world: World, obj, *, second=False):
    label = obj._meta.label
    if second:
        world.seconds[label] = obj
    else:
        world.records.setdefault(label, obj)
    return obj


def _center_b_marks(world: World, **marks):
    for name, text in marks.items():
        if text:
            world.markers[name] = str(text)
            world.scoped_markers[name] = str(text)


def build() -> World:
    from aftersales.billing.deliveries import delivery_receive
    from aftersales.billing.services import invoice_issue, payment_record, warranty_invoice_issue
    from aftersales.catalog.models import (
        Brand, ComponentType, FaultCode, ModelComponent, ModelPrice, ProductGroup, ProductModel, ProductUnit,
        ServiceItem, SparePart,
    )
    from aftersales.competitors.models import Competitor, CompetitorProduct, PriceObservation
    from aftersales.customers.models import Customer, CustomerGroup
    from aftersales.feedback.services import complaint_receive, survey_invite
    from aftersales.imports.models import ImportJob
    from aftersales.messaging.models import InboundMessage, MessageTemplate, OptOut
    from aftersales.messaging.services import message_queue
    from aftersales.personnel.models import Skill, StaffProfile, Team
    from aftersales.regions.models import Region, SalesTerritory
    from aftersales.repairs.models import OrderPhoto
    from aftersales.repairs.parts import part_issue
    from aftersales.repairs.services import fault_add, operation_add, order_refer, part_request, reception_create
    from aftersales.stock.models import Warehouse
    from aftersales.stock.services import stock_receive
    from aftersales.warranty.models import ModelWarranty, PolicyVersion, WarrantyPolicy
    from aftersales.warranty.services import warranty_card_activate, warranty_card_issue
    from rest_framework.authtoken.models import Token

    w = World()
    w.center_a = ServiceCenterFactory(code="TEH01", name="مرکز خدمات تهران", province="تهران", city="تهران")
    w.center_b = ServiceCenterFactory(code="ISF01", name="مرکز خدمات اصفهان", province="اصفهان", city="اصفهان")
    _add(w, w.center_b)
    for name, options in ROLES_A.items():
        w.users_a[name] = UserFactory(username=f"{name}_a", role=options["role"], centers=[w.center_a],
                                      is_staff=options.get("is_staff", False))
        w.users_b[name] = UserFactory(username=f"leakb_{name}", last_name=f"Leakbuser{name}", mobile=f"0913555{len(w.users_b):04d}",
                                      role=options["role"], centers=[w.center_b], is_staff=options.get("is_staff", False))
    w.superuser = UserFactory(username="leak_root", is_superuser=True, is_staff=True)
    reception_b, technician_b = w.users_b["receptionist"], w.users_b["technician"]
    manager_b, keeper_b = w.users_b["center_manager"], w.users_b["warehouse_keeper"]
    _add(w, manager_b)
    _center_b_marks(w, user_b=manager_b.username)

    # National data: the catalog, warranty policies, regions, competitors.
    group = _add(w, ProductGroup.objects.create(code="LKGRP", name="یخچال"))
    brand = _add(w, Brand.objects.create(code="LKBRAND", name="اسنوا"))
    compressor = _add(w, ComponentType.objects.create(code="LKCOMP", name="کمپرسور", has_serial=True))
    product_model = _add(w, ProductModel.objects.create(code="LK-520", name="یخچال ۵۲۰", brand=brand, group=group))
    ModelComponent.objects.create(product_model=product_model, component_type=compressor)
    part = _add(w, SparePart.objects.create(code="LK-CMP", name="کمپرسور", price=18_000_000, component_type=compressor))
    service = _add(w, ServiceItem.objects.create(code="LKGAS", title="شارژ گاز", labour_price=2_500_000,
                                                 product_group=group))
    _add(w, _create_minimal(FaultCode, code="LKF1", title="سرد نمی‌کند", name="سرد نمی‌کند", product_group=group))
    _add(w, _create_minimal(ModelPrice, product_model=product_model, price=100_000_000,
                            effective_from=datetime.date(2024, 1, 1)))
    policy = _add(w, WarrantyPolicy.objects.create(code="lk-18", name="۱۸ ماهه"))
    _add(w, PolicyVersion.objects.create(policy=policy, effective_from=datetime.date(2024, 1, 1), duration_months=18))
    _add(w, ModelWarranty.objects.create(product_model=product_model, policy=policy))
    region = _add(w, _create_minimal(Region, code="LKREG", name="اصفهان"))
    territory = _add(w, _create_minimal(SalesTerritory, code="LKTER", name="اصفهان"))
    territory.regions.add(region)
    competitor = _add(w, _create_minimal(Competitor, code="LKCOMPETITOR", name="رقیب"))
    _add(w, _create_minimal(CompetitorProduct, competitor=competitor, our_model=product_model))
    _add(w, _create_minimal(PriceObservation, product=w.records["competitors.CompetitorProduct"], region=region))
    _add(w, _create_minimal(CustomerGroup, code="lkgroup", name="مشتریان ویژه"))
    _add(w, _create_minimal(Skill, code="lkskill", name="گاز"))
    for model in (MessageTemplate, OptOut, InboundMessage):
        if not model.objects.exists():
            _create_minimal(model)
        _add(w, model.objects.first())

    # Center B's customer (known to no other center), unit, warranty card.
    customer = _add(w, Customer.objects.create(kind="person", first_name="Leakbfirst", last_name="Leakbcustomer",
                                               mobile="09131110001"))
    _add(w, Customer.objects.create(kind="person", first_name="Leakbdup", last_name="Leakbcustomer",
                                    mobile="09131110002"), second=True)
    w.markers["customer_b"] = "Leakbcustomer"
    unit = _add(w, ProductUnit.objects.create(serial="LKB-0001", brand=brand, product_model=product_model,
                                              owner=customer))
    card = _add(w, warranty_card_issue(unit=unit))
    warranty_card_activate(number=card.number, purchase_date=timezone.localdate() - datetime.timedelta(days=60),
                           channel="staff")

    # Center B's people and places.
    warehouse = _add(w, Warehouse.objects.create(center=w.center_b, code="leakbwh", name="LeakbWarehouse"))
    warehouse.keepers.add(keeper_b)
    team = _add(w, Team.objects.create(center=w.center_b, code="leakbteam", name="LeakbTeam"))
    team.members.add(technician_b)
    _add(w, StaffProfile.objects.create(user=technician_b, center=w.center_b, personnel_number="LEAKB-P1"))
    _center_b_marks(w, warehouse_b="LeakbWarehouse", team_b="LeakbTeam", staff_b="LEAKB-P1")
    move = stock_receive(warehouse=warehouse, spare_part=part, quantity=5, unit_cost=12_000_000, acting_user=keeper_b,
                         reference="LEAKB-PO1")
    _add(w, move)
    _add(w, move.level if hasattr(move, "level") else apps.get_model("stock.StockLevel").objects.get(warehouse=warehouse))
    _center_b_marks(w, stock_move_b="LEAKB-PO1")

    # Center B's work: a paid repair, a warranty repair claimed from head office, a delivery.
    order = _add(w, reception_create(center=w.center_b, acting_user=reception_b, customer=customer,
                                     description="LeakbOrderText", serial="LKB-PAID-1", accessories="LeakbAccessory"))
    fault_add(order=order, acting_user=technician_b, note="LeakbFault")
    operation_add(order=order, acting_user=technician_b, service_item=service, minutes=40, note="LeakbOperation")
    line = _add(w, part_request(order=order, acting_user=technician_b, spare_part=part, quantity=1))
    part_issue(line=line, warehouse=warehouse, quantity=1, acting_user=keeper_b)
    from django.core.files.uploadedfile import SimpleUploadedFile

    _add(w, OrderPhoto.objects.create(order=order, image=SimpleUploadedFile("leakb.jpg", b"\xff\xd8\xff\xd9"),
                                      taken_by=reception_b))
    invoice = _add(w, invoice_issue(orders=[order], acting_user=reception_b, note="LeakbInvoice"))
    _add(w, payment_record(invoice=invoice, amount=1_000_000, method=_first_choice("billing.Payment", "method"),
                           acting_user=reception_b, reference="LEAKB-PAY"))
    warranty_order = reception_create(center=w.center_b, acting_user=reception_b, customer=customer, unit=unit,
                                      description="LeakbWarrantyOrder")
    operation_add(order=warranty_order, acting_user=technician_b, service_item=service, minutes=30)
    claim_invoice = warranty_invoice_issue(center=w.center_b, orders=[warranty_order], acting_user=reception_b)
    _add(w, claim_invoice.claim)
    order_refer(order=warranty_order, acting_user=manager_b, reason="LeakbReferral", to_team=team)
    delivery = _add(w, delivery_receive(center=w.center_b, number="LEAKB-DL-1", delivered_on=timezone.localdate()
                                        - datetime.timedelta(days=1), customer_mobile=customer.mobile,
                                        lines=[{"service": service.code, "quantity": 1}], acting_user=reception_b))
    # Numbers restart in every center: give center B's distinct ones, so that a match means a leak.
    type(order).objects.filter(pk=order.pk).update(number="LKB-R-0001")
    type(order).objects.filter(pk=warranty_order.pk).update(number="LKB-R-0002")
    type(invoice).objects.filter(pk=invoice.pk).update(number="LKB-INV-0001")
    type(invoice).objects.filter(pk=claim_invoice.pk).update(number="LKB-INV-0002")
    for record in (order, warranty_order, invoice, claim_invoice):
        record.refresh_from_db()
    _center_b_marks(w, order_b=order.number, tracking_b=order.tracking_code, order_text_b="LeakbOrderText",
                    warranty_order_b=warranty_order.number, invoice_b=invoice.number,
                    claim_invoice_b=claim_invoice.number, delivery_b="LEAKB-DL-1")

    _build_service_request(w, customer, unit, region)

    # Center B's feedback and messages.
    complaint = _add(w, complaint_receive(channel=_first_choice("feedback.Complaint", "channel"),
                                          text="LeakbComplaintText", mobile=customer.mobile, center=w.center_b,
                                          acting_user=reception_b))
    survey = _add(w, survey_invite(mobile=customer.mobile, customer=customer, center=w.center_b,
                                   technician=technician_b, ref="leakb-survey"))
    message = _add(w, message_queue(channel="sms", to=customer.mobile, body="LeakbMessageBody", center=w.center_b,
                                    customer_id=customer.pk, acting_user=reception_b))
    type(complaint).objects.filter(pk=complaint.pk).update(number="LKB-C-0001")
    complaint.refresh_from_db()
    _center_b_marks(w, complaint_b="LeakbComplaintText", complaint_number_b=complaint.number, survey_b=survey.token,
                    message_b="LeakbMessageBody")

    job = _add(w, ImportJob.objects.create(kind="serials", file="imports/leakb.xlsx", original_name="LeakbImport.xlsx",
                                           created_by=manager_b))
    _center_b_marks(w, import_b="LeakbImport.xlsx")
    token = Token.objects.create(user=manager_b)
    _add(w, token)
    w.records["authtoken.TokenProxy"] = apps.get_model("authtoken.TokenProxy").objects.get(pk=token.pk)
    _center_b_marks(w, token_b=token.key)
    del job

    # National records that center B's work touched: a contact with B's customer, a campaign.
    from aftersales.marketing.models import Campaign, Contact

    _add(w, _create_minimal(Contact, customer=customer, logged_by=manager_b))
    _add(w, _create_minimal(Campaign, template=MessageTemplate.objects.first()))

    _build_crm(w, customer)
    _build_sales_coverage(w, customer, unit)
    _build_sales_commission(w)
    _build_sales_contracts(w)
    _build_sales_documents(w)

    from .world_field import build_field

    build_field(w, customer, _add, _center_b_marks)

    # Whatever else the admin shows (apps added later, third-party models): a row tied to center B's
    # manager or center B where the model has such a key, else the first row there is.
    from django.contrib import admin

    owners = {"organization.User": manager_b, "organization.ServiceCenter": w.center_b,
              "customers.Customer": customer}
    for model in admin.site._registry:
        label = model._meta.label
        if label in w.records:
            continue
        row = None
        keys = {f.name: owners[f.related_model._meta.label] for f in model._meta.concrete_fields
                if f.is_relation and f.related_model._meta.label in owners}
        if keys:
            row = _create_minimal(model, **keys)
        else:
            row = model._default_manager.first() or _create_minimal(model)
        w.records[label] = row
    # Rows made by migrations or bulk writes have no history yet; the per-version admin view needs one.
    for record in list(w.records.values()) + list(w.seconds.values()):
        if hasattr(record, "history") and hasattr(type(record), "history") and not record.history.exists():
            record.save()
    return w


def _build_crm(w: World, customer) -> None:
    """Center B's CRM: a lead of B's visitor with its contacts, answers, plan, appointments, credit assessment
    with a returned cheque, B's customer brought into the CRM, B's visitor's daily report with the manager's
    comment, an extension and a ringing call."""
    from aftersales.crm import services as crm
    from aftersales.crm.models import ContactSubmission, LeadSource, PartyType, PhoneExtension

    visitor_b, manager_b = w.users_b["visitor"], w.users_b["center_manager"]
    _add(w, visitor_b, second=True)
    dealer = _add(w, PartyType.objects.get(code="dealer"))
    source = _add(w, LeadSource.objects.get(code="exhibition"))
    party = _add(w, crm.lead_create(
        acting_user=visitor_b, kind="legal", company_name="فروشگاه لیکبی", mobile=LEAD_B_MOBILE, party_type=dealer,
        center=w.center_b, marketer=visitor_b, source=source, activity="LeakbActivity",
        next_step="LeakbPartyNextStep", next_step_date=timezone.localdate() + datetime.timedelta(days=3)))
    entered = crm.party_create(customer=customer, party_type=dealer, center=w.center_b, acting_user=visitor_b,
                               marketer=visitor_b, activity="LeakbCustomerActivity",
                               next_step="LeakbCustomerNextStep")
    del entered
    script = _add(w, crm.script_save(acting_user=w.superuser, title="نیازسنجی", topic="اولین تماس",
                                     stage=party.state, questions=[
                                         {"text": "پیش‌فاکتور بفرستیم؟", "kind": "yes_no", "choices": [],
                                          "moves": {"بله": "analyse"}, "order": 0}]))
    question = _add(w, script.questions.get())
    contact = crm.contact_record(customer=party.customer, kind="visit", notes="LeakbContactNotes",
                                 acting_user=visitor_b, outcome="positive", answers=[(question, "بله")],
                                 next_step="LeakbContactNextStep",
                                 next_step_date=timezone.localdate() + datetime.timedelta(days=2))
    _add(w, contact.answers.get())
    crm.contact_record(customer=party.customer, kind="call_out", notes="LeakbCallNotes", acting_user=visitor_b,
                       answers=[("LeakbAdhocQuestion", "LeakbAnswer")])
    _add(w, ContactSubmission.objects.create(contact=contact, submission_key="leakb-submission"))
    party = type(party).objects.get(pk=party.pk)
    plan = _add(w, crm.plan_create(party=party, kind="visit", count=3, start_date=timezone.localdate(),
                                   end_date=timezone.localdate() + datetime.timedelta(days=30), acting_user=manager_b))
    _add(w, crm.appointment_book(party=party, plan=plan, acting_user=visitor_b, notes="LeakbAppointmentNotes",
                                 at=timezone.now() + datetime.timedelta(days=1)))
    assessment = _add(w, crm.credit_assess(
        party=party, status="cash_only", verdict="LeakbVerdict", references="LeakbReferences", acting_user=manager_b,
        returned_cheques=[{"sayad_number": "7319000012345678", "bank": "LeakbBank", "amount": 90_000_000,
                           "reason": "LeakbChequeReason"}]))
    _add(w, assessment.returned_cheques.get())
    report = crm.daily_report_file(user=visitor_b, day=timezone.localdate(), note="LeakbDailyNote",
                                   acting_user=visitor_b)
    _add(w, crm.daily_report_comment(report=report, comment="LeakbManagerComment", acting_user=manager_b))
    _add(w, PhoneExtension.objects.create(user=visitor_b, extension="2999"))
    _add(w, crm.call_ringing(extension="2999", phone=LEAD_B_MOBILE, call_id="leakb-call"))
    _center_b_marks(w, party_activity_b="LeakbActivity", party_next_step_b="LeakbPartyNextStep",
                    customer_activity_b="LeakbCustomerActivity", customer_next_step_b="LeakbCustomerNextStep",
                    contact_b="LeakbContactNotes", contact_next_step_b="LeakbContactNextStep",
                    call_b="LeakbCallNotes", adhoc_question_b="LeakbAdhocQuestion", answer_b="LeakbAnswer",
                    appointment_b="LeakbAppointmentNotes", verdict_b="LeakbVerdict",
                    references_b="LeakbReferences", cheque_b="7319000012345678", cheque_reason_b="LeakbChequeReason",
                    daily_note_b="LeakbDailyNote", manager_comment_b="LeakbManagerComment")
    # The lead is a customer row, but a lead of another team is found nowhere: not by its name, not by its
    # number (the caller lookup, the contact page's search); customer B's pages check B's CRM side instead.
    w.markers["lead_b"] = "لیکبی"


def _build_service_request(w: World, customer, unit, province) -> None:
    """A home visit B's customer asked for from the portal (issue 22), routed to center B through a
    territory of a city of its own, with a photo; waiting in center B's cartable. The city and territory are
    national (every list shows them): their names are no marker."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from aftersales.regions.models import Region, SalesTerritory
    from aftersales.repairs.requests import service_request_submit

    city = Region.objects.create(code="LKREG01", name="سپیدشهر", kind=Region.Kind.CITY, parent=province)
    territory = SalesTerritory.objects.create(code="LKTER-SR", name="سپیدشهر")
    territory.regions.add(city)
    territory.centers.add(w.center_b)
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(image, format="PNG")
    request = _add(w, service_request_submit(
        customer=customer, unit=unit, kind="home", description="LeakbRequestText", region=city,
        address="LeakbRequestAddress", postal_code="1647836591",
        photos=[SimpleUploadedFile("leakb-request.png", image.getvalue(), content_type="image/png")]))
    _add(w, request.photos.get())
    _center_b_marks(w, request_b="LeakbRequestText", request_address_b="LeakbRequestAddress")


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _first_choice(label: str, field_name: str) -> str:
    return apps.get_model(label)._meta.get_field(field_name).choices[0][0]


def _create_minimal(model, **given):
    """A row of ``model`` with every required field filled with a plain value."""
    names = {f.name for f in model._meta.get_fields()}
    values = {name: value for name, value in given.items() if name in names}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in values or f.null or f.has_default() or getattr(f, "auto_now", False) \
                or getattr(f, "auto_now_add", False):
            continue
        if f.is_relation:
            related = f.related_model.objects.first()
            values[f.name] = related
        elif f.choices:
            values[f.name] = f.choices[0][0]
        elif isinstance(f, (models.DateTimeField,)):
            values[f.name] = timezone.now()
        elif isinstance(f, models.DateField):
            values[f.name] = timezone.localdate()
        elif isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)):
            values[f.name] = 1
        elif isinstance(f, models.BooleanField):
            values[f.name] = False
        elif isinstance(f, models.EmailField):
            values[f.name] = "leakb@example.com"
        elif isinstance(f, (models.CharField, models.TextField)):
            values[f.name] = ("lk" + f.name)[: f.max_length or 40] if f.blank is False else ""
    return model.objects.create(**values)


def _build_sales_coverage(w: World, customer, unit) -> None:
    """Center B's after-sales service contract covering B's unit (the unit's row under it)."""
    from aftersales.sales.models import Contract, ContractUnit

    today = timezone.localdate()
    contract = Contract.objects.create(
        center=w.center_b, number=SERVICE_CONTRACT_B, kind=Contract.Kind.SERVICE, title="LeakbServiceContract",
        customer=customer, start_date=today - datetime.timedelta(days=10), end_date=today + datetime.timedelta(days=300),
        value=1, responsible=w.users_b["center_manager"], visits_included=3)
    _add(w, contract)
    _add(w, ContractUnit.objects.create(contract=contract, unit=unit))
    _center_b_marks(w, service_contract_title_b="LeakbServiceContract")


def _build_sales_contracts(w: World) -> None:
    """Center B's agency contract with an instalment, a cheque paying it (returned: the CRM's side too) and
    B's manager's alarms."""
    from aftersales.customers.models import Customer
    from aftersales.sales.alarms import alarms_fire
    from aftersales.sales.services_cheques import cheque_receive, cheque_return
    from aftersales.sales.services_contracts import contract_create

    today = timezone.localdate()
    manager_b = w.users_b["center_manager"]
    party = Customer.objects.create(kind="legal", company_name="LeakbContractParty")
    contract = _add(w, contract_create(
        center=w.center_b, kind="agency", title="LeakbAgencyContract", customer=party, start_date=today,
        end_date=today + datetime.timedelta(days=300), value=9_000, responsible=manager_b, acting_user=manager_b,
        number="LEAKB-CT-1", instalments=[{"due_date": today + datetime.timedelta(days=3), "amount": 9_000}]))
    _add(w, contract.instalments.get())
    cheque = _add(w, cheque_receive(center=w.center_b, customer=party, sayad_number="7319000000000001",
                                    bank="LeakbBank", amount=4_000, due_date=today, responsible=manager_b,
                                    instalment=contract.instalments.get(), acting_user=manager_b))
    cheque_return(cheque=cheque, reason="LeakbReason", acting_user=manager_b)
    alarms_fire(today=today)
    from aftersales.sales.models import Alarm

    _add(w, Alarm.objects.filter(user=manager_b).first())
    _center_b_marks(w, contract_title_b="LeakbAgencyContract", cheque_bank_b="LeakbBank")


def _build_sales_commission(w: World) -> None:
    """Center B's agent (its own party) and its commission statement of this month, with one line."""
    from aftersales.catalog.models import ProductGroup
    from aftersales.customers.models import Customer
    from aftersales.sales.models import Agent, CommissionLine, CommissionRule, CommissionStatement, SalesDocument

    party = Customer.objects.create(kind="legal", company_name="LeakbAgentParty")
    agent = _add(w, Agent.objects.create(customer=party, center=w.center_b, code="LEAKB-AG1", path=""))
    Agent.objects.filter(pk=agent.pk).update(path=f"{agent.pk:06d}/")
    today = timezone.localdate()
    statement = _add(w, CommissionStatement.objects.create(agent=agent, year=1405, month=1, period_start=today,
                                                           period_end=today, sales=7_319_001, total=73_191))
    group = ProductGroup.objects.first()
    rule = _add(w, CommissionRule.objects.create(level=1, rate=1, valid_from=today))
    document = SalesDocument.objects.create(center=w.center_b, kind=SalesDocument.Kind.INVOICE, number="LEAKB-INV-9",
                                            customer=party, agent=agent, issued_on=today)
    if group is not None:
        CommissionLine.objects.create(statement=statement, document=document, source_agent=agent, product_group=group,
                                      rule=rule, base=7_319_001, rate=1, amount=73_191)
    _center_b_marks(w, agent_party_b="LeakbAgentParty", agent_code_b="LEAKB-AG1")


def _build_sales_documents(w: World) -> None:
    """Center B's proforma (the second sales document), its invoice (the first) with a receipt, and a credit note,
    sold to B's customer (national: its statement is probed for B's notes and references)."""
    from aftersales.catalog.models import ProductModel
    from aftersales.sales.services_documents import credit_note_issue, proforma_issue, proforma_to_invoice
    from aftersales.sales.services_receipts import receipt_record

    manager_b = w.users_b["center_manager"]
    party = w.records["customers.Customer"]
    model = ProductModel.objects.first()
    proforma = proforma_issue(center=w.center_b, customer=party, valid_until=timezone.localdate(),
                              lines=[{"product_model": model, "quantity": 2, "unit_price": 7_319_003}],
                              note="LeakbProformaNote", acting_user=manager_b)
    invoice = proforma_to_invoice(proforma=proforma, acting_user=manager_b)
    w.records["sales.SalesDocument"] = invoice
    _add(w, proforma, second=True)
    _add(w, receipt_record(center=w.center_b, customer=party, document=invoice, method="transfer", amount=1_000,
                           reference="LEAKB-RCPT", acting_user=manager_b))
    credit_note_issue(invoice=invoice, lines=[{"line": invoice.lines.get(), "quantity": 1}], reason="LeakbCreditReason",
                      acting_user=manager_b)
    # The party is national (any center may sell to it): its name is no marker; B's notes and references are.
    _center_b_marks(w, proforma_note_b="LeakbProformaNote", credit_reason_b="LeakbCreditReason",
                    receipt_reference_b="LEAKB-RCPT")
