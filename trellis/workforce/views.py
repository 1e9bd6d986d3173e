"""HTTP for the workforce register: access → form → action → redirect or template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.tenancy import access
from trellis.tenancy.models import Membership

from . import actions, exports, importer
from .forms import (
    SUPERVISOR_SORTS,
    CareerStageForm,
    EqualityForm,
    ImportApplyForm,
    ImportMappingForm,
    ImportUploadForm,
    LeavingForm,
    StaffFilterForm,
    StaffRecordForm,
    StageChangeForm,
    SupervisorFilterForm,
    TeamForm,
)
from .models import CareerStage, EqualityRecord, ImportBatch, ImportRow, StaffRecord, Team
from .queries import time_in_role

PAGE_SIZE = 25


def _stages(membership):
    # Every organisation starts from the default career pathway; this writes only the first time.
    actions.ensure_default_career_stages(membership.organisation)
    return CareerStage.objects.visible_to(membership).order_by("position")


def _teams(membership):
    return Team.objects.visible_to(membership).order_by("name")


def _current_staff(membership, exclude=None):
    rows = StaffRecord.objects.visible_to(membership).current().order_by("full_name")
    return rows.exclude(pk=exclude.pk) if exclude is not None else rows


def _memberships(membership):
    return Membership.objects.visible_to(membership).filter(is_active=True).select_related("user").order_by("user__full_name")


def _staff_form(membership, *args, staff=None, **kwargs):
    return StaffRecordForm(
        *args,
        teams=_teams(membership),
        managers=_current_staff(membership, exclude=staff),
        memberships=_memberships(membership),
        stages=_stages(membership) if staff is None else None,
        **kwargs,
    )


STAFF_SORTS = {"name": ("full_name",), "start": ("start_date", "full_name"), "-start": ("-start_date", "full_name")}


def staff_list(request, org_slug):
    access.require(request.membership, "workforce.view")
    form = StaffFilterForm(
        request.GET or None,
        teams=_teams(request.membership).values_list("pk", "name"),
        stages=_stages(request.membership).values_list("pk", "name"),
    )
    filters = form.filters() if request.GET else {}
    status = filters.pop("status", "current")
    rows = (
        StaffRecord.objects.visible_to(request.membership)
        .filtered(status=status, **filters)
        .for_rows()
        .with_current_stage()
        .order_by("full_name")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/staff_list.html",
        {
            "form": form,
            "page_obj": page,
            "staff": page.object_list,
            "filtered": bool(filters) or status != "current",
            "status": status,
            "today": timezone.localdate(),
            "nav_section": "workforce",
        },
    )


def staff_detail(request, org_slug, pk):
    queryset = StaffRecord.objects.for_rows().select_related("membership__user", "team__manager").with_supervisory_since()
    staff = access.get_for(request.membership, StaffRecord, pk, "workforce.view", queryset)
    history = list(staff.stage_history.select_related("stage"))
    current = next((row for row in history if row.end_date is None), None)
    supervisees = staff.supervisees.current().select_related("team").order_by("full_name")
    return render(
        request,
        "workforce/staff_detail.html",
        {
            "staff": staff,
            "history": history,
            "current": current,
            "supervisees": supervisees,
            "time_in_role": time_in_role(staff.supervisory_since) if current and current.stage.is_supervisory else "",
            # visible_to() returns nothing to members who may not see special-category data.
            "equality": EqualityRecord.objects.visible_to(request.membership).filter(staff=staff).first(),
            "has_left": staff.has_left(),
            "nav_section": "workforce",
        },
    )


@require_http_methods(["GET", "POST"])
def staff_create(request, org_slug):
    access.require(request.membership, "workforce.manage")
    if request.method == "POST":
        form = _staff_form(request.membership, request.POST)
        if form.is_valid():
            fields = form.staff_fields()
            try:
                staff = actions.create_staff_record(actor=request.membership, career_stage=fields.pop("career_stage"), **fields)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{staff.full_name} added to the workforce register.")
                return redirect("workforce:staff", org_slug, staff.pk)
    else:
        form = _staff_form(request.membership, initial={"fte": "1.00", "employment_type": "permanent"})
    return render(request, "workforce/staff_form.html", {"form": form, "staff": None, "nav_section": "workforce"})


@require_http_methods(["GET", "POST"])
def staff_edit(request, org_slug, pk):
    staff = access.get_for(request.membership, StaffRecord, pk, "workforce.manage")
    stale = None
    if request.method == "POST":
        form = _staff_form(request.membership, request.POST, staff=staff)
        if form.is_valid():
            fields = form.staff_fields()
            try:
                actions.update_staff_record(
                    staff, actor=request.membership, expected_version=form.cleaned_data["version"], **fields
                )
            except StaleEdit as error:
                stale = rebase_form(form, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{fields['full_name']}'s record updated.")
                return redirect("workforce:staff", org_slug, staff.pk)
    else:
        form = _staff_form(request.membership, staff=staff, initial=StaffRecordForm.initial_for(staff))
    return render(
        request, "workforce/staff_form.html", {"form": form, "staff": staff, "stale": stale, "nav_section": "workforce"}
    )


@require_http_methods(["GET", "POST"])
def staff_stage(request, org_slug, pk):
    staff = access.get_for(request.membership, StaffRecord, pk, "workforce.manage")
    current = staff.stage_history.open().select_related("stage").first()
    form = StageChangeForm(request.POST or None, stages=_stages(request.membership))
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_career_stage(staff, actor=request.membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{staff.full_name} is now at the {form.cleaned_data['stage']} stage.")
            return redirect("workforce:staff", org_slug, staff.pk)
    return render(
        request, "workforce/stage_form.html", {"form": form, "staff": staff, "current": current, "nav_section": "workforce"}
    )


@require_http_methods(["GET", "POST"])
def staff_leaving(request, org_slug, pk):
    staff = access.get_for(request.membership, StaffRecord, pk, "workforce.manage")
    initial = {"leaving_date": staff.leaving_date, "leaving_reason": staff.leaving_reason, "version": staff.version}
    form = LeavingForm(request.POST or None, initial=initial, start_date=staff.start_date)
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            actions.record_leaving(staff, actor=request.membership, expected_version=fields.pop("version"), **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Leaving date recorded for {staff.full_name}.")
            return redirect("workforce:staff", org_slug, staff.pk)
    return render(
        request, "workforce/leaving_form.html", {"form": form, "staff": staff, "stale": stale, "nav_section": "workforce"}
    )


@require_http_methods(["GET", "POST"])
def staff_equality(request, org_slug, pk):
    staff = access.get_for(request.membership, StaffRecord, pk, "workforce.manage_equality")
    record = EqualityRecord.objects.visible_to(request.membership).filter(staff=staff).first()
    form = EqualityForm(request.POST or None, initial=EqualityForm.initial_for(record))
    stale = None
    if request.method == "POST" and "erase" in request.POST:
        actions.erase_equality_answers(staff, actor=request.membership)
        messages.success(request, f"{staff.full_name}'s equality monitoring answers have been deleted.")
        return redirect("workforce:staff", org_slug, staff.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_equality_answers(
                staff, actor=request.membership, expected_version=form.cleaned_data["version"], **form.answers()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        else:
            messages.success(request, f"{staff.full_name}'s equality monitoring answers saved.")
            return redirect("workforce:staff", org_slug, staff.pk)
    return render(
        request,
        "workforce/equality_form.html",
        {"form": form, "staff": staff, "record": record, "stale": stale, "nav_section": "workforce"},
    )


def career_stage_list(request, org_slug):
    access.require(request.membership, "workforce.view")
    stages = _stages(request.membership).with_headcount()
    return render(request, "workforce/career_stage_list.html", {"stages": stages, "nav_section": "workforce"})


@require_http_methods(["GET", "POST"])
def career_stage_create(request, org_slug):
    access.require(request.membership, "workforce.manage")
    form = CareerStageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stage = actions.create_career_stage(
                actor=request.membership, name=form.cleaned_data["name"], is_supervisory=form.cleaned_data["is_supervisory"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{stage.name} added at the end of your career stages. Move it into place below.")
            return redirect("workforce:career-stage-list", org_slug)
    return render(request, "workforce/career_stage_form.html", {"form": form, "stage": None, "nav_section": "workforce"})


@require_http_methods(["GET", "POST"])
def career_stage_edit(request, org_slug, pk):
    stage = access.get_for(request.membership, CareerStage, pk, "workforce.manage")
    initial = {"name": stage.name, "is_supervisory": stage.is_supervisory, "version": stage.version}
    form = CareerStageForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            actions.update_career_stage(stage, actor=request.membership, expected_version=fields.pop("version"), **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{fields['name']} updated.")
            return redirect("workforce:career-stage-list", org_slug)
    return render(
        request, "workforce/career_stage_form.html", {"form": form, "stage": stage, "stale": stale, "nav_section": "workforce"}
    )


@require_http_methods(["POST"])
def career_stage_move(request, org_slug, pk):
    stage = access.get_for(request.membership, CareerStage, pk, "workforce.manage")
    direction = request.POST.get("direction")
    if direction in ("up", "down") and actions.move_career_stage(stage, actor=request.membership, direction=direction):
        messages.success(request, f"{stage.name} moved {'earlier' if direction == 'up' else 'later'}.")
    return redirect("workforce:career-stage-list", org_slug)


@require_http_methods(["GET", "POST"])
def career_stage_delete(request, org_slug, pk):
    stage = access.get_for(request.membership, CareerStage, pk, "workforce.manage")
    error = None
    if request.method == "POST":
        try:
            actions.delete_career_stage(stage, actor=request.membership)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"{stage.name} deleted.")
            return redirect("workforce:career-stage-list", org_slug)
    return render(
        request,
        "workforce/career_stage_confirm_delete.html",
        {"stage": stage, "error": error, "nav_section": "workforce"},
        status=422 if error else 200,
    )


def team_list(request, org_slug):
    access.require(request.membership, "workforce.view")
    teams = _teams(request.membership).for_rows().with_headcount()
    return render(request, "workforce/team_list.html", {"teams": teams, "nav_section": "workforce"})


@require_http_methods(["GET", "POST"])
def team_create(request, org_slug):
    access.require(request.membership, "workforce.manage")
    form = TeamForm(request.POST or None, managers=_current_staff(request.membership))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            team = actions.create_team(actor=request.membership, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{team.name} added to your teams.")
            return redirect("workforce:team-list", org_slug)
    return render(request, "workforce/team_form.html", {"form": form, "team": None, "nav_section": "workforce"})


@require_http_methods(["GET", "POST"])
def team_edit(request, org_slug, pk):
    team = access.get_for(request.membership, Team, pk, "workforce.manage")
    initial = {
        "name": team.name,
        "service": team.service,
        "manager": team.manager_id,
        "establishment_fte": team.establishment_fte,
        "version": team.version,
    }
    form = TeamForm(request.POST or None, initial=initial, managers=_current_staff(request.membership))
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            actions.update_team(team, actor=request.membership, expected_version=fields.pop("version"), **fields)
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{fields['name']} updated.")
            return redirect("workforce:team-list", org_slug)
    return render(request, "workforce/team_form.html", {"form": form, "team": team, "stale": stale, "nav_section": "workforce"})


def _supervisors(request):
    form = SupervisorFilterForm(request.GET or None, teams=_teams(request.membership).values_list("pk", "name"))
    filters = form.filters() if request.GET else {}
    sort = request.GET.get("sort") if request.GET.get("sort") in SUPERVISOR_SORTS else "name"
    rows = (
        StaffRecord.objects.visible_to(request.membership)
        .supervisors()
        .filtered(status="all", **filters)
        .order_by(*SUPERVISOR_SORTS[sort])
    )
    return form, filters, sort, rows


def supervisor_list(request, org_slug):
    access.require(request.membership, "workforce.view")
    form, filters, sort, rows = _supervisors(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workforce/supervisor_list.html",
        {
            "form": form,
            "page_obj": page,
            "supervisors": page.object_list,
            "filtered": bool(filters),
            "sort": sort,
            "today": timezone.localdate(),
            "nav_section": "workforce",
        },
    )


def supervisor_export(request, org_slug, file_format):
    access.require(request.membership, "workforce.view")
    _form, _filters, _sort, rows = _supervisors(request)
    rows = list(rows)
    content, content_type = exports.EXPORTERS[file_format](request.organisation, rows)
    actions.record_export(actor=request.membership, file_format=file_format, rows=len(rows))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(request.organisation, file_format)}"'
    return response


# --- Import from an HR system -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_upload(request, org_slug):
    access.require(request.membership, "workforce.manage")
    bound = request.method == "POST"
    form = ImportUploadForm(request.POST if bound else None, request.FILES if bound else None)
    if request.method == "POST" and form.is_valid():
        headers, records = form.table
        batch = actions.upload_import(
            actor=request.membership, filename=form.cleaned_data["file"].name, headers=headers, records=records
        )
        return redirect("workforce:import-mapping", org_slug, batch.pk)
    recent = ImportBatch.objects.visible_to(request.membership).select_related("created_by__user")[:5]
    return render(
        request,
        "workforce/import_upload.html",
        {"form": form, "recent": recent, "fields": importer.FIELDS, "nav_section": "workforce"},
    )


@require_http_methods(["GET", "POST"])
def import_mapping(request, org_slug, pk):
    batch = access.get_for(request.membership, ImportBatch, pk, "workforce.manage")
    if batch.status not in (ImportBatch.Status.UPLOADED, ImportBatch.Status.READY):
        return redirect("workforce:import-batch", org_slug, batch.pk)
    data = request.POST if request.method == "POST" else None
    form = ImportMappingForm(data, headers=batch.headers, initial=importer.suggested_mapping(batch))
    if request.method == "POST" and form.is_valid():
        actions.choose_import_columns(batch, actor=request.membership, mapping=form.mapping())
        return redirect("workforce:import-batch", org_slug, batch.pk)
    sample = batch.rows.order_by("line").first()
    return render(
        request,
        "workforce/import_mapping.html",
        {"form": form, "batch": batch, "sample": sample.raw if sample else {}, "nav_section": "workforce"},
    )


IMPORT_PAGE_SIZE = 50
SHOW_CHOICES = [
    ("all", "Changes and invalid rows"),
    ("create", "New"),
    ("update", "Updates"),
    ("unchanged", "Unchanged"),
    ("invalid", "Invalid"),
]


def import_batch(request, org_slug, pk):
    batch = access.get_for(request.membership, ImportBatch, pk, "workforce.manage")
    working = batch.status in (ImportBatch.Status.VALIDATING, ImportBatch.Status.APPLYING)
    if request.htmx and not working:
        # The progress region polls this page; once the work is done, load the whole page (the
        # preview or the result) rather than swapping a region that no longer exists.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    show = request.GET.get("show") if request.GET.get("show") in dict(SHOW_CHOICES) else "all"
    rows = batch.rows.exclude(outcome=ImportRow.Outcome.UNCHANGED) if show == "all" else batch.rows.filter(outcome=show)
    page = Paginator(rows.order_by("line"), IMPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.employee_ref, row.full_name = row.shown("employee_ref", batch.mapping), row.shown("full_name", batch.mapping)
    return render(
        request,
        "workforce/import_batch.html",
        {
            "batch": batch,
            "working": working,
            "page_obj": page,
            "rows": page.object_list,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "invalid_rows": batch.rows.filter(outcome=ImportRow.Outcome.INVALID).order_by("line")[:IMPORT_PAGE_SIZE],
            "form": ImportApplyForm(),
            "result": batch.counts.get("result"),
            "nav_section": "workforce",
        },
    )


@require_http_methods(["POST"])
def import_apply(request, org_slug, pk):
    batch = access.get_for(request.membership, ImportBatch, pk, "workforce.manage")
    form = ImportApplyForm(request.POST)
    skip_invalid = form.is_valid() and form.cleaned_data["skip_invalid"]
    if batch.status != ImportBatch.Status.READY:
        messages.error(request, "This import cannot be applied now. Check its status below.")
        return redirect("workforce:import-batch", org_slug, batch.pk)
    if batch.total > importer.BACKGROUND_ROWS and not (batch.counts.get("invalid") and not skip_invalid):
        actions.queue_import(batch, actor=request.membership, skip_invalid=skip_invalid)
        return redirect("workforce:import-batch", org_slug, batch.pk)
    try:
        counts = actions.apply_import(batch, actor=request.membership, skip_invalid=skip_invalid)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _import_summary(counts))
    return redirect("workforce:import-batch", org_slug, batch.pk)


def _import_summary(counts):
    def n(count, what):
        return f"{count} {what}{'' if count == 1 else 's'}"

    text = f"Import complete: {n(counts['created'], 'new record')}, {n(counts['updated'], 'updated record')}, {counts['unchanged']} unchanged."
    if counts.get("skipped"):
        text += f" {n(counts['skipped'], 'invalid row')} skipped."
    return text
