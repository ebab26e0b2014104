"""A password validator for Persian keyboards: common passwords typed on the Persian layout, and
the favourites of Iranian users that Django's English list of common passwords misses."""

import functools
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from aftersales.core.persian import normalize_text

DEFAULT_PASSWORD_LIST_PATH = Path(__file__).resolve().parent / "data" / "persian_passwords.txt"

# The key of the US layout that types each letter of the standard Persian layout (ISIRI 9147), so
# "ضصثقفغ" is "qwerty" and "سلام" is "sghl".
PERSIAN_LAYOUT_TO_LATIN = str.maketrans(
    {
        "ض": "q", "ص": "w", "ث": "e", "ق": "r", "ف": "t", "غ": "y", "ع": "u", "ه": "i", "خ": "o", "ح": "p",
        "ج": "[", "چ": "]", "ش": "a", "س": "s", "ی": "d", "ب": "f", "ل": "g", "ا": "h", "ت": "j", "ن": "k",
        "م": "l", "ک": ";", "گ": "'", "ظ": "z", "ط": "x", "ز": "c", "ر": "v", "ذ": "b", "د": "n", "پ": "m",
        "و": ",", "\u200c": "",
    }
)


def keys_typed(password: str) -> str:
    """The keys of a US keyboard that type ``password`` (Persian letters undone, digits ASCII, lower case)."""
    return normalize_text(password).translate(PERSIAN_LAYOUT_TO_LATIN).lower().replace(" ", "")


@functools.cache
def _password_list(path: str) -> frozenset[str]:
    with open(path, encoding="utf-8") as lines:
        return frozenset(
            keys_typed(line.strip()) for line in lines if line.strip() and not line.lstrip().startswith("#")
        )


@functools.cache
def _django_common_passwords() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords)


class PersianKeyboardPasswordValidator:
    """Refuse a password whose keys are those of a common password.

    Compares the keys typed (see ``keys_typed``) with Django's list of common passwords and with a
    shipped list of Persian favourites (``data/persian_passwords.txt``, or ``password_list_path``).
    """

    def __init__(self, password_list_path=DEFAULT_PASSWORD_LIST_PATH):
        self.password_list_path = str(password_list_path)

    def validate(self, password, user=None):
        if password.lower().strip() in _django_common_passwords():
            return  # Django's CommonPasswordValidator says so already
        keys = keys_typed(password)
        if keys in _password_list(self.password_list_path) or keys in _django_common_passwords():
            raise ValidationError(
                _(
                    "This password is too common: it, or the same keys typed on the Persian or English "
                    "keyboard, is on the list of passwords people use most."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Your password can't be a commonly used password, typed in Persian or English letters.")
