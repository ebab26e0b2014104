from . import registry


def menu(request):
    """The master-data pages this user may open, for the top menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"desk_menu": []}
    return {"desk_menu": [r for r in registry.resources() if r.in_master_data_menu and user.has_perm(r.permission("view"))]}
