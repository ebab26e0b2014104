"""A unit's identifiers — serial, sale invoice, delivery note, subscription number, batch — kept as they
were given and matched on one key (issue 20).

The stored value is what the factory sent or the user typed, after digit and letter normalisation only
(«AB-۱۲ ۳۴» is stored «AB-12 34»), so that lists and exports show it as it was sent. Matching never
reads it: each matched identifier has a key column beside it (``serial_key``…), filled here and only
here, from ``identifier_key`` — separators (spaces, hyphens, slashes, dots, ZWNJ) gone, case folded,
ASCII digits, Arabic ي/ك as Persian ی/ک — so «ab1234», «AB 12-34» and «AB-12 34» are one unit.

Every path in computes the keys through ``unit_keys``: the model's ``save()`` (desk and admin forms,
services, the push API) and the serial import's rows (which bypass ``save()`` with COPY / bulk inserts).
"""

from aftersales.core.persian import normalize_identifier, normalize_text

#: Identifier fields of ``ProductUnit`` and the key column each is matched on. The dealer code is kept
#: as given too but has no key: nothing looks a unit up by it (a key column on 10 million rows costs).
KEYED_FIELDS = {
    "serial": "serial_key",
    "sale_invoice_no": "sale_invoice_key",
    "delivery_note_no": "delivery_note_key",
    "subscription_no": "subscription_key",
    "batch": "batch_key",
}
#: Identifiers stored as given without a key.
PLAIN_FIELDS = ("dealer_code",)


def identifier_clean(value) -> str:
    """The identifier as it is stored and shown: digits ASCII, ي/ك → ی/ک, runs of spaces folded to one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # a number cell of Excel: 1234.0
        value = int(value)
    return normalize_text(str(value))


def identifier_key(value) -> str:
    """The one matching key of an identifier: separators removed, case folded, ASCII digits."""
    if value is None or value == "":
        return ""
    # normalize_identifier normalises the text itself; only a number cell needs identifier_clean first.
    return normalize_identifier(value if isinstance(value, str) else identifier_clean(value))


def unit_keys(values: dict) -> dict:
    """The key columns for the identifiers present in ``values`` (a row or a model's field values)."""
    return {key: identifier_key(values.get(name)) for name, key in KEYED_FIELDS.items() if name in values}
