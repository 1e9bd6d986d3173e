from functools import cache

from .models import Notification


def notifications(request):
    """`unread_notifications` for the header: counted (one query) only on a page that shows it."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}

    @cache
    def unread():
        return Notification.objects.filter(recipient=membership, read_at__isnull=True).count()

    return {"unread_notifications": unread}
