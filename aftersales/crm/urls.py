from django.urls import path  # noqa: F401 (each part of the CRM appends its pages below)

app_name = "crm"

urlpatterns = [
]

# The kanban board of each marketing workflow (F44).
from . import views_board  # noqa: E402

urlpatterns += [
    path("board/", views_board.board, name="board"),
    path("board/<slug:code>/", views_board.board_workflow, name="board-workflow"),
    path("board/<slug:code>/move/", views_board.board_move, name="board-move"),
    path("board/<slug:code>/<int:state_pk>/", views_board.board_column, name="board-column"),
]
