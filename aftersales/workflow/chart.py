"""The workflow's chart: an SVG with Persian labels, states right to left.

``definition_svg`` draws a definition (the dict of ``definition.py``: a draft, a published version, an
imported file); ``workflow_svg`` draws the published rows (the repair order's page, the admin). A state
sits where the designer put it (``x``/``y``, its box's top-left corner) or else on an automatic grid
that fills rows from the right.
"""

import math
from collections import defaultdict
from xml.sax.saxutils import escape

BOX_W, BOX_H, GAP_X, GAP_Y, PER_ROW, MARGIN = 150, 44, 60, 70, 4, 20
ERROR, WARNING, MUTED, ACCENT, OPEN = "#dc3545", "#fd7e14", "#6c757d", "#0d6efd", "#198754"
LABEL_MAX = 22


def _position(index: int, count_in_row: int = PER_ROW) -> tuple[float, float]:
    row, column = divmod(index, PER_ROW)
    width = PER_ROW * BOX_W + (PER_ROW - 1) * GAP_X
    x = MARGIN + width - BOX_W - column * (BOX_W + GAP_X)  # right to left, as Persian reads
    return x, MARGIN + row * (BOX_H + GAP_Y)


def auto_position(index: int) -> tuple[int, int]:
    """Where the automatic grid puts the ``index``-th state (for a state the designer has not placed)."""
    x, y = _position(index)
    return int(x), int(y)


def _edge(box: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the box's center toward a point leaves the box."""
    cx, cy = box[0] + BOX_W / 2, box[1] + BOX_H / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min((BOX_W / 2) / abs(dx) if dx else math.inf, (BOX_H / 2) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def _short(text: str) -> str:
    text = str(text or "")
    return text if len(text) <= LABEL_MAX else text[:LABEL_MAX - 1] + "…"


def _problem_marks(problems) -> tuple[dict, dict]:
    """State code -> level and (source, code) -> level; an error outranks a warning."""
    states, transitions = {}, {}
    for problem in problems or ():
        level = getattr(problem, "level", "error")
        state = getattr(problem, "state", None)
        transition = getattr(problem, "transition", None)
        for marks, key in ((states, state), (transitions, tuple(transition) if transition else None)):
            if key and marks.get(key) != "error":
                marks[key] = level
    return states, transitions


def _is_open(open_codes, transition: dict) -> bool:
    key = (transition.get("source"), transition.get("code"))
    return key in open_codes or transition.get("code") in open_codes


def state_places(definition: dict) -> dict[str, tuple[float, float]]:
    """State code -> its box's top-left corner on the chart (the designer's place, else the grid's)."""
    places = {}
    states = [s for s in definition.get("states", []) if s.get("is_active", True)]
    for index, state in enumerate(states):
        if isinstance(state.get("x"), int) and isinstance(state.get("y"), int):
            places[state["code"]] = (float(state["x"]), float(state["y"]))
        else:
            places[state["code"]] = _position(index)
    return places


def definition_svg(definition: dict, *, problems=(), current: str | None = None, selected=None,
                   interactive: bool = False, open_codes=None) -> str:
    """The chart of ``definition`` as an SVG string.

    ``problems`` (``definition.Problem``s) mark their states and arrows (red for errors, orange for
    warnings); ``current`` is a state code drawn filled; ``selected`` is a state code or a
    (source, transition code) pair drawn thick; ``open_codes`` (transition codes or (source, code)
    pairs) colours the ways out of ``current`` green when open, dashed when closed. ``interactive``
    adds the handles and hit areas the designer's script uses. States carry ``data-state``, arrows
    ``data-transition="source:code"``.
    """
    states = [s for s in definition.get("states", []) if s.get("is_active", True)]
    codes = {s.get("code") for s in states}
    transitions = [t for t in definition.get("transitions", [])
                   if t.get("source") in codes and t.get("target") in codes]
    places = state_places(definition)
    rows = max(1, math.ceil(len(states) / PER_ROW))
    width = max([2 * MARGIN + PER_ROW * BOX_W + (PER_ROW - 1) * GAP_X]
                + [x + BOX_W + MARGIN for x, _y in places.values()])
    height = max([2 * MARGIN + rows * BOX_H + (rows - 1) * GAP_Y]
                 + [y + BOX_H + MARGIN + (20 if interactive else 0) for _x, y in places.values()])
    state_marks, transition_marks = _problem_marks(problems)
    selected_state = selected if isinstance(selected, str) else None
    selected_transition = tuple(selected) if isinstance(selected, list | tuple) else None
    css = "workflow-chart" + (" workflow-chart-interactive" if interactive else "")
    name = definition.get("name") or definition.get("code") or ""
    parts = [
        # The designer's chart keeps its natural size and scrolls in its box; elsewhere it fits its column.
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}"'
        + (f' width="{width:.0f}" height="{height:.0f}"' if interactive else "")
        + f' role="{"group" if interactive else "img"}" class="{css}" aria-label="{escape(str(name))}" '
        f'font-family="Vazirmatn FD, Vazirmatn, Tahoma, sans-serif" font-size="13">',
        "<defs>" + "".join(
            f'<marker id="wf-arrow{suffix}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for suffix, colour in (("", MUTED), ("-error", ERROR), ("-warning", WARNING), ("-selected", ACCENT),
                                   ("-open", OPEN))) + "</defs>",
    ]
    # Parallel arrows (two steps between the same pair, either way) bend apart.
    pair_count: dict = defaultdict(int)
    for transition in transitions:
        source, target = transition["source"], transition["target"]
        pair = (source, target)
        index = pair_count[pair]
        pair_count[pair] += 1
        key = (source, transition.get("code"))
        box_s, box_t = places[source], places[target]
        if source == target:  # a step that stays: a loop over the box
            x0, y0 = box_s[0] + BOX_W * 0.35, box_s[1]
            x1 = box_s[0] + BOX_W * 0.65
            lift = 30 + 12 * index
            d = f"M{x0:.1f},{y0:.1f} C{x0:.1f},{y0 - lift:.1f} {x1:.1f},{y0 - lift:.1f} {x1:.1f},{y0:.1f}"
            mid = ((x0 + x1) / 2, y0 - lift * 0.75)
        else:
            target_center = (box_t[0] + BOX_W / 2, box_t[1] + BOX_H / 2)
            source_center = (box_s[0] + BOX_W / 2, box_s[1] + BOX_H / 2)
            x1, y1 = _edge(box_s, target_center)
            x2, y2 = _edge(box_t, source_center)
            # Bend each edge to its left, so that a step and its way back do not overlap.
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            length = math.hypot(x2 - x1, y2 - y1) or 1
            bend = 18 + 22 * index
            cx, cy = mx - (y2 - y1) / length * bend, my + (x2 - x1) / length * bend
            d = f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"
            mid = ((x1 + 2 * cx + x2) / 4, (y1 + 2 * cy + y2) / 4)
        mark = transition_marks.get(key)
        is_selected = key == selected_transition
        colour, marker, dash, stroke = MUTED, "", "", 1.4
        if open_codes is not None and source == current:
            if _is_open(open_codes, transition):
                colour, marker, stroke = OPEN, "-open", 2.2
            else:
                dash = ' stroke-dasharray="5 4"'
        if mark:
            colour, marker, stroke = (ERROR, "-error", 2.2) if mark == "error" else (WARNING, "-warning", 1.6)
        if is_selected:
            colour, marker, stroke = ACCENT, "-selected", 3
        label = escape(str(transition.get("name") or transition.get("code") or ""))
        attributes = (f' data-transition="{escape(source)}:{escape(str(transition.get("code")))}"'
                      f' data-source="{escape(source)}" data-target="{escape(target)}"')
        if mark:
            attributes += f' data-problem="{mark}"'
        if is_selected:
            attributes += ' data-selected="true"'
        if open_codes is not None and source == current:
            attributes += f' data-open="{"true" if _is_open(open_codes, transition) else "false"}"'
        if interactive:
            attributes += f' tabindex="0" role="button" aria-label="{label}"'
        parts.append(f'<g class="wf-transition"{attributes}><title>{label}</title>')
        if interactive:  # a wide, invisible line to click on
            parts.append(f'<path d="{d}" fill="none" stroke="transparent" stroke-width="12" class="wf-hit"/>')
        parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{stroke}"{dash} '
                     f'marker-end="url(#wf-arrow{marker})"/>')
        if is_selected or mark == "error":
            parts.append(f'<text x="{mid[0]:.1f}" y="{mid[1] - 4:.1f}" text-anchor="middle" direction="rtl" '
                         f'font-size="11" fill="{colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                         f'{escape(_short(transition.get("name") or ""))}</text>')
        parts.append("</g>")
    for state in states:
        code = state["code"]
        x, y = places[code]
        is_current = code == current
        mark = state_marks.get(code)
        is_selected = code == selected_state
        fill = (ACCENT if is_current else "#e7f1ff" if state.get("is_initial")
                else "#f1f3f5" if state.get("is_final") else "#ffffff")
        colour = "#ffffff" if is_current else "#212529"
        stroke = ERROR if mark == "error" else WARNING if mark == "warning" else ACCENT
        width_ = 3 if is_selected else 2 if (is_current or state.get("is_initial") or mark) else 1
        attributes = ' data-current="true"' if is_current else ""
        if mark:
            attributes += f' data-problem="{mark}"'
        if is_selected:
            attributes += ' data-selected="true"'
        label = escape(str(state.get("name") or code))
        if interactive:
            attributes += (f' class="wf-state" data-x="{x:.0f}" data-y="{y:.0f}" tabindex="0" role="button" '
                           f'aria-label="{label}"')
        dash = ' stroke-dasharray="6 3"' if is_selected else ""
        parts.append(
            f'<g data-state="{escape(code)}"{attributes}><title>{label}</title>'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{width_}"{dash}/>'
            f'<text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 5:.0f}" text-anchor="middle" direction="rtl" '
            f'fill="{colour}">{escape(_short(state.get("name") or code))}</text>'
        )
        if state.get("is_final"):
            parts.append(f'<circle cx="{x + BOX_W - 10:.0f}" cy="{y + 10:.0f}" r="4" fill="{MUTED}"/>')
        if interactive:  # the handle to drag an arrow from, below the box
            parts.append(f'<circle class="wf-handle" data-handle="{escape(code)}" cx="{x + BOX_W / 2:.0f}" '
                         f'cy="{y + BOX_H + 9:.0f}" r="7" fill="#ffffff" stroke="{ACCENT}" stroke-width="1.5"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def rows_definition(workflow) -> dict:
    """The published rows of ``workflow`` as a definition dict (enough to draw it)."""
    state_rows = workflow.states.order_by("order", "pk")
    if any(f.name == "is_active" for f in state_rows.model._meta.get_fields()):
        state_rows = state_rows.filter(is_active=True)
    states = [{"code": s.code, "name": s.name, "is_initial": s.is_initial, "is_final": s.is_final,
               "x": getattr(s, "x", None), "y": getattr(s, "y", None), "pk": s.pk} for s in state_rows]
    codes = {s["pk"]: s["code"] for s in states}
    transitions = [{"code": t.code, "name": t.name, "source": codes.get(t.source_id), "target": codes.get(t.target_id)}
                   for t in workflow.transitions.order_by("order", "pk")]
    return {"code": workflow.code, "name": workflow.name, "states": states, "transitions": transitions}


def workflow_svg(workflow, *, current_state_id: int | None = None) -> str:
    definition = rows_definition(workflow)
    current = next((s["code"] for s in definition["states"] if s["pk"] == current_state_id), None)
    return definition_svg(definition, current=current)
