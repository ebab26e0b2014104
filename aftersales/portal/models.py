"""The customer's sign-in by a code texted to their mobile (issue 22)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInRequest(models.Model):
    """A mobile asked for a sign-in code; the code is kept hashed, with its expiry and wrong tries."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    mobile = models.CharField(_("mobile"), max_length=11)
    # A keyed hash of the client's address (never the address itself): the per-address limit counts on it.
    address_key = models.CharField(_("address (hashed)"), max_length=64)
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    # Wrong codes allowed before the request is dead (a 5-digit code: 5 guesses in 100,000).
    MAX_ATTEMPTS = 5

    class Meta:
        verbose_name = _("portal sign-in request")
        verbose_name_plural = _("portal sign-in requests")
        indexes = [models.Index(fields=["mobile", "created_at"], name="portal_signin_mobile_idx"),
                   models.Index(fields=["address_key", "created_at"], name="portal_signin_address_idx")]

    def __str__(self):
        return self.mobile


class PortalToken(models.Model):
    """A customer's key to the portal's API, issued when a texted code is confirmed (issue 22).

    Only a hash of the key is kept: a copy of the database opens no one's account. The key names a mobile,
    not a customer: the customers are read on every request, as on the pages.
    """

    key_hash = models.CharField(_("key (hashed)"), max_length=64, unique=True)
    mobile = models.CharField(_("mobile"), max_length=11)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal API token")
        verbose_name_plural = _("portal API tokens")
        indexes = [models.Index(fields=["mobile", "created_at"], name="portal_token_mobile_idx")]

    def __str__(self):
        return self.mobile
