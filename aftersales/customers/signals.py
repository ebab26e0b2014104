from django.dispatch import Signal

#: Sent inside the merge transaction with ``keep`` and ``duplicate``; apps that point at customers
#: (repairs, warranty cards, contracts…) move their rows from the duplicate to the kept customer.
customer_merged = Signal()
