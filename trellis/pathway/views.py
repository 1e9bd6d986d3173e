"""HTTP for the implementation pathway: access → form → action → redirect or template."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.tenancy import access, policy
from trellis.tenancy.models import Membership
from trellis.workforce.models import StaffRecord

from . import actions, evidence, exports
from .continuum import continuum, current_stage
from .forms import (
    ActionFilterForm,
    ActionForm,
    OutcomeProgressForm,
    ProgressUpdateForm,
    ReflectionForm,
    StakeholderForm,
    StatusForm,
)
from .models import PRINCIPLES, Action, Outcome, OutcomeProgress, Reflection, Stage, Stakeholder

PAGE_SIZE = 25


def _members(membership):
    return Membership.objects.visible_to(membership).filter(is_active=True).select_related("user").order_by("user__full_name")


def _stakeholders(membership):
    return Stakeholder.objects.visible_to(membership).order_by("name")


def _register(membership):
    """Current staff in the workforce register, to pick a stakeholder from."""
    return StaffRecord.objects.visible_to(membership).current().order_by("full_name")


def _owner_choices(membership):
    """("m:<id>", name) for members then ("s:<id>", name) for stakeholders, without building models."""
    members = _members(membership).values_list("pk", "user__full_name")
    stakeholders = _stakeholders(membership).values_list("pk", "name")
    return [(f"m:{pk}", name) for pk, name in members] + [(f"s:{pk}", name) for pk, name in stakeholders]


def _action_form(membership, *args, **kwargs):
    return ActionForm(
        *args,
        outcomes=Outcome.objects.filter(retired=False).select_related("stage"),
        members=list(_members(membership)),
        stakeholders=list(_stakeholders(membership)),
        **kwargs,
    )


# Seed 002's Preparation stage asks "who your Practice Supervisors are, how long they have been
# Practice Supervisors and their roles": the workforce register answers it.
REGISTER_STAGE = "preparation"


def _supervisors_register_summary(membership):
    if not policy.allows(membership, "workforce.view"):
        return None
    return (
        StaffRecord.objects.visible_to(membership)
        .supervisors()
        .aggregate(total=Count("pk"), first_year=Count("pk", filter=Q(in_first_year=True)))
    )


def overview(request, org_slug):
    access.require(request.membership, "pathway.view")
    states = continuum(request.membership)
    return render(
        request,
        "pathway/overview.html",
        {
            "states": states,
            "current": current_stage(states),
            "principles": PRINCIPLES,
            "overdue_total": sum(s.count("overdue") for s in states),
            "nav_section": "pathway",
        },
    )


def stage_detail(request, org_slug, stage_key):
    access.require(request.membership, "pathway.view")
    stage = get_object_or_404(Stage, key=stage_key)
    states = continuum(request.membership)
    state = next(s for s in states if s.stage.pk == stage.pk)
    reflections = list(Reflection.objects.visible_to(request.membership).filter(stage=stage).for_display())
    mine = next((r for r in reflections if r.author_id == request.membership.pk), None)
    # A stage can hold hundreds of actions in a large organisation: page them like the action list.
    stage_actions = Paginator(Action.objects.visible_to(request.membership).for_stage(stage).for_rows(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pathway/stage_detail.html",
        {
            "register": _supervisors_register_summary(request.membership) if stage.key == REGISTER_STAGE else None,
            "stage": stage,
            "state": state,
            "states": states,
            "ideas": stage.ideas.all(),
            "resources": [r for r in stage.resources.all() if r.group == "pathway"],
            "childrens_tools": [r for r in stage.resources.all() if r.group == "childrens_tools"],
            "reflections": reflections,
            "my_reflection": mine,
            "actions": stage_actions.object_list,
            "page_obj": stage_actions,
            "principles": PRINCIPLES,
            "nav_section": "pathway",
        },
    )


@require_http_methods(["GET", "POST"])
def reflection_edit(request, org_slug, stage_key):
    access.require(request.membership, "pathway.answer_reflection")
    stage = get_object_or_404(Stage, key=stage_key)
    mine = Reflection.objects.visible_to(request.membership).filter(stage=stage, author=request.membership).first()
    stale = None
    if request.method == "POST":
        form = ReflectionForm(request.POST)
        if form.is_valid():
            try:
                actions.save_reflection(
                    actor=request.membership,
                    stage=stage,
                    answer=form.cleaned_data["answer"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            else:
                messages.success(request, "Your answer has been saved.")
                return redirect("pathway:stage", org_slug, stage.key)
    else:
        form = ReflectionForm(initial={"answer": mine.answer, "version": mine.version} if mine else None)
    return render(
        request,
        "pathway/reflection_form.html",
        {"stage": stage, "form": form, "reflection": mine, "stale": stale, "nav_section": "pathway"},
    )


def reflection_history(request, org_slug, pk):
    reflection = access.get_for(request.membership, Reflection, pk, "pathway.view", Reflection.objects.for_display())
    versions = reflection.history.order_by("-version", "-history_date")
    return render(
        request, "pathway/reflection_history.html", {"reflection": reflection, "versions": versions, "nav_section": "pathway"}
    )


@require_http_methods(["GET", "POST"])
def outcome_edit(request, org_slug, outcome_key):
    access.require(request.membership, "pathway.mark_outcome")
    outcome = get_object_or_404(Outcome.objects.select_related("stage"), key=outcome_key, retired=False)
    progress = OutcomeProgress.objects.visible_to(request.membership).filter(outcome=outcome).first()
    links = {
        "evidence_choices": evidence.choices_for(request.membership, outcome),
        "current_link": (progress.evidence_link, progress.evidence_link_label) if progress else ("", ""),
    }
    stale = None
    if request.method == "POST":
        form = OutcomeProgressForm(request.POST, **links)
        if form.is_valid():
            try:
                actions.mark_outcome(
                    actor=request.membership,
                    outcome=outcome,
                    is_achieved=form.cleaned_data["is_achieved"],
                    achieved_on=form.cleaned_data["achieved_on"],
                    evidence=form.cleaned_data["evidence"],
                    evidence_link=form.evidence_link(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            else:
                messages.success(request, f"{outcome.stage.name}: outcome updated.")
                return redirect("pathway:stage", org_slug, outcome.stage.key)
    else:
        initial = {"is_achieved": "yes" if progress and progress.is_achieved else "no"}
        if progress:
            initial.update(
                achieved_on=progress.achieved_on,
                evidence=progress.evidence,
                evidence_link=progress.evidence_link,
                version=progress.version,
            )
        form = OutcomeProgressForm(initial=initial, **links)
    return render(
        request,
        "pathway/outcome_form.html",
        {"outcome": outcome, "progress": progress, "form": form, "stale": stale, "nav_section": "pathway"},
    )


SORTS = {"due": ("due_date", "created_at"), "-due": ("-due_date", "-created_at"), "-updated": ("-updated_at",)}


def action_list(request, org_slug):
    access.require(request.membership, "pathway.view")
    form = ActionFilterForm(
        request.GET or None,
        stages=Stage.objects.all(),
        outcomes=Outcome.objects.filter(retired=False),
        owners=_owner_choices(request.membership),
    )
    filters = form.filters() if request.GET else {}
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "due"
    rows = Action.objects.visible_to(request.membership).filtered(**filters).for_rows().order_by(*SORTS[sort])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pathway/action_list.html",
        {
            "form": form,
            "page_obj": page,
            "actions": page.object_list,
            "filtered": bool(filters),
            "sort": sort,
            "status_choices": Action.Status.choices,
            "nav_section": "actions",
        },
    )


def action_detail(request, org_slug, pk):
    action = access.get_for(request.membership, Action, pk, "pathway.view", Action.objects.for_display())
    return render(
        request,
        "pathway/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author__user"),
            "status_form": StatusForm(initial={"status": action.status, "version": action.version}),
            "update_form": ProgressUpdateForm(),
            "nav_section": "actions",
        },
    )


@require_http_methods(["GET", "POST"])
def action_create(request, org_slug):
    access.require(request.membership, "pathway.add_action")
    if request.method == "POST":
        form = _action_form(request.membership, request.POST)
        if form.is_valid():
            action = actions.create_action(actor=request.membership, **form.action_fields())
            messages.success(request, "Action added to the plan.")
            return redirect("pathway:action", org_slug, action.pk)
    else:
        initial = {"status": Action.Status.NOT_STARTED, "outcome": request.GET.get("outcome")}
        form = _action_form(request.membership, initial=initial)
    return render(request, "pathway/action_form.html", {"form": form, "action": None, "nav_section": "actions"})


@require_http_methods(["GET", "POST"])
def action_edit(request, org_slug, pk):
    action = access.get_for(request.membership, Action, pk, "pathway.change_action", Action.objects.for_display())
    stale = None
    if request.method == "POST":
        form = _action_form(request.membership, request.POST)
        if form.is_valid():
            try:
                actions.update_action(
                    action, actor=request.membership, expected_version=form.cleaned_data["version"], **form.action_fields()
                )
            except StaleEdit as error:
                # Keep what this person typed; move them onto the latest version so that saving
                # again is a deliberate choice made after seeing the other change.
                stale = rebase_form(form, error)
            else:
                messages.success(request, "Action updated.")
                return redirect("pathway:action", org_slug, action.pk)
    else:
        form = _action_form(request.membership, initial=ActionForm.initial_for(action))
    return render(request, "pathway/action_form.html", {"form": form, "action": action, "stale": stale, "nav_section": "actions"})


@require_POST
def action_status(request, org_slug, pk):
    action = access.get_for(request.membership, Action, pk, "pathway.change_action", Action.objects.for_display())
    form = StatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            action = actions.change_action_status(
                action,
                actor=request.membership,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except StaleEdit as stale:
            error = f"Not changed: {stale.changed_by or 'someone else'} changed this action after you opened the page. Check its status and try again."
            action = stale.current
    else:
        error = "Select a status from the list."
    if request.htmx:
        action = Action.objects.for_rows().get(pk=action.pk)
        announcement = error or f"Status changed to {action.get_status_display()}."
        return TemplateResponse(
            request,
            "pathway/_action_status_swap.html",
            {
                "action": action,
                "row_error": error,
                "announcement": announcement,
                "show_stage": request.POST.get("show_stage") == "1",
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Status changed to {action.get_status_display()}.")
    return redirect(request.POST.get("next") if _safe_next(request) else reverse("pathway:action", args=[org_slug, action.pk]))


def _safe_next(request):
    return url_has_allowed_host_and_scheme(
        request.POST.get("next"), allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@require_POST
def action_add_update(request, org_slug, pk):
    action = access.get_for(request.membership, Action, pk, "pathway.change_action", Action.objects.for_display())
    form = ProgressUpdateForm(request.POST)
    if form.is_valid():
        actions.add_progress_update(action, actor=request.membership, text=form.cleaned_data["text"])
        messages.success(request, "Progress update added.")
        return redirect("pathway:action", org_slug, action.pk)
    return render(
        request,
        "pathway/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author__user"),
            "status_form": StatusForm(initial={"status": action.status, "version": action.version}),
            "update_form": form,
            "nav_section": "actions",
        },
        status=422,
    )


@require_http_methods(["GET", "POST"])
def action_delete(request, org_slug, pk):
    action = access.get_for(request.membership, Action, pk, "pathway.delete_action", Action.objects.for_display())
    if request.method == "POST":
        actions.delete_action(action, actor=request.membership)
        messages.success(request, "Action deleted. The audit trail keeps a record of it.")
        return redirect("pathway:action-list", org_slug)
    return render(request, "pathway/action_confirm_delete.html", {"action": action, "nav_section": "actions"})


def action_export(request, org_slug, file_format):
    access.require(request.membership, "pathway.export")
    stage = get_object_or_404(Stage, key=request.GET["stage"]) if request.GET.get("stage") else None
    rows = Action.objects.visible_to(request.membership).for_rows().order_by("outcome__stage__position", "due_date", "created_at")
    if stage:
        rows = rows.for_stage(stage)
    rows = list(rows)
    content, content_type = exports.EXPORTERS[file_format](request.organisation, rows, stage=stage)
    actions.record_export(actor=request.membership, target=stage or request.organisation, file_format=file_format, rows=len(rows))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(request.organisation, stage, file_format)}"'
    return response


def stakeholder_list(request, org_slug):
    access.require(request.membership, "pathway.view")
    stakeholders = _stakeholders(request.membership).select_related("staff").annotate(action_count=Count("actions"))
    return render(request, "pathway/stakeholder_list.html", {"stakeholders": stakeholders, "nav_section": "stakeholders"})


@require_http_methods(["GET", "POST"])
def stakeholder_create(request, org_slug):
    access.require(request.membership, "pathway.manage_stakeholders")
    form = StakeholderForm(
        request.POST or None, initial={"engagement": Stakeholder.Engagement.AWARE}, staff=_register(request.membership)
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        stakeholder = actions.create_stakeholder(actor=request.membership, **fields)
        messages.success(request, f"{stakeholder.name} added to your stakeholders.")
        return redirect("pathway:stakeholder-list", org_slug)
    return render(request, "pathway/stakeholder_form.html", {"form": form, "stakeholder": None, "nav_section": "stakeholders"})


@require_http_methods(["GET", "POST"])
def stakeholder_edit(request, org_slug, pk):
    stakeholder = access.get_for(request.membership, Stakeholder, pk, "pathway.manage_stakeholders")
    initial = {name: getattr(stakeholder, name) for name in ("name", "role", "engagement", "notes", "version")}
    form = StakeholderForm(
        request.POST or None, initial={**initial, "staff": stakeholder.staff_id}, staff=_register(request.membership)
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            actions.update_stakeholder(stakeholder, actor=request.membership, expected_version=fields.pop("version"), **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} updated.")
            return redirect("pathway:stakeholder-list", org_slug)
    return render(
        request,
        "pathway/stakeholder_form.html",
        {"form": form, "stakeholder": stakeholder, "stale": stale, "nav_section": "stakeholders"},
    )


@require_http_methods(["GET", "POST"])
def stakeholder_delete(request, org_slug, pk):
    stakeholder = access.get_for(request.membership, Stakeholder, pk, "pathway.manage_stakeholders")
    error = None
    if request.method == "POST":
        try:
            actions.delete_stakeholder(stakeholder, actor=request.membership)
        except actions.StakeholderInUse as in_use:
            error = str(in_use)
        else:
            messages.success(request, f"{stakeholder.name} removed from your stakeholders.")
            return redirect("pathway:stakeholder-list", org_slug)
    return render(
        request,
        "pathway/stakeholder_confirm_delete.html",
        {"stakeholder": stakeholder, "error": error, "nav_section": "stakeholders"},
        status=409 if error else 200,
    )
