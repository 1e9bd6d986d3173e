"""HTTP for development: access → form → action → redirect or template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.frameworks.models import Standard
from trellis.tenancy import access, policy
from trellis.workforce.models import StaffRecord, Team

from . import actions, sources
from .coverage import coverage as coverage_of
from .coverage import my_team, percent, supervisors
from .forms import ActionForm, CoverageFilterForm, GoalForm, PartnershipRoleForm, ProgressForm, ReviewForm
from .models import DevelopmentAction, DevelopmentPlan, Goal, PartnershipRole, PlanStatus, plan_status
from .queries import standards_for


def _me(membership):
    return (
        StaffRecord.objects.visible_to(membership)
        .filter(membership=membership)
        .select_related("team", "line_manager")
        .with_current_stage()
        .first()
    )


def _person(membership, pk, permission):
    queryset = StaffRecord.objects.select_related("team", "line_manager").with_current_stage()
    return access.get_for(membership, StaffRecord, pk, permission, queryset)


def _goal(membership, pk, permission):
    queryset = Goal.objects.select_related("plan__staff__line_manager", "plan__staff__team")
    return access.get_for(membership, Goal, pk, permission, queryset)


def _action(membership, pk, permission):
    queryset = DevelopmentAction.objects.select_related("goal__plan__staff__line_manager", "goal__plan__staff__team")
    return access.get_for(membership, DevelopmentAction, pk, permission, queryset)


def _partnership(membership, pk, permission):
    queryset = PartnershipRole.objects.select_related("staff__line_manager", "staff__team")
    return access.get_for(membership, PartnershipRole, pk, permission, queryset)


def _record_url(membership, person, anchor=""):
    if person.membership_id == membership.pk:
        url = reverse("development:mine", args=[membership.organisation.slug])
    else:
        url = reverse("development:person", args=[membership.organisation.slug, person.pk])
    return url + (f"#{anchor}" if anchor else "")


def _whose(membership, person):
    """'your' or 'Aisha Rahman's', for headings that are the same page for the person and others."""
    return "your" if person.membership_id == membership.pk else f"{person.full_name}’s"


def _stale_message(stale, what):
    return f"Not changed: {stale.changed_by or 'someone else'} changed this {what} after you opened the page. Check it and try again."


# --- The record ------------------------------------------------------------------------------------------


def mine(request, org_slug):
    access.require(request.membership, "development.view_own")
    person = _me(request.membership)
    if person is None:
        admins = _admins(request.membership)
        return render(request, "development/no_record.html", {"admins": admins, "nav_section": "development"})
    return _record(request, person)


def _admins(membership):
    from trellis.tenancy.models import Membership, Role

    return [
        member
        for member in Membership.objects.visible_to(membership).filter(is_active=True).select_related("user")
        if member.has_role(Role.ORG_ADMIN)
    ]


def person(request, org_slug, pk):
    person = _person(request.membership, pk, "development.view_record")
    return _record(request, person)


def _record(request, person):
    membership = request.membership
    today = timezone.localdate()
    is_me = person.membership_id == membership.pk
    plan = DevelopmentPlan.objects.visible_to(membership).filter(staff=person).first()
    if plan is not None:
        plan.staff = person  # the same object, so the policy reads its line manager without a query
    can_see_plan = policy.allows(membership, "development.view_part", plan or DevelopmentPlan(staff=person))
    can_change = policy.allows(membership, "development.change_plan", person)
    can_review = plan is not None and policy.allows(membership, "development.review_plan", plan)
    goals, reviews, partnerships, changes = [], [], [], []
    agreement = None
    if can_see_plan and plan is not None:
        standards = Standard.objects.select_related("version__framework").order_by("version__framework__name", "position")
        goal_actions = DevelopmentAction.objects.annotate(note_count=Count("notes")).order_by("due_date", "created_at")
        goals = list(
            plan.goals.prefetch_related(Prefetch("standards", queryset=standards), Prefetch("actions", queryset=goal_actions))
        )
        goals.sort(key=lambda goal: (list(Goal.Status.values).index(goal.status), goal.created_at))
        reviews = list(plan.reviews.select_related("on_behalf_of"))
        agreement = next((review for review in reviews if review.agreed), None)
        if agreement is not None and agreement.plan_version < plan.plan_version:
            changes = list(
                plan.history.filter(plan_version__gt=agreement.plan_version, history_change_reason__isnull=False)
                .select_related("changed_by__user")
                .order_by("history_date")
            )
    if can_see_plan:
        partnerships = list(PartnershipRole.objects.visible_to(membership).filter(staff=person))
    status = plan_status(len(goals), plan.plan_version if plan else 0, agreement.plan_version if agreement else None)
    all_actions = [action for goal in goals for action in goal.actions.all()]
    manages = is_me and StaffRecord.objects.visible_to(membership).current(today).filter(line_manager=person).exists()
    has_mentor = is_me and bool(sources.mentored([person.pk]))
    mentees = sources.mentees_of(person) if is_me else []
    return render(
        request,
        "development/record.html",
        {
            "person": person,
            "is_me": is_me,
            "whose": _whose(membership, person),
            "plan": plan,
            "can_see_plan": can_see_plan,
            "can_change": can_change and not person.has_left(today),
            "can_share": is_me and policy.allows(membership, "development.change_own", person) and not person.has_left(today),
            "can_review": can_review and bool(goals or reviews) and not person.has_left(today),
            "can_note": (can_change or can_review) and not person.has_left(today),
            "goals": goals,
            "reviews": reviews,
            "agreement": agreement,
            "changes": changes,
            "status": PlanStatus(status),
            "status_colour": {"none": "grey", "draft": "blue", "agreed": "green", "changed": "yellow"}[status],
            "counts": {
                "actions": len(all_actions),
                "complete": sum(1 for a in all_actions if a.status == DevelopmentAction.Status.COMPLETE),
                "overdue": sum(1 for a in all_actions if a.is_overdue),
            },
            "partnerships": partnerships,
            "current_partnerships": [p for p in partnerships if p.is_current(today)],
            "manages": manages,
            "has_mentor": has_mentor,
            "mentees": mentees,
            "has_left": person.has_left(today),
            "statuses": DevelopmentAction.Status.choices,
            "nav_section": "development" if is_me else None,
        },
    )


@require_POST
def share(request, org_slug):
    """Share your own plan with your mentor, or stop: a choice only the person makes."""
    membership = request.membership
    access.require(membership, "development.view_own")
    person = _me(membership)
    if person is None:
        messages.error(request, "You do not have a staff record yet, so there is no plan to share.")
        return redirect("development:mine", org_slug)
    shared = request.POST.get("shared") == "yes"
    try:
        actions.set_sharing(person, actor=membership, shared=shared)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if shared:
            messages.success(request, "Your mentor can now see your development plan and partnership roles.")
        else:
            messages.success(request, "Your development plan and partnership roles are no longer shared with your mentor.")
    return redirect(reverse("development:mine", args=[org_slug]) + "#plan")


# --- Goals ------------------------------------------------------------------------------------------------


def _goal_form(person, *args, goal=None, **kwargs):
    keep = [standard.pk for standard in goal.standards.all()] if goal is not None else []
    return GoalForm(*args, standards=standards_for(person, keep=keep), with_status=goal is not None, **kwargs)


@require_http_methods(["GET", "POST"])
def goal_add(request, org_slug, pk):
    person = _person(request.membership, pk, "development.change_plan")
    form = _goal_form(person, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = actions.add_goal(person, actor=request.membership, **form.goal_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Goal added: {goal.title}. Now add the actions that will get you there.")
            return redirect(_record_url(request.membership, person, f"goal-{goal.pk}"))
    return render(request, "development/goal_form.html", _goal_context(request, person, form, None))


def _goal_context(request, person, form, goal, stale=None):
    return {
        "form": form,
        "person": person,
        "goal": goal,
        "stale": stale,
        "whose": _whose(request.membership, person),
        "record_url": _record_url(request.membership, person, "plan"),
        "nav_section": "development" if person.membership_id == request.membership.pk else None,
    }


@require_http_methods(["GET", "POST"])
def goal_edit(request, org_slug, pk):
    goal = _goal(request.membership, pk, "development.change_plan")
    person = goal.plan.staff
    form = _goal_form(person, request.POST if request.method == "POST" else None, goal=goal, initial=GoalForm.initial_for(goal))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.goal_fields()
        try:
            goal = actions.update_goal(goal, actor=request.membership, expected_version=form.cleaned_data["version"], **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Goal updated: {goal.title}.")
            return redirect(_record_url(request.membership, person, f"goal-{goal.pk}"))
    return render(request, "development/goal_form.html", _goal_context(request, person, form, goal, stale))


@require_http_methods(["GET", "POST"])
def goal_delete(request, org_slug, pk):
    goal = _goal(request.membership, pk, "development.change_plan")
    person = goal.plan.staff
    if request.method == "POST":
        try:
            actions.delete_goal(goal, actor=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Goal deleted: {goal.title}. The audit trail keeps a record of it.")
        return redirect(_record_url(request.membership, person, "plan"))
    return render(
        request,
        "development/goal_confirm_delete.html",
        {
            "goal": goal,
            "person": person,
            "action_count": goal.actions.count(),
            "record_url": _record_url(request.membership, person, f"goal-{goal.pk}"),
            "nav_section": "development" if person.membership_id == request.membership.pk else None,
        },
    )


# --- Actions ----------------------------------------------------------------------------------------------


def _action_context(request, person, form, goal, action=None, stale=None):
    return {
        "form": form,
        "person": person,
        "goal": goal,
        "action": action,
        "stale": stale,
        "whose": _whose(request.membership, person),
        "record_url": _record_url(request.membership, person, f"goal-{goal.pk}"),
        "nav_section": "development" if person.membership_id == request.membership.pk else None,
    }


@require_http_methods(["GET", "POST"])
def action_add(request, org_slug, pk):
    goal = _goal(request.membership, pk, "development.change_plan")
    person = goal.plan.staff
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        with_status=True,
        initial={"status": DevelopmentAction.Status.NOT_STARTED},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_action(goal, actor=request.membership, **form.action_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Action added to your goal: {goal.title}."
                if person.membership_id == request.membership.pk
                else f"Action added to the goal: {goal.title}.",
            )
            return redirect(_record_url(request.membership, person, f"goal-{goal.pk}"))
    return render(request, "development/action_form.html", _action_context(request, person, form, goal))


@require_http_methods(["GET", "POST"])
def action_edit(request, org_slug, pk):
    action = _action(request.membership, pk, "development.change_plan")
    person = action.goal.plan.staff
    form = ActionForm(request.POST if request.method == "POST" else None, initial=ActionForm.initial_for(action))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.action_fields()
        try:
            action = actions.update_action(
                action, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action updated.")
            return redirect("development:action", org_slug, action.pk)
    return render(request, "development/action_form.html", _action_context(request, person, form, action.goal, action, stale))


@require_http_methods(["GET", "POST"])
def action_delete(request, org_slug, pk):
    action = _action(request.membership, pk, "development.change_plan")
    person = action.goal.plan.staff
    if request.method == "POST":
        try:
            actions.delete_action(action, actor=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Action deleted. The audit trail keeps a record of it.")
        return redirect(_record_url(request.membership, person, f"goal-{action.goal_id}"))
    return render(
        request,
        "development/action_confirm_delete.html",
        {
            "action": action,
            "person": person,
            "record_url": _record_url(request.membership, person, f"goal-{action.goal_id}"),
            "nav_section": "development" if person.membership_id == request.membership.pk else None,
        },
    )


def action_detail(request, org_slug, pk):
    action = _action(request.membership, pk, "development.view_part")
    form = ProgressForm(initial={"version": action.version, "status": action.status}, current_status=action.status)
    return _action_page(request, action, form)


def _action_page(request, action, form, stale=None, status=200):
    person = action.goal.plan.staff
    membership = request.membership
    left = person.has_left()
    return render(
        request,
        "development/action_detail.html",
        {
            "action": action,
            "goal": action.goal,
            "person": person,
            "notes": list(action.notes.all()),
            "form": form,
            "stale": stale,
            "can_note": not left and policy.allows(membership, "development.add_progress_note", action),
            "can_change": not left and policy.allows(membership, "development.change_plan", action),
            "whose": _whose(membership, person),
            "record_url": _record_url(membership, person, f"goal-{action.goal_id}"),
            "nav_section": "development" if person.membership_id == membership.pk else None,
        },
        status=status,
    )


@require_POST
def action_progress(request, org_slug, pk):
    action = _action(request.membership, pk, "development.add_progress_note")
    form = ProgressForm(request.POST, current_status=action.status)
    stale = None
    if form.is_valid():
        try:
            note = actions.record_progress(
                action,
                actor=request.membership,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
            form.data["status"] = error.current.status
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if note.status:
                messages.success(request, f"Status changed to {note.get_status_display()}.")
            else:
                messages.success(request, "Progress note added.")
            return redirect(reverse("development:action", args=[org_slug, action.pk]) + "#progress")
    return _action_page(request, action, form, stale)


# --- Review -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_review(request, org_slug, pk):
    membership = request.membership
    plan = access.get_for(
        membership,
        DevelopmentPlan,
        pk,
        "development.review_plan",
        DevelopmentPlan.objects.select_related("staff__line_manager", "staff__team"),
    )
    person = plan.staff
    on_behalf_of = None
    if not policy.PERMISSIONS.test_rule("development.review", membership, plan):
        on_behalf_of = person.line_manager
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        on_behalf_of=on_behalf_of,
        initial={"plan_version": plan.plan_version, "reviewed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = actions.review_plan(
                plan,
                actor=membership,
                plan_version=form.cleaned_data["plan_version"],
                agree=form.cleaned_data["agree"],
                comment=form.cleaned_data["comment"],
                reviewed_on=form.cleaned_data.get("reviewed_on"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if review.agreed:
                messages.success(request, f"{person.full_name}’s plan is agreed (version {review.plan_version}).")
            else:
                messages.success(request, f"Your comment is on {person.full_name}’s plan.")
            return redirect(_record_url(membership, person, "review"))
    goals = list(
        plan.goals.prefetch_related(
            Prefetch("standards", queryset=Standard.objects.select_related("version__framework")),
            Prefetch("actions", queryset=DevelopmentAction.objects.order_by("due_date", "created_at")),
        )
    )
    return render(
        request,
        "development/plan_review.html",
        {
            "form": form,
            "plan": plan,
            "person": person,
            "goals": goals,
            "on_behalf_of": on_behalf_of,
            "record_url": _record_url(membership, person, "plan"),
        },
    )


# --- Partnership working ----------------------------------------------------------------------------------


def _partnership_context(request, person, form, partnership=None, stale=None):
    is_me = person.membership_id == request.membership.pk
    return {
        "form": form,
        "person": person,
        "partnership": partnership,
        "stale": stale,
        "whose": _whose(request.membership, person),
        "record_url": _record_url(request.membership, person, "partnership"),
        "nav_section": "development" if is_me else None,
    }


def _partnership_form(request, person, *args, **kwargs):
    whose = "Your" if person.membership_id == request.membership.pk else "Their"
    return PartnershipRoleForm(*args, whose=whose, **kwargs)


@require_http_methods(["GET", "POST"])
def partnership_add(request, org_slug, pk):
    person = _person(request.membership, pk, "development.change_plan")
    form = _partnership_form(request, person, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_partnership_role(person, actor=request.membership, **form.partnership_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Partnership role added.")
            return redirect(_record_url(request.membership, person, "partnership"))
    return render(request, "development/partnership_form.html", _partnership_context(request, person, form))


@require_http_methods(["GET", "POST"])
def partnership_edit(request, org_slug, pk):
    partnership = _partnership(request.membership, pk, "development.change_plan")
    person = partnership.staff
    form = _partnership_form(
        request, person, request.POST if request.method == "POST" else None, initial=PartnershipRoleForm.initial_for(partnership)
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.partnership_fields()
        try:
            actions.update_partnership_role(
                partnership, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Partnership role updated.")
            return redirect(_record_url(request.membership, person, "partnership"))
    return render(request, "development/partnership_form.html", _partnership_context(request, person, form, partnership, stale))


@require_http_methods(["GET", "POST"])
def partnership_delete(request, org_slug, pk):
    partnership = _partnership(request.membership, pk, "development.change_plan")
    person = partnership.staff
    if request.method == "POST":
        try:
            actions.delete_partnership_role(partnership, actor=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Partnership role deleted. The audit trail keeps a record of it.")
        return redirect(_record_url(request.membership, person, "partnership"))
    return render(
        request,
        "development/partnership_confirm_delete.html",
        {
            "partnership": partnership,
            "person": person,
            "record_url": _record_url(request.membership, person, "partnership"),
            "nav_section": "development" if person.membership_id == request.membership.pk else None,
        },
    )


# --- Views across people ----------------------------------------------------------------------------------


def team(request, org_slug):
    """My team: the people the member line-manages, and where each is with their development."""
    access.require(request.membership, "development.view_own")
    rows = my_team(request.membership)
    return render(
        request,
        "development/team.html",
        {
            "rows": rows,
            "counts": {
                "planned": sum(1 for row in rows if row.has_plan),
                "agreed": sum(1 for row in rows if row.plan_status == PlanStatus.AGREED),
                "overdue": sum(1 for row in rows if row.overdue),
            },
            "nav_section": "development",
        },
    )


def coverage(request, org_slug):
    access.require(request.membership, "development.view_aggregates")
    teams, total = coverage_of(request.membership)
    return render(
        request,
        "development/coverage.html",
        {
            "teams": teams,
            "total": total,
            "measures": _measures(total),
            "can_see_names": policy.allows(request.membership, "development.view_coverage_names"),
            "nav_section": "development-overview",
        },
    )


def _measures(total):
    """The headline figures: (label, count, percent) for the organisation's supervisors."""
    return [
        ("Have a current self-assessment", total.assessed, percent(total.assessed, total.supervisors)),
        ("Have a development plan", total.planned, percent(total.planned, total.supervisors)),
        ("Have an agreed plan", total.agreed, percent(total.agreed, total.supervisors)),
        ("Have a mentor or coach", total.mentored, percent(total.mentored, total.supervisors)),
    ]


def coverage_names(request, org_slug):
    """Who is behind the coverage figures: admins only."""
    access.require(request.membership, "development.view_coverage_names")
    teams = Team.objects.visible_to(request.membership).order_by("name")
    form = CoverageFilterForm(request.GET or None, teams=teams.values_list("pk", "name"))
    chosen = form.chosen_team() if request.GET else ""
    rows = supervisors(request.membership)
    if chosen == "none":
        rows = [row for row in rows if row.staff.team_id is None]
    elif chosen:
        rows = [row for row in rows if str(row.staff.team_id) == chosen]
    team_name = None
    if chosen:
        team_name = "No team" if chosen == "none" else next((t.name for t in teams if str(t.pk) == chosen), None)
    return render(
        request,
        "development/coverage_names.html",
        {"form": form, "rows": rows, "team_name": team_name, "filtered": bool(chosen), "nav_section": "development-overview"},
    )


# Pages elsewhere in issue 5 that the overview links to: (URL name, the permission its view requires,
# text, description). A page not built yet is left out rather than linked to nothing, and so is one the
# member may not open.
OVERVIEW_LINKS = [
    (
        "assessment:organisation",
        "development.view_aggregates",
        "Self-assessments across the organisation",
        "Which standards are strongest and which are the most common learning needs, by service and cohort.",
    ),
    (
        "frameworks:list",
        "frameworks.view",
        "Frameworks and standards",
        "The post-qualifying standards your organisation works against, and its rating scale.",
    ),
    ("learning:catalogue", "learning.view_catalogue", "Training catalogue", "Courses, sessions and bookings."),
    (
        "learning:completion",
        "learning.view_completion",
        "Training completion",
        "Who has completed the organisation's core training for supervisors.",
    ),
    (
        "induction:list",
        "induction.view_list",
        "First 12 months",
        "Induction checklists and check-ins for new practice supervisors.",
    ),
    (
        "mentoring:overview",
        "mentoring.view_overview",
        "Coaching and mentoring",
        "Relationships, mentors' capacity and who is waiting for a mentor.",
    ),
    ("mentoring:group-list", "mentoring.view_own", "Peer support", "Peer supervision groups and action learning sets."),
    (
        "supervision:overview",
        "supervision.view_aggregates",
        "Supervision of supervisors",
        "Who supervises each supervisor, and whether sessions are happening.",
    ),
]


def _links(membership):
    links = []
    for name, permission, text, description in OVERVIEW_LINKS:
        if permission in policy.PERMISSIONS and not policy.allows(membership, permission):
            continue
        try:
            href = reverse(name, args=[membership.organisation.slug])
        except NoReverseMatch:
            continue
        links.append({"href": href, "text": text, "description": description})
    return links


def overview(request, org_slug):
    access.require(request.membership, "development.view_aggregates")
    _teams, total = coverage_of(request.membership)
    return render(
        request,
        "development/overview.html",
        {
            "total": total,
            "measures": _measures(total),
            "links": _links(request.membership),
            "nav_section": "development-overview",
        },
    )
