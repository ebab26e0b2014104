"""Persian text helpers: normalising input, digits on screen, and money.

Every app normalises search terms and identifiers through these functions, so that
Arabic ي/ك, Persian/Arabic digits, ZWNJ and stray spaces never split one name or code in two.
"""

import re
from decimal import Decimal

from django.utils import translation

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN_DIGITS = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)

ZWNJ = "\u200c"
# Arabic letters typed on Arabic keyboards, mapped to their Persian forms.
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",  # heh with yeh above, often typed as ه + hamza
        "ؤ": "و",
        "إ": "ا",
        "أ": "ا",
        "ٱ": "ا",
    }
)
# Diacritics (harakat), tatweel and invisible direction marks carry no meaning for search.
_NOISE = re.compile("[\u064b-\u065f\u0670\u0640\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ZWNJS = re.compile(r"\u200c+")
_IDENTIFIER_SEPARATORS = re.compile(r"[\s\u00a0\u200c\-_/\\.]+")


def to_ascii_digits(value: str) -> str:
    """Replace Persian and Arabic digits with ASCII ones."""
    return str(value).translate(_TO_ASCII_DIGITS)


def to_persian_digits(value) -> str:
    """Replace ASCII and Arabic digits with Persian ones."""
    return str(value).translate(_TO_PERSIAN_DIGITS)


def normalize_text(value: str | None) -> str:
    """Return free text in one canonical form for storage and search.

    Arabic letters become Persian (ي→ی, ك→ک), digits become ASCII, diacritics and
    bidi marks go, runs of spaces fold to one, ZWNJ runs fold to one and ZWNJ next
    to a space is dropped.
    """
    if not value:
        return ""
    value = str(value)
    if value.isascii():  # nothing Persian to fold: the common case in codes and big imports
        return " ".join(value.split())
    text = _NOISE.sub("", value.translate(_LETTERS).translate(_TO_ASCII_DIGITS))
    text = _ZWNJS.sub(ZWNJ, text)
    text = _SPACES.sub(" ", text)
    text = re.sub(r" ?\u200c ?", lambda m: " " if " " in m.group(0) else ZWNJ, text)
    return text.strip(" " + ZWNJ)


def search_key(value: str | None) -> str:
    """Return the form of a search term that matches however the user typed it.

    ZWNJ is treated as a space ("می‌خواهم" and "می خواهم" match) and case is folded.
    """
    return normalize_text(value).replace(ZWNJ, " ").casefold()


def search_document(value: str | None) -> str:
    """Return the text a row is searched by: its search key, then the same with every space removed.

    Persian writes a compound name as one word, with a ZWNJ or with a space: «محمدرضا», «محمد‌رضا»,
    «محمد رضا». Each word of a query is looked for as a substring (``core.search.search_filter``), so
    «محمد رضا» already finds «محمدرضا»; the compact copy lets «محمدرضا» find the other two.
    """
    key = search_key(value)
    compact = key.replace(" ", "")
    return f"{key} {compact}" if compact != key else key


def normalize_identifier(value: str | None) -> str:
    """Return a code or serial in canonical form: ASCII digits, upper case, no spaces or dashes.

    "sn 12-34", "SN1234" and «SN ۱۲۳۴» are one unit; letters are not transliterated.
    """
    if not value:
        return ""
    return _IDENTIFIER_SEPARATORS.sub("", normalize_text(value)).upper()


def digits_only(value: str | None) -> str:
    """Return the ASCII digits of a number typed with any digits, spaces or dashes."""
    if not value:
        return ""
    return re.sub(r"[\s\u200c\-()]", "", to_ascii_digits(str(value)).strip())


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_LINK = re.compile(r"^[a-z][a-z0-9+.-]*://|^/|^www\.", re.IGNORECASE)


def localize_digits(value) -> str:
    """Show digits the way the active language writes them (Persian digits in Persian): a number's
    decimal point becomes «٫» («۳٫۵»); a link stays as it is typed and clicked (Latin digits)."""
    text = str(value)
    if not (translation.get_language() or "fa").startswith("fa") or _LINK.match(text):
        return text
    if _NUMBER.fullmatch(text):
        text = text.replace(".", "٫")
    return to_persian_digits(text)


def format_number(value, separator: str | None = None) -> str:
    """Group thousands («۱۲٬۵۰۰٬۰۰۰» in Persian, "12,500,000" in English)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = f"{number:,f}" if number != number.to_integral() else f"{int(number):,}"
    persian = (translation.get_language() or "fa").startswith("fa")
    if persian:
        text = text.replace(",", separator or "٬").replace(".", "٫")
        return to_persian_digits(text)
    return text


def isolate(value) -> str:
    """Wrap a code or serial for a right-to-left message, so that "XX-9" is not shown as "9-XX"."""
    return f"\u2068{value}\u2069"


def rial_to_toman(rials: int) -> Decimal:
    """Convert rials (what is stored) to tomans (what people say): one toman is ten rials."""
    return Decimal(int(rials)) / 10


def amount_in_words(rials: int) -> str:
    """An amount in rials written out in Persian words, as invoices and cheques carry it (the words
    are Persian in every language: the invoice is a Persian document)."""
    from django.utils.translation import gettext as _
    from num2fawords import words

    text = _("%(words)s rials") % {"words": words(abs(int(rials)))}
    return _("minus %(amount)s") % {"amount": text} if rials < 0 else text
