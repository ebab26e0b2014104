from aftersales.organization.menu import menu_for


def menu(request):
    """The top menu of this user: the groups of pages they may open (``organization.menu``)."""
    return {"main_menu": menu_for(getattr(request, "user", None))}
