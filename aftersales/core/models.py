from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentSequence(models.Model):
    """The last number given for one kind of document in one scope (a center) and Jalali year.

    A row is locked while a number is taken, so numbers stay unique and gap-free under
    concurrent saves; see ``numbering.next_document_number``.
    """

    scope = models.CharField(_("scope"), max_length=64)
    document_type = models.CharField(_("document type"), max_length=64)
    jalali_year = models.PositiveIntegerField(_("Jalali year"))
    last_number = models.PositiveBigIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "document_type", "jalali_year"], name="core_document_sequence_unique"
            )
        ]

    def __str__(self):
        return f"{self.scope}/{self.document_type}/{self.jalali_year}: {self.last_number}"


class SearchableModel(models.Model):
    """Keeps a normalised copy of the searchable text, so one LIKE matches however it was typed.

    Subclasses list the attributes to index in ``search_fields``.
    """

    search_fields: tuple[str, ...] = ()
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def build_search_text(self) -> str:
        from .persian import search_document

        parts = [str(getattr(self, name) or "") for name in self.search_fields]
        return search_document(" ".join(parts))

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class RateCounter(models.Model):
    """Requests of one subject (a client's address or a guessed target) in one scope and one minute.

    Rows of past minutes are never read again and are deleted as the clock moves on; see
    ``limits.too_many``. The subject is a keyed hash, so the table holds no address or mobile in clear.
    """

    scope = models.CharField(_("scope"), max_length=64)
    subject = models.CharField(_("subject"), max_length=64)
    minute = models.PositiveIntegerField(_("minute"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "subject", "minute"], name="core_rate_counter_unique")
        ]

    def __str__(self):
        return f"{self.scope}/{self.subject[:8]}@{self.minute}: {self.count}"
