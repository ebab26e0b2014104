"""The workflow chart drawn from a definition: places, problems, selection and the walk-through's marks."""

from aftersales.workflow.chart import BOX_W, definition_svg
from aftersales.workflow.definition import Problem

DEFINITION = {
    "code": "w", "name": "گردش نمونه",
    "states": [
        {"code": "new", "name": "تازه", "is_initial": True, "x": None, "y": None},
        {"code": "doing", "name": "در حال انجام", "x": 700, "y": 300},
        {"code": "done", "name": "انجام‌شده", "is_final": True},
    ],
    "transitions": [
        {"code": "start", "name": "شروع", "source": "new", "target": "doing"},
        {"code": "finish", "name": "پایان", "source": "doing", "target": "done"},
        {"code": "ghost", "name": "به ناکجا", "source": "doing", "target": "nowhere"},
    ],
}


def test_states_sit_where_the_designer_put_them_else_on_the_grid_from_the_right():
    svg = definition_svg(DEFINITION)
    assert '<rect x="700" y="300"' in svg
    first = svg.index('data-state="new"')
    third = svg.index('data-state="done"')
    x_new = float(svg[first:].split('x="', 1)[1].split('"', 1)[0])
    x_done = float(svg[third:].split('x="', 1)[1].split('"', 1)[0])
    assert x_new > x_done  # right to left, as Persian reads
    assert float(svg.split('viewBox="0 0 ', 1)[1].split()[0]) >= 700 + BOX_W
    designer_svg = definition_svg(DEFINITION, interactive=True)
    assert float(designer_svg.split('width="', 1)[1].split('"')[0]) >= 700 + BOX_W  # scrolls, never shrinks


def test_a_problem_state_and_arrow_are_marked_red_and_the_selected_one_thick():
    problems = [Problem("error", "بی‌راه", state="done"), Problem("warning", "نقش", transition=("new", "start"))]
    svg = definition_svg(DEFINITION, problems=problems, selected=("doing", "finish"), interactive=True)
    assert 'data-state="done" data-problem="error"' in svg and "#dc3545" in svg
    assert 'data-transition="new:start" data-source="new" data-target="doing" data-problem="warning"' in svg
    assert 'data-transition="doing:finish"' in svg and 'data-selected="true"' in svg
    assert 'data-handle="new"' in svg and 'tabindex="0"' in svg
    assert "nowhere" not in svg  # an arrow to an unknown state is not drawn (the checks report it)


def test_the_walk_through_marks_open_and_closed_steps_out_of_the_current_state():
    svg = definition_svg(DEFINITION, current="doing", open_codes={"finish"})
    assert 'data-state="doing" data-current="true"' in svg
    assert 'data-transition="doing:finish" data-source="doing" data-target="done" data-open="true"' in svg
    assert 'data-handle' not in svg and "<script" not in svg


def test_names_are_escaped():
    definition = {"states": [{"code": "a", "name": "<b>&"}], "transitions": []}
    assert "&lt;b&gt;&amp;" in definition_svg(definition)
