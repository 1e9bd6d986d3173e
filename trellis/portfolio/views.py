"""Pages of cohorts and portfolios. Every view resolves the member with `tenancy.access` and asks
`tenancy.policy` before it shows or changes anything."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.frameworks.actions import ensure_frameworks_in_use
from trellis.tenancy import access, policy
from trellis.tenancy.models import Membership
from trellis.workforce.forms import VersionedForm
from trellis.workforce.models import StaffRecord, Team

from . import actions, exports, feedback, queries, sources
from .coverage import coverage, coverage_from_snapshot, library_coverage, snapshot_of
from .forms import (
    AddSupervisorsForm,
    AgreementFilterForm,
    AgreementForm,
    AnswerForm,
    AssessorForm,
    AssignmentForm,
    AssignModeratorForm,
    CohortForm,
    CommentForm,
    DisputeForm,
    DrawForm,
    EndCohortForm,
    EvidenceFileForm,
    EvidenceItemForm,
    MappingForm,
    OpenQuestionnaireForm,
    PersonForm,
    PortfolioChoiceForm,
    QuestionForm,
    QuestionnaireForm,
    RegisterFilterForm,
    ResolveForm,
    ReviewForm,
    SecondMarkForm,
    ShareForm,
    SignOffForm,
    SubmitForm,
)
from .models import (
    Assessor,
    Cohort,
    EvidenceFile,
    EvidenceItem,
    EvidenceMapping,
    Moderation,
    Portfolio,
    Question,
    Questionnaire,
    Receipt,
    Review,
    SignOff,
    Submission,
)
from .uploads import max_upload_mb

# --- cohorts ---


def _cohort(membership, pk, permission="portfolio.manage_cohorts"):
    return access.get_for(membership, Cohort, pk, permission)


def cohort_list(request, org_slug):
    access.require(request.membership, "portfolio.view_cohorts")
    return render(
        request,
        "portfolio/cohort_list.html",
        {"cohorts": list(queries.cohort_list(request.membership)), "today": timezone.localdate(), "nav_section": "cohorts"},
    )


def _cohort_form(membership, *args, **kwargs):
    ensure_frameworks_in_use(membership.organisation)
    return CohortForm(*args, frameworks=queries.cohort_frameworks(membership), **kwargs)


@require_http_methods(["GET", "POST"])
def cohort_add(request, org_slug):
    membership = request.membership
    access.require(membership, "portfolio.manage_cohorts")
    form = _cohort_form(membership, request.POST if request.method == "POST" else None)
    if request.method == "GET":
        form.initial = {"moderation_share": 20, "frameworks": [f.pk for f in form.fields["frameworks"].queryset]}
    if request.method == "POST" and form.is_valid():
        try:
            cohort = actions.create_cohort(actor=membership, frameworks=form.cleaned_data["frameworks"], **form.cohort_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{cohort.name} created. Now choose its supervisors from the register.")
            return redirect("portfolio:cohort-add-supervisors", org_slug, cohort.pk)
    return render(request, "portfolio/cohort_form.html", {"form": form, "cohort": None, "nav_section": "cohorts"})


@require_http_methods(["GET", "POST"])
def cohort_edit(request, org_slug, pk):
    membership = request.membership
    cohort = _cohort(membership, pk)
    initial = {name: getattr(cohort, name) for name in actions.COHORT_FIELDS}
    initial.update(version=cohort.version, frameworks=list(cohort.frameworks.values_list("pk", flat=True)))
    form = _cohort_form(membership, request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_cohort(
                cohort,
                actor=membership,
                expected_version=form.cleaned_data["version"],
                frameworks=form.cleaned_data["frameworks"],
                **form.cohort_fields(),
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} updated.")
            return redirect("portfolio:cohort", org_slug, cohort.pk)
    return render(
        request, "portfolio/cohort_form.html", {"form": form, "cohort": cohort, "stale": stale, "nav_section": "cohorts"}
    )


@require_http_methods(["GET", "POST"])
def cohort_end(request, org_slug, pk):
    """End a cohort; once ended, the same page reopens it (for an end recorded by mistake)."""
    membership = request.membership
    cohort = _cohort(membership, pk)
    if cohort.ended_on is not None:
        if request.method == "POST":
            actions.reopen_cohort(cohort, actor=membership)
            messages.success(request, f"{cohort.name} reopened.")
            return redirect("portfolio:cohort", org_slug, cohort.pk)
        return render(request, "portfolio/cohort_end.html", {"cohort": cohort, "form": None, "nav_section": "cohorts"})
    form = EndCohortForm(
        request.POST if request.method == "POST" else None, initial={"ended_on": timezone.localdate(), "version": cohort.version}
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_cohort(
                cohort, actor=membership, ended_on=form.cleaned_data["ended_on"], expected_version=form.cleaned_data["version"]
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{cohort.name} ended.")
            return redirect("portfolio:cohort", org_slug, cohort.pk)
    return render(
        request, "portfolio/cohort_end.html", {"cohort": cohort, "form": form, "stale": stale, "nav_section": "cohorts"}
    )


def cohort_detail(request, org_slug, pk):
    """Every supervisor's progress at a glance, and what is waiting on whom."""
    membership = request.membership
    cohort = _cohort(membership, pk, "portfolio.view_cohort")
    frameworks = list(cohort.frameworks.for_rows().order_by("version__framework__name"))
    standards = queries.cohort_standards(cohort)
    rows = queries.cohort_progress(cohort, standards)
    # A moderator still to second-mark one of these portfolios must not learn the reviewer's decision
    # here: its state, latest decision and who it waits on all give it away (policy: view_decision).
    blind = queries.portfolios_blind_to(membership, cohort)
    for row in rows:
        row.blind = row.portfolio.pk in blind
    waiting = Counter(row.waiting.role for row in rows if row.waiting.role and not row.blind)
    return render(
        request,
        "portfolio/cohort_detail.html",
        {
            "cohort": cohort,
            "frameworks": frameworks,
            "standards": standards,
            "rows": rows,
            "states": Counter(row.portfolio.state for row in rows if not row.blind),
            "waiting": [(role, label, waiting[role]) for role, label in WAITING_ROLES if waiting[role]],
            "opens_portfolios": policy.allows(membership, "portfolio.open_cohort_portfolios", cohort),
            "nav_section": "cohorts",
        },
    )


WAITING_ROLES = [
    ("supervisor", "Supervisors"),
    ("mentor", "Mentors"),
    ("reviewer", "Reviewers"),
    ("moderators", "Moderators"),
]


def _cohort_people(request, cohort, *, row=None, row_form=None, row_errors=None):
    """The cohort's supervisors with a mentor and reviewer form each; `row` is a row re-shown with
    what the admin chose and the errors, after a refused save."""
    membership = request.membership
    portfolios = list(
        Portfolio.objects.filter(cohort=cohort)
        .select_related("staff__team", "mentor__user", "reviewer__user")
        .order_by("staff__full_name", "staff__employee_ref")
    )
    reviewers = [a.membership for a in queries.cohort_assessors(cohort) if a.role == Assessor.Role.REVIEWER]
    chosen = {}
    if row is not None and row_form is not None:
        chosen[row.pk] = {name: row_form.data.get(name, "") for name in ("mentor", "reviewer")}
    mentor_groups = queries.mentor_choices(membership)
    mentor_ids = {pk for _group, choices in mentor_groups for pk, _name in choices}
    reviewer_ids = {str(m.pk) for m in reviewers}
    lines = [
        {
            "portfolio": p,
            "mentor": chosen.get(p.pk, {}).get("mentor", str(p.mentor_id or "")),
            "reviewer": chosen.get(p.pk, {}).get("reviewer", str(p.reviewer_id or "")),
            # Someone chosen before who can no longer be (they left, or stopped reviewing this cohort)
            # stays visible, rather than the row quietly showing nobody.
            "former_mentor": p.mentor if p.mentor_id and str(p.mentor_id) not in mentor_ids else None,
            "former_reviewer": p.reviewer if p.reviewer_id and str(p.reviewer_id) not in reviewer_ids else None,
            "errors": row_errors if row is not None and p.pk == row.pk else {},
        }
        for p in portfolios
    ]
    error_items = [
        {"text": message, "href": f"#{name}-{row.pk}"} for name, messages_ in (row_errors or {}).items() for message in messages_
    ]
    return render(
        request,
        "portfolio/cohort_people.html",
        {
            "cohort": cohort,
            "lines": lines,
            "mentor_groups": mentor_groups,
            "reviewer_choices": [
                (str(m.pk), m.user.full_name + (f" (guest from {m.home_organisation})" if m.is_guest else "")) for m in reviewers
            ],
            "error_items": error_items,
            "nav_section": "cohorts",
        },
    )


def cohort_people(request, org_slug, pk):
    return _cohort_people(request, _cohort(request.membership, pk))


def _row_errors(errors):
    """A row shows errors beside its two boxes: anything else (the hidden version, the whole form) goes
    beside the mentor's."""
    shown = {}
    for name, messages_ in errors.items():
        shown.setdefault(name if name == "reviewer" else "mentor", []).extend(messages_)
    return shown


@require_POST
def cohort_member_assign(request, org_slug, pk):
    """One row of the people page: the supervisor's mentor and reviewer."""
    membership = request.membership
    portfolio = access.get_for(
        membership, Portfolio, pk, "portfolio.manage_cohorts", Portfolio.objects.select_related("cohort", "staff")
    )
    form = AssignmentForm(request.POST, members=Membership.objects.visible_to(membership).select_related("user"))
    errors = None
    if form.is_valid():
        try:
            actions.assign_portfolio(
                portfolio,
                actor=membership,
                mentor=form.cleaned_data["mentor"],
                reviewer=form.cleaned_data["reviewer"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as stale:
            who = stale.changed_by or "Someone else"
            errors = {
                "mentor": [
                    f"Not saved: {who} changed {portfolio.staff.full_name}'s mentor or reviewer after you opened the page. Check them and try again."
                ]
            }
            form = None  # show what is saved now, not what was posted
        except ValidationError as error:
            errors = _row_errors(error.message_dict)
        else:
            messages.success(request, f"{portfolio.staff.full_name}'s mentor and reviewer saved.")
            return redirect(
                reverse("portfolio:cohort-people", args=[org_slug, portfolio.cohort_id]) + f"#portfolio-{portfolio.pk}"
            )
    else:
        errors = _row_errors(form.errors)
    return _cohort_people(request, portfolio.cohort, row=portfolio, row_form=form, row_errors=errors)


@require_http_methods(["GET", "POST"])
def cohort_member_remove(request, org_slug, pk):
    """Take a supervisor out of the cohort, or explain why not."""
    membership = request.membership
    portfolio = access.get_for(
        membership, Portfolio, pk, "portfolio.manage_cohorts", Portfolio.objects.select_related("cohort", "staff")
    )
    reason = queries.supervisor_removal_blocker(portfolio)
    if request.method == "POST" and not reason:
        try:
            actions.remove_supervisor(portfolio, actor=membership)
        except ValidationError as error:
            reason = " ".join(error.messages)
        else:
            messages.success(request, f"{portfolio.staff.full_name} taken out of {portfolio.cohort.name}.")
            return redirect("portfolio:cohort-people", org_slug, portfolio.cohort_id)
    return render(
        request, "portfolio/cohort_member_remove.html", {"portfolio": portfolio, "reason": reason, "nav_section": "cohorts"}
    )


@require_http_methods(["GET", "POST"])
def cohort_add_supervisors(request, org_slug, pk):
    """The supervisors register, filtered, with a box to tick for each person: filter, tick, add."""
    membership = request.membership
    cohort = _cohort(membership, pk)
    filters_form = RegisterFilterForm(
        request.GET or None,
        teams=Team.objects.visible_to(membership).order_by("name").values_list("pk", "name"),
        stages=queries.supervisory_stages(membership).values_list("pk", "name"),
    )
    filters = filters_form.filters()
    form = AddSupervisorsForm(
        request.POST if request.method == "POST" else None, people=StaffRecord.objects.visible_to(membership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.add_supervisors(cohort, actor=membership, staff=form.cleaned_data["staff"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{len(added)} supervisor{pluralize(len(added))} added to {cohort.name}. Now choose their mentors and reviewers.",
            )
            return redirect("portfolio:cohort-people", org_slug, cohort.pk)
    people = list(queries.supervisory_staff(membership, cohort, **filters))
    ticked = set(request.POST.getlist("staff")) if request.method == "POST" else set()
    return render(
        request,
        "portfolio/cohort_add_supervisors.html",
        {
            "cohort": cohort,
            "form": form,
            "filters_form": filters_form,
            "filtered": bool(filters),
            "people": people,
            "ticked": ticked,
            "can_add": any(not person.in_cohort for person in people),
            "error_items": [{"text": message, "href": "#staff-choices"} for message in form.errors.get("staff", [])],
            "nav_section": "cohorts",
        },
    )


@require_http_methods(["GET", "POST"])
def cohort_assessors(request, org_slug, pk):
    """The cohort's reviewers and moderators, and forms to add them, from here or a network organisation."""
    membership = request.membership
    cohort = _cohort(membership, pk)
    posted = request.POST.get("role") if request.method == "POST" else None

    def form_for(role):
        candidates = queries.assessor_candidates(membership, cohort, role)
        return AssessorForm(
            request.POST if posted == role else None, role=role, candidates=candidates, organisation=membership.organisation
        )

    forms_ = {role: form_for(role) for role in Assessor.Role.values}
    form = forms_.get(posted)
    if form is not None and form.is_valid():
        try:
            assessor = actions.add_assessor(cohort, actor=membership, role=posted, person=form.cleaned_data["person"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            guest = f", as a guest from {assessor.membership.home_organisation}" if assessor.membership.is_guest else ""
            messages.success(
                request, f"{assessor.membership.user.full_name} added as a {assessor.get_role_display().lower()}{guest}."
            )
            return redirect("portfolio:cohort-assessors", org_slug, cohort.pk)
    assessors = queries.cohort_assessors(cohort)
    return render(
        request,
        "portfolio/cohort_assessors.html",
        {
            "cohort": cohort,
            "reviewers": [a for a in assessors if a.role == Assessor.Role.REVIEWER],
            "moderators": [a for a in assessors if a.role == Assessor.Role.MODERATOR],
            "reviewer_form": forms_[Assessor.Role.REVIEWER],
            "moderator_form": forms_[Assessor.Role.MODERATOR],
            "failed": form if form is not None and form.errors else None,
            "nav_section": "cohorts",
        },
    )


@require_http_methods(["GET", "POST"])
def assessor_remove(request, org_slug, pk):
    membership = request.membership
    assessor = access.get_for(
        membership,
        Assessor,
        pk,
        "portfolio.manage_cohorts",
        Assessor.objects.select_related("cohort", "membership__user", "membership__home_organisation"),
    )
    reason = queries.assessor_removal_blocker(assessor)
    if request.method == "POST" and not reason:
        try:
            actions.remove_assessor(assessor, actor=membership)
        except ValidationError as error:
            reason = " ".join(error.messages)
        else:
            messages.success(
                request,
                f"{assessor.membership.user.full_name} is no longer a {assessor.get_role_display().lower()} of {assessor.cohort.name}.",
            )
            return redirect("portfolio:cohort-assessors", org_slug, assessor.cohort_id)
    return render(
        request,
        "portfolio/cohort_assessor_remove.html",
        {"assessor": assessor, "role_label": assessor.get_role_display().lower(), "reason": reason, "nav_section": "cohorts"},
    )


# --- evidence ---
# A person's evidence: "My evidence" for the member's own, and the same pages for an admin keeping
# evidence for someone without a login (`evidence/people/<pk>/`). Items, mappings and files change only
# through actions.py; a file goes out only through `evidence_file`, which asks the policy first.

EVIDENCE_NAV = "portfolios"
EVIDENCE_PAGE_SIZE = 50


def _evidence_posted(request):
    """The form data of a POST, even an empty one (so an empty form still shows what is missing)."""
    return request.POST if request.method == "POST" else None


def _evidence_me(membership):
    return StaffRecord.objects.visible_to(membership).filter(membership=membership).first()


def _evidence_list_url(org_slug, membership, staff):
    if staff.membership_id == membership.pk:
        return reverse("portfolio:evidence-list", args=[org_slug])
    return reverse("portfolio:evidence-person", args=[org_slug, staff.pk])


def _evidence_item(membership, pk, permission):
    queryset = EvidenceItem.objects.select_related("staff")
    return access.get_for(membership, EvidenceItem, pk, permission, queryset)


def _evidence_context(request, staff, **extra):
    membership = request.membership
    own = staff is not None and staff.membership_id == membership.pk
    context = {
        "nav_section": EVIDENCE_NAV,
        "staff": staff,
        "own": own,
        "heading": "My evidence" if own or staff is None else f"{staff.full_name}’s evidence",
        **extra,
    }
    if staff is not None:
        context["list_url"] = _evidence_list_url(request.resolver_match.kwargs["org_slug"], membership, staff)
    return context


def _evidence_list_page(request, staff, person_form=None):
    membership = request.membership
    context = _evidence_context(request, staff, person_form=person_form)
    if staff is not None:
        page = Paginator(queries.evidence_rows(membership, staff), EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
        can_change = policy.allows(membership, "portfolio.change_evidence", staff)
        found = sources.candidates(membership, staff) if can_change else []
        context.update(
            page_obj=page,
            items=page.object_list,
            can_change=can_change,
            candidates=[c for c in found if c.item is None],
            already_added=sum(1 for c in found if c.item is not None),
            coverage=library_coverage(staff),
        )
    return render(request, "portfolio/evidence_list.html", context)


def evidence_list(request, org_slug):
    """My evidence. An admin also finds here the people without a login they keep evidence for."""
    membership = request.membership
    access.require(membership, "portfolio.view_own")
    person_form = None
    if policy.allows(membership, "portfolio.keep_evidence_for_others"):
        people = queries.people_without_a_login(membership)
        if "person" in request.GET:
            person_form = PersonForm(request.GET, people=people)
            if person_form.is_valid():
                return redirect("portfolio:evidence-person", org_slug, person_form.cleaned_data["person"].pk)
        else:
            person_form = PersonForm(people=people)
    return _evidence_list_page(request, _evidence_me(membership), person_form)


def evidence_person(request, org_slug, pk):
    staff = access.get_for(request.membership, StaffRecord, pk, "portfolio.view_evidence")
    if staff.membership_id == request.membership.pk:
        return redirect("portfolio:evidence-list", org_slug)
    return _evidence_list_page(request, staff)


def _evidence_add_page(request, staff):
    form = EvidenceItemForm(_evidence_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.create_evidence_item(actor=request.membership, staff=staff, **form.item_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"‘{item.title}’ added. Now say what it evidences, and add any files.")
            return redirect("portfolio:evidence", request.organisation.slug, item.pk)
    return render(request, "portfolio/evidence_form.html", _evidence_context(request, staff, form=form, item=None))


@require_http_methods(["GET", "POST"])
def evidence_add(request, org_slug):
    access.require(request.membership, "portfolio.view_own")
    me = _evidence_me(request.membership)
    if me is None:
        return redirect("portfolio:evidence-list", org_slug)  # which explains that the login is not linked
    policy.require(request.membership, "portfolio.change_evidence", me)
    return _evidence_add_page(request, me)


@require_http_methods(["GET", "POST"])
def evidence_person_add(request, org_slug, pk):
    staff = access.get_for(request.membership, StaffRecord, pk, "portfolio.change_evidence")
    return _evidence_add_page(request, staff)


@require_POST
def evidence_add_from(request, org_slug):
    """One action: a record elsewhere in Trellis becomes an evidence item."""
    membership = request.membership
    access.require(membership, "portfolio.view_own")
    record = sources.resolve(membership, request.POST.get("source"))
    if record is None:
        messages.error(request, "That record could not be found. It may have been deleted: refresh the page and try again.")
        return redirect("portfolio:evidence-list", org_slug)
    try:
        item = actions.add_evidence_from(record, actor=membership)
    except actions.AlreadyEvidence as error:
        url = reverse("portfolio:evidence", args=[org_slug, error.item.pk])
        messages.error(
            request, format_html('This is already evidence: <a class="govuk-link" href="{}">{}</a>.', url, error.item.title)
        )
        return redirect(_evidence_list_url(org_slug, membership, record.staff))
    messages.success(request, f"‘{item.title}’ added from {item.source_label}. Add your reflection, and check what it evidences.")
    return redirect("portfolio:evidence", org_slug, item.pk)


def evidence_detail(request, org_slug, pk):
    membership = request.membership
    item = _evidence_item(membership, pk, "portfolio.view_evidence")
    can_change = policy.allows(membership, "portfolio.change_evidence", item)
    holding = set(item.entries.values_list("portfolio_id", flat=True))
    portfolios = [
        {
            "portfolio": portfolio,
            "holds": portfolio.pk in holding,
            "can_change": can_change
            and portfolio.is_editable
            and policy.allows(membership, "portfolio.change_portfolio", portfolio),
        }
        for portfolio in queries.evidence_portfolios(membership, item.staff)
    ]
    under_review = [
        row["portfolio"] for row in portfolios if row["holds"] and row["portfolio"].state == Portfolio.State.SUBMITTED
    ]
    editable = can_change and not under_review
    standards = list(queries.evidence_standards(item.staff)) if editable else []
    context = _evidence_context(
        request,
        item.staff,
        item=item,
        can_change=can_change,
        editable=editable,
        under_review=under_review,
        portfolios=portfolios,
        mappings=list(item.mappings.select_related("standard__version__framework", "statement")),
        files=list(item.files.all()),
        source_url=sources.link_back(org_slug, item),
        kept_by=actions.evidence_submission(item) if can_change else None,
        mapping_form=MappingForm(standards=standards) if standards else None,
        file_form=EvidenceFileForm(max_mb=max_upload_mb()) if editable else None,
    )
    return render(request, "portfolio/evidence_detail.html", context)


def _evidence_refused(request, item, error):
    messages.error(request, " ".join(error.messages))
    return redirect("portfolio:evidence", request.organisation.slug, item.pk)


@require_http_methods(["GET", "POST"])
def evidence_edit(request, org_slug, pk):
    item = _evidence_item(request.membership, pk, "portfolio.change_evidence")
    form = EvidenceItemForm(_evidence_posted(request), initial=EvidenceItemForm.initial_for(item))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_evidence_item(
                item, actor=request.membership, expected_version=form.cleaned_data["version"], **form.item_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Evidence item saved.")
            return redirect("portfolio:evidence", org_slug, item.pk)
    context = _evidence_context(
        request, item.staff, form=form, item=item, stale=stale, under_review=queries.evidence_under_review(item)
    )
    return render(request, "portfolio/evidence_form.html", context)


@require_http_methods(["GET", "POST"])
def evidence_delete(request, org_slug, pk):
    item = _evidence_item(request.membership, pk, "portfolio.change_evidence")
    if request.method == "POST":
        try:
            actions.delete_evidence_item(item, actor=request.membership)
        except ValidationError as error:
            return _evidence_refused(request, item, error)
        messages.success(request, f"‘{item.title}’ deleted. The audit trail keeps a record of it.")
        return redirect(_evidence_list_url(org_slug, request.membership, item.staff))
    context = _evidence_context(request, item.staff, item=item, kept_by=actions.evidence_submission(item))
    return render(request, "portfolio/evidence_confirm_delete.html", context)


# What an item evidences.


def _mapping_standards(staff, keep=None):
    standards = list(queries.evidence_standards(staff))
    if keep is not None and keep.pk not in {s.pk for s in standards}:
        standards.append(keep)  # a standard no longer in force stays a choice for the mapping that has it
    return standards


@require_http_methods(["GET", "POST"])
def mapping_add(request, org_slug, pk):
    item = _evidence_item(request.membership, pk, "portfolio.change_evidence")
    form = MappingForm(_evidence_posted(request), standards=_mapping_standards(item.staff))
    if request.method == "POST" and form.is_valid():
        fields = form.mapping_fields()
        try:
            actions.add_mapping(item, actor=request.membership, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            label = actions.evidences_label(fields["standard"], fields["statement"])
            messages.success(request, f"‘{item.title}’ now evidences {label}.")
            return redirect(reverse("portfolio:evidence", args=[org_slug, item.pk]) + "#evidences")
    context = _evidence_context(
        request, item.staff, form=form, item=item, mapping=None, under_review=queries.evidence_under_review(item)
    )
    return render(request, "portfolio/mapping_form.html", context)


def _evidence_mapping(membership, pk):
    queryset = EvidenceMapping.objects.select_related("item__staff", "standard__version__framework", "statement")
    return access.get_for(membership, EvidenceMapping, pk, "portfolio.change_evidence", queryset)


@require_http_methods(["GET", "POST"])
def mapping_edit(request, org_slug, pk):
    mapping = _evidence_mapping(request.membership, pk)
    item = mapping.item
    form = MappingForm(
        _evidence_posted(request),
        standards=_mapping_standards(item.staff, mapping.standard),
        initial=MappingForm.initial_for(mapping),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_mapping(mapping, actor=request.membership, **form.mapping_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "What this item evidences is saved.")
            return redirect(reverse("portfolio:evidence", args=[org_slug, item.pk]) + "#evidences")
    context = _evidence_context(
        request, item.staff, form=form, item=item, mapping=mapping, under_review=queries.evidence_under_review(item)
    )
    return render(request, "portfolio/mapping_form.html", context)


@require_http_methods(["GET", "POST"])
def mapping_delete(request, org_slug, pk):
    mapping = _evidence_mapping(request.membership, pk)
    item = mapping.item
    label = actions.evidences_label(mapping.standard, mapping.statement)
    if request.method == "POST":
        try:
            actions.remove_mapping(mapping, actor=request.membership)
        except ValidationError as error:
            return _evidence_refused(request, item, error)
        messages.success(request, f"‘{item.title}’ no longer evidences {label}.")
        return redirect(reverse("portfolio:evidence", args=[org_slug, item.pk]) + "#evidences")
    context = _evidence_context(request, item.staff, item=item, mapping=mapping, label=label)
    return render(request, "portfolio/mapping_confirm_delete.html", context)


# Files.


@require_http_methods(["GET", "POST"])
def evidence_file_add(request, org_slug, pk):
    item = _evidence_item(request.membership, pk, "portfolio.change_evidence")
    form = EvidenceFileForm(
        _evidence_posted(request), request.FILES if request.method == "POST" else None, max_mb=max_upload_mb()
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.add_evidence_file(item, actor=request.membership, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"‘{added.name}’ added.")
            return redirect(reverse("portfolio:evidence", args=[org_slug, item.pk]) + "#files")
    context = _evidence_context(request, item.staff, form=form, item=item, under_review=queries.evidence_under_review(item))
    return render(request, "portfolio/evidence_file_form.html", context)


def evidence_file(request, org_slug, pk):
    """The only way a stored file leaves Trellis: as a download, for those the policy allows."""
    queryset = EvidenceFile.objects.select_related("item__staff")
    evidence_file = access.get_for(request.membership, EvidenceFile, pk, "portfolio.download_evidence", queryset)
    try:
        handle = evidence_file.file.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing") from None
    response = FileResponse(handle, as_attachment=True, filename=evidence_file.name, content_type=evidence_file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _evidence_file_row(membership, pk):
    queryset = EvidenceFile.objects.select_related("item__staff")
    return access.get_for(membership, EvidenceFile, pk, "portfolio.change_evidence", queryset)


@require_http_methods(["GET", "POST"])
def evidence_file_delete(request, org_slug, pk):
    evidence_file = _evidence_file_row(request.membership, pk)
    item = evidence_file.item
    if request.method == "POST":
        try:
            actions.remove_evidence_file(evidence_file, actor=request.membership)
        except ValidationError as error:
            return _evidence_refused(request, item, error)
        messages.success(request, f"‘{evidence_file.name}’ removed.")
        return redirect(reverse("portfolio:evidence", args=[org_slug, item.pk]) + "#files")
    context = _evidence_context(
        request, item.staff, item=item, evidence_file=evidence_file, kept_by=actions.evidence_submission(item, evidence_file)
    )
    return render(request, "portfolio/evidence_file_confirm_delete.html", context)


# Which portfolios hold an item.


def _evidence_portfolio_change(request, org_slug, pk, change, done):
    item = _evidence_item(request.membership, pk, "portfolio.change_evidence")
    back = redirect(reverse("portfolio:evidence", args=[org_slug, item.pk]) + "#portfolios")
    form = PortfolioChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select a portfolio.")
        return back
    portfolio = access.get_for(
        request.membership,
        Portfolio,
        form.cleaned_data["portfolio"],
        "portfolio.view_portfolio",
        Portfolio.objects.filter(staff=item.staff).select_related("cohort"),
    )
    try:
        change(item, actor=request.membership, portfolio=portfolio)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"‘{item.title}’ {done} the portfolio for {portfolio.cohort.name}.")
    return back


@require_POST
def portfolio_item_add(request, org_slug, pk):
    return _evidence_portfolio_change(request, org_slug, pk, actions.add_to_portfolio, "added to")


@require_POST
def portfolio_item_remove(request, org_slug, pk):
    return _evidence_portfolio_change(request, org_slug, pk, actions.remove_from_portfolio, "removed from")


# --- workflow ---
# The portfolio as each person in its journey sees it, and the steps they take: share, comment, submit,
# review, dispute. Each step's page is refused (403, with the reason) unless policy allows that step
# now; the action asks again on the locked row.


def _workflow_portfolio(membership, pk, permission):
    queryset = Portfolio.objects.select_related("cohort", "staff__membership", "mentor__user", "reviewer__user")
    return access.get_for(membership, Portfolio, pk, permission, queryset)


def _workflow_decorate(portfolios):
    for portfolio in portfolios:
        portfolio.next_step = queries.NEXT_STEP.get(portfolio.state, "")
        portfolio.state_colour = queries.STATE_COLOURS.get(portfolio.state, "grey")
    return portfolios


def mine(request, org_slug):
    """The member's portfolios: their own, and those they mentor or review."""
    membership = request.membership
    access.require(membership, "portfolio.view_own")
    return render(
        request,
        "portfolio/workflow_mine.html",
        {
            "own": _workflow_decorate(queries.my_portfolios(membership)),
            "mentored": _workflow_decorate(queries.mentored_portfolios(membership)),
            "reviewed": _workflow_decorate(queries.reviewed_portfolios(membership)),
            "nav_section": "portfolios",
        },
    )


def portfolio_detail(request, org_slug, pk):
    """One portfolio: its state, coverage, evidence, comments, what happened so far, and the next steps
    the viewer may take. The supervisor, their mentor and admins see the evidence as it is now; a
    reviewer or moderator sees it as it was submitted, and a moderator marking blind sees no decision."""
    membership = request.membership
    portfolio = _workflow_portfolio(membership, pk, "portfolio.view_portfolio")
    sees_decision = policy.allows(membership, "portfolio.view_decision", portfolio)
    can_comment = policy.allows(membership, "portfolio.comment", portfolio)
    live = can_comment or policy.allows(membership, "portfolio.view_evidence", portfolio)
    submissions = queries.submissions_of(portfolio)
    latest = submissions[0] if submissions else None
    if live:
        snapshot, map_ = snapshot_of(portfolio), coverage(portfolio)
    elif latest is not None:
        snapshot = latest.snapshot
        map_ = coverage_from_snapshot(snapshot, portfolio.cohort.frameworks.all())
    else:
        snapshot, map_ = None, None
    review = getattr(latest, "review", None) if latest else None
    decided = review if review is not None and review.decided_at else None
    can_dispute = (
        decided is not None
        and decided.outcome == "returned"
        and decided.disputed_at is None
        and policy.allows(membership, "portfolio.dispute", portfolio)
    )
    portfolio.state_colour = queries.STATE_COLOURS.get(portfolio.state, "grey")
    return render(
        request,
        "portfolio/workflow_portfolio.html",
        {
            "portfolio": portfolio,
            "live": live,
            "sees_decision": sees_decision,
            "next_step": queries.NEXT_STEP.get(portfolio.state, ""),
            "submissions": submissions if sees_decision else [],
            "latest": latest,
            "decided": decided if sees_decision else None,
            "items": queries.snapshot_items(snapshot),
            "coverage": map_,
            "comments": queries.comments_on(portfolio)
            if policy.allows(membership, "portfolio.view_comments", portfolio)
            else None,
            "timeline": queries.timeline(portfolio) if sees_decision else [],
            "can_share": policy.allows(membership, "portfolio.share", portfolio),
            "can_submit": policy.allows(membership, "portfolio.submit", portfolio),
            "can_review": policy.allows(membership, "portfolio.review", portfolio),
            "can_comment": can_comment,
            "can_dispute": can_dispute,
            "can_edit_evidence": policy.allows(membership, "portfolio.change_portfolio", portfolio),
        },
    )


@require_http_methods(["GET", "POST"])
def share(request, org_slug, pk):
    membership = request.membership
    portfolio = _workflow_portfolio(membership, pk, "portfolio.share")
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.share_with_mentor(portfolio, actor=membership, message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Your portfolio is shared with {portfolio.mentor.user.full_name}, who has been told.")
            return redirect("portfolio:portfolio", org_slug, portfolio.pk)
    return render(request, "portfolio/workflow_share.html", {"form": form, "portfolio": portfolio})


@require_http_methods(["GET", "POST"])
def comment(request, org_slug, pk):
    membership = request.membership
    portfolio = _workflow_portfolio(membership, pk, "portfolio.comment")
    items = EvidenceItem.objects.visible_to(membership).filter(entries__portfolio=portfolio).order_by("title")
    form = CommentForm(request.POST or None, items=items, initial={"item": request.GET.get("item")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_comment(portfolio, actor=membership, body=form.cleaned_data["body"], item=form.cleaned_data["item"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Comment added.")
            return redirect(reverse("portfolio:portfolio", args=[org_slug, portfolio.pk]) + "#comments")
    return render(request, "portfolio/workflow_comment.html", {"form": form, "portfolio": portfolio})


@require_http_methods(["GET", "POST"])
def submit(request, org_slug, pk):
    membership = request.membership
    portfolio = _workflow_portfolio(membership, pk, "portfolio.submit")
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = actions.submit(portfolio, actor=membership, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Submitted for review. {portfolio.reviewer.user.full_name} has been told. What you submitted is kept "
                f"as submission {submission.number}.",
            )
            return redirect("portfolio:portfolio", org_slug, portfolio.pk)
    return render(
        request,
        "portfolio/workflow_submit.html",
        {
            "form": form,
            "portfolio": portfolio,
            "item_count": portfolio.entries.count(),
            "resubmission": portfolio.state in (Portfolio.State.RETURNED, Portfolio.State.REFERRED_BACK),
        },
    )


@require_http_methods(["GET", "POST"])
def review(request, org_slug, pk):
    """The reviewer's page: the submission's coverage and a form to decide on each standard. A draft
    can be saved and finished later; the supervisor sees nothing until the decision is made."""
    membership = request.membership
    portfolio = _workflow_portfolio(membership, pk, "portfolio.review")
    submission = actions.latest_submission(portfolio)
    draft = getattr(submission, "review", None)
    standards = list(actions.moderation_standards(portfolio.cohort))
    form = ReviewForm(request.POST or None, standards=standards, initial=ReviewForm.initial_for(draft))
    stale = None
    if request.method == "POST" and form.is_valid():
        deciding = request.POST.get("intent") == "decide"
        try:
            if deciding:
                actions.decide_review(portfolio, actor=membership, outcome=form.cleaned_data["outcome"], **form.review_fields())
            else:
                actions.save_review(portfolio, actor=membership, **form.review_fields())
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if deciding:
                verb = "recommended" if form.cleaned_data["outcome"] == "recommended" else "returned for more evidence"
                messages.success(request, f"{portfolio.staff.full_name}'s portfolio is {verb}, and they have been told.")
                return redirect("portfolio:submission", org_slug, submission.pk)
            messages.success(request, "Draft saved. The supervisor sees nothing until you make your decision.")
            return redirect("portfolio:review", org_slug, portfolio.pk)
    return render(
        request,
        "portfolio/workflow_review.html",
        {
            "form": form,
            "stale": stale,
            "portfolio": portfolio,
            "submission": submission,
            "draft": draft,
            "coverage": coverage_from_snapshot(submission.snapshot, portfolio.cohort.frameworks.all()),
            "items": queries.snapshot_items(submission.snapshot),
        },
    )


@require_http_methods(["GET", "POST"])
def dispute(request, org_slug, pk):
    membership = request.membership
    portfolio = _workflow_portfolio(membership, pk, "portfolio.dispute")
    submission = actions.latest_submission(portfolio)
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.dispute(portfolio, actor=membership, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your dispute is recorded. A moderator will look at the decision again.")
            return redirect("portfolio:portfolio", org_slug, portfolio.pk)
    return render(
        request,
        "portfolio/workflow_dispute.html",
        {"form": form, "portfolio": portfolio, "submission": submission, "review": getattr(submission, "review", None)},
    )


def submission_detail(request, org_slug, pk):
    """What the reviewer saw: a submission as it was sent, never the portfolio as it is now, with the
    reviewer's decision on it once made."""
    membership = request.membership
    queryset = Submission.objects.select_related(
        "portfolio__cohort", "portfolio__staff", "portfolio__reviewer__user", "submitted_by__user", "review__reviewer__user"
    )
    submission = access.get_for(membership, Submission, pk, "portfolio.view_submission", queryset)
    portfolio = submission.portfolio
    review = getattr(submission, "review", None)
    decided = review if review is not None and review.decided_at else None
    decisions = (
        list(decided.decisions.select_related("standard__version__framework").order_by("standard__version__framework__name"))
        if decided
        else []
    )
    return render(
        request,
        "portfolio/workflow_submission.html",
        {
            "submission": submission,
            "portfolio": portfolio,
            "review": decided,
            "decisions": decisions,
            "can_review": policy.allows(membership, "portfolio.review", portfolio)
            and submission.pk == actions.latest_submission(portfolio).pk,
            "coverage": coverage_from_snapshot(submission.snapshot, portfolio.cohort.frameworks.all()),
            "items": queries.snapshot_items(submission.snapshot),
        },
    )


def waiting(request, org_slug):
    """Everything waiting on the member, in whatever parts they play. A network guest lands here."""
    membership = request.membership
    access.require(membership, "portfolio.view_waiting")
    return render(request, "portfolio/workflow_waiting.html", {"waiting": queries.waiting_for(membership)})


# --- moderation ---
# Drawing the sample, choosing moderators, blind second marking, agreeing or disagreeing, resolving,
# signing off, and the reviewer agreement report. The reviewer's decision is shown only where
# `portfolio.view_decision` allows, so a moderator never sees it before recording their own.


def _moderation(membership, pk, permission):
    queryset = Moderation.objects.select_related(
        "review__submission__portfolio__cohort",
        "review__submission__portfolio__staff",
        "review__reviewer__user",
        "moderator__user",
        "resolved_by__user",
        "organisation",
    )
    return access.get_for(membership, Moderation, pk, permission, queryset)


def _moderation_page(request, cohort, draw_form, status=200):
    membership = request.membership
    rows = []
    for row in queries.moderation_rows(cohort):
        rows.append(
            {
                "moderation": row,
                "show_reason": policy.allows(membership, "portfolio.view_moderation_reason", row),
                "can_moderate": policy.allows(membership, "portfolio.moderate", row),
                # Only a disagreement awaiting resolution offers the link, so this asks once per such row.
                "can_resolve": row.agrees is False and not row.resolution and policy.allows(membership, "portfolio.resolve", row),
            }
        )
    draws = [(draw, actions.replays(draw)) for draw in queries.moderation_draws(cohort)]
    return render(
        request,
        "portfolio/moderation.html",
        {
            "cohort": cohort,
            "rows": rows,
            "draws": draws,
            "candidates": queries.sample_candidates(cohort),
            "form": draw_form,
            "can_assign": policy.allows(membership, "portfolio.assign_moderator", cohort),
        },
        status=status,
    )


def moderation_list(request, org_slug, pk):
    membership = request.membership
    cohort = access.get_for(membership, Cohort, pk, "portfolio.draw_sample")
    form = DrawForm(can_choose_seed=policy.allows(membership, "portfolio.choose_seed", cohort))
    return _moderation_page(request, cohort, form)


@require_POST
def sample_draw(request, org_slug, pk):
    membership = request.membership
    cohort = access.get_for(membership, Cohort, pk, "portfolio.draw_sample")
    form = DrawForm(request.POST, can_choose_seed=policy.allows(membership, "portfolio.choose_seed", cohort))
    if form.is_valid():
        try:
            draw = actions.draw_sample(cohort, actor=membership, seed=form.cleaned_data.get("seed"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            chosen = draw.moderations.count()
            messages.success(
                request,
                f"Sample drawn with seed {draw.seed}: {chosen} review{pluralize(chosen)} added to moderation. "
                "Choose who moderates each.",
            )
            return redirect("portfolio:moderation", org_slug, cohort.pk)
    return _moderation_page(request, cohort, form)


@require_http_methods(["GET", "POST"])
def moderation_assign(request, org_slug, pk):
    membership = request.membership
    moderation = _moderation(membership, pk, "portfolio.assign_moderator")
    review = moderation.review
    cohort = review.submission.portfolio.cohort
    moderators = (
        Membership.objects.visible_to(membership)
        .filter(assessor_roles__cohort=cohort, assessor_roles__role=Assessor.Role.MODERATOR, is_active=True)
        .exclude(pk=review.reviewer_id)
        .select_related("user", "home_organisation")
        .order_by("user__full_name")
        .distinct()
    )
    form = AssignModeratorForm(
        request.POST or None,
        moderators=moderators,
        initial={"version": moderation.version, "moderator": moderation.moderator_id},
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.assign_moderator(
                moderation,
                actor=membership,
                moderator=form.cleaned_data["moderator"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['moderator'].user.full_name} will second-mark {moderation.staff.full_name}'s portfolio.",
            )
            return redirect("portfolio:moderation", org_slug, cohort.pk)
    return render(
        request,
        "portfolio/moderation_assign.html",
        {"moderation": moderation, "cohort": cohort, "form": form, "stale": stale},
    )


def _moderate_page(request, moderation, *, mark_form=None, agreement_form=None, stale=None):
    membership = request.membership
    review = moderation.review
    submission = review.submission
    cohort = submission.portfolio.cohort
    standards = list(actions.moderation_standards(cohort))
    context = {
        "moderation": moderation,
        "review": review,
        "submission": submission,
        "portfolio": submission.portfolio,
        "cohort": cohort,
        "stale": stale,
        "form": None,
        # Blind until the moderator has recorded their own decision: nothing of the reviewer's is loaded.
        "blind": not policy.allows(membership, "portfolio.view_decision", moderation),
    }
    if context["blind"]:
        context["coverage"] = coverage_from_snapshot(submission.snapshot, cohort.frameworks.all())
        context["items"] = queries.snapshot_items(submission.snapshot)
        context["form"] = mark_form or SecondMarkForm(
            standards=standards, label=actions.standard_label, initial={"version": moderation.version}
        )
    else:
        context["comparison"] = queries.comparison(moderation, standards)
        if moderation.decided_at is None:
            context["form"] = agreement_form or AgreementForm(initial={"version": moderation.version})
    return render(request, "portfolio/moderate.html", context)


@require_http_methods(["GET", "POST"])
def moderation_second_mark(request, org_slug, pk):
    """Blind second marking; once it is recorded, the reviewer's decision beside the moderator's."""
    membership = request.membership
    moderation = _moderation(membership, pk, "portfolio.moderate")
    if request.method == "GET" or moderation.second_marked_at is not None:
        return _moderate_page(request, moderation)
    standards = list(actions.moderation_standards(moderation.review.submission.portfolio.cohort))
    form = SecondMarkForm(request.POST, standards=standards, label=actions.standard_label)
    stale = None
    if form.is_valid():
        try:
            actions.second_mark(moderation, actor=membership, expected_version=form.cleaned_data["version"], **form.marking())
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your decision is recorded. The reviewer's decision is shown below: do you agree with it?")
            return redirect("portfolio:moderate", org_slug, moderation.pk)
    return _moderate_page(request, moderation, mark_form=form, stale=stale)


@require_POST
def moderation_agree(request, org_slug, pk):
    membership = request.membership
    moderation = _moderation(membership, pk, "portfolio.moderate")
    form = AgreementForm(request.POST)
    stale = None
    if form.is_valid():
        try:
            actions.record_agreement(
                moderation, actor=membership, expected_version=form.cleaned_data["version"], **form.agreement()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            if moderation.second_marked_at is None or moderation.decided_at is not None:
                messages.error(request, " ".join(error.messages))
                return redirect("portfolio:moderate", org_slug, moderation.pk)
            form.add_error(None, error)
        else:
            if form.agreement()["agrees"]:
                messages.success(request, "Recorded: you agree with the reviewer's decision.")
            else:
                messages.success(request, "Recorded: you disagree. An organisation admin or another moderator will resolve it.")
            return redirect("portfolio:moderate", org_slug, moderation.pk)
    return _moderate_page(request, moderation, agreement_form=form, stale=stale)


@require_http_methods(["GET", "POST"])
def moderation_resolve(request, org_slug, pk):
    """Decide which decision stands when the moderator disagreed with the reviewer."""
    membership = request.membership
    moderation = _moderation(membership, pk, "portfolio.resolve")
    review = moderation.review
    waiting = moderation.agrees is False and not moderation.resolution
    form = None
    stale = None
    if waiting:
        form = ResolveForm(
            request.POST or None,
            first_outcome=review.get_outcome_display(),
            second_outcome=moderation.get_second_outcome_display(),
            initial={"version": moderation.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                resolved = actions.resolve(
                    moderation,
                    actor=membership,
                    resolution=form.cleaned_data["resolution"],
                    reasons=form.cleaned_data["reasons"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Resolved: {resolved.get_resolution_display().lower()}.")
                return redirect("portfolio:resolve", org_slug, moderation.pk)
    elif request.method == "POST":
        messages.error(request, "There is nothing to resolve: the moderator has not recorded a disagreement, or it is resolved.")
        return redirect("portfolio:resolve", org_slug, moderation.pk)
    cohort = review.submission.portfolio.cohort
    standards = list(actions.moderation_standards(cohort))
    return render(
        request,
        "portfolio/resolve.html",
        {
            "moderation": moderation,
            "review": review,
            "cohort": cohort,
            "portfolio": review.submission.portfolio,
            "comparison": queries.comparison(moderation, standards) if moderation.second_marked_at else [],
            "form": form,
            "stale": stale,
        },
    )


@require_http_methods(["GET", "POST"])
def portfolio_sign_off(request, org_slug, pk):
    """Sign off a recommended portfolio, or refer it back."""
    membership = request.membership
    portfolio = access.get_for(
        membership, Portfolio, pk, "portfolio.sign_off", Portfolio.objects.select_related("cohort", "staff", "reviewer__user")
    )
    submission = portfolio.submissions.order_by("-number").first()
    review = Review.objects.filter(submission=submission).select_related("reviewer__user").first() if submission else None
    moderation = Moderation.objects.filter(review=review).select_related("moderator__user").first() if review else None
    # The state gives the reviewer's outcome away, so a moderator still marking blind sees neither.
    blind = not policy.allows(membership, "portfolio.view_decision", portfolio)
    blocker = actions.sign_off_blocker(portfolio) if portfolio.state == Portfolio.State.RECOMMENDED else None
    form = None
    stale = None
    if portfolio.state == Portfolio.State.RECOMMENDED and not blocker and not blind:
        form = SignOffForm(request.POST or None, initial={"version": portfolio.version})
        if request.method == "POST" and form.is_valid():
            try:
                actions.sign_off(
                    portfolio,
                    actor=membership,
                    decision=form.cleaned_data["decision"],
                    reasons=form.cleaned_data["reasons"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                done = "signed off" if form.cleaned_data["decision"] == SignOff.Decision.SIGNED_OFF else "referred back"
                messages.success(request, f"{portfolio.staff.full_name}'s portfolio is {done}.")
                return redirect("portfolio:sign-off", org_slug, portfolio.pk)
    elif request.method == "POST":
        if blind:
            problem = "Record your own decision on this portfolio's review first."
        else:
            problem = blocker or "Only a recommended portfolio can be signed off or referred back."
        messages.error(request, problem)
        return redirect("portfolio:sign-off", org_slug, portfolio.pk)
    return render(
        request,
        "portfolio/sign_off.html",
        {
            "portfolio": portfolio,
            "submission": submission,
            "review": review,
            "moderation": moderation,
            "blind": blind,
            "blocker": blocker,
            "sign_offs": list(portfolio.sign_offs.select_related("decided_by__user")),
            "form": form,
            "stale": stale,
        },
    )


def agreement_report(request, org_slug):
    """How often moderators agreed with each reviewer, across cohorts or in one."""
    membership = request.membership
    cohorts = Cohort.objects.visible_to(membership).order_by("-starts_on", "name")
    if not policy.allows(membership, "portfolio.view_agreement"):
        # Not organisation-wide: only the cohorts this member moderates.
        moderated = cohorts.filter(assessors__membership=membership, assessors__role=Assessor.Role.MODERATOR).distinct()
        allowed = [cohort.pk for cohort in moderated if policy.allows(membership, "portfolio.view_agreement", cohort)]
        if not allowed:
            access.require(membership, "portfolio.view_agreement")
        cohorts = cohorts.filter(pk__in=allowed)
    form = AgreementFilterForm(request.GET or None, cohorts=cohorts)
    chosen = form.cleaned_data.get("cohort") if form.is_valid() else None
    rows, total = queries.reviewer_agreement(cohorts.filter(pk=chosen.pk) if chosen else cohorts)
    return render(
        request,
        "portfolio/agreement.html",
        {"form": form, "cohort": chosen, "rows": rows, "total": total, "few": queries.FEW_MODERATED},
    )


# --- exports and pathway feedback ---
# Downloads (a portfolio as PDF or Word, a cohort as Excel) and feedback on the pathway: the admin's
# questionnaire pages, the page a supervisor or mentor answers on, and the results.


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def portfolio_export(request, org_slug, pk, file_format):
    """The portfolio as a tagged PDF or a Word document. The reviewer's decisions are left out for
    someone who may not see them yet (a moderator who has not second-marked)."""
    membership = request.membership
    queryset = Portfolio.objects.select_related("staff__team", "cohort", "mentor__user", "reviewer__user")
    portfolio = access.get_for(membership, Portfolio, pk, "portfolio.view_portfolio", queryset)
    with_decisions = policy.allows(membership, "portfolio.view_decision", portfolio)
    report = exports.portfolio_report(portfolio, show_decisions=with_decisions)
    content, content_type = exports.to_pdf(report) if file_format == "pdf" else exports.to_docx(report)
    actions.record_portfolio_export(portfolio, actor=membership, file_format=file_format, with_decisions=with_decisions)
    name = exports.filename(portfolio.staff.full_name, "portfolio", timezone.localdate().isoformat(), extension=file_format)
    return _download(content, content_type, name)


def cohort_export(request, org_slug, pk):
    cohort = _cohort(request.membership, pk, "portfolio.export_cohort")
    summary = exports.cohort_summary(cohort)
    content, content_type = exports.cohort_to_xlsx(summary)
    actions.record_cohort_export(cohort, actor=request.membership, rows=len(summary["rows"]))
    return _download(
        content, content_type, exports.filename(cohort.name, "summary", timezone.localdate().isoformat(), extension="xlsx")
    )


def _questionnaire(membership, pk, permission):
    return access.get_for(membership, Questionnaire, pk, permission, Questionnaire.objects.select_related("cohort"))


def _question(membership, pk):
    queryset = Question.objects.select_related("questionnaire__cohort")
    return access.get_for(membership, Question, pk, "portfolio.manage_questionnaire", queryset)


def _questionnaire_url(questionnaire):
    return reverse("portfolio:questionnaire", args=[questionnaire.organisation.slug, questionnaire.cohort_id])


def _answered(questionnaire):
    return questionnaire.responses.count()


def _locked_once_answered(request, questionnaire):
    """Questions stop changing once anyone has answered: say so, rather than show a form to refuse."""
    if _answered(questionnaire):
        messages.error(request, actions.ANSWERED)
        return redirect(_questionnaire_url(questionnaire))
    return None


def questionnaire(request, org_slug, pk):
    """The cohort's questionnaire about the pathway, for the admin who prepares and opens it."""
    membership = request.membership
    cohort = _cohort(membership, pk, "portfolio.manage_questionnaire")
    found = Questionnaire.objects.visible_to(membership).filter(cohort=cohort).first()
    context = {"cohort": cohort, "questionnaire": found, "defaults": feedback.DEFAULT_QUESTIONS}
    if found is not None:
        context.update(
            questions=list(found.questions.all()),
            answered=_answered(found),
            asked=len(queries.people_asked(cohort)),
            move_form=VersionedForm(initial={"version": found.version}),
        )
    return render(request, "portfolio/feedback_questionnaire.html", context)


@require_POST
def questionnaire_start(request, org_slug, pk):
    cohort = _cohort(request.membership, pk, "portfolio.manage_questionnaire")
    questionnaire = actions.create_questionnaire(cohort, actor=request.membership)
    messages.success(request, "Questionnaire prepared from the suggested questions. Change them as you need, then open it.")
    return redirect(_questionnaire_url(questionnaire))


def _stale_or_error(form, error):
    if isinstance(error, StaleEdit):
        return rebase_form(form, error)
    form.add_error(None, error)
    return None


@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, org_slug, pk):
    membership = request.membership
    questionnaire = _questionnaire(membership, pk, "portfolio.manage_questionnaire")
    form = QuestionnaireForm(request.POST or None, initial=QuestionnaireForm.initial_for(questionnaire))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_questionnaire(
                questionnaire, actor=membership, expected_version=form.cleaned_data["version"], **form.questionnaire_fields()
            )
        except (StaleEdit, ValidationError) as error:
            stale = _stale_or_error(form, error)
        else:
            messages.success(request, "Questionnaire saved.")
            return redirect(_questionnaire_url(questionnaire))
    return render(
        request,
        "portfolio/feedback_settings.html",
        {
            "questionnaire": questionnaire,
            "cohort": questionnaire.cohort,
            "form": form,
            "stale": stale,
            "answered": _answered(questionnaire),
        },
    )


@require_http_methods(["GET", "POST"])
def question_add(request, org_slug, pk):
    membership = request.membership
    questionnaire = _questionnaire(membership, pk, "portfolio.manage_questionnaire")
    if locked := _locked_once_answered(request, questionnaire):
        return locked
    form = QuestionForm(request.POST or None, initial={"version": questionnaire.version, "kind": Question.Kind.SCALE})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_question(
                questionnaire,
                actor=membership,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
        except (StaleEdit, ValidationError) as error:
            stale = _stale_or_error(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect(_questionnaire_url(questionnaire))
    return render(
        request,
        "portfolio/feedback_question_form.html",
        {"questionnaire": questionnaire, "cohort": questionnaire.cohort, "question": None, "form": form, "stale": stale},
    )


@require_http_methods(["GET", "POST"])
def question_edit(request, org_slug, pk):
    membership = request.membership
    question = _question(membership, pk)
    questionnaire = question.questionnaire
    if locked := _locked_once_answered(request, questionnaire):
        return locked
    initial = {"version": questionnaire.version, "text": question.text, "kind": question.kind}
    form = QuestionForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_question(
                question,
                actor=membership,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
        except (StaleEdit, ValidationError) as error:
            stale = _stale_or_error(form, error)
        else:
            messages.success(request, f"Question {question.position} saved.")
            return redirect(_questionnaire_url(questionnaire))
    return render(
        request,
        "portfolio/feedback_question_form.html",
        {"questionnaire": questionnaire, "cohort": questionnaire.cohort, "question": question, "form": form, "stale": stale},
    )


@require_http_methods(["GET", "POST"])
def question_delete(request, org_slug, pk):
    membership = request.membership
    question = _question(membership, pk)
    questionnaire = question.questionnaire
    if locked := _locked_once_answered(request, questionnaire):
        return locked
    form = VersionedForm(request.POST or None, initial={"version": questionnaire.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.delete_question(question, actor=membership, expected_version=form.cleaned_data["version"])
        except (StaleEdit, ValidationError) as error:
            stale = _stale_or_error(form, error)
        else:
            messages.success(request, "Question removed.")
            return redirect(_questionnaire_url(questionnaire))
    return render(
        request,
        "portfolio/feedback_question_delete.html",
        {"questionnaire": questionnaire, "cohort": questionnaire.cohort, "question": question, "form": form, "stale": stale},
    )


@require_POST
def question_move(request, org_slug, pk):
    membership = request.membership
    question = _question(membership, pk)
    questionnaire = question.questionnaire
    form = VersionedForm(request.POST)
    form.is_valid()
    try:
        actions.move_question(
            question,
            actor=membership,
            expected_version=form.cleaned_data.get("version"),
            direction=request.POST.get("direction") if request.POST.get("direction") in ("up", "down") else "up",
        )
    except StaleEdit:
        messages.error(
            request, "Someone else changed the questionnaire after you opened it. Check the questions, then try again."
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_questionnaire_url(questionnaire) + f"#question-{question.pk}")


@require_http_methods(["GET", "POST"])
def questionnaire_open(request, org_slug, pk):
    membership = request.membership
    questionnaire = _questionnaire(membership, pk, "portfolio.manage_questionnaire")
    if questionnaire.opened_at is not None:
        messages.info(request, f"The questionnaire has been open since {exports.long_date(questionnaire.opened_at)}.")
        return redirect(_questionnaire_url(questionnaire))
    form = OpenQuestionnaireForm(request.POST or None, initial={"version": questionnaire.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.open_questionnaire(
                questionnaire,
                actor=membership,
                expected_version=form.cleaned_data["version"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except (StaleEdit, ValidationError) as error:
            stale = _stale_or_error(form, error)
        else:
            messages.success(request, "Questionnaire open. The cohort's supervisors and mentors have been asked to answer it.")
            return redirect(_questionnaire_url(questionnaire))
    return render(
        request,
        "portfolio/feedback_open.html",
        {
            "questionnaire": questionnaire,
            "cohort": questionnaire.cohort,
            "form": form,
            "stale": stale,
            "asked": len(queries.people_asked(questionnaire.cohort)),
            "question_count": questionnaire.questions.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def questionnaire_answer(request, org_slug, pk):
    """Where a supervisor or mentor of the cohort answers, once."""
    membership = request.membership
    questionnaire = _questionnaire(membership, pk, "portfolio.answer_questionnaire")
    context = {"questionnaire": questionnaire, "cohort": questionnaire.cohort}
    if Receipt.objects.filter(questionnaire=questionnaire, membership=membership).exists():
        return render(request, "portfolio/feedback_answer.html", {**context, "done": True})
    questions = list(questionnaire.questions.all())
    form = AnswerForm(request.POST or None, questions=questions, initial={"version": questionnaire.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_questionnaire(
                questionnaire, actor=membership, expected_version=form.cleaned_data["version"], answers=form.answers()
            )
        except StaleEdit as error:
            # The questions changed while they were answering: show the new ones, keeping what still fits.
            stale = rebase_form(form, error)
            form = AnswerForm(form.data, questions=list(questionnaire.questions.all()))
            form.is_valid()
        except ValidationError as error:
            if error.code == "already_answered":
                return redirect(request.path)
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you: your answers have been sent.")
            return redirect(request.path)
    return render(
        request,
        "portfolio/feedback_answer.html",
        {**context, "form": form, "stale": stale, "role": actions.respondent_role(questionnaire, membership)},
    )


def _results(membership, pk):
    """The cohort's results, suppressed (`feedback.results`); None before it has a questionnaire."""
    cohort = _cohort(membership, pk, "portfolio.view_questionnaire_results")
    found = Questionnaire.objects.visible_to(membership).filter(cohort=cohort).select_related("cohort").first()
    if found is None:
        return cohort, None
    asked = Counter(queries.people_asked(cohort).values())
    return cohort, feedback.results(found, asked=asked)


def questionnaire_results(request, org_slug, pk):
    cohort, report = _results(request.membership, pk)
    return render(request, "portfolio/feedback_results.html", {"cohort": cohort, "report": report})


def questionnaire_results_export(request, org_slug, pk):
    cohort, report = _results(request.membership, pk)
    if report is None:
        raise Http404("This cohort has no questionnaire yet")
    content, content_type = feedback.results_to_xlsx(report)
    actions.record_feedback_export(report["questionnaire"], actor=request.membership, answered=report["total"])
    name = exports.filename(cohort.name, "feedback", timezone.localdate().isoformat(), extension="xlsx")
    return _download(content, content_type, name)
