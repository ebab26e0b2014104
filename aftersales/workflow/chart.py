"""The workflow's chart drawn from its definition: an SVG with Persian labels, states right to left."""

import math
from xml.sax.saxutils import escape

BOX_W, BOX_H, GAP_X, GAP_Y, PER_ROW, MARGIN = 150, 44, 60, 70, 4, 20


def _position(index: int, count_in_row: int) -> tuple[float, float]:
    row, column = divmod(index, PER_ROW)
    width = PER_ROW * BOX_W + (PER_ROW - 1) * GAP_X
    x = MARGIN + width - BOX_W - column * (BOX_W + GAP_X)  # right to left, as Persian reads
    return x, MARGIN + row * (BOX_H + GAP_Y)


def _edge(box: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the box's center toward a point leaves the box."""
    cx, cy = box[0] + BOX_W / 2, box[1] + BOX_H / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min((BOX_W / 2) / abs(dx) if dx else math.inf, (BOX_H / 2) / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def workflow_svg(workflow, *, current_state_id: int | None = None) -> str:
    states = list(workflow.states.order_by("order", "pk"))
    transitions = list(workflow.transitions.select_related("source", "target"))
    places = {state.pk: _position(index, PER_ROW) for index, state in enumerate(states)}
    rows = max(1, math.ceil(len(states) / PER_ROW))
    width = 2 * MARGIN + PER_ROW * BOX_W + (PER_ROW - 1) * GAP_X
    height = 2 * MARGIN + rows * BOX_H + (rows - 1) * GAP_Y
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="workflow-chart" '
        f'aria-label="{escape(workflow.name)}" font-family="Vazirmatn, Tahoma, sans-serif" font-size="13">',
        '<defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6c757d"/></marker></defs>',
    ]
    for transition in transitions:
        source, target = places.get(transition.source_id), places.get(transition.target_id)
        if source is None or target is None:
            continue
        target_center = (target[0] + BOX_W / 2, target[1] + BOX_H / 2)
        source_center = (source[0] + BOX_W / 2, source[1] + BOX_H / 2)
        x1, y1 = _edge(source, target_center)
        x2, y2 = _edge(target, source_center)
        # Bend each edge to its left, so that a step and its way back do not overlap.
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        length = math.hypot(x2 - x1, y2 - y1) or 1
        bend = 18 if length > 1 else 0
        cx, cy = mx - (y2 - y1) / length * bend, my + (x2 - x1) / length * bend
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" fill="none" stroke="#6c757d" '
            f'stroke-width="1.4" marker-end="url(#wf-arrow)"><title>{escape(transition.name)}</title></path>'
        )
    for state in states:
        x, y = places[state.pk]
        current = state.pk == current_state_id
        fill = "#0d6efd" if current else "#e7f1ff" if state.is_initial else "#f1f3f5" if state.is_final else "#ffffff"
        colour = "#ffffff" if current else "#212529"
        marker = ' data-current="true"' if current else ""
        parts.append(
            f'<g data-state="{escape(state.code)}"{marker}>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="#0d6efd" '
            f'stroke-width="{2 if current or state.is_initial else 1}"/>'
            f'<text x="{x + BOX_W / 2}" y="{y + BOX_H / 2 + 5}" text-anchor="middle" direction="rtl" fill="{colour}">'
            f'{escape(state.name)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
