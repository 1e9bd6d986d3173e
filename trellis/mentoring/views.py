"""HTTP for coaching, mentoring and peer support: access → form → action → redirect or template."""

import uuid
from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.frameworks.models import Standard
from trellis.tenancy import access, policy
from trellis.workforce.models import StaffRecord
from trellis.workforce.queries import current_q

from . import actions
from .forms import (
    AttendanceForm,
    EndMentorshipForm,
    LeaveForm,
    MatchForm,
    MemberForm,
    MentorForm,
    MentorshipForm,
    OfferForm,
    PeerGroupForm,
    PeerSessionForm,
    SessionForm,
)
from .models import Attendance, Kind, MentoringSession, MentorProfile, Mentorship, PeerGroup, PeerGroupMember, PeerSession
from .offer import offer_report, waiting_list

PAGE_SIZE = 50


def _me(membership):
    return StaffRecord.objects.visible_to(membership).filter(membership=membership).first()


def _people(membership, keep=None):
    """Current staff, for choosing a person; `keep` stays a choice even if they have since left."""
    condition = current_q()
    if keep is not None:
        condition |= Q(pk=keep)
    return StaffRecord.objects.visible_to(membership).filter(condition).order_by("full_name")


def _person_from_query(request, name):
    try:
        pk = uuid.UUID(request.GET.get(name, ""))
    except ValueError:
        return None
    return StaffRecord.objects.visible_to(request.membership).filter(pk=pk).first()


def _relationship(membership, pk, permission):
    queryset = Mentorship.objects.select_related("mentor", "mentee__line_manager", "mentee__team")
    return access.get_for(membership, Mentorship, pk, permission, queryset)


def _session(membership, pk, permission):
    queryset = MentoringSession.objects.select_related("mentorship__mentor", "mentorship__mentee__line_manager")
    return access.get_for(membership, MentoringSession, pk, permission, queryset)


def _group(membership, pk, permission):
    return access.get_for(membership, PeerGroup, pk, permission, PeerGroup.objects.select_related("facilitator"))


def _peer_session(membership, pk, permission):
    queryset = PeerSession.objects.select_related("group__facilitator")
    return access.get_for(membership, PeerSession, pk, permission, queryset)


def _mentors(membership):
    return MentorProfile.objects.visible_to(membership).with_load().for_rows().order_by("staff__full_name")


# --- Overview, and a member's own ------------------------------------------------------------------------


def overview(request, org_slug):
    membership = request.membership
    access.require(membership, "mentoring.view_overview")
    show = "ended" if request.GET.get("show") == "ended" else "open"
    rows = Mentorship.objects.visible_to(membership).for_rows().with_session_facts()
    rows = (
        rows.ended().order_by("-ended_on", "mentee__full_name") if show == "ended" else rows.open().order_by("mentee__full_name")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    relationships = [(row, policy.allows(membership, "mentoring.view_relationship", row)) for row in page.object_list]
    mentors = list(_mentors(membership))
    open_counts = (
        Mentorship.objects.visible_to(membership)
        .open()
        .aggregate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in Kind.values})
    )
    offer = actions.offer_for(membership.organisation)
    return render(
        request,
        "mentoring/overview.html",
        {
            "show": show,
            "page_obj": page,
            "relationships": relationships,
            "mentors": mentors,
            "counts": {
                "mentoring": open_counts[Kind.MENTORING],
                "coaching": open_counts[Kind.COACHING],
                "mentors": len(mentors),
                "spaces": sum(max(m.capacity - m.load, 0) for m in mentors if m.is_available),
            },
            "offer": offer,
            "report": offer_report(membership.organisation, offer) if offer.groups else None,
        },
    )


def mine(request, org_slug):
    """The member's own coaching, mentoring and peer groups: as mentee, as mentor, as member or facilitator."""
    membership = request.membership
    access.require(membership, "mentoring.view_own")
    me = _me(membership)
    groups = list(PeerGroup.objects.visible_to(membership).for_member(membership).for_rows().with_counts().order_by("name"))
    context = {"me": me, "groups": groups, "as_mentee": [], "as_mentor": [], "profile": None}
    if me is not None:
        relationships = (
            Mentorship.objects.visible_to(membership)
            .involving(me)
            .for_rows()
            .with_session_facts()
            .order_by("ended_on", "-started_on")
        )
        for row in relationships:
            context["as_mentee" if row.mentee_id == me.pk else "as_mentor"].append(row)
        context["profile"] = MentorProfile.objects.visible_to(membership).with_load().filter(staff=me).first()
    return render(request, "mentoring/mine.html", context)


# --- Mentors and coaches ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def mentor_add(request, org_slug):
    access.require(request.membership, "mentoring.manage")
    existing = MentorProfile.objects.visible_to(request.membership).values("staff_id")
    people = _people(request.membership).exclude(pk__in=existing)
    form = MentorForm(
        request.POST or None, people=people, initial={"capacity": 2, "kinds": [Kind.MENTORING], "is_available": "yes"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = actions.add_mentor(actor=request.membership, staff=form.cleaned_data["staff"], **form.mentor_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{profile.staff.full_name} added to the mentors and coaches.")
            return redirect(reverse("mentoring:overview", args=[org_slug]) + "#mentors")
    return render(request, "mentoring/mentor_form.html", {"form": form, "profile": None})


@require_http_methods(["GET", "POST"])
def mentor_edit(request, org_slug, pk):
    profile = access.get_for(
        request.membership, MentorProfile, pk, "mentoring.change_mentor", MentorProfile.objects.with_load().for_rows()
    )
    form = MentorForm(request.POST or None, initial=MentorForm.initial_for(profile))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_mentor(
                profile, actor=request.membership, expected_version=form.cleaned_data["version"], **form.mentor_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{profile.staff.full_name}'s capacity and availability saved.")
            if policy.allows(request.membership, "mentoring.view_overview"):
                return redirect(reverse("mentoring:overview", args=[org_slug]) + "#mentors")
            return redirect("mentoring:mine", org_slug)
    return render(request, "mentoring/mentor_form.html", {"form": form, "profile": profile, "stale": stale})


# --- Relationships ------------------------------------------------------------------------------------------


def _match_form(membership, *args, confirm=False, **kwargs):
    return MatchForm(
        *args,
        mentees=_people(membership),
        mentors=_mentors(membership).filter(current_q(None, "staff__")),
        confirm=confirm,
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
def match(request, org_slug):
    membership = request.membership
    access.require(membership, "mentoring.manage")
    if request.method == "POST":
        form = _match_form(membership, request.POST, confirm="confirm_over_capacity" in request.POST)
        if form.is_valid():
            try:
                mentorship = actions.match_mentor(actor=membership, **form.match_fields())
            except ValidationError as error:
                if any(e.code == "over_capacity" for e in getattr(error, "error_dict", {}).get("mentor", [])):
                    # Ask again with the box that confirms it, keeping what they entered.
                    form = _match_form(membership, request.POST, confirm=True)
                    form.is_valid()
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{mentorship.mentee.full_name} is matched with {mentorship.mentor.full_name} for "
                    f"{mentorship.get_kind_display().lower()}.",
                )
                return redirect("mentoring:relationship", org_slug, mentorship.pk)
    else:
        initial = {"started_on": timezone.localdate(), "kind": Kind.MENTORING}
        person = _person_from_query(request, "mentee")
        if person is not None:
            initial["mentee"] = person.pk
        form = _match_form(membership, initial=initial)
    return render(request, "mentoring/match.html", {"form": form})


def relationship(request, org_slug, pk):
    membership = request.membership
    mentorship = _relationship(membership, pk, "mentoring.view_relationship")
    can_see_sessions = policy.allows(membership, "mentoring.view_sessions", mentorship)
    sessions = []
    standards = []
    if can_see_sessions:
        sessions = list(
            mentorship.sessions.select_related("recorded_by__user").prefetch_related(
                Prefetch("standards", queryset=Standard.objects.select_related("version__framework"))
            )
        )
        tally = Counter(standard for session in sessions for standard in session.standards.all())
        standards = sorted(tally.items(), key=lambda item: (-item[1], item[0].version.framework.short_name, item[0].position))
    return render(
        request,
        "mentoring/relationship.html",
        {
            "mentorship": mentorship,
            "can_see_sessions": can_see_sessions,
            "can_log": policy.allows(membership, "mentoring.log_session", mentorship),
            "can_change": mentorship.is_open and policy.allows(membership, "mentoring.change_relationship", mentorship),
            "sessions": sessions,
            "standards": standards,
            "total_minutes": sum(s.duration_minutes for s in sessions),
        },
    )


@require_http_methods(["GET", "POST"])
def relationship_edit(request, org_slug, pk):
    mentorship = _relationship(request.membership, pk, "mentoring.change_relationship")
    initial = {"version": mentorship.version, "goals": mentorship.goals, "started_on": mentorship.started_on}
    form = MentorshipForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.update_mentorship(
                mentorship, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Goals saved.")
            return redirect("mentoring:relationship", org_slug, mentorship.pk)
    return render(request, "mentoring/relationship_form.html", {"form": form, "mentorship": mentorship, "stale": stale})


@require_http_methods(["GET", "POST"])
def relationship_end(request, org_slug, pk):
    mentorship = _relationship(request.membership, pk, "mentoring.change_relationship")
    form = EndMentorshipForm(request.POST or None, initial={"version": mentorship.version, "ended_on": timezone.localdate()})
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            actions.end_mentorship(mentorship, actor=request.membership, expected_version=fields.pop("version"), **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The {mentorship.get_kind_display().lower()} relationship has ended.")
            return redirect("mentoring:relationship", org_slug, mentorship.pk)
    return render(request, "mentoring/relationship_end.html", {"form": form, "mentorship": mentorship, "stale": stale})


# --- Sessions -------------------------------------------------------------------------------------------------


def _session_form(mentorship, *args, session=None, **kwargs):
    standards = actions.standards_for(mentorship.mentee)
    if session is not None:
        standards = (
            Standard.objects.filter(Q(pk__in=standards.values("pk")) | Q(pk__in=session.standards.values("pk")))
            .select_related("version__framework")
            .order_by("version__framework__name", "version_id", "position")
        )
    return SessionForm(*args, standards=standards, **kwargs)


@require_http_methods(["GET", "POST"])
def session_add(request, org_slug, pk):
    mentorship = _relationship(request.membership, pk, "mentoring.log_session")
    form = _session_form(mentorship, request.POST or None, initial={"held_on": timezone.localdate(), "duration_minutes": 60})
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_session(mentorship, actor=request.membership, **form.session_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Session recorded.")
            return redirect(reverse("mentoring:relationship", args=[org_slug, mentorship.pk]) + "#sessions")
    return render(request, "mentoring/session_form.html", {"form": form, "mentorship": mentorship, "session": None})


@require_http_methods(["GET", "POST"])
def session_edit(request, org_slug, pk):
    session = _session(request.membership, pk, "mentoring.log_session")
    mentorship = session.mentorship
    form = _session_form(mentorship, request.POST or None, session=session, initial=SessionForm.initial_for(session))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        try:
            actions.update_session(session, actor=request.membership, expected_version=form.cleaned_data["version"], **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Session updated.")
            return redirect(reverse("mentoring:relationship", args=[org_slug, mentorship.pk]) + "#sessions")
    return render(
        request, "mentoring/session_form.html", {"form": form, "mentorship": mentorship, "session": session, "stale": stale}
    )


@require_http_methods(["GET", "POST"])
def session_delete(request, org_slug, pk):
    session = _session(request.membership, pk, "mentoring.log_session")
    if request.method == "POST":
        actions.delete_session(session, actor=request.membership)
        messages.success(request, "Session deleted. The audit trail keeps a record of it.")
        return redirect(reverse("mentoring:relationship", args=[org_slug, session.mentorship_id]) + "#sessions")
    return render(request, "mentoring/session_confirm_delete.html", {"session": session, "mentorship": session.mentorship})


# --- The offer to under-represented groups ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def offer(request, org_slug):
    access.require(request.membership, "mentoring.manage")
    current = actions.offer_for(request.membership.organisation)
    form = OfferForm(request.POST or None, initial=OfferForm.initial_for(current))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_offer(actor=request.membership, expected_version=form.cleaned_data["version"], **form.offer_fields())
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Who is offered coaching and mentoring first is saved.")
            return redirect("mentoring:overview", org_slug)
    return render(request, "mentoring/offer_form.html", {"form": form, "stale": stale})


def waiting(request, org_slug):
    membership = request.membership
    access.require(membership, "mentoring.view_waiting_list")
    current = actions.offer_for(membership.organisation)
    page = Paginator(waiting_list(membership, current), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mentoring/waiting_list.html", {"page_obj": page, "people": page.object_list, "offer": current})


# --- Peer groups --------------------------------------------------------------------------------------------


def group_list(request, org_slug):
    membership = request.membership
    access.require(membership, "mentoring.view_own")
    rows = PeerGroup.objects.visible_to(membership).for_rows().with_counts()
    if not policy.allows(membership, "mentoring.manage"):
        rows = rows.for_member(membership)
    show = "ended" if request.GET.get("show") == "ended" else "open"
    rows = rows.filter(ended_on__isnull=show == "open").order_by("kind", "name")
    return render(request, "mentoring/group_list.html", {"groups": list(rows), "show": show})


@require_http_methods(["GET", "POST"])
def group_add(request, org_slug):
    access.require(request.membership, "mentoring.manage")
    form = PeerGroupForm(
        request.POST or None,
        people=_people(request.membership),
        initial={"started_on": timezone.localdate(), "kind": PeerGroup.Kind.ACTION_LEARNING},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.create_peer_group(actor=request.membership, **form.group_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{group.name} created. Now add its members.")
            return redirect("mentoring:group-members", org_slug, group.pk)
    return render(request, "mentoring/group_form.html", {"form": form, "group": None})


def group_detail(request, org_slug, pk):
    membership = request.membership
    group = _group(membership, pk, "mentoring.view_peer_group")
    today = timezone.localdate()
    members = list(group.members.select_related("staff__team").order_by("left_on", "staff__full_name"))
    sessions = list(group.sessions.with_attendance_counts().in_order())
    commitments = list(
        Attendance.objects.filter(session__group=group, presented=True)
        .select_related("staff", "session")
        .order_by("-session__held_on", "staff__full_name")
    )
    return render(
        request,
        "mentoring/group_detail.html",
        {
            "group": group,
            "current_members": [m for m in members if m.left_on is None],
            "former_members": [m for m in members if m.left_on is not None],
            "upcoming": [s for s in sessions if s.status == PeerSession.Status.SCHEDULED and s.held_on >= today],
            "past": [s for s in reversed(sessions) if not (s.status == PeerSession.Status.SCHEDULED and s.held_on >= today)],
            "commitments": commitments,
            "can_manage": policy.allows(membership, "mentoring.manage_peer_group", group),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def group_edit(request, org_slug, pk):
    group = _group(request.membership, pk, "mentoring.manage_peer_group")
    form = PeerGroupForm(
        request.POST or None,
        people=_people(request.membership, keep=group.facilitator_id),
        editing=True,
        initial=PeerGroupForm.initial_for(group),
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.group_fields()
        try:
            actions.update_peer_group(group, actor=request.membership, expected_version=form.cleaned_data["version"], **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{fields['name']} saved.")
            return redirect("mentoring:group", org_slug, group.pk)
    return render(request, "mentoring/group_form.html", {"form": form, "group": group, "stale": stale})


@require_http_methods(["GET", "POST"])
def group_members(request, org_slug, pk):
    membership = request.membership
    group = _group(membership, pk, "mentoring.manage_peer_group")
    current = group.members.filter(left_on__isnull=True)
    form = MemberForm(
        request.POST or None,
        people=_people(membership).exclude(pk__in=current.values("staff_id")),
        initial={"joined_on": max(group.started_on, timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.add_group_member(group, actor=membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{member.staff.full_name} added to {group.name}.")
            return redirect("mentoring:group-members", org_slug, group.pk)
    return render(
        request,
        "mentoring/group_members.html",
        {"form": form, "group": group, "members": list(current.select_related("staff__team").order_by("staff__full_name"))},
    )


@require_http_methods(["GET", "POST"])
def member_leave(request, org_slug, pk):
    membership = request.membership
    queryset = PeerGroupMember.objects.select_related("group__facilitator", "staff")
    member = access.get_for(membership, PeerGroupMember, pk, "mentoring.manage_peer_group", queryset)
    form = LeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.remove_group_member(member, actor=membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{member.staff.full_name} has left {member.group.name}.")
            return redirect("mentoring:group-members", org_slug, member.group_id)
    return render(request, "mentoring/member_leave.html", {"form": form, "member": member, "group": member.group})


@require_http_methods(["GET", "POST"])
def group_session_add(request, org_slug, pk):
    group = _group(request.membership, pk, "mentoring.manage_peer_group")
    form = PeerSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        try:
            session = actions.schedule_peer_session(group, actor=request.membership, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Session on {actions.long_date(session.held_on)} added to the schedule.")
            return redirect(reverse("mentoring:group", args=[org_slug, group.pk]) + "#schedule")
    return render(request, "mentoring/group_session_form.html", {"form": form, "group": group, "session": None})


def group_session(request, org_slug, pk):
    membership = request.membership
    session = _peer_session(membership, pk, "mentoring.view_peer_group")
    attendance = list(session.attendance.select_related("staff").order_by("staff__full_name"))
    return render(
        request,
        "mentoring/group_session.html",
        {
            "session": session,
            "group": session.group,
            "attendance": attendance,
            "presenters": [a for a in attendance if a.presented],
            "counts": Counter(a.status for a in attendance),
            "can_manage": policy.allows(membership, "mentoring.manage_peer_group", session),
            "has_happened": session.held_on <= timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def group_session_edit(request, org_slug, pk):
    session = _peer_session(request.membership, pk, "mentoring.manage_peer_group")
    can_cancel = session.status != PeerSession.Status.HELD
    form = PeerSessionForm(request.POST or None, can_cancel=can_cancel, initial=PeerSessionForm.initial_for(session))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        try:
            session = actions.update_peer_session(
                session, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            cancelled = session.status == PeerSession.Status.CANCELLED
            messages.success(request, "Session cancelled." if cancelled else "Session saved.")
            return redirect("mentoring:group-session", org_slug, session.pk)
    return render(
        request, "mentoring/group_session_form.html", {"form": form, "group": session.group, "session": session, "stale": stale}
    )


@require_http_methods(["GET", "POST"])
def group_session_attendance(request, org_slug, pk):
    membership = request.membership
    session = _peer_session(membership, pk, "mentoring.manage_peer_group")
    people = actions.members_on(session)
    attendance = list(session.attendance.all())
    form = AttendanceForm(request.POST or None, people=people, initial=AttendanceForm.initial_for(session, attendance))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(
                session, actor=membership, rows=form.attendance_rows(), expected_version=form.cleaned_data["version"]
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Attendance and commitments saved.")
            return redirect("mentoring:group-session", org_slug, session.pk)
    return render(
        request,
        "mentoring/group_session_attendance.html",
        {
            "form": form,
            "session": session,
            "group": session.group,
            "rows": form.rows_of_fields(),
            "stale": stale,
            "too_early": session.held_on > timezone.localdate(),
        },
    )
