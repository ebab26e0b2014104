"""What sales tells the apps above it (STYLE: a lower app signals, the higher one connects in ``ready()``)."""

from django.dispatch import Signal

#: A cheque came back unpaid; sent on commit with ``cheque`` (a ``sales.Cheque``) and ``acting_user``.
#: The CRM records it on the drawer's credit assessment (F45).
cheque_returned = Signal()
