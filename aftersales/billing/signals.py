"""What billing tells other systems. An ERPNext integration (or an accounting export) connects a
receiver to ``invoice_issued`` and creates the Sales Invoice (or its return, for a credit note) there;
the signal is sent after the issuing transaction commits, so a rollback never reaches the other side."""

from django.dispatch import Signal

#: sent with ``invoice`` (an issued Invoice: service, warranty or credit note) after commit
invoice_issued = Signal()
