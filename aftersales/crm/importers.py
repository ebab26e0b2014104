"""Importing leads from Excel/CSV (F31): each row through ``lead_create``, so a lead from a file is checked like
one typed on the page. A national code or national ID a customer or lead already holds refuses the row,
naming them; a mobile already on record makes the row one "already registered" (skipped or refused by the
mode the user chooses at the preview)."""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.persian import isolate, search_key, to_ascii_digits
from aftersales.customers.importers import identifiers_check
from aftersales.customers.models import Customer
from aftersales.imports.cells import text as _text
from aftersales.imports.registry import Column, Importer, register
from aftersales.organization.models import ServiceCenter

from .models import LeadSource, Party, PartyType

_LEGAL_WORDS = {"legal", "حقوقی", "شرکت"}


def _labels(choices) -> dict[str, str]:
    """{search key of the code, the English label and the Persian label: code} for a model's choices."""
    found = {}
    for value, label in choices:
        found[search_key(value)] = value
        found[search_key(str(label))] = value
        with translation.override("fa"):
            found[search_key(str(label))] = value
    return found


class LeadImporter(Importer):
    kind = "leads"
    label = gettext_lazy("Leads")
    permission = "crm.add_party"
    columns = [
        Column("kind", gettext_lazy("kind"), example="حقوقی"),
        Column("first_name", gettext_lazy("first name"), example=""),
        Column("last_name", gettext_lazy("last name"), example=""),
        Column("company_name", gettext_lazy("company name"), example="فروشگاه نور"),
        Column("national_code", gettext_lazy("national code"), example=""),
        Column("legal_national_id", gettext_lazy("national ID"), example="10380284790"),
        Column("mobile", gettext_lazy("mobile"), example="09121234567"),
        Column("phone", gettext_lazy("phone"), example="02188776655"),
        Column("party_type", gettext_lazy("type code"), required=True, example="dealer"),
        Column("rating", gettext_lazy("rating"), example="گرم"),
        Column("score", gettext_lazy("score (0–100)"), example=""),
        Column("source", gettext_lazy("source code"), example="exhibition"),
        Column("city", gettext_lazy("city or district"), example="تهران"),
        Column("activity", gettext_lazy("field of activity"), example="لوازم خانگی"),
        Column("marketer", gettext_lazy("marketer's username"), example=""),
        Column("team", gettext_lazy("team code"), example=""),
    ]

    def prepare(self):
        from aftersales.regions.models import Region

        self.legal_words = {*_LEGAL_WORDS, search_key(str(Customer.Kind.LEGAL.label))}
        with translation.override("fa"):
            self.legal_words.add(search_key(str(Customer.Kind.LEGAL.label)))
        self.types = {}
        for pk, code, name in PartyType.objects.values_list("pk", "code", "name"):
            self.types[search_key(name)] = pk
            self.types[search_key(code)] = pk
        self.sources = {}
        for pk, code, name in LeadSource.objects.values_list("pk", "code", "name"):
            self.sources[search_key(name)] = pk
            self.sources[search_key(code)] = pk
        self.ratings = _labels(Party.Rating.choices)
        self.regions = {}
        for pk, name, code in Region.objects.filter(kind__in=["city", "district"]).values_list("pk", "name", "code"):
            self.regions.setdefault(search_key(name), pk)
            self.regions[code] = pk
        self.centers = {search_key(code): pk for pk, code in
                        ServiceCenter.objects.filter(is_active=True).values_list("pk", "code")}
        self.marketers = {}  # username → (user id, first center id), filled as the file names them

    def _marketer(self, username: str):
        if username not in self.marketers:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            center = user.centers.filter(is_active=True).order_by("pk").values_list("pk", flat=True).first() \
                if user is not None else None
            self.marketers[username] = (user.pk, center) if user is not None else None
        return self.marketers[username]

    def clean_row(self, values):
        errors = []
        row = {name: _text(values.get(name)) for name in (c.key for c in self.columns)}
        row["kind"] = Customer.Kind.LEGAL if search_key(row["kind"]) in self.legal_words else Customer.Kind.PERSON
        identifiers_check(row, ("mobile", "national_code", "legal_national_id"), errors)
        if row["kind"] == Customer.Kind.PERSON and not (row["last_name"] or row["first_name"]):
            errors.append(("last_name", _("Enter the last name.")))
        if row["kind"] == Customer.Kind.LEGAL and not row["company_name"]:
            errors.append(("company_name", _("Enter the company's name.")))
        if not (row["mobile"] or row["phone"] or row["national_code"] or row["legal_national_id"]):
            errors.append(("mobile", _("Give at least a mobile, a phone, a national code or a national ID.")))
        row["party_type_id"] = self.types.get(search_key(row["party_type"])) if row["party_type"] else None
        if row["party_type_id"] is None:
            errors.append(("party_type", _("Unknown type: %(value)s.") % {"value": isolate(row["party_type"])}
                           if row["party_type"] else _("Write the type's code, e.g. dealer.")))
        rating = row["rating"]
        row["rating"] = self.ratings.get(search_key(rating)) if rating else Party.Rating.WARM
        if row["rating"] is None:
            errors.append(("rating", _("Unknown rating: %(value)s; write hot, warm or cold.") % {
                "value": isolate(rating)}))
        score = to_ascii_digits(row["score"]).strip()
        row["score"] = None
        if score:
            if not score.isdigit() or int(score) > 100:
                errors.append(("score", _("A score is between 0 and 100.")))
            else:
                row["score"] = int(score)
        row["source_id"] = None
        if row["source"]:
            row["source_id"] = self.sources.get(search_key(row["source"]))
            if row["source_id"] is None:
                errors.append(("source", _("Unknown source: %(value)s.") % {"value": isolate(row["source"])}))
        row["region_id"] = None
        if row["city"]:
            row["region_id"] = self.regions.get(search_key(row["city"])) or self.regions.get(row["city"])
            if row["region_id"] is None:
                errors.append(("city", _("Unknown city or district: %(name)s.") % {"name": isolate(row["city"])}))
        row["marketer_id"], center_id = None, None
        if row["marketer"]:
            found = self._marketer(row["marketer"])
            if found is None:
                errors.append(("marketer", _("No active user has the username %(value)s.") % {
                    "value": isolate(row["marketer"])}))
            else:
                row["marketer_id"], center_id = found
        if row["team"]:
            center_id = self.centers.get(search_key(row["team"]))
            if center_id is None:
                errors.append(("team", _("Unknown team code: %(value)s.") % {"value": isolate(row["team"])}))
        elif row["marketer"] and row["marketer_id"] and center_id is None:
            errors.append(("team", _("The marketer belongs to no center: write the team's code.")))
        elif not row["marketer"]:
            errors.append(("team", _("Write the marketer's username or the team's code.")))
        row["center_id"] = center_id
        # A national code or ID a customer or lead holds: refused, naming them (as on the page).
        if not errors and (row["national_code"] or row["legal_national_id"]):
            from .services import identifier_conflicts

            candidate = Customer(national_code=row["national_code"], legal_national_id=row["legal_national_id"])
            errors.extend(identifier_conflicts(candidate).items())
        return (None, errors) if errors else (row, [])

    def key(self, row):
        return row["national_code"] or row["legal_national_id"] or row["mobile"] or row["phone"]

    def existing_keys(self, keys):
        from aftersales.customers.models import CustomerPhone

        live = Customer.objects.filter(merged_into__isnull=True)
        found = set(live.filter(national_code__in=keys).values_list("national_code", flat=True))
        found |= set(live.filter(legal_national_id__in=keys).values_list("legal_national_id", flat=True))
        found |= set(live.filter(mobile__in=keys).values_list("mobile", flat=True))
        found |= set(CustomerPhone.objects.filter(number__in=keys, customer__merged_into__isnull=True)
                     .values_list("number", flat=True))
        return found

    def commit(self, rows, *, acting_user, progress):
        from aftersales.regions.models import Region

        from .services import lead_create

        types = PartyType.objects.in_bulk()
        sources = LeadSource.objects.in_bulk()
        centers = ServiceCenter.objects.in_bulk()
        cache = {Region: {}, get_user_model(): {}}

        def record(model, pk):
            if pk is None:
                return None
            if pk not in cache[model]:
                cache[model][pk] = model._default_manager.get(pk=pk)
            return cache[model][pk]

        count = 0
        for row in rows:
            lead_create(
                acting_user=acting_user, kind=row["kind"], first_name=row["first_name"], last_name=row["last_name"],
                company_name=row["company_name"], national_code=row["national_code"],
                legal_national_id=row["legal_national_id"], mobile=row["mobile"], phone=row["phone"],
                party_type=types[row["party_type_id"]], center=centers[row["center_id"]], rating=row["rating"],
                score=row["score"], source=sources.get(row["source_id"]), region=record(Region, row["region_id"]),
                activity=row["activity"], marketer=record(get_user_model(), row["marketer_id"]))
            count += 1
            if count % 500 == 0:
                progress(count)
        return {"created": count}


register(LeadImporter())
