from django.db import transaction
from simple_history.utils import update_change_reason

from aftersales.core import rowscope


@transaction.atomic
def record_save(*, instance, acting_user, reason: str = ""):
    """Validate and save one master-data record as ``acting_user``, with the audit row.

    Raises ``ValidationError`` (nothing written) when the record breaks a rule of its model, and
    ``PermissionDenied`` when it names (or moves to) a center that is not the user's.
    """
    rowscope.check_write(instance, acting_user)
    instance.full_clean()
    instance._history_user = acting_user
    instance.save()
    if reason and hasattr(instance, "history"):
        update_change_reason(instance, reason)
    return instance
