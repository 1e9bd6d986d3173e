"""HTTP for a supervisor's own supervision: access → form → action → redirect or template."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.tenancy import access, policy
from trellis.workforce.models import StaffRecord
from trellis.workforce.queries import current_q

from . import actions
from .forms import AgreementForm, SessionForm
from .models import PROMPTS, SupervisionAgreement, SupervisionSession, add_months
from .status import STATES, register, standing_of

PAGE_SIZE = 25


def _people(membership, exclude=None, keep=None):
    """Current staff to choose a supervisor from: never the person themselves; `keep` stays a choice
    even if they have since left, so an old record can be saved unchanged."""
    condition = current_q()
    if keep is not None:
        condition |= Q(pk=keep)
    rows = StaffRecord.objects.visible_to(membership).filter(condition).order_by("full_name")
    return rows.exclude(pk=exclude.pk) if exclude is not None else rows


def _person(membership, pk, permission):
    return access.get_for(membership, StaffRecord, pk, permission, StaffRecord.objects.select_related("line_manager", "team"))


def overview(request, org_slug):
    membership = request.membership
    access.require(membership, "supervision.view_aggregates")
    rows = register(membership)
    counts = Counter(row.state for row in rows)
    show_all = request.GET.get("show") == "all"
    named = policy.allows(membership, "supervision.view_all")
    listed = [row for row in rows if show_all or row.needs_attention] if named else []
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/overview.html",
        {
            "total": len(rows),
            "counts": [(state, label, colour, counts.get(state, 0)) for state, (label, colour) in STATES.items()],
            "named": named,
            "show_all": show_all,
            "page_obj": page,
            "rows": page.object_list,
        },
    )


def mine(request, org_slug):
    membership = request.membership
    access.require(membership, "supervision.view_own")
    me = StaffRecord.objects.visible_to(membership).filter(membership=membership).first()
    if me is not None:
        return redirect("supervision:person", org_slug, me.pk)
    return render(request, "supervision/no_record.html")


def person(request, org_slug, pk):
    membership = request.membership
    staff = _person(membership, pk, "supervision.view")
    standing = standing_of(staff)
    sessions = staff.supervision_sessions.for_rows()
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    year_ago = add_months(timezone.localdate(), -12)
    totals = staff.supervision_sessions.filter(held_on__gt=year_ago).aggregate(
        sessions=Count("pk"),
        minutes=Sum("length_minutes"),
        **{name: Count("pk", filter=Q(**{name: True})) for name, _label, _hint in PROMPTS},
    )
    return render(
        request,
        "supervision/person.html",
        {
            "staff": staff,
            "standing": standing,
            "agreement": standing.agreement,
            "page_obj": page,
            "sessions": page.object_list,
            "is_me": staff.membership_id == membership.pk,
            "can_change_agreement": policy.allows(membership, "supervision.change_agreement", standing.agreement or staff),
            "can_log": policy.allows(membership, "supervision.log_session", staff),
            "totals": totals,
            "prompt_totals": [(label, totals[name]) for name, label, _hint in PROMPTS],
        },
    )


@require_http_methods(["GET", "POST"])
def agreement(request, org_slug, pk):
    membership = request.membership
    staff = _person(membership, pk, "supervision.change_agreement")
    current = SupervisionAgreement.objects.visible_to(membership).filter(staff=staff).first()
    if current is not None:
        initial = AgreementForm.initial_for(current)
    else:
        today = timezone.localdate()
        initial = {
            "supervisor": staff.line_manager_id,
            "frequency": SupervisionAgreement.Frequency.MONTHLY,
            "length_minutes": 90,
            "starts_on": today,
            "review_on": add_months(today, 12),
        }
    people = _people(membership, exclude=staff, keep=current.supervisor_id if current else None)
    form = AgreementForm(request.POST or None, people=people, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_agreement(
                actor=membership, staff=staff, expected_version=form.cleaned_data["version"], **form.agreement_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Supervision agreement saved." if current else "Supervision agreement set up.")
            return redirect("supervision:person", org_slug, staff.pk)
    return render(
        request, "supervision/agreement_form.html", {"form": form, "staff": staff, "agreement": current, "stale": stale}
    )


@require_http_methods(["GET", "POST"])
def session_add(request, org_slug, pk):
    membership = request.membership
    staff = _person(membership, pk, "supervision.log_session")
    current = SupervisionAgreement.objects.visible_to(membership).filter(staff=staff).first()
    initial = {
        "held_on": timezone.localdate(),
        "format": SupervisionSession.Format.INDIVIDUAL,
        "supervisor": current.supervisor_id if current else staff.line_manager_id,
        "length_minutes": current.length_minutes if current else None,
    }
    form = SessionForm(request.POST or None, people=_people(membership, exclude=staff), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_session(actor=membership, staff=staff, **form.session_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Supervision session recorded.")
            return redirect(reverse("supervision:person", args=[org_slug, staff.pk]) + "#sessions")
    return render(request, "supervision/session_form.html", {"form": form, "staff": staff, "session": None})


def _session(membership, pk):
    queryset = SupervisionSession.objects.select_related("staff__line_manager", "supervisor")
    return access.get_for(membership, SupervisionSession, pk, "supervision.log_session", queryset)


@require_http_methods(["GET", "POST"])
def session_edit(request, org_slug, pk):
    membership = request.membership
    session = _session(membership, pk)
    staff = session.staff
    form = SessionForm(
        request.POST or None,
        people=_people(membership, exclude=staff, keep=session.supervisor_id),
        initial=SessionForm.initial_for(session),
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_session(
                session, actor=membership, expected_version=form.cleaned_data["version"], **form.session_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Supervision session updated.")
            return redirect(reverse("supervision:person", args=[org_slug, staff.pk]) + "#sessions")
    return render(request, "supervision/session_form.html", {"form": form, "staff": staff, "session": session, "stale": stale})


@require_http_methods(["GET", "POST"])
def session_delete(request, org_slug, pk):
    session = _session(request.membership, pk)
    if request.method == "POST":
        actions.delete_session(session, actor=request.membership)
        messages.success(request, "Supervision session deleted. The audit trail keeps a record of it.")
        return redirect(reverse("supervision:person", args=[org_slug, session.staff_id]) + "#sessions")
    return render(request, "supervision/session_confirm_delete.html", {"session": session, "staff": session.staff})
