from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file on its way in: checked (preview), then committed all or nothing (F05).

    Besides its author, the colleagues of the author's centers may follow it (with the permission).
    """

    scope_center_field = "created_by__centers"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked, ready to import")
        REJECTED = "rejected", _("has errors")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    class Mode(models.TextChoices):
        """What the commit does with rows whose record is already stored."""

        NEW_ONLY = "new_only", _("add new rows only")
        UPDATE = "update", _("add new rows and update existing ones")
        ALL_OR_NOTHING = "all", _("all or nothing")

    #: Shown on the preview: the text encoding a CSV file was read in.
    ENCODING_LABELS = {
        "utf-8": _("UTF-8"),
        "utf-8-sig": _("UTF-8 (with BOM)"),
        "utf-16": _("UTF-16"),
        "cp1256": _("Windows-1256 (Arabic/Persian Windows)"),
    }

    kind = models.CharField(_("what is imported"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    #: Rows whose record is already stored: {"count", "changed", "columns", "rows": [{row, key, changes}]}.
    existing = models.JSONField(_("rows already registered"), default=dict, blank=True)
    encoding = models.CharField(_("encoding"), max_length=12, blank=True)
    mode = models.CharField(_("existing rows"), max_length=8, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def encoding_label(self) -> str:
        return str(self.ENCODING_LABELS.get(self.encoding, self.encoding))

    @property
    def existing_count(self) -> int:
        return (self.existing or {}).get("count", 0)

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.UPLOADED, self.Status.CHECKING, self.Status.IMPORTING}
