from django.db.models import Q, QuerySet

from .models import Customer, CustomerPhone


def customer_duplicates(customer: Customer) -> QuerySet[Customer]:
    """Other live customers sharing this one's national code, national ID or any mobile number."""
    mobiles = set(customer.phones.filter(kind=CustomerPhone.Kind.MOBILE).values_list("number", flat=True))
    if customer.mobile:
        mobiles.add(customer.mobile)
    query = Q(pk__in=[])
    if customer.national_code:
        query |= Q(national_code=customer.national_code)
    if customer.legal_national_id:
        query |= Q(legal_national_id=customer.legal_national_id)
    if mobiles:
        query |= Q(mobile__in=mobiles) | Q(phones__number__in=mobiles)
    return Customer.objects.filter(query, merged_into__isnull=True).exclude(pk=customer.pk).distinct()
