"""Edits of a workflow definition (the dict of ``definition.py``), as the designer page makes them.

Pure functions: each takes a definition and returns a changed copy; nothing here reads or writes the
database. A state is named by its code, a transition by (source code, transition code), as in the
definition. Asking for a state or transition the definition no longer has (a panel left open while
the draft changed elsewhere) raises ``Gone``; a code that would clash raises ``Clash``.
"""

import copy
import re

from django.utils.text import slugify

CODE_MAX = 40
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


class Gone(LookupError):
    """The state or transition is not (or no longer) in the definition."""


class Clash(ValueError):
    """Another state, or another transition out of the same state, has that code."""


def states(definition: dict) -> list[dict]:
    return definition.setdefault("states", [])


def transitions(definition: dict) -> list[dict]:
    return definition.setdefault("transitions", [])


def state_get(definition: dict, code: str) -> dict:
    for state in definition.get("states", []):
        if state.get("code") == code:
            return state
    raise Gone(code)


def transition_get(definition: dict, source: str, code: str) -> dict:
    for transition in definition.get("transitions", []):
        if transition.get("source") == source and transition.get("code") == code:
            return transition
    raise Gone((source, code))


def is_code(value: str) -> bool:
    return bool(value) and len(value) <= CODE_MAX and bool(_CODE.match(value))


def _unique(base: str, taken: set[str], fallback: str) -> str:
    base = slugify(base or "").replace("-", "_")[:CODE_MAX - 4].strip("_")
    if base and base not in taken:
        return base
    stem = base or fallback
    number = 1
    while f"{stem}_{number}" in taken:
        number += 1
    return f"{stem}_{number}"


def new_state_code(definition: dict, name: str = "") -> str:
    """A code no state has: the name as an ASCII slug when it has Latin letters, else ``state_<n>``."""
    return _unique(name, {s.get("code") for s in definition.get("states", [])}, "state")


def new_transition_code(definition: dict, source: str, name: str = "") -> str:
    """A code no transition out of ``source`` has: the name's slug, else ``step_<n>``."""
    taken = {t.get("code") for t in definition.get("transitions", []) if t.get("source") == source}
    return _unique(name, taken, "step")


def state_add(definition: dict, *, name: str, x: int | None = None, y: int | None = None) -> tuple[dict, str]:
    """Append a state named ``name``; returns the new definition and the state's code."""
    definition = copy.deepcopy(definition)
    code = new_state_code(definition, name)
    states(definition).append({
        "code": code, "name": name, "public_name": "", "is_initial": not states(definition),
        "is_final": False, "sla_hours": None, "x": x, "y": y,
    })
    return definition, code


def state_update(definition: dict, code: str, *, name: str, public_name: str = "", is_initial: bool = False,
                 is_final: bool = False, sla_hours: int | None = None, new_code: str | None = None) -> dict:
    """Change a state's fields; making it initial makes every other state not initial.

    ``new_code`` renames the state (transitions follow); refused with ``Clash`` if another state has it.
    """
    definition = copy.deepcopy(definition)
    state = state_get(definition, code)
    if new_code and new_code != code:
        if any(s.get("code") == new_code for s in states(definition)):
            raise Clash(new_code)
        state["code"] = new_code
        for transition in transitions(definition):
            for end in ("source", "target"):
                if transition.get(end) == code:
                    transition[end] = new_code
    state.update(name=name, public_name=public_name, is_initial=bool(is_initial), is_final=bool(is_final),
                 sla_hours=sla_hours)
    if is_initial:
        for other in states(definition):
            if other is not state:
                other["is_initial"] = False
    return definition


def state_remove(definition: dict, code: str) -> dict:
    """Take a state out, with every transition to or from it."""
    definition = copy.deepcopy(definition)
    state = state_get(definition, code)
    definition["states"] = [s for s in states(definition) if s is not state]
    definition["transitions"] = [t for t in transitions(definition)
                                 if t.get("source") != code and t.get("target") != code]
    return definition


def state_move(definition: dict, code: str, *, x: int, y: int) -> dict:
    """Put a state at (x, y) of the chart (its box's top-left corner); negative values become 0."""
    definition = copy.deepcopy(definition)
    state = state_get(definition, code)
    state["x"], state["y"] = max(0, int(x)), max(0, int(y))
    return definition


def transition_add(definition: dict, *, source: str, target: str, name: str = "") -> tuple[dict, str]:
    """Add a transition from ``source`` to ``target``; returns the new definition and its code."""
    definition = copy.deepcopy(definition)
    state_get(definition, source)
    target_state = state_get(definition, target)
    code = new_transition_code(definition, source, name)
    transitions(definition).append({
        "code": code, "name": name or target_state.get("name") or code, "source": source, "target": target,
        "roles": [], "condition": "", "required_fields": [], "requires_comment": False, "actions": [],
    })
    return definition, code


def transition_update(definition: dict, source: str, code: str, /, **fields) -> dict:
    """Change a transition's fields (``code``, ``name``, ``source``, ``target``, ``roles``, ``condition``,
    ``required_fields``, ``requires_comment``, ``actions``); a (source, code) pair another transition
    has is refused with ``Clash``; an unknown source or target with ``Gone``."""
    definition = copy.deepcopy(definition)
    transition = transition_get(definition, source, code)
    new_source, new_code = fields.get("source", source), fields.get("code", code)
    for end in ("source", "target"):
        if end in fields:
            state_get(definition, fields[end])
    if (new_source, new_code) != (source, code) and any(
            t is not transition and t.get("source") == new_source and t.get("code") == new_code
            for t in transitions(definition)):
        raise Clash(new_code)
    allowed = {"code", "name", "source", "target", "roles", "condition", "required_fields", "requires_comment",
               "actions"}
    transition.update({key: value for key, value in fields.items() if key in allowed})
    return definition


def transition_remove(definition: dict, source: str, code: str) -> dict:
    definition = copy.deepcopy(definition)
    transition = transition_get(definition, source, code)
    definition["transitions"] = [t for t in transitions(definition) if t is not transition]
    return definition
