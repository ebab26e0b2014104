"""Sales' shared reads, as other apps ask for them (the CRM's panel: ``last_documents``)."""

from .selectors_documents import customer_debt, last_documents  # noqa: F401
