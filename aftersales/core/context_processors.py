from django.utils import timezone


def today(request):
    """Today's date in the local time zone, for the header of every page."""
    return {"today": timezone.localdate()}
