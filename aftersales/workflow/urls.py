from django.urls import path

from . import views_designer as designer
from . import views_versions as versions

app_name = "workflow"

# Fixed words ("import/") go above "<slug:code>/", which would take them for a workflow's code.
urlpatterns = [
    path("", designer.workflow_list, name="list"),
    path("import/", versions.import_file, name="import"),
    path("<slug:code>/", designer.workflow_designer, name="designer"),
    path("<slug:code>/draft/state/add/", designer.state_add, name="draft-state-add"),
    path("<slug:code>/draft/state/save/", designer.state_save, name="draft-state-save"),
    path("<slug:code>/draft/state/remove/", designer.state_remove, name="draft-state-remove"),
    path("<slug:code>/draft/state/move/", designer.state_move, name="draft-state-move"),
    path("<slug:code>/draft/transition/add/", designer.transition_add, name="draft-transition-add"),
    path("<slug:code>/draft/transition/save/", designer.transition_save, name="draft-transition-save"),
    path("<slug:code>/draft/transition/remove/", designer.transition_remove, name="draft-transition-remove"),
    path("<slug:code>/draft/discard/", designer.draft_drop, name="draft-discard"),
    path("<slug:code>/publish/", versions.publish, name="publish"),
    path("<slug:code>/versions/", versions.versions, name="versions"),
    path("<slug:code>/versions/<int:number>/", versions.version, name="version"),
    path("<slug:code>/walk/", versions.walk, name="walk"),
    path("<slug:code>/export/", versions.export, name="export"),
]
