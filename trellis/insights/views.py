"""HTTP for insights: access → form → action → redirect or template."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.tenancy import access
from trellis.tenancy.models import Membership

from . import actions, exports, report
from .figures import cached_oversight_figures, window_for
from .forms import MeetingActionForm, MeetingEditForm, MeetingForm, StatusForm, WindowForm
from .models import MeetingAction, OversightMeeting

PAGE_SIZE = 25


def _members(membership):
    return Membership.objects.visible_to(membership).filter(is_active=True).select_related("user").order_by("user__full_name")


def _window(request):
    """The window and service from the query string: (form, window_end, service). An invalid form
    gives (form, None, None) so the page can show the error rather than someone else's figures."""
    form = WindowForm(request.GET or None)
    if not request.GET:
        return form, timezone.localdate(), ""
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["window_end"] or timezone.localdate(), form.cleaned_data["service"]


def _presets(today, service):
    """Quick links to the windows people report on: the DfE census year and the financial year."""
    census = today.replace(month=9, day=30)
    census = census if census <= today else census.replace(year=today.year - 1)
    financial = today.replace(month=3, day=31)
    financial = financial if financial <= today else financial.replace(year=today.year - 1)
    windows = [
        ("Last 12 months", today),
        (f"DfE census year to {census:%-d %B %Y}", census),
        (f"Financial year to {financial:%-d %B %Y}", financial),
    ]
    return [
        {
            "label": label,
            "query": urlencode(
                {"window_end_day": end.day, "window_end_month": end.month, "window_end_year": end.year, "service": service or ""}
            ),
        }
        for label, end in windows
    ]


def oversight(request, org_slug):
    access.require(request.membership, "insights.view_oversight")
    form, window_end, service = _window(request)
    figures = None
    if window_end is not None:
        figures = cached_oversight_figures(request.organisation, window_end=window_end, service=service)
    return render(
        request,
        "insights/oversight.html",
        {
            "form": form,
            "figures": figures,
            "charts": report.charts(figures) if figures else None,
            "presets": _presets(timezone.localdate(), service),
            "query": request.GET.urlencode(),
            "nav_section": "insights",
        },
    )


def oversight_export(request, org_slug):
    access.require(request.membership, "insights.view_oversight")
    form, window_end, service = _window(request)
    if window_end is None:
        return redirect(f"{reverse('insights:oversight', args=[org_slug])}?{request.GET.urlencode()}")
    figures = cached_oversight_figures(request.organisation, window_end=window_end, service=service)
    content, content_type = exports.to_xlsx(request.organisation, figures)
    start, end = window_for(window_end)
    actions.record_export(
        actor=request.membership, target=request.organisation, window_start=start, window_end=end, service=service
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(request.organisation, figures)}"'
    return response


def meeting_list(request, org_slug):
    access.require(request.membership, "insights.view_oversight")
    rows = (
        OversightMeeting.objects.visible_to(request.membership)
        .with_action_counts()
        .for_rows()
        .order_by("-held_on", "-created_at")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/meeting_list.html",
        {"page_obj": page, "meetings": page.object_list, "nav_section": "insights"},
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request, org_slug):
    access.require(request.membership, "insights.record_meeting")
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            meeting = actions.record_meeting(actor=request.membership, **form.cleaned_data)
            messages.success(request, "Meeting recorded with a copy of the figures as they are now.")
            return redirect("insights:meeting", org_slug, meeting.pk)
    else:
        window_form = WindowForm(request.GET or None)
        window_end = window_form.cleaned_data["window_end"] if request.GET and window_form.is_valid() else None
        service = window_form.cleaned_data["service"] if request.GET and window_form.is_valid() else ""
        form = MeetingForm(
            initial={
                "held_on": timezone.localdate(),
                "title": OversightMeeting._meta.get_field("title").default,
                "window_end": window_end or timezone.localdate(),
                "service": service,
            }
        )
    return render(request, "insights/meeting_form.html", {"form": form, "meeting": None, "nav_section": "insights"})


def _meeting_page(request, meeting, **extra):
    rows = list(meeting.actions.for_rows())
    today = timezone.localdate()
    progress = {
        "total": len(rows),
        "complete": sum(1 for a in rows if a.status == MeetingAction.Status.COMPLETE),
        "open": sum(1 for a in rows if a.status not in MeetingAction.CLOSED),
        "overdue": sum(1 for a in rows if a.is_overdue),
        "by_status": [
            {"label": label, "colour": MeetingAction.STATUS_COLOURS[value], "count": sum(1 for a in rows if a.status == value)}
            for value, label in MeetingAction.Status.choices
        ],
    }
    figures = meeting.snapshot
    return render(
        request,
        "insights/meeting_detail.html",
        {
            "meeting": meeting,
            "figures": figures,
            "charts": report.charts(figures) if figures else None,
            "actions": rows,
            "progress": progress,
            "today": today,
            "nav_section": "insights",
            **extra,
        },
    )


def meeting_detail(request, org_slug, pk):
    meeting = access.get_for(
        request.membership, OversightMeeting, pk, "insights.view_oversight", OversightMeeting.objects.for_rows()
    )
    return _meeting_page(request, meeting)


@require_http_methods(["GET", "POST"])
def meeting_edit(request, org_slug, pk):
    meeting = access.get_for(request.membership, OversightMeeting, pk, "insights.record_meeting")
    stale = None
    if request.method == "POST":
        form = MeetingEditForm(request.POST)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            try:
                actions.update_meeting(meeting, actor=request.membership, expected_version=fields.pop("version"), **fields)
            except StaleEdit as error:
                stale = rebase_form(form, error)
            else:
                messages.success(request, "Meeting updated.")
                return redirect("insights:meeting", org_slug, meeting.pk)
    else:
        form = MeetingEditForm(initial=MeetingEditForm.initial_for(meeting))
    return render(
        request, "insights/meeting_form.html", {"form": form, "meeting": meeting, "stale": stale, "nav_section": "insights"}
    )


def meeting_export(request, org_slug, pk):
    meeting = access.get_for(request.membership, OversightMeeting, pk, "insights.view_oversight")
    content, content_type = exports.to_xlsx(request.organisation, meeting.snapshot, meeting=meeting)
    actions.record_export(
        actor=request.membership,
        target=meeting,
        window_start=meeting.window_start,
        window_end=meeting.window_end,
        service=meeting.service,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(request.organisation, meeting.snapshot, meeting)}"'
    )
    return response


@require_http_methods(["GET", "POST"])
def action_create(request, org_slug, pk):
    meeting = access.get_for(request.membership, OversightMeeting, pk, "insights.record_meeting")
    if request.method == "POST":
        form = MeetingActionForm(request.POST, members=_members(request.membership))
        if form.is_valid():
            actions.create_meeting_action(meeting, actor=request.membership, **form.action_fields())
            messages.success(request, "Action added to the meeting.")
            return redirect("insights:meeting", org_slug, meeting.pk)
    else:
        form = MeetingActionForm(members=_members(request.membership), initial={"status": MeetingAction.Status.NOT_STARTED})
    return render(
        request, "insights/action_form.html", {"form": form, "meeting": meeting, "action": None, "nav_section": "insights"}
    )


def _action(request, pk):
    return access.get_for(
        request.membership, MeetingAction, pk, "insights.change_meeting_action", MeetingAction.objects.for_rows()
    )


def action_detail(request, org_slug, pk):
    action = _action(request, pk)
    return render(
        request,
        "insights/action_detail.html",
        {
            "action": action,
            "meeting": action.meeting,
            "status_form": StatusForm(initial={"status": action.status, "version": action.version}),
            "nav_section": "insights",
        },
    )


@require_http_methods(["GET", "POST"])
def action_edit(request, org_slug, pk):
    action = _action(request, pk)
    stale = None
    if request.method == "POST":
        form = MeetingActionForm(request.POST, members=_members(request.membership))
        if form.is_valid():
            try:
                actions.update_meeting_action(
                    action, actor=request.membership, expected_version=form.cleaned_data["version"], **form.action_fields()
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            else:
                messages.success(request, "Action updated.")
                return redirect("insights:meeting-action", org_slug, action.pk)
    else:
        form = MeetingActionForm(members=_members(request.membership), initial=MeetingActionForm.initial_for(action))
    return render(
        request,
        "insights/action_form.html",
        {"form": form, "meeting": action.meeting, "action": action, "stale": stale, "nav_section": "insights"},
    )


@require_POST
def action_status(request, org_slug, pk):
    action = _action(request, pk)
    form = StatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            action = actions.change_meeting_action_status(
                action,
                actor=request.membership,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as stale:
            error = (
                f"Not changed: {stale.changed_by or 'someone else'} changed this action after you opened the page. "
                "Check its status and try again."
            )
            action = stale.current
    else:
        error = "Select a status from the list."
    if request.htmx:
        action = MeetingAction.objects.for_rows().get(pk=action.pk)
        return TemplateResponse(
            request,
            "insights/_action_status_swap.html",
            {"action": action, "row_error": error, "announcement": error or f"Status changed to {action.get_status_display()}."},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Status changed to {action.get_status_display()}.")
    target = request.POST.get("next")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(target if safe else reverse("insights:meeting-action", args=[org_slug, action.pk]))
