"""Writes on centers and staff. Each is one transaction; django-simple-history records who and when."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import update_change_reason

from .models import ServiceCenter, User
from .scoping import scope_queryset

CENTER_EDITABLE_FIELDS = ("name", "province", "city", "address", "postal_code", "phone", "legal_name", "economic_number",
                          "legal_national_id", "national_code", "registration_number", "is_active")


@transaction.atomic
def center_update(*, center: ServiceCenter, acting_user: User, data: dict, reason: str = "") -> ServiceCenter:
    """Change a center's details, as ``acting_user``.

    Refuses users without the change permission or outside the center (PermissionDenied).
    The row is locked so two managers saving at once do not overwrite each other silently.
    """
    if not acting_user.has_perm("organization.change_servicecenter"):
        raise PermissionDenied
    center = scope_queryset(ServiceCenter.objects.select_for_update(), acting_user).get(pk=center.pk)
    for field in CENTER_EDITABLE_FIELDS:
        if field in data:
            setattr(center, field, data[field])
    center.full_clean()
    center._history_user = acting_user
    center.save()
    if reason:
        update_change_reason(center, reason)
    return center


@transaction.atomic
def user_profile_update(*, user: User, data: dict) -> User:
    """Change a user's own name, mobile and national code; validates before it writes."""
    for field in ("first_name", "last_name", "email", "mobile", "national_code"):
        if field in data:
            setattr(user, field, data[field])
    user.full_clean(exclude=["password", "username"])
    user._history_user = user
    user.save()
    return user


@transaction.atomic
def api_token_issue(*, user: User):
    """Return the user's API token, replacing it with a new one once it has expired (``API_TOKEN_DAYS``)."""
    from rest_framework.authtoken.models import Token

    from aftersales.core.authentication import token_expires_at

    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None:
        expires_at = token_expires_at(token)
        if expires_at is None or expires_at > timezone.now():
            return token
        token.delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user: User) -> int:
    """Delete the user's API token; it is refused at once, also where it was cached. Returns how many went."""
    from rest_framework.authtoken.models import Token

    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
