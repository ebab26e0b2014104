from . import registry


def imports_menu(request):
    """Whether the top menu offers "Excel import": the user may run at least one importer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_import": False}
    return {"can_import": any(not imp.permission or user.has_perm(imp.permission) for imp in registry.importers())}
