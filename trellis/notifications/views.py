"""In-app notices: the list, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from trellis.tenancy import access

from . import actions
from .models import Notification

PAGE_SIZE = 25


def notification_list(request, org_slug):
    membership = request.membership
    access.require(membership, "notifications.view_own")
    rows = Notification.objects.visible_to(membership).filter(recipient=membership).order_by("-created_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page, "notifications": page.object_list})


@require_POST
def read(request, org_slug, pk):
    """Mark one notice read; with `open`, go on to what it is about."""
    notification = access.get_for(request.membership, Notification, pk, "notifications.read")
    actions.mark_read(notification, actor=request.membership)
    # The link was written by Trellis, but check it stays on this site before following it.
    if "open" in request.POST and notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list", org_slug)


@require_POST
def read_all(request, org_slug):
    count = actions.mark_all_read(actor=request.membership)
    if count:
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications:list", org_slug)
