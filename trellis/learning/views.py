"""HTTP for training: access → form → action → redirect or template."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.frameworks.actions import ensure_frameworks_in_use
from trellis.frameworks.models import FrameworkInUse, Standard
from trellis.tenancy import access, policy
from trellis.workforce.models import StaffRecord, Team
from trellis.workforce.queries import current_q

from . import actions
from .completion import core_completion
from .forms import (
    BookSomeoneForm,
    CancelSessionForm,
    CatalogueFilterForm,
    CompletionFilterForm,
    CourseForm,
    ExternalTrainingForm,
    RegisterForm,
    SessionFilterForm,
    SessionForm,
    SharingForm,
)
from .models import Booking, Course, ExternalTraining, TrainingRecord, TrainingSession
from .queries import last_twelve_months

PAGE_SIZE = 25
NAV = "learning"


def _posted(request):
    """The submitted data, even when nothing was filled in (so an empty form shows its errors)."""
    return request.POST if request.method == "POST" else None


def _me(membership):
    """The signed-in member's own staff record, if their login is linked to one."""
    return StaffRecord.objects.visible_to(membership).filter(membership=membership).first()


def _catalogue(membership):
    # Every organisation starts from the default frameworks and courses; these write only the first
    # time, so whichever page someone opens first sets them up. Frameworks first, so the default
    # courses are linked to the standards the organisation works against.
    ensure_frameworks_in_use(membership.organisation)
    actions.ensure_default_catalogue(membership.organisation)


def _standards_in_use(membership, keep=()):
    """Standards of the frameworks the organisation has in force, plus any a course already links to."""
    versions = FrameworkInUse.objects.visible_to(membership).active().values("version_id")
    return (
        Standard.objects.filter(Q(version_id__in=versions) | Q(pk__in=list(keep)))
        .select_related("version__framework")
        .order_by("version__framework__name", "version__label", "position")
    )


def _course(membership, pk, permission):
    standards = Standard.objects.select_related("version__framework").order_by("version__framework__name", "position")
    queryset = Course.objects.prefetch_related(Prefetch("standards", queryset=standards))
    return access.get_for(membership, Course, pk, permission, queryset)


def _session(membership, pk, permission):
    return access.get_for(membership, TrainingSession, pk, permission, TrainingSession.objects.for_rows())


def _person(membership, pk, permission):
    """A person's training record: 404 outside the organisation, then the record's own rule (which
    depends on whether they share it with their mentor)."""
    staff = get_object_or_404(StaffRecord.objects.visible_to(membership).select_related("line_manager", "team"), pk=pk)
    record = _record_of(membership, staff)
    policy.require(membership, permission, record)
    return staff, record


def _record_of(membership, staff):
    """The person's sharing choices, or the defaults if they have made none."""
    record = TrainingRecord.objects.visible_to(membership).filter(staff=staff).first() or TrainingRecord(
        organisation_id=staff.organisation_id
    )
    record.staff = staff  # the policy reads the person through it: no second query for them
    return record


def _errors(error):
    return error.messages if not hasattr(error, "error_dict") else [m for ms in error.message_dict.values() for m in ms]


# --- The catalogue ------------------------------------------------------------------------------------


def catalogue(request, org_slug):
    membership = request.membership
    access.require(membership, "learning.view_catalogue")
    _catalogue(membership)
    can_manage = policy.allows(membership, "learning.manage")
    standards = list(_standards_in_use(membership))
    form = CatalogueFilterForm(request.GET or None, standards=standards, can_manage=can_manage)
    filters = form.filters() if request.GET else {}
    show = filters.get("show")
    rows = Course.objects.visible_to(membership)
    rows = rows.filter(status="retired") if show == "retired" else rows.offered()
    if show == "core":
        rows = rows.core()
    if filters.get("standard"):
        rows = rows.for_standard(filters["standard"])
    standard_rows = Standard.objects.select_related("version__framework").order_by("version__framework__name", "position")
    courses = list(
        rows.with_next_session().prefetch_related(Prefetch("standards", queryset=standard_rows)).order_by("-is_core", "title")
    )
    me = _me(membership)
    mine = {}
    if me is not None:
        for booking in Booking.objects.visible_to(membership).upcoming().filter(staff=me).select_related("session"):
            mine.setdefault(booking.session.course_id, booking)
    return render(
        request,
        "learning/catalogue.html",
        {
            "form": form,
            "filtered": bool(filters),
            "core": [c for c in courses if c.is_core and show != "retired"],
            "others": [c for c in courses if not c.is_core or show == "retired"],
            "retired": show == "retired",
            "mine": mine,
            "nav_section": NAV,
        },
    )


def course_detail(request, org_slug, pk):
    membership = request.membership
    course = _course(membership, pk, "learning.view_catalogue")
    can_manage = policy.allows(membership, "learning.manage")
    sessions = TrainingSession.objects.visible_to(membership).filter(course=course).with_places()
    upcoming = list(sessions.upcoming().order_by("date", "start_time"))
    past = (
        list(sessions.filter(Q(date__lt=timezone.localdate()) | Q(status="cancelled")).order_by("-date")[:10])
        if can_manage
        else []
    )
    me = _me(membership)
    mine = {}
    if me is not None:
        bookings = Booking.objects.visible_to(membership).filter(staff=me, session__course=course)
        for booking in bookings.live().with_waiting_position():
            mine[booking.session_id] = booking
        completed = bookings.completed().order_by("-completed_on").first()
    else:
        completed = None
    now = timezone.now()
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "standards": list(course.standards.all()),
            "upcoming": [{"session": s, "booking": mine.get(s.pk), "started": s.has_started(now)} for s in upcoming],
            "past": past,
            "me": me,
            "completed": completed,
            "can_manage": can_manage,
            "nav_section": NAV,
        },
    )


def _course_form(membership, *args, course=None, **kwargs):
    keep = [s.pk for s in course.standards.all()] if course is not None else []
    return CourseForm(*args, standards=_standards_in_use(membership, keep), editing=course is not None, **kwargs)


@require_http_methods(["GET", "POST"])
def course_add(request, org_slug):
    access.require(request.membership, "learning.manage")
    _catalogue(request.membership)
    form = _course_form(request.membership, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            course = actions.create_course(
                actor=request.membership, standards=form.cleaned_data["standards"], **form.course_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{course.title} added to the catalogue. Now add a session people can book.")
            return redirect("learning:course", org_slug, course.pk)
    return render(request, "learning/course_form.html", {"form": form, "course": None, "nav_section": NAV})


@require_http_methods(["GET", "POST"])
def course_edit(request, org_slug, pk):
    course = _course(request.membership, pk, "learning.manage")
    form = _course_form(request.membership, _posted(request), course=course, initial=CourseForm.initial_for(course))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            course = actions.update_course(
                course,
                actor=request.membership,
                expected_version=form.cleaned_data["version"],
                standards=form.cleaned_data["standards"],
                **form.course_fields(),
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{course.title} updated.")
            return redirect("learning:course", org_slug, course.pk)
    return render(request, "learning/course_form.html", {"form": form, "course": course, "stale": stale, "nav_section": NAV})


# --- Sessions -----------------------------------------------------------------------------------------


def session_list(request, org_slug):
    membership = request.membership
    access.require(membership, "learning.manage")
    form = SessionFilterForm(request.GET or None)
    show = form.filters().get("show") if request.GET else None
    today = timezone.localdate()
    rows = TrainingSession.objects.visible_to(membership).for_rows().with_places()
    if show == "past":
        rows = rows.scheduled().past(today).order_by("-date", "-start_time")
    elif show == "cancelled":
        rows = rows.filter(status="cancelled").order_by("-date")
    else:
        rows = rows.upcoming(today).order_by("date", "start_time")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    registers = list(TrainingSession.objects.visible_to(membership).needing_register(today).for_rows().order_by("-date")[:20])
    return render(
        request,
        "learning/session_list.html",
        {
            "form": form,
            "show": show or "upcoming",
            "page_obj": page,
            "sessions": page.object_list,
            "registers": [s for s in registers if s.has_started()],
            "nav_section": NAV,
        },
    )


def session_detail(request, org_slug, pk):
    membership = request.membership
    session = _session(membership, pk, "learning.view_catalogue")
    can_manage = policy.allows(membership, "learning.manage")
    bookings = Booking.objects.visible_to(membership).filter(session=session)
    people = (
        list(bookings.live().select_related("staff__team", "booked_by__user").order_by("requested_at", "id"))
        if can_manage
        else []
    )
    booked = [b for b in people if b.status == Booking.Status.BOOKED]
    waiting = [b for b in people if b.status == Booking.Status.WAITING]
    if not can_manage:
        counts = list(bookings.live().values_list("status", flat=True))
        booked_count = sum(1 for status in counts if status == Booking.Status.BOOKED)
        waiting_count = len(counts) - booked_count
    else:
        booked_count, waiting_count = len(booked), len(waiting)
    me = _me(membership)
    mine = None
    if me is not None:
        mine = bookings.filter(staff=me).with_waiting_position().order_by("-requested_at").first()
    return render(
        request,
        "learning/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "started": session.has_started(),
            "booked": booked,
            "waiting": waiting,
            "booked_count": booked_count,
            "waiting_count": waiting_count,
            "free": max(session.capacity - booked_count, 0),
            "me": me,
            "mine": mine,
            "can_manage": can_manage,
            "nav_section": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def session_add(request, org_slug, pk):
    course = _course(request.membership, pk, "learning.manage")
    form = SessionForm(_posted(request), initial={"mode": TrainingSession.Mode.IN_PERSON})
    if not course.is_offered:
        messages.error(request, f"{course.title} is retired. Offer it again before adding sessions.")
        return redirect("learning:course", org_slug, course.pk)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_session(course, actor=request.membership, **form.session_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Session added: {session.dates}, {session.times}. People can book it now.")
            return redirect("learning:session", org_slug, session.pk)
    return render(request, "learning/session_form.html", {"form": form, "course": course, "session": None, "nav_section": NAV})


@require_http_methods(["GET", "POST"])
def session_edit(request, org_slug, pk):
    session = _session(request.membership, pk, "learning.manage")
    if session.is_cancelled:
        messages.error(request, "This session was cancelled, so it cannot be changed.")
        return redirect("learning:session", org_slug, session.pk)
    form = SessionForm(_posted(request), initial=SessionForm.initial_for(session))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.update_session(
                session, actor=request.membership, expected_version=form.cleaned_data["version"], **form.session_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Session updated.")
            return redirect("learning:session", org_slug, session.pk)
    return render(
        request,
        "learning/session_form.html",
        {"form": form, "course": session.course, "session": session, "stale": stale, "nav_section": NAV},
    )


@require_http_methods(["GET", "POST"])
def session_cancel(request, org_slug, pk):
    session = _session(request.membership, pk, "learning.manage")
    form = CancelSessionForm(_posted(request), initial={"version": session.version})
    people = Booking.objects.visible_to(request.membership).filter(session=session).live().count()
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            session, affected = actions.cancel_session(
                session,
                actor=request.membership,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(affected)
            messages.success(request, f"Session cancelled. {count} booking{'s' if count != 1 else ''} cancelled with it.")
            return redirect("learning:session", org_slug, session.pk)
    return render(
        request,
        "learning/session_cancel.html",
        {"form": form, "session": session, "people": people, "stale": stale, "nav_section": NAV},
    )


# --- Bookings -------------------------------------------------------------------------------------------


class _Confirm(forms.Form):
    """A form with nothing to fill in, so refusals show in the usual error summary."""


@require_http_methods(["GET", "POST"])
def book(request, org_slug, pk):
    """Book yourself a place, or join the waiting list."""
    membership = request.membership
    session = _session(membership, pk, "learning.view_catalogue")
    me = _me(membership)
    form = _Confirm(_posted(request))
    if request.method == "POST" and me is not None and form.is_valid():
        try:
            booking = actions.book_place(session, actor=membership, staff=me)
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            if booking.status == Booking.Status.BOOKED:
                messages.success(request, f"You have a place on {session.course.title}: {session.dates}, {session.times}.")
            else:
                messages.success(
                    request, "The session is full, so you are on the waiting list. You get a place automatically if one frees up."
                )
            return redirect("learning:session", org_slug, session.pk)
    booked = Booking.objects.visible_to(membership).filter(session=session, status="booked").count()
    return render(
        request,
        "learning/book.html",
        {"form": form, "session": session, "me": me, "full": booked >= session.capacity, "nav_section": NAV},
    )


@require_http_methods(["GET", "POST"])
def book_someone(request, org_slug, pk):
    membership = request.membership
    session = _session(membership, pk, "learning.manage")
    taken = Booking.objects.visible_to(membership).filter(session=session).live().values("staff_id")
    people = StaffRecord.objects.visible_to(membership).filter(current_q()).exclude(pk__in=taken).order_by("full_name")
    form = BookSomeoneForm(_posted(request), people=people)
    if request.method == "POST" and form.is_valid():
        staff = form.cleaned_data["staff"]
        try:
            booking = actions.book_place(session, actor=membership, staff=staff)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if booking.status == Booking.Status.BOOKED:
                messages.success(request, f"{staff.full_name} has a place on this session.")
            else:
                messages.success(request, f"The session is full, so {staff.full_name} is on the waiting list.")
            return redirect("learning:session", org_slug, session.pk)
    booked = Booking.objects.visible_to(membership).filter(session=session, status="booked").count()
    return render(
        request,
        "learning/book_someone.html",
        {
            "form": form,
            "session": session,
            "full": booked >= session.capacity,
            "started": session.has_started(),
            "nav_section": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def booking_cancel(request, org_slug, pk):
    membership = request.membership
    booking = access.get_for(
        membership,
        Booking,
        pk,
        "learning.cancel_booking",
        Booking.objects.select_related("session__course", "staff__line_manager"),
    )
    own = booking.staff.membership_id == membership.pk
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not back.startswith(f"/o/{org_slug}/"):
        back = reverse("learning:session", args=[org_slug, booking.session_id])
    if request.method == "POST":
        try:
            booking, promoted = actions.cancel_booking(booking, actor=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            who = "Your" if own else f"{booking.staff.full_name}'s"
            text = f"{who} booking on {booking.session.course.title} is cancelled."
            if promoted:
                text += f" The place went to {promoted[0].staff.full_name}, the first on the waiting list."
            messages.success(request, text)
        return redirect(back)
    return render(request, "learning/booking_cancel.html", {"booking": booking, "own": own, "back": back, "nav_section": NAV})


# --- The attendance register -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request, org_slug, pk):
    membership = request.membership
    session = _session(membership, pk, "learning.manage")
    bookings = list(
        Booking.objects.visible_to(membership)
        .filter(session=session)
        .live()
        .select_related("staff__team")
        .order_by("-status", "staff__full_name")  # people with a place ("booked") before the waiting list
    )
    form = RegisterForm(_posted(request), bookings=bookings, initial=RegisterForm.initial_for(session, bookings))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.record_attendance(
                session, actor=membership, marks=form.marks(), completed_on=form.cleaned_data["completed_on"]
            )
        except StaleEdit as error:
            stale = error
            form.rebase(Booking.objects.visible_to(membership).filter(pk__in=[b.pk for b in bookings]))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            count = len(changed)
            messages.success(request, f"Register saved: {count} {'person' if count == 1 else 'people'} updated.")
            return redirect("learning:session", org_slug, session.pk)
    return render(
        request,
        "learning/register.html",
        {"form": form, "session": session, "started": session.has_started(), "stale": stale, "nav_section": NAV},
    )


def _add_errors(form, error):
    """Errors keyed by a row's field go next to it; anything else to the top of the register."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


# --- A person's training record ---------------------------------------------------------------------------


def _record(request, staff, record, own):
    membership = request.membership
    today = timezone.localdate()
    bookings = list(
        Booking.objects.visible_to(membership)
        .filter(staff=staff)
        .for_rows()
        .with_waiting_position()
        .order_by("-session__date", "-requested_at")
    )
    now = timezone.now()
    upcoming = sorted((b for b in bookings if b.is_ahead(now)), key=lambda b: (b.session.date, b.session.start_time))
    history = [b for b in bookings if b not in upcoming and (b.status != Booking.Status.CANCELLED or b.session.is_cancelled)]
    external = list(ExternalTraining.objects.visible_to(membership).filter(staff=staff))
    since = last_twelve_months(today)
    core = list(Course.objects.visible_to(membership).offered().core().order_by("title"))
    core_rows = []
    for course in core:
        done = next((b for b in bookings if b.session.course_id == course.pk and b.completed_on), None)
        planned = next((b for b in upcoming if b.session.course_id == course.pk), None)
        core_rows.append({"course": course, "completed": done, "planned": planned})
    course_hours = sum((b.session.course.hours for b in bookings if b.completed_on and b.completed_on >= since), 0)
    other_hours = sum((item.hours for item in external if item.completed_on >= since), 0)
    reports = []
    if own:
        reports = list(
            StaffRecord.objects.visible_to(membership)
            .current()
            .filter(line_manager=staff)
            .select_related("team")
            .order_by("full_name")
        )
    return render(
        request,
        "learning/record.html",
        {
            "staff": staff,
            "record": record,
            "own": own,
            "upcoming": upcoming,
            "history": history,
            "external": external,
            "core_rows": core_rows,
            "core_done": sum(1 for row in core_rows if row["completed"]),
            "hours": {"courses": course_hours, "elsewhere": other_hours, "total": course_hours + other_hours, "since": since},
            "reports": reports,
            "sharing": SharingForm(initial={"shared": record.shared_with_mentor}) if own else None,
            "can_change": policy.allows(membership, "learning.change_record", staff),
            "nav_section": NAV,
        },
    )


def my_training(request, org_slug):
    membership = request.membership
    access.require(membership, "learning.view_catalogue")
    _catalogue(membership)
    me = _me(membership)
    if me is None:
        return render(request, "learning/no_record.html", {"nav_section": NAV})
    return _record(request, me, _record_of(membership, me), own=True)


def person_record(request, org_slug, pk):
    staff, record = _person(request.membership, pk, "learning.view_record")
    if staff.membership_id == request.membership.pk:
        return redirect("learning:my-training", org_slug)
    return _record(request, staff, record, own=False)


@require_POST
def sharing(request, org_slug):
    membership = request.membership
    access.require(membership, "learning.view_catalogue")
    me = _me(membership)
    if me is None:
        messages.error(request, "Your login is not linked to a staff record, so you have no training record to share.")
        return redirect("learning:my-training", org_slug)
    form = SharingForm(request.POST)
    form.is_valid()
    record = actions.share_with_mentor(me, actor=membership, shared=bool(form.cleaned_data.get("shared")))
    if record.shared_with_mentor:
        messages.success(request, "Your mentor or coach can now see your training record.")
    else:
        messages.success(request, "Your training record is no longer shared with your mentor or coach.")
    return redirect(reverse("learning:my-training", args=[org_slug]) + "#sharing")


def _record_url(org_slug, staff, membership):
    if staff.membership_id == membership.pk:
        return reverse("learning:my-training", args=[org_slug])
    return reverse("learning:record", args=[org_slug, staff.pk])


@require_http_methods(["GET", "POST"])
def external_add(request, org_slug, pk):
    staff, _record_row = _person(request.membership, pk, "learning.change_record")
    form = ExternalTrainingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_external_training(actor=request.membership, staff=staff, **form.external_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['title']} added to the training record.")
            return redirect(_record_url(org_slug, staff, request.membership) + "#elsewhere")
    return render(
        request,
        "learning/external_form.html",
        {
            "form": form,
            "staff": staff,
            "item": None,
            "back": _record_url(org_slug, staff, request.membership),
            "nav_section": NAV,
        },
    )


def _external(membership, pk, permission):
    return access.get_for(
        membership, ExternalTraining, pk, permission, ExternalTraining.objects.select_related("staff__line_manager")
    )


@require_http_methods(["GET", "POST"])
def external_edit(request, org_slug, pk):
    item = _external(request.membership, pk, "learning.change_record")
    form = ExternalTrainingForm(_posted(request), initial=ExternalTrainingForm.initial_for(item))
    back = _record_url(org_slug, item.staff, request.membership)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_external_training(
                item, actor=request.membership, expected_version=form.cleaned_data["version"], **form.external_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Training record updated.")
            return redirect(back + "#elsewhere")
    return render(
        request,
        "learning/external_form.html",
        {"form": form, "staff": item.staff, "item": item, "back": back, "stale": stale, "nav_section": NAV},
    )


@require_http_methods(["GET", "POST"])
def external_delete(request, org_slug, pk):
    item = _external(request.membership, pk, "learning.change_record")
    back = _record_url(org_slug, item.staff, request.membership)
    if request.method == "POST":
        actions.delete_external_training(item, actor=request.membership)
        messages.success(request, f"{item.title} removed from the training record. The audit trail keeps a record of it.")
        return redirect(back + "#elsewhere")
    return render(request, "learning/external_delete.html", {"item": item, "back": back, "nav_section": NAV})


# --- Completion of core training ---------------------------------------------------------------------------


def completion(request, org_slug):
    membership = request.membership
    access.require(membership, "learning.view_completion")
    _catalogue(membership)
    can_manage = policy.allows(membership, "learning.manage")
    teams = Team.objects.visible_to(membership).order_by("name").values_list("pk", "name")
    form = CompletionFilterForm(request.GET or None, teams=teams) if can_manage else None
    team = form.filters().get("team") if form is not None and request.GET else None
    figures = core_completion(membership, team=team)
    return render(
        request,
        "learning/completion.html",
        {**figures, "form": form, "team": team, "can_manage": can_manage, "nav_section": NAV},
    )
