"""HTTP for talent: access → form → action → redirect or template."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.tenancy import access
from trellis.workforce.actions import ensure_default_career_stages
from trellis.workforce.models import CareerStage, StaffRecord, Team
from trellis.workforce.queries import current_q

from . import actions
from .forms import (
    AssignForm,
    CandidateFilterForm,
    CandidateForm,
    CloseCandidateForm,
    GapActionForm,
    GapStatusForm,
    OfferForm,
    OpportunityFilterForm,
    OpportunityForm,
    PipelineFilterForm,
    ResponseForm,
    StageSupportForm,
)
from .models import ActingUpOffer, ActingUpOpportunity, GapAction, PotentialSupervisor, StageSupport
from .succession import succession

PAGE_SIZE = 25
# "Offered" is the state before anyone answers; in a list of answers it reads better as what it means.
ANSWER_LABELS = {"offered": "No answer yet", "accepted": "Accepted", "declined": "Declined"}


def _stages(membership):
    # Every organisation starts from the default stages and the default support at each; these
    # write only the first time, so whichever talent page someone opens first sets them up.
    ensure_default_career_stages(membership.organisation)
    actions.ensure_default_career_pathway(membership.organisation)
    return CareerStage.objects.visible_to(membership).order_by("position")


def _teams(membership):
    return Team.objects.visible_to(membership).order_by("name")


def _people(membership, keep=None):
    """Current staff, for choosing a person; `keep` stays a choice even if they have since left, so
    an old plan can be saved without changing who identified them or owns an action."""
    condition = current_q()
    if keep is not None:
        condition |= Q(pk=keep)
    return StaffRecord.objects.visible_to(membership).filter(condition).order_by("full_name")


def _plan(membership, pk, permission):
    return access.get_for(membership, PotentialSupervisor, pk, permission, PotentialSupervisor.objects.for_rows())


def _gap(membership, pk, permission):
    queryset = GapAction.objects.select_related("candidate__staff__line_manager", "candidate__staff__team", "owner")
    return access.get_for(membership, GapAction, pk, permission, queryset)


def _opportunity(membership, pk, permission):
    return access.get_for(membership, ActingUpOpportunity, pk, permission, ActingUpOpportunity.objects.for_rows())


def _stale_message(stale, what):
    return f"Not changed: {stale.changed_by or 'someone else'} changed this {what} after you opened the page. Check it and try again."


# --- The career development pathway ---------------------------------------------------------------


def career_pathway(request, org_slug):
    membership = request.membership
    access.require(membership, "talent.view_career_pathway")
    support = StageSupport.objects.order_by("position", "kind")
    stages = list(_stages(membership).prefetch_related(Prefetch("support", queryset=support)))
    me = StaffRecord.objects.visible_to(membership).filter(membership=membership).current().with_current_stage().first()
    plans = list(
        PotentialSupervisor.objects.visible_to(membership)
        .active()
        .for_member(membership)
        .select_related("staff")
        .order_by("staff__full_name")
    )
    return render(
        request,
        "talent/career_pathway.html",
        {
            "stages": stages,
            "steps": list(zip(stages, [*stages[1:], None], strict=True)),
            "first_supervisory": next((stage for stage in stages if stage.is_supervisory), None),
            # SQLite hands back a subquery's UUID as text, PostgreSQL as a UUID.
            "my_stage_id": uuid.UUID(str(me.current_stage_id)) if me and me.current_stage_id else None,
            "plans": plans,
            "nav_section": "career",
        },
    )


def career_stage(request, org_slug, pk):
    """One stage's support, for an admin to add, change, reorder and remove."""
    stage = access.get_for(request.membership, CareerStage, pk, "talent.manage_career_pathway")
    stages = list(_stages(request.membership))
    items = list(StageSupport.objects.visible_to(request.membership).filter(stage=stage).order_by("position", "kind"))
    following = next((s for s in stages if s.position > stage.position), None)
    return render(
        request,
        "talent/career_stage.html",
        {"stage": stage, "items": items, "following": following, "step": stages.index(stage) + 1, "nav_section": "career"},
    )


@require_http_methods(["GET", "POST"])
def support_add(request, org_slug, pk):
    stage = access.get_for(request.membership, CareerStage, pk, "talent.manage_career_pathway")
    form = StageSupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_stage_support(actor=request.membership, stage=stage, **form.support_fields())
        messages.success(request, f"Support added at the {stage.name} stage.")
        return redirect("talent:career-stage", org_slug, stage.pk)
    return render(request, "talent/support_form.html", {"form": form, "stage": stage, "support": None, "nav_section": "career"})


@require_http_methods(["GET", "POST"])
def support_edit(request, org_slug, pk):
    support = access.get_for(
        request.membership, StageSupport, pk, "talent.manage_career_pathway", StageSupport.objects.select_related("stage")
    )
    initial = {"version": support.version, "stage": support.stage_id, "kind": support.kind, "description": support.description}
    form = StageSupportForm(request.POST or None, initial=initial, stages=_stages(request.membership))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.support_fields()
        try:
            support = actions.update_stage_support(
                support, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        else:
            messages.success(request, f"Support at the {support.stage.name} stage updated.")
            return redirect("talent:career-stage", org_slug, support.stage_id)
    return render(
        request,
        "talent/support_form.html",
        {"form": form, "stage": support.stage, "support": support, "stale": stale, "nav_section": "career"},
    )


@require_POST
def support_move(request, org_slug, pk):
    support = access.get_for(request.membership, StageSupport, pk, "talent.manage_career_pathway")
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        actions.move_stage_support(support, actor=request.membership, direction=direction)
        messages.success(request, f"Moved {support.get_kind_display().lower()} {direction}.")
    return redirect(reverse("talent:career-stage", args=[org_slug, support.stage_id]) + f"#support-{support.pk}")


@require_http_methods(["GET", "POST"])
def support_delete(request, org_slug, pk):
    support = access.get_for(
        request.membership, StageSupport, pk, "talent.manage_career_pathway", StageSupport.objects.select_related("stage")
    )
    if request.method == "POST":
        actions.remove_stage_support(support, actor=request.membership)
        messages.success(request, f"Support removed from the {support.stage.name} stage.")
        return redirect("talent:career-stage", org_slug, support.stage_id)
    return render(request, "talent/support_confirm_delete.html", {"support": support, "nav_section": "career"})


# --- The succession view and the pipeline -----------------------------------------------------------


def pipeline(request, org_slug):
    access.require(request.membership, "talent.view_pipeline")
    form = PipelineFilterForm(request.GET or None)
    service = form.filters().get("service")
    opportunities = (
        ActingUpOpportunity.objects.visible_to(request.membership).open().for_rows().with_offer_counts().order_by("start_date")
    )
    return render(
        request,
        "talent/pipeline.html",
        {
            "form": form,
            "service": service,
            "succession": succession(request.membership, service=service),
            "readiness": PotentialSupervisor.Readiness.choices,
            "opportunities": opportunities,
            "nav_section": "talent",
        },
    )


def candidate_list(request, org_slug):
    access.require(request.membership, "talent.view_pipeline")
    form = CandidateFilterForm(request.GET or None, teams=_teams(request.membership).values_list("pk", "name"))
    filters = form.filters() if request.GET else {}
    status = filters.pop("status", "active")
    rows = (
        PotentialSupervisor.objects.visible_to(request.membership)
        .filtered(status=status, **filters)
        .for_rows()
        .with_gap_counts()
        .order_by("staff__full_name", "-identified_on")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/candidate_list.html",
        {
            "form": form,
            "page_obj": page,
            "plans": page.object_list,
            "filtered": bool(filters) or status != "active",
            "nav_section": "talent",
        },
    )


def _candidate_form(membership, *args, candidate=None, **kwargs):
    return CandidateForm(
        *args,
        people=_people(membership) if candidate is None else None,
        managers=_people(membership, keep=candidate.identified_by_id if candidate else None),
        teams=_teams(membership),
        **kwargs,
    )


def _person_from_query(request):
    try:
        pk = uuid.UUID(request.GET.get("staff", ""))
    except ValueError:
        return None
    return StaffRecord.objects.visible_to(request.membership).filter(pk=pk).first()


@require_http_methods(["GET", "POST"])
def candidate_add(request, org_slug):
    access.require(request.membership, "talent.manage_pipeline")
    if request.method == "POST":
        form = _candidate_form(request.membership, request.POST)
        if form.is_valid():
            try:
                plan = actions.record_potential_supervisor(
                    actor=request.membership, staff=form.cleaned_data["staff"], **form.candidate_fields()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{plan.staff.full_name} recorded as a potential practice supervisor. Now add the actions of their gap plan.",
                )
                return redirect("talent:candidate", org_slug, plan.pk)
    else:
        person = _person_from_query(request)
        initial = {"identified_on": timezone.localdate(), "source": PotentialSupervisor.Source.APPRAISAL}
        if person is not None:
            # From a staff record: them, and their line manager as the likely manager who spotted them.
            initial.update(staff=person.pk, identified_by=person.line_manager_id)
        form = _candidate_form(request.membership, initial=initial)
    return render(request, "talent/candidate_form.html", {"form": form, "plan": None, "nav_section": "talent"})


def candidate_detail(request, org_slug, pk):
    plan = access.get_for(
        request.membership,
        PotentialSupervisor,
        pk,
        "talent.view_candidate",
        PotentialSupervisor.objects.for_rows().with_current_stage(),
    )
    gaps = list(plan.gap_actions.for_rows())
    offers = list(plan.acting_up_offers.select_related("opportunity__team", "opportunity__stage").order_by("-offered_on"))
    acting_up = list(
        ActingUpOpportunity.objects.visible_to(request.membership)
        .filter(assigned_to=plan.staff)
        .for_rows()
        .order_by("-start_date")
    )
    return render(
        request,
        "talent/candidate_detail.html",
        {
            "plan": plan,
            "gaps": gaps,
            "gap_counts": {
                "complete": sum(1 for g in gaps if g.status == GapAction.Status.COMPLETE),
                "overdue": sum(1 for g in gaps if g.is_overdue),
            },
            "offers": offers,
            "acting_up": acting_up,
            "statuses": GapAction.Status.choices,
            "has_left": plan.staff.has_left(),
            "nav_section": "talent",
        },
    )


@require_http_methods(["GET", "POST"])
def candidate_edit(request, org_slug, pk):
    plan = _plan(request.membership, pk, "talent.change_candidate")
    stale = None
    if request.method == "POST":
        form = _candidate_form(request.membership, request.POST, candidate=plan)
        if form.is_valid():
            try:
                actions.update_potential_supervisor(
                    plan, actor=request.membership, expected_version=form.cleaned_data["version"], **form.candidate_fields()
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{plan.staff.full_name}'s plan updated.")
                return redirect("talent:candidate", org_slug, plan.pk)
    else:
        form = _candidate_form(request.membership, candidate=plan, initial=CandidateForm.initial_for(plan))
    return render(request, "talent/candidate_form.html", {"form": form, "plan": plan, "stale": stale, "nav_section": "talent"})


@require_http_methods(["GET", "POST"])
def candidate_close(request, org_slug, pk):
    plan = _plan(request.membership, pk, "talent.manage_pipeline")
    form = CloseCandidateForm(request.POST or None, initial={"version": plan.version, "closed_on": timezone.localdate()})
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            plan = actions.close_potential_supervisor(
                plan, actor=request.membership, expected_version=fields.pop("version"), **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{plan.staff.full_name}'s plan is closed: {plan.get_status_display().lower()}.")
            return redirect("talent:candidate", org_slug, plan.pk)
    return render(request, "talent/candidate_close.html", {"form": form, "plan": plan, "stale": stale, "nav_section": "talent"})


# --- Gap plans --------------------------------------------------------------------------------------


def _gap_form(membership, *args, gap=None, **kwargs):
    return GapActionForm(*args, owners=_people(membership, keep=gap.owner_id if gap else None), **kwargs)


@require_http_methods(["GET", "POST"])
def gap_action_add(request, org_slug, pk):
    plan = _plan(request.membership, pk, "talent.change_candidate")
    form = _gap_form(request.membership, request.POST or None, initial={"status": GapAction.Status.NOT_STARTED})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_gap_action(plan, actor=request.membership, **form.gap_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Action added to {plan.staff.full_name}'s gap plan.")
            return redirect(reverse("talent:candidate", args=[org_slug, plan.pk]) + "#gap-plan")
    return render(request, "talent/gap_action_form.html", {"form": form, "plan": plan, "gap": None, "nav_section": "talent"})


@require_http_methods(["GET", "POST"])
def gap_action_edit(request, org_slug, pk):
    gap = _gap(request.membership, pk, "talent.change_candidate")
    form = _gap_form(request.membership, request.POST or None, gap=gap, initial=GapActionForm.initial_for(gap))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.gap_fields()
        try:
            actions.update_gap_action(gap, actor=request.membership, expected_version=form.cleaned_data["version"], **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Gap plan action updated.")
            return redirect(reverse("talent:candidate", args=[org_slug, gap.candidate_id]) + "#gap-plan")
    return render(
        request,
        "talent/gap_action_form.html",
        {"form": form, "plan": gap.candidate, "gap": gap, "stale": stale, "nav_section": "talent"},
    )


@require_POST
def gap_action_status(request, org_slug, pk):
    gap = _gap(request.membership, pk, "talent.change_candidate")
    form = GapStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select a status from the list.")
    else:
        try:
            gap = actions.change_gap_action_status(
                gap, actor=request.membership, status=form.cleaned_data["status"], expected_version=form.cleaned_data["version"]
            )
        except StaleEdit as stale:
            messages.error(request, _stale_message(stale, "action"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Status changed to {gap.get_status_display()}.")
    return redirect(reverse("talent:candidate", args=[org_slug, gap.candidate_id]) + "#gap-plan")


@require_http_methods(["GET", "POST"])
def gap_action_delete(request, org_slug, pk):
    gap = _gap(request.membership, pk, "talent.change_candidate")
    if request.method == "POST":
        try:
            actions.delete_gap_action(gap, actor=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Action deleted from the gap plan. The audit trail keeps a record of it.")
        return redirect(reverse("talent:candidate", args=[org_slug, gap.candidate_id]) + "#gap-plan")
    return render(request, "talent/gap_action_confirm_delete.html", {"gap": gap, "plan": gap.candidate, "nav_section": "talent"})


# --- Acting-up opportunities --------------------------------------------------------------------------


def _opportunity_form(membership, *args, **kwargs):
    return OpportunityForm(*args, teams=_teams(membership), stages=_stages(membership), **kwargs)


def acting_up_list(request, org_slug):
    access.require(request.membership, "talent.view_pipeline")
    form = OpportunityFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    rows = ActingUpOpportunity.objects.visible_to(request.membership).for_rows().with_offer_counts().order_by("-start_date")
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/acting_up_list.html",
        {"form": form, "page_obj": page, "opportunities": page.object_list, "filtered": bool(filters), "nav_section": "talent"},
    )


@require_http_methods(["GET", "POST"])
def acting_up_add(request, org_slug):
    access.require(request.membership, "talent.manage_pipeline")
    stages = _stages(request.membership)
    first_supervisory = stages.filter(is_supervisory=True).first()
    form = _opportunity_form(
        request.membership, request.POST or None, initial={"stage": first_supervisory.pk if first_supervisory else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = actions.create_acting_up(actor=request.membership, **form.opportunity_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Acting-up opportunity recorded. Now offer it to people in the pipeline.")
            return redirect("talent:acting-up", org_slug, opportunity.pk)
    return render(request, "talent/acting_up_form.html", {"form": form, "opportunity": None, "nav_section": "talent"})


def acting_up_detail(request, org_slug, pk):
    opportunity = _opportunity(request.membership, pk, "talent.view_pipeline")
    offers = list(opportunity.offers.select_related("candidate__staff__team").order_by("candidate__staff__full_name"))
    return render(
        request,
        "talent/acting_up_detail.html",
        {
            "opportunity": opportunity,
            "offers": offers,
            "responses": [(value, ANSWER_LABELS[value]) for value in ActingUpOffer.Response.values],
            "is_open": opportunity.status == ActingUpOpportunity.Status.OPEN,
            "is_cancelled": opportunity.status == ActingUpOpportunity.Status.CANCELLED,
            "nav_section": "talent",
        },
    )


@require_http_methods(["GET", "POST"])
def acting_up_edit(request, org_slug, pk):
    opportunity = _opportunity(request.membership, pk, "talent.manage_pipeline")
    form = _opportunity_form(request.membership, request.POST or None, initial=OpportunityForm.initial_for(opportunity))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.opportunity_fields()
        try:
            actions.update_acting_up(
                opportunity, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Acting-up opportunity updated.")
            return redirect("talent:acting-up", org_slug, opportunity.pk)
    return render(
        request, "talent/acting_up_form.html", {"form": form, "opportunity": opportunity, "stale": stale, "nav_section": "talent"}
    )


@require_http_methods(["GET", "POST"])
def acting_up_offer(request, org_slug, pk):
    opportunity = _opportunity(request.membership, pk, "talent.manage_pipeline")
    candidates = (
        PotentialSupervisor.objects.visible_to(request.membership)
        .in_pipeline()
        .exclude(acting_up_offers__opportunity=opportunity)
        .select_related("staff__team")
        .by_readiness()
    )
    form = OfferForm(request.POST or None, candidates=candidates, initial={"offered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            offers = actions.offer_acting_up(opportunity, actor=request.membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = ", ".join(offer.candidate.staff.full_name for offer in offers)
            messages.success(request, f"Offered to {names}. Record their answers below.")
            return redirect("talent:acting-up", org_slug, opportunity.pk)
    return render(
        request,
        "talent/acting_up_offer.html",
        {"form": form, "opportunity": opportunity, "has_candidates": candidates.exists(), "nav_section": "talent"},
    )


@require_POST
def acting_up_response(request, org_slug, pk):
    offer = access.get_for(
        request.membership, ActingUpOffer, pk, "talent.manage_pipeline", ActingUpOffer.objects.select_related("candidate__staff")
    )
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select an answer from the list.")
    else:
        try:
            offer = actions.record_acting_up_response(offer, actor=request.membership, response=form.cleaned_data["response"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{offer.candidate.staff.full_name}: {offer.get_response_display().lower()}.")
    return redirect(reverse("talent:acting-up", args=[org_slug, offer.opportunity_id]) + "#offers")


@require_http_methods(["GET", "POST"])
def acting_up_assign(request, org_slug, pk):
    opportunity = _opportunity(request.membership, pk, "talent.manage_pipeline")
    people = list(_people(request.membership))
    responses = {staff_id: response for staff_id, response in opportunity.offers.values_list("candidate__staff_id", "response")}
    confirming = bool(request.POST.get("confirming"))
    initial = {"version": opportunity.version, "assigned_on": timezone.localdate(), "staff": opportunity.assigned_to_id}
    form = AssignForm(request.POST or None, people=people, responses=responses, confirm=confirming, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.assign_fields()
        try:
            opportunity = actions.assign_acting_up(
                opportunity, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            reason = _not_accepted(error)
            if reason:
                # A deliberate second step: show the box, and say why it is there.
                form = AssignForm(request.POST, people=people, responses=responses, confirm=True, initial=initial)
                form.is_valid()
                form.add_error(
                    "even_if_not_accepted", f"{reason}. Tick ‘Assign them anyway’ to assign them, or select someone who accepted."
                )
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{opportunity.assigned_to.full_name} is assigned to act up: {opportunity.stage.name}, {opportunity.team.name}.",
            )
            return redirect("talent:acting-up", org_slug, opportunity.pk)
    return render(
        request,
        "talent/acting_up_assign.html",
        {"form": form, "opportunity": opportunity, "stale": stale, "nav_section": "talent"},
    )


def _not_accepted(error):
    """The reason, if `assign_acting_up` refused only because the person has not accepted an offer."""
    for item in getattr(error, "error_dict", {}).get("staff", []):
        if item.code == "not_accepted":
            return item.params["reason"]
    return None


@require_http_methods(["GET", "POST"])
def acting_up_cancel(request, org_slug, pk):
    opportunity = _opportunity(request.membership, pk, "talent.manage_pipeline")
    if request.method == "POST":
        try:
            actions.cancel_acting_up(opportunity, actor=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Acting-up opportunity cancelled.")
        return redirect("talent:acting-up", org_slug, opportunity.pk)
    return render(request, "talent/acting_up_cancel.html", {"opportunity": opportunity, "nav_section": "talent"})
