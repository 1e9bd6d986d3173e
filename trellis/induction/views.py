"""HTTP for the first 12 months: access → form → action → redirect or template."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.tenancy import access, policy
from trellis.workforce.models import StaffRecord, Team
from trellis.workforce.queries import current_q

from . import actions
from .forms import (
    CheckInForm,
    CloseFirstYearForm,
    CompleteItemForm,
    ItemForm,
    ListFilterForm,
    OpenFirstYearForm,
    TemplateItemForm,
)
from .models import CheckIn, ChecklistItem, FirstYear, Owner, TemplateItem

PAGE_SIZE = 25


def _people(membership, keep=None):
    """Current staff, for choosing a person; `keep` stays a choice even if they have since left, so an
    old record can be saved without changing who owns it or who a check-in was with."""
    condition = current_q()
    if keep is not None:
        condition |= Q(pk=keep)
    return StaffRecord.objects.visible_to(membership).filter(condition).order_by("full_name")


def _first_year(membership, pk, permission):
    queryset = FirstYear.objects.for_rows().select_related("created_by__user")
    return access.get_for(membership, FirstYear, pk, permission, queryset)


def _item(membership, pk, permission):
    queryset = ChecklistItem.objects.for_rows().select_related("first_year__staff__line_manager", "first_year__staff__team")
    return access.get_for(membership, ChecklistItem, pk, permission, queryset)


def _check_in(membership, pk, permission):
    queryset = CheckIn.objects.for_rows().select_related("first_year__staff__line_manager", "first_year__staff__team")
    return access.get_for(membership, CheckIn, pk, permission, queryset)


def _back(request, first_year_id, anchor=""):
    return redirect(reverse("induction:first-year", args=[request.organisation.slug, first_year_id]) + anchor)


def _lead_section(membership):
    """The service navigation's section for these pages: the organisation's view of supervisors'
    development for those who may see the list, otherwise the member's own development."""
    return "development-overview" if policy.allows(membership, "induction.view_list") else "development"


def _record_crumb(membership, staff):
    """For someone who cannot see the list, a person's first 12 months sits in their development
    record (the development app), or, without that app, under the organisation's home page."""
    slug = membership.organisation.slug
    try:
        if staff.membership_id == membership.pk:
            return {"text": "My development", "href": reverse("development:mine", args=[slug])}
        return {"text": f"{staff.full_name}'s development", "href": reverse("development:person", args=[slug, staff.pk])}
    except NoReverseMatch:
        return {"text": membership.organisation.name, "href": reverse("tenancy:organisation-home", args=[slug])}


def _person_page(membership, first_year, **context):
    """What every page about one person's first 12 months needs for its navigation."""
    return {
        "first_year": first_year,
        "record_crumb": _record_crumb(membership, first_year.staff),
        "nav_section": _lead_section(membership),
        **context,
    }


def _stale_message(stale, what):
    return f"Not changed: {stale.changed_by or 'someone else'} changed this {what} after you opened the page. Check it and try again."


# --- Everyone in their first 12 months -------------------------------------------------------------------


def first_year_list(request, org_slug):
    membership = request.membership
    access.require(membership, "induction.view_list")
    actions.bring_up_to_date(membership.organisation)
    teams = Team.objects.visible_to(membership).order_by("name").values_list("pk", "name")
    form = ListFilterForm(request.GET or None, teams=teams)
    filters = form.filters() if request.GET else {}
    status = filters.pop("status", "open")
    today = timezone.localdate()
    progress = FirstYear.objects.visible_to(membership).with_progress(today)
    totals = progress.open().aggregate(
        people=Count("pk"),
        overdue_items=Count("pk", filter=Q(items_overdue__gt=0)),
        overdue_check_ins=Count("pk", filter=Q(check_ins_overdue__gt=0)),
    )
    rows = progress.filtered(status=status, today=today, **filters).for_rows().order_by("-start_date", "staff__full_name")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.viewable = policy.allows(membership, "induction.view_first_year", row)
    return render(
        request,
        "induction/first_year_list.html",
        {
            "form": form,
            "page_obj": page,
            "first_years": page.object_list,
            "totals": totals,
            "status": status,
            "filtered": bool(filters) or status != "open",
            "nav_section": "development-overview",
        },
    )


def _staff_from_query(request):
    try:
        pk = uuid.UUID(request.GET.get("staff", ""))
    except ValueError:
        return None
    return StaffRecord.objects.visible_to(request.membership).filter(pk=pk).first()


@require_http_methods(["GET", "POST"])
def first_year_open(request, org_slug):
    """Open someone's first 12 months by hand: an external hire, or a correction."""
    access.require(request.membership, "induction.manage")
    people = _people(request.membership)
    if request.method == "POST":
        form = OpenFirstYearForm(request.POST, people=people)
        if form.is_valid():
            try:
                first_year = actions.open_first_year(actor=request.membership, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{first_year.staff.full_name}'s first 12 months is open, with the induction checklist and four check-ins.",
                )
                return redirect("induction:first-year", org_slug, first_year.pk)
    else:
        person = _staff_from_query(request)
        form = OpenFirstYearForm(
            people=people, initial={"staff": person.pk if person else None, "start_date": timezone.localdate()}
        )
    return render(request, "induction/first_year_open.html", {"form": form, "nav_section": "development-overview"})


# --- One person's first 12 months -----------------------------------------------------------------------


def first_year_detail(request, org_slug, pk):
    membership = request.membership
    first_year = _first_year(membership, pk, "induction.view_first_year")
    today = timezone.localdate()
    items = list(first_year.items.for_rows())
    check_ins = list(first_year.check_ins.for_rows())
    # Once it has closed nothing more will be done, so nothing is "overdue": it was not done.
    for item in items:
        item.current_owner = item.owner_for(first_year)
        item.late = first_year.is_open and item.is_overdue(today)
    for check_in in check_ins:
        check_in.late = first_year.is_open and check_in.is_overdue(today)
    earlier = list(
        FirstYear.objects.visible_to(membership)
        .filter(staff_id=first_year.staff_id)
        .exclude(pk=first_year.pk)
        .order_by("-start_date")
    )
    can_record = first_year.is_open and policy.allows(membership, "induction.record_progress", first_year)
    return render(
        request,
        "induction/first_year_detail.html",
        _person_page(
            membership,
            first_year,
            staff=first_year.staff,
            items=items,
            check_ins=check_ins,
            counts={
                "done": sum(1 for item in items if item.is_done),
                "overdue": sum(1 for item in items if item.late),
                "check_ins_overdue": sum(1 for check_in in check_ins if check_in.late),
            },
            next_check_in=next((c for c in check_ins if not c.is_held), None) if first_year.is_open else None,
            earlier=earlier,
            can_record=can_record,
            is_the_person=first_year.staff.membership_id == membership.pk,
            can_share=first_year.is_open and policy.allows(membership, "induction.share", first_year),
            can_manage=first_year.is_open and policy.allows(membership, "induction.manage", first_year),
        ),
    )


@require_POST
def first_year_sharing(request, org_slug, pk):
    first_year = _first_year(request.membership, pk, "induction.share")
    shared = request.POST.get("shared") == "yes"
    actions.set_sharing(first_year, actor=request.membership, shared=shared)
    messages.success(
        request,
        "Your mentor can now see your first 12 months." if shared else "Your mentor can no longer see your first 12 months.",
    )
    return _back(request, first_year.pk, "#sharing")


@require_http_methods(["GET", "POST"])
def first_year_close(request, org_slug, pk):
    first_year = _first_year(request.membership, pk, "induction.manage")
    if not first_year.is_open:
        messages.error(request, f"{first_year.staff.full_name}'s first 12 months is already closed.")
        return _back(request, first_year.pk)
    form = CloseFirstYearForm(request.POST or None, initial={"version": first_year.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            actions.close_first_year(first_year, actor=request.membership, expected_version=fields.pop("version"), **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{first_year.staff.full_name}'s first 12 months is closed. Its checklist and check-ins are kept."
            )
            return _back(request, first_year.pk)
    return render(
        request,
        "induction/first_year_close.html",
        {"form": form, "first_year": first_year, "stale": stale, "nav_section": "development-overview"},
    )


# --- Checklist items ------------------------------------------------------------------------------------


def _item_form(membership, *args, item=None, **kwargs):
    return ItemForm(*args, people=_people(membership, keep=item.owner_id if item else None), **kwargs)


@require_http_methods(["GET", "POST"])
def item_add(request, org_slug, pk):
    first_year = _first_year(request.membership, pk, "induction.record_progress")
    form = _item_form(request.membership, request.POST or None, initial={"owner_kind": Owner.SUPERVISOR})
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.add_item(first_year, actor=request.membership, **form.item_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{item.title} added to the induction checklist.")
            return _back(request, first_year.pk, "#checklist")
    return render(request, "induction/item_form.html", _person_page(request.membership, first_year, form=form, item=None))


@require_http_methods(["GET", "POST"])
def item_edit(request, org_slug, pk):
    item = _item(request.membership, pk, "induction.record_progress")
    form = _item_form(request.membership, request.POST or None, item=item, initial=ItemForm.initial_for(item))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_item(
                item, actor=request.membership, expected_version=form.cleaned_data["version"], **form.item_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Checklist item updated.")
            return redirect("induction:item", org_slug, item.pk)
    return render(
        request,
        "induction/item_form.html",
        _person_page(request.membership, item.first_year, form=form, item=item, stale=stale),
    )


@require_http_methods(["GET", "POST"])
def item_detail(request, org_slug, pk):
    """One item: what it is and who owns it, and either the form to tick it off or who ticked it off."""
    membership = request.membership
    item = _item(membership, pk, "induction.view_first_year")
    first_year = item.first_year
    can_record = first_year.is_open and policy.allows(membership, "induction.record_progress", item)
    form = None
    stale = None
    if can_record and not item.is_done:
        form = CompleteItemForm(request.POST or None, initial={"version": item.version, "completed_on": timezone.localdate()})
    if request.method == "POST":
        if form is None:
            policy.require(membership, "induction.record_progress", item)
            if item.is_done:
                who = f" by {item.completed_by.user.full_name}" if item.completed_by else ""
                messages.error(
                    request, f"Not changed: this was already ticked off on {actions.long_date(item.completed_on)}{who}."
                )
            else:
                messages.error(request, "Not changed: this first 12 months is closed, so its checklist can no longer be changed.")
            return redirect("induction:item", org_slug, item.pk)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            try:
                actions.complete_item(item, actor=membership, expected_version=fields.pop("version"), **fields)
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Ticked off: {item.title}.")
                return _back(request, first_year.pk, "#checklist")
    return render(
        request,
        "induction/item_detail.html",
        _person_page(
            membership,
            first_year,
            item=item,
            owner=item.owner_for(first_year),
            overdue=first_year.is_open and item.is_overdue(),
            form=form,
            stale=stale,
            can_record=can_record,
        ),
    )


@require_POST
def item_reopen(request, org_slug, pk):
    item = _item(request.membership, pk, "induction.record_progress")
    try:
        actions.reopen_item(item, actor=request.membership, expected_version=request.POST.get("version") or None)
    except StaleEdit as stale:
        messages.error(request, _stale_message(stale, "item"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Reopened: {item.title}. It is on the checklist to do again.")
    return redirect("induction:item", org_slug, item.pk)


# --- Check-ins ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check_in_detail(request, org_slug, pk):
    """A check-in: the form to record it (or change what was recorded), or, for people who only see
    it, what was recorded."""
    membership = request.membership
    check_in = _check_in(membership, pk, "induction.view_first_year")
    first_year = check_in.first_year
    can_record = first_year.is_open and policy.allows(membership, "induction.record_progress", check_in)
    form = stale = None
    if can_record:
        people = _people(membership, keep=check_in.held_with_id)
        form = CheckInForm(request.POST or None, people=people, initial=CheckInForm.initial_for(check_in))
    if request.method == "POST":
        if form is None:
            policy.require(membership, "induction.record_progress", check_in)
            messages.error(request, "This check-in cannot be changed: the first 12 months is closed.")
            return redirect("induction:check-in", org_slug, check_in.pk)
        if form.is_valid():
            was_held = check_in.is_held
            fields = form.check_in_fields()
            try:
                actions.record_check_in(check_in, actor=membership, expected_version=form.cleaned_data["version"], **fields)
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                first_year.refresh_from_db()
                message = f"{check_in.name.capitalize()} {'updated' if was_held else 'recorded'}."
                if not first_year.is_open:
                    message += f" {first_year.staff.full_name}'s first 12 months is complete."
                messages.success(request, message)
                return _back(request, first_year.pk, "#check-ins")
    return render(
        request,
        "induction/check_in.html",
        _person_page(
            membership,
            first_year,
            check_in=check_in,
            overdue=first_year.is_open and check_in.is_overdue(),
            form=form,
            stale=stale,
        ),
    )


# --- The organisation's checklist template --------------------------------------------------------------


def template_items(request, org_slug):
    access.require(request.membership, "induction.manage")
    actions.ensure_default_template(request.organisation)
    items = list(TemplateItem.objects.visible_to(request.membership).select_related("owner"))
    return render(request, "induction/template.html", {"items": items, "nav_section": "development-overview"})


def _template_form(membership, *args, item=None, **kwargs):
    return TemplateItemForm(*args, people=_people(membership, keep=item.owner_id if item else None), **kwargs)


@require_http_methods(["GET", "POST"])
def template_item_add(request, org_slug):
    access.require(request.membership, "induction.manage")
    actions.ensure_default_template(request.organisation)
    form = _template_form(request.membership, request.POST or None, initial={"due_unit": "weeks", "owner_kind": Owner.SUPERVISOR})
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.add_template_item(actor=request.membership, **form.item_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{item.title} added to the induction checklist template.")
            return redirect(reverse("induction:template", args=[org_slug]) + f"#item-{item.pk}")
    return render(
        request, "induction/template_item_form.html", {"form": form, "item": None, "nav_section": "development-overview"}
    )


@require_http_methods(["GET", "POST"])
def template_item_edit(request, org_slug, pk):
    item = access.get_for(request.membership, TemplateItem, pk, "induction.manage", TemplateItem.objects.select_related("owner"))
    form = _template_form(request.membership, request.POST or None, item=item, initial=TemplateItemForm.initial_for(item))
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_template_item(
                item, actor=request.membership, expected_version=form.cleaned_data["version"], **form.item_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Template item updated. Checklists already open keep their items as they were.")
            return redirect(reverse("induction:template", args=[org_slug]) + f"#item-{item.pk}")
    return render(
        request,
        "induction/template_item_form.html",
        {"form": form, "item": item, "stale": stale, "nav_section": "development-overview"},
    )


@require_http_methods(["GET", "POST"])
def template_item_delete(request, org_slug, pk):
    item = access.get_for(request.membership, TemplateItem, pk, "induction.manage", TemplateItem.objects.select_related("owner"))
    if request.method == "POST":
        actions.remove_template_item(item, actor=request.membership)
        messages.success(request, f"{item.title} removed from the template. Checklists already open keep it.")
        return redirect("induction:template", org_slug)
    return render(request, "induction/template_item_delete.html", {"item": item, "nav_section": "development-overview"})
