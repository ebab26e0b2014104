"""A model's unique rules and check constraints as errors on the fields a user typed, before the write.

Django's ModelForm and DRF's ModelSerializer each check part of them: neither checks a
``UniqueConstraint`` whose condition names a field the form or serializer does not show (a customer's
national code is unique among customers not merged away), so the database refused the row with an
IntegrityError, a server error. The API's base serializer and the desk's forms call
``constraint_errors`` instead; ``integrity_errors`` maps a violation the database still reports (a
duplicate saved by someone else at the same moment) back to its field.
"""

import logging
import re
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, router
from django.db.models import UniqueConstraint
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CONFLICT = _("This record conflicts with another one saved at the same time; check it and send it again.")


def constraint_errors(instance, *, fields: Iterable[str], skip: Iterable[str] = (), checks: bool = True) -> dict:
    """Errors, by field, for the unique rules (and, with ``checks``, the check constraints) ``instance`` breaks.

    Only rules that involve one of ``fields`` (those submitted) are checked, and none that involves a
    field of ``skip`` (already refused). A rule over several fields is reported on the first submitted
    one; a rule on expressions and a check constraint on the whole record (``NON_FIELD_ERRORS``).
    Conditions are evaluated on the whole instance, shown or not.
    """
    model = type(instance)
    skip = set(skip)
    fields = set(fields) - skip
    errors: dict[str, list] = {}

    def field_for(names) -> str:
        return next((name for name in names if name in fields), NON_FIELD_ERRORS)

    unique_checks, _date_checks = instance._get_unique_checks(exclude=skip)
    for model_class, names in unique_checks:
        if fields & set(names):
            for error_list in instance._perform_unique_checks([(model_class, names)]).values():
                errors.setdefault(field_for(names), []).extend(error_list)

    using = router.db_for_write(model, instance=instance)
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            names = tuple(getattr(constraint, "fields", ()) or ())
            if isinstance(constraint, UniqueConstraint):
                if names and not fields & set(names) or skip & set(names):
                    continue
            elif not checks:
                continue
            try:
                constraint.validate(model_class, instance, using=using)
            except ValidationError as error:
                if isinstance(constraint, UniqueConstraint) and names:
                    if constraint.violation_error_message == constraint.default_violation_error_message:
                        error = instance.unique_error_message(model_class, names)
                    errors.setdefault(field_for(names), []).append(error)
                else:
                    errors.setdefault(NON_FIELD_ERRORS, []).append(error)
    return errors


_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")
_POSTGRES_COLUMNS = re.compile(r"Key \((?P<columns>[^)]+)\)=")


def integrity_errors(model, error: IntegrityError) -> dict:
    """Errors, by field, for a write the database refused: a unique violation names its field (the
    columns SQLite and PostgreSQL report), anything else is a conflict of the whole record."""
    cause = error.__cause__
    detail = getattr(getattr(cause, "diag", None), "message_detail", None) or ""
    match = _POSTGRES_COLUMNS.search(detail) or _SQLITE_COLUMNS.search(str(error))
    by_column = {field.column: field.name for field in model._meta.concrete_fields}
    if match:
        columns = [column.strip().rsplit(".", 1)[-1].strip('"') for column in match["columns"].split(",")]
        names = [by_column[column] for column in columns if column in by_column]
        if names and len(names) == len(columns):
            return {names[0]: [model().unique_error_message(model, tuple(names))]}
    logger.warning("write of %s refused by the database", model._meta.label, exc_info=error)
    return {NON_FIELD_ERRORS: [ValidationError(CONFLICT, code="conflict")]}
