from django.apps import apps
from django.core.paginator import Paginator
from django.shortcuts import render

from trellis.tenancy import access
from trellis.tenancy.models import Membership

from .forms import TrailFilterForm
from .models import AuditEvent

PAGE_SIZE = 25


def _record_types():
    labels = []
    for label in AuditEvent.objects.values_list("target_type", flat=True).distinct().order_by():
        try:
            labels.append((label, apps.get_model(label)._meta.verbose_name.capitalize()))
        except (LookupError, ValueError):
            labels.append((label, label))
    return sorted(labels, key=lambda pair: pair[1])


def trail(request, org_slug):
    """The organisation's whole trail, filtered by person, record type and date."""
    access.require(request.membership, "audit.view_trail")
    people = [
        (str(m.user_id), m.user.full_name) for m in Membership.objects.visible_to(request.membership).select_related("user")
    ]
    form = TrailFilterForm(request.GET or None, people=people, record_types=_record_types())
    events = AuditEvent.objects.visible_to(request.membership).select_related("actor")
    if request.GET and form.is_valid():
        data = form.cleaned_data
        events = events.matching(
            actor=data["person"], target_type=data["record_type"], date_from=data["date_from"], date_to=data["date_to"]
        )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/trail.html", {"form": form, "page_obj": page, "events": page.object_list, "nav_section": "audit"}
    )


def record_trail(request, org_slug, target_type, target_id):
    """Everything that happened to one record, including after it was deleted."""
    access.require(request.membership, "audit.view_trail")
    events = (
        AuditEvent.objects.visible_to(request.membership)
        .filter(target_type=target_type, target_id=target_id)
        .select_related("actor")
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    latest = page.object_list[0] if page.object_list else None
    return render(
        request,
        "audit/record_trail.html",
        {"page_obj": page, "events": page.object_list, "latest": latest, "target_type": target_type, "nav_section": "audit"},
    )
