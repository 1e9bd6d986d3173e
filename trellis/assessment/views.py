"""HTTP: access → form → action → redirect or template."""

import uuid
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.frameworks.actions import ensure_frameworks_in_use
from trellis.frameworks.models import FrameworkInUse, RatingLevel
from trellis.tenancy import access, policy
from trellis.workforce.models import StaffRecord

from . import actions
from .comparison import assessment_chart, feedback_for, previous_of, progress, ratings_of, standard_rows
from .forms import (
    AnswerForm,
    DeclineForm,
    FeedbackRequestForm,
    OrganisationFilterForm,
    OverallForm,
    SectionForm,
    SharingForm,
    StartForm,
    SubmitForm,
)
from .models import ANONYMITY_THRESHOLD, FeedbackRequest, SelfAssessment, StandardRating
from .organisation import COHORTS, SMALL, organisation_view

PAGE_SIZE = 50
NAV = "development"  # part of "My development" in the service navigation


def _me(membership):
    """The signed-in member's own staff record, or None."""
    return StaffRecord.objects.visible_to(membership).filter(membership=membership).select_related("line_manager").first()


def _assessment(membership, pk, permission):
    return access.get_for(membership, SelfAssessment, pk, permission, SelfAssessment.objects.for_rows())


def _is_me(membership, assessment):
    return assessment.staff.membership_id is not None and assessment.staff.membership_id == membership.pk


def _levels(assessment):
    return list(RatingLevel.objects.filter(framework_in_use_id=assessment.framework_in_use_id).order_by("value"))


def _stale_message(stale):
    return (
        f"Not changed: {stale.changed_by or 'someone else'} changed this self-assessment after you opened the page. "
        "Check it and try again."
    )


def _form_errors(form, error):
    """A ValidationError from an action, onto the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Lists ---------------------------------------------------------------------------------------------


def home(request, org_slug):
    """Self-assessment: your own, the feedback you have been asked for, and your team's."""
    membership = request.membership
    access.require(membership, "assessment.view_own")
    ensure_frameworks_in_use(request.organisation)
    me = _me(membership)
    mine, frameworks, team = [], [], []
    if me is not None:
        mine = list(
            SelfAssessment.objects.visible_to(membership)
            .filter(staff=me)
            .for_rows()
            .with_feedback_counts()
            .order_by("-created_at")
        )
        frameworks = list(FrameworkInUse.objects.visible_to(membership).for_person(me))
        team = list(
            StaffRecord.objects.visible_to(membership)
            .filter(line_manager=me)
            .current()
            .annotate(
                last_submitted=Max("self_assessments__submitted_at"),
                submitted_count=Count("self_assessments", filter=Q(self_assessments__status="submitted")),
            )
            .order_by("full_name")
        )
    asked = list(
        FeedbackRequest.objects.visible_to(membership).asked_of(membership).waiting().for_rows().order_by("requested_at")
    )
    to_record = 0
    if policy.allows(membership, "assessment.record_for_others"):
        to_record = FeedbackRequest.objects.visible_to(membership).waiting().filter(respondent__membership__isnull=True).count()
    return render(
        request,
        "assessment/home.html",
        {
            "me": me,
            "drafts": [a for a in mine if not a.is_submitted],
            "submitted": [a for a in mine if a.is_submitted],
            "frameworks": frameworks,
            "asked": asked,
            "team": team,
            "team_assessed": [p for p in team if p.submitted_count],
            "team_not_assessed": [p for p in team if not p.submitted_count],
            "to_record": to_record,
            "nav_section": NAV,
        },
    )


def feedback_asked(request, org_slug):
    """Every request for feedback the member was asked to answer; for admins, also those waiting for
    someone who does not sign in, whose answers an admin records."""
    membership = request.membership
    access.require(membership, "assessment.view_own")
    mine = list(FeedbackRequest.objects.visible_to(membership).asked_of(membership).for_rows().order_by("-requested_at"))
    page = None
    if policy.allows(membership, "assessment.record_for_others"):
        rows = (
            FeedbackRequest.objects.visible_to(membership)
            .waiting()
            .filter(respondent__membership__isnull=True)
            .for_rows()
            .order_by("requested_at")
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/feedback_asked.html",
        {
            "waiting": [r for r in mine if r.is_waiting],
            "closed": [r for r in mine if not r.is_waiting],
            "page_obj": page,
            "nav_section": NAV,
        },
    )


def person(request, org_slug, pk):
    """One person's self-assessments, with how their ratings changed over time."""
    membership = request.membership
    staff = access.get_for(
        membership, StaffRecord, pk, "assessment.view_person", StaffRecord.objects.select_related("line_manager", "team")
    )
    assessments = list(
        SelfAssessment.objects.visible_to(membership)
        .shown_to(membership, staff)
        .for_rows()
        .with_feedback_counts()
        .order_by("-created_at")
    )
    submitted = [a for a in assessments if a.is_submitted]
    levels = defaultdict(list)
    for level in RatingLevel.objects.filter(framework_in_use_id__in={a.framework_in_use_id for a in submitted}).order_by("value"):
        levels[level.framework_in_use_id].append(level)
    ratings = list(StandardRating.objects.filter(assessment__in=submitted).select_related("standard"))
    by_framework = defaultdict(list)
    for assessment in assessments:
        by_framework[assessment.framework_in_use].append(assessment)
    frameworks = [
        {
            "framework": fiu,
            "assessments": rows,
            "progress": progress([a for a in rows if a.is_submitted], levels[fiu.pk], ratings),
        }
        for fiu, rows in by_framework.items()
    ]
    is_me = staff.membership_id is not None and staff.membership_id == membership.pk
    return render(
        request,
        "assessment/person.html",
        {
            "staff": staff,
            "is_me": is_me,
            "frameworks": frameworks,
            "can_change": policy.allows(membership, "assessment.change_assessment", staff),
            "mentor_only": not policy.allows(membership, "assessment.view_all_of_person", staff),
            "nav_section": NAV,
        },
    )


def organisation(request, org_slug):
    """Across the organisation: the strongest standards and the most common learning needs."""
    membership = request.membership
    access.require(membership, "development.view_aggregates")
    frameworks = list(FrameworkInUse.objects.visible_to(membership).for_rows().order_by("-is_active", "version__framework__name"))
    form = OrganisationFilterForm(request.GET or None, frameworks=frameworks)
    framework, grouping = form.chosen()
    figures = organisation_view(membership, framework, grouping) if framework is not None else None
    if not request.GET:
        form = OrganisationFilterForm(
            initial={"framework": str(framework.pk) if framework else "", "grouping": grouping}, frameworks=frameworks
        )
    return render(
        request,
        "assessment/organisation.html",
        {
            "form": form,
            "framework": framework,
            "grouping": grouping,
            "figures": figures,
            "small": SMALL,
            "cohorts": COHORTS,
            "nav_section": "development-overview",
        },
    )


# --- A self-assessment ------------------------------------------------------------------------------


def _person_from_query(request):
    try:
        pk = uuid.UUID(request.GET.get("staff", ""))
    except ValueError:
        return None
    return StaffRecord.objects.visible_to(request.membership).filter(pk=pk).select_related("line_manager").first()


@require_http_methods(["GET", "POST"])
def start(request, org_slug):
    """Start a self-assessment: for yourself, or (an admin) for someone who does not sign in."""
    membership = request.membership
    access.require(membership, "assessment.view_own")
    staff = _person_from_query(request) if request.GET.get("staff") else _me(membership)
    context = {"staff": staff, "for_someone_else": staff is not None and staff.membership_id != membership.pk, "nav_section": NAV}
    if staff is None:
        return render(request, "assessment/start.html", {**context, "form": None})
    policy.require(membership, "assessment.change_assessment", staff)
    ensure_frameworks_in_use(request.organisation)
    frameworks = FrameworkInUse.objects.visible_to(membership).for_person(staff).order_by("version__framework__name")
    first = frameworks.first()
    initial = {"framework_in_use": first.pk if first else None, "round": actions.suggested_round(staff, first) if first else None}
    form = StartForm(request.POST if request.method == "POST" else None, frameworks=frameworks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = actions.start_self_assessment(actor=membership, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, f"{assessment.title} started. Rate each standard in turn: your answers are saved as you go."
            )
            return redirect("assessment:assessment", org_slug, assessment.pk)
    drafts = list(SelfAssessment.objects.visible_to(membership).filter(staff=staff).drafts().for_rows())
    return render(
        request,
        "assessment/start.html",
        {**context, "form": form, "has_frameworks": first is not None, "drafts": drafts, "has_left": staff.has_left()},
    )


def _task_rows(ratings):
    """The task list: each standard's page and whether it is finished."""
    rows = []
    for rating in ratings:
        statements = list(rating.statement_ratings.all())
        rated = rating.level_id is not None and all(row.level_id is not None for row in statements)
        started = (
            rating.level_id is not None or any(row.level_id for row in statements) or rating.strengths or rating.learning_needs
        )
        rows.append({"rating": rating, "status": "completed" if rated else "in_progress" if started else "not_started"})
    return rows


@require_http_methods(["GET", "POST"])
def assessment_detail(request, org_slug, pk):
    """A draft: its task list, for the person. Submitted: everything it says, the change since the
    one before, and the feedback beside it. Also takes the person's share-with-mentor choice."""
    membership = request.membership
    assessment = _assessment(membership, pk, "assessment.view_assessment")
    can_change = policy.allows(membership, "assessment.change_assessment", assessment)
    if request.method == "POST":
        policy.require(membership, "assessment.change_assessment", assessment)
        form = SharingForm(request.POST)
        if form.is_valid():
            try:
                assessment = actions.set_sharing(
                    assessment,
                    actor=membership,
                    shared=form.cleaned_data["shared"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as stale:
                messages.error(request, _stale_message(stale))
            else:
                messages.success(
                    request,
                    "Shared with your mentor." if assessment.shared_with_mentor else "No longer shared with your mentor.",
                )
        return redirect("assessment:assessment", org_slug, assessment.pk)
    levels = _levels(assessment)
    if not assessment.is_submitted:
        actions.add_missing_standards(assessment, actor=membership)
        ratings = ratings_of(assessment)
        tasks = _task_rows(ratings)
        previous = previous_of(assessment)
        return render(
            request,
            "assessment/draft.html",
            {
                "assessment": assessment,
                "is_me": _is_me(membership, assessment),
                "tasks": tasks,
                "done": sum(1 for t in tasks if t.get("status") == "completed"),
                "overall_done": bool(assessment.overall_strengths.strip() and assessment.overall_learning_needs.strip()),
                "previous": previous,
                "can_change": can_change,
                "nav_section": NAV,
            },
        )
    previous = previous_of(assessment)
    feedback = feedback_for(assessment, levels)
    rows = standard_rows(assessment, levels, previous, feedback)
    return render(
        request,
        "assessment/assessment.html",
        {
            "assessment": assessment,
            "is_me": _is_me(membership, assessment),
            "rows": rows,
            "levels": levels,
            "previous": previous,
            "feedback": feedback,
            "chart": assessment_chart(assessment, rows, levels, previous, feedback),
            "can_change": can_change,
            "threshold": ANONYMITY_THRESHOLD,
            "nav_section": NAV,
        },
    )


def _locked(request, assessment, anchor=""):
    submitted = timezone.localtime(assessment.submitted_at)
    messages.info(
        request, f"This self-assessment was submitted on {submitted.day} {submitted:%B %Y} and can no longer be changed."
    )
    return redirect(reverse("assessment:assessment", args=[request.organisation.slug, assessment.pk]) + anchor)


@require_http_methods(["GET", "POST"])
def section(request, org_slug, pk):
    """One standard's page of a draft."""
    membership = request.membership
    rating = access.get_for(
        membership,
        StandardRating,
        pk,
        "assessment.change_assessment",
        StandardRating.objects.select_related(
            "assessment__staff__line_manager", "assessment__framework_in_use__version__framework", "standard"
        ),
    )
    assessment = rating.assessment
    if assessment.is_submitted:
        return _locked(request, assessment, f"#standard-{rating.standard_id}")
    levels = RatingLevel.objects.filter(framework_in_use_id=assessment.framework_in_use_id).order_by("value")
    statement_rows = list(rating.statement_ratings.select_related("statement"))
    statements = [row.statement for row in statement_rows]
    order = list(assessment.ratings.order_by("standard__position").values_list("pk", flat=True))
    index = order.index(rating.pk)
    stale = None
    if request.method == "POST":
        complete = request.POST.get("then") != "later"
        form = SectionForm(request.POST, rating=rating, levels=levels, statements=statements, complete=complete)
        if form.is_valid():
            try:
                actions.save_standard(
                    rating, actor=membership, expected_version=form.cleaned_data["version"], **form.section_fields()
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                if not complete:
                    messages.success(request, f"Standard {rating.standard.number} saved. You can come back to it at any time.")
                    return redirect("assessment:assessment", org_slug, assessment.pk)
                if index + 1 < len(order):
                    return redirect("assessment:section", org_slug, order[index + 1])
                return redirect("assessment:overall", org_slug, assessment.pk)
    else:
        form = SectionForm(rating=rating, levels=levels, statements=statements, initial=SectionForm.initial_for(rating))
    return render(
        request,
        "assessment/section.html",
        {
            "assessment": assessment,
            "is_me": _is_me(membership, assessment),
            "rating": rating,
            "form": form,
            "statement_fields": [form[f"statement_{s.pk}"] for s in statements],
            "levels": levels,
            "position": index + 1,
            "count": len(order),
            "previous_rating": order[index - 1] if index else None,
            "stale": stale,
            "nav_section": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def overall(request, org_slug, pk):
    membership = request.membership
    assessment = _assessment(membership, pk, "assessment.change_assessment")
    if assessment.is_submitted:
        return _locked(request, assessment, "#overall")
    stale = None
    if request.method == "POST":
        complete = request.POST.get("then") != "later"
        form = OverallForm(request.POST, complete=complete)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.save_overall(
                    assessment,
                    actor=membership,
                    expected_version=data["version"],
                    overall_strengths=data["overall_strengths"],
                    overall_learning_needs=data["overall_learning_needs"],
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                if complete:
                    return redirect("assessment:submit", org_slug, assessment.pk)
                messages.success(request, "Your overall answers are saved. You can come back to them at any time.")
                return redirect("assessment:assessment", org_slug, assessment.pk)
    else:
        form = OverallForm(
            initial={
                "version": assessment.version,
                "overall_strengths": assessment.overall_strengths,
                "overall_learning_needs": assessment.overall_learning_needs,
            }
        )
    last = assessment.ratings.order_by("-standard__position").values_list("pk", flat=True).first()
    return render(
        request,
        "assessment/overall.html",
        {
            "assessment": assessment,
            "is_me": _is_me(membership, assessment),
            "form": form,
            "stale": stale,
            "last_rating": last,
            "nav_section": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def submit(request, org_slug, pk):
    """Check your answers, then submit."""
    membership = request.membership
    assessment = _assessment(membership, pk, "assessment.change_assessment")
    if assessment.is_submitted:
        return _locked(request, assessment)
    stale = None
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_self_assessment(
                assessment,
                actor=membership,
                expected_version=form.cleaned_data["version"],
                expected_answers_version=form.cleaned_data["answers_version"],
            )
        except StaleEdit as error:
            stale = error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{assessment.title} submitted. You can now ask your line manager and supervisees for feedback on it.",
            )
            return redirect("assessment:assessment", org_slug, assessment.pk)
        assessment = _assessment(membership, pk, "assessment.change_assessment")
    ratings = ratings_of(assessment)
    # The hidden versions are always those of the answers this page shows, so pressing submit again
    # submits what the person is looking at.
    current = {"version": assessment.version, "answers_version": actions.answers_version(assessment)}
    if form.is_bound:
        form.data = form.data.copy()
        for name, value in current.items():
            form.data[name] = value
    else:
        form = SubmitForm(initial=current)
    levels = _levels(assessment)
    return render(
        request,
        "assessment/submit.html",
        {
            "assessment": assessment,
            "is_me": _is_me(membership, assessment),
            "rows": standard_rows(assessment, levels, ratings=ratings),
            "problems": actions.problems(assessment, ratings),
            "form": form,
            "stale": stale,
            "nav_section": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def delete(request, org_slug, pk):
    membership = request.membership
    assessment = _assessment(membership, pk, "assessment.change_assessment")
    if assessment.is_submitted:
        return _locked(request, assessment)
    error = None
    if request.method == "POST":
        try:
            actions.delete_draft(assessment, actor=membership)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, f"Draft {assessment.title.lower()} deleted.")
            if assessment.staff.membership_id == membership.pk:
                return redirect("assessment:home", org_slug)
            return redirect("assessment:person", org_slug, assessment.staff_id)
    return render(
        request,
        "assessment/delete.html",
        {"assessment": assessment, "is_me": _is_me(membership, assessment), "error": error, "nav_section": NAV},
    )


# --- Feedback -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def feedback_requests(request, org_slug, pk):
    """Who has been asked for feedback on a self-assessment, and (for the person) asking more."""
    membership = request.membership
    assessment = _assessment(membership, pk, "assessment.view_assessment")
    staff = assessment.staff
    can_ask = policy.allows(membership, "assessment.change_assessment", assessment) and not staff.has_left()
    levels = _levels(assessment)
    feedback = feedback_for(assessment, levels)
    form = None
    if can_ask:
        asked = set(assessment.feedback_requests.filter(status__in=FeedbackRequest.OPEN).values_list("respondent_id", flat=True))
        manager, _supervisees = actions.feedback_choices(staff)
        supervisees = (
            StaffRecord.objects.visible_to(membership)
            .filter(line_manager=staff)
            .current()
            .exclude(pk__in=asked)
            .order_by("full_name")
        )
        earlier = assessment.feedback_requests.filter(relationship=FeedbackRequest.Relationship.SUPERVISEE).first()
        form = FeedbackRequestForm(
            request.POST if request.method == "POST" else None,
            manager=manager if manager is not None and manager.pk not in asked else None,
            supervisees=supervisees,
            anonymity=earlier.is_anonymous if earlier is not None else None,
            whose="Your" if _is_me(membership, assessment) else "Their",
        )
        if request.method == "POST" and form.is_valid():
            try:
                new = actions.request_feedback(
                    assessment, actor=membership, site_url=request.build_absolute_uri("/"), **form.request_fields()
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                names = ", ".join(row.respondent.full_name for row in new)
                messages.success(request, f"Asked {names} for feedback.")
                return redirect("assessment:feedback-requests", org_slug, assessment.pk)
    elif request.method == "POST":
        policy.require(membership, "assessment.change_assessment", assessment)
        messages.error(request, f"{staff.full_name} has left, so nobody new can be asked for feedback.")
        return redirect("assessment:feedback-requests", org_slug, assessment.pk)
    return render(
        request,
        "assessment/feedback_requests.html",
        {
            "assessment": assessment,
            "is_me": _is_me(membership, assessment),
            "feedback": feedback,
            "form": form,
            "can_ask": can_ask,
            "has_line_manager": staff.line_manager_id is not None,
            "threshold": ANONYMITY_THRESHOLD,
            "nav_section": NAV,
        },
    )


def _request(membership, pk, permission):
    return access.get_for(membership, FeedbackRequest, pk, permission, FeedbackRequest.objects.for_rows())


@require_http_methods(["GET", "POST"])
def request_detail(request, org_slug, pk):
    """A request for feedback: the answer form for the person asked (or an admin recording it for
    someone who does not sign in); once answered, the answer, for whoever may read it."""
    membership = request.membership
    feedback_request = _request(membership, pk, "assessment.view_request")
    assessment = feedback_request.assessment
    can_answer = feedback_request.is_waiting and policy.allows(membership, "assessment.answer_feedback", feedback_request)
    standards = list(assessment.framework_in_use.version.standards.order_by("position"))
    levels = _levels(assessment)
    form = None
    if request.method == "POST":
        policy.require(membership, "assessment.answer_feedback", feedback_request)
    if can_answer:
        form = AnswerForm(
            request.POST if request.method == "POST" else None,
            standards=standards,
            levels=levels,
            person_name=assessment.staff.full_name,
        )
        if request.method == "POST" and form.is_valid():
            try:
                actions.answer_feedback(
                    feedback_request,
                    actor=membership,
                    answers=form.answers(),
                    overall_comment=form.cleaned_data["overall_comment"].strip(),
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                if feedback_request.respondent.membership_id == membership.pk:
                    messages.success(request, f"Thank you. Your feedback has been sent to {assessment.staff.full_name}.")
                else:
                    messages.success(request, f"{feedback_request.respondent.full_name}'s feedback recorded.")
                return redirect("assessment:feedback-asked", org_slug)
    elif request.method == "POST":
        messages.error(request, "This request no longer needs an answer.")
        return redirect("assessment:request", org_slug, feedback_request.pk)
    answers = []
    if feedback_request.status == FeedbackRequest.Status.ANSWERED:
        answers = list(feedback_request.answers.select_related("standard", "level").order_by("standard__position"))
    return render(
        request,
        "assessment/request.html",
        {
            "feedback_request": feedback_request,
            "assessment": assessment,
            "form": form,
            "answers": answers,
            "is_respondent": feedback_request.respondent.membership_id == membership.pk,
            "can_view_assessment": policy.allows(membership, "assessment.view_assessment", assessment),
            "threshold": ANONYMITY_THRESHOLD,
            "nav_section": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def request_decline(request, org_slug, pk):
    membership = request.membership
    feedback_request = _request(membership, pk, "assessment.answer_feedback")
    if not feedback_request.is_waiting:
        messages.info(request, "This request no longer needs an answer.")
        return redirect("assessment:request", org_slug, feedback_request.pk)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline_feedback(feedback_request, actor=membership, reason=form.cleaned_data["reason"].strip())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"You declined {feedback_request.assessment.staff.full_name}'s request for feedback.")
            return redirect("assessment:feedback-asked", org_slug)
    return render(
        request, "assessment/request_decline.html", {"feedback_request": feedback_request, "form": form, "nav_section": NAV}
    )


@require_http_methods(["GET", "POST"])
def request_withdraw(request, org_slug, pk):
    membership = request.membership
    feedback_request = _request(membership, pk, "assessment.change_assessment")
    back = reverse("assessment:feedback-requests", args=[org_slug, feedback_request.assessment_id])
    if not feedback_request.is_waiting or feedback_request.is_anonymous:
        messages.info(
            request,
            "Anonymous requests cannot be withdrawn one at a time."
            if feedback_request.is_anonymous
            else "This request has already been answered, declined or withdrawn.",
        )
        return redirect(back)
    if request.method == "POST":
        try:
            actions.withdraw_feedback_request(feedback_request, actor=membership)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Request to {feedback_request.respondent.full_name} withdrawn.")
        return redirect(back)
    return render(request, "assessment/request_withdraw.html", {"feedback_request": feedback_request, "nav_section": NAV})
