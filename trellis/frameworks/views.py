"""HTTP for frameworks: access → form → action → redirect or template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from trellis.audit.versions import StaleEdit, rebase_form
from trellis.tenancy import access, policy

from . import actions, fileformat, importer
from .forms import (
    CopyForm,
    FrameworkForm,
    ImportForm,
    InUseForm,
    NewFrameworkForm,
    NewVersionForm,
    RatingLevelForm,
    StandardForm,
    StatementForm,
    VersionForm,
)
from .models import Framework, FrameworkImport, FrameworkInUse, FrameworkVersion, RatingLevel, Standard, Statement
from .queries import describe_uses, uses_elsewhere

FILE_FORMATS = {"csv", "yaml"}


def _errors_to_form(form, error):
    """A ValidationError from an action onto the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _rebase_revision(form, stale):
    """rebase_form for framework text, which counts edits in `revision` (models.Revised)."""
    form.data = form.data.copy()
    form.data["revision"] = stale.current.revision
    return stale


def _version(membership, pk, permission="frameworks.view"):
    queryset = FrameworkVersion.objects.select_related("framework", "based_on__framework")
    return access.get_for(membership, FrameworkVersion, pk, permission, queryset)


def _standards(version):
    statements = Statement.objects.order_by("position", "number")
    return list(
        Standard.objects.filter(version=version)
        .order_by("position")
        .prefetch_related(Prefetch("statements", queryset=statements))
    )


def _in_use_by_version(membership):
    return {row.version_id: row for row in FrameworkInUse.objects.visible_to(membership)}


# --- The frameworks available, and what is in force ---------------------------------------------------


def framework_list(request, org_slug):
    membership = request.membership
    access.require(membership, "frameworks.view")
    # Every organisation starts with the shipped framework for its services in force; this writes
    # only the first time anyone opens a frameworks page.
    actions.ensure_frameworks_in_use(membership.organisation)
    in_use = list(
        FrameworkInUse.objects.visible_to(membership)
        .for_rows()
        .prefetch_related(Prefetch("levels", queryset=RatingLevel.objects.order_by("value")))
        .order_by("version__framework__name", "version__label")
    )
    versions = FrameworkVersion.objects.annotate(standard_count=Count("standards")).order_by("-effective_from", "-created_at")
    frameworks = list(
        Framework.objects.visible_to(membership)
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("organisation", "name")
    )
    by_version = {row.version_id: row for row in in_use}
    for framework in frameworks:
        framework.rows = [(version, by_version.get(version.pk)) for version in framework.versions.all()]
    return render(
        request,
        "frameworks/framework_list.html",
        {
            "active": [row for row in in_use if row.is_active],
            "stopped": [row for row in in_use if not row.is_active],
            "shipped": [f for f in frameworks if f.is_shipped],
            "own": [f for f in frameworks if not f.is_shipped],
        },
    )


def framework_detail(request, org_slug, pk):
    framework = access.get_for(request.membership, Framework, pk, "frameworks.view")
    in_use = _in_use_by_version(request.membership)
    versions = list(framework.versions.annotate(standard_count=Count("standards")).order_by("-effective_from", "-created_at"))
    return render(
        request,
        "frameworks/framework_detail.html",
        {
            "framework": framework,
            "rows": [(version, in_use.get(version.pk)) for version in versions],
            "latest": versions[0] if versions else None,
            "can_change": policy.allows(request.membership, "frameworks.change_framework", framework),
        },
    )


def version_detail(request, org_slug, pk):
    version = _version(request.membership, pk)
    standards = _standards(version)
    in_use = FrameworkInUse.objects.visible_to(request.membership).filter(version=version).first()
    can_change = policy.allows(request.membership, "frameworks.change_framework", version)
    uses = uses_elsewhere([version.pk]).get(version.pk) if can_change else None
    return render(
        request,
        "frameworks/version_detail.html",
        {
            "version": version,
            "framework": version.framework,
            "standards": standards,
            "statement_count": sum(len(s.statements.all()) for s in standards),
            "in_use": in_use,
            "can_change": can_change,
            "editable": can_change and not uses,
            "uses": describe_uses(uses) if uses else "",
        },
    )


def version_download(request, org_slug, pk, file_format):
    version = _version(request.membership, pk)
    if file_format not in FILE_FORMATS:
        raise Http404
    filename, content_type, text = importer.file_for_download(version, request.organisation, file_format)
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def version_use(request, org_slug, pk):
    """Put a version in force (or back in force) for a service."""
    version = _version(request.membership, pk, "frameworks.manage")
    current = FrameworkInUse.objects.visible_to(request.membership).filter(version=version).first()
    if current is not None and current.is_active:
        messages.info(request, f"{version} is already in force. You can change who works against it here.")
        return redirect("frameworks:in-use", org_slug, current.pk)
    initial = {"service": current.service if current else version.framework.service}
    form = InUseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            in_use = actions.put_in_force(version, actor=request.membership, **form.fields_for_action())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{version} is in force for {in_use.get_service_display().lower()}.")
            return redirect("frameworks:in-use", org_slug, in_use.pk)
    others = (
        FrameworkInUse.objects.visible_to(request.membership)
        .active()
        .filter(version__framework_id=version.framework_id)
        .exclude(version=version)
        .select_related("version")
    )
    return render(
        request,
        "frameworks/version_use.html",
        {"form": form, "version": version, "again": current is not None, "others": list(others)},
    )


def in_use_detail(request, org_slug, pk):
    in_use = access.get_for(
        request.membership, FrameworkInUse, pk, "frameworks.view", FrameworkInUse.objects.select_related("version__framework")
    )
    levels = list(RatingLevel.objects.visible_to(request.membership).filter(framework_in_use=in_use).order_by("value"))
    return render(request, "frameworks/in_use_detail.html", {"in_use": in_use, "version": in_use.version, "levels": levels})


@require_http_methods(["GET", "POST"])
def in_use_edit(request, org_slug, pk):
    in_use = access.get_for(
        request.membership, FrameworkInUse, pk, "frameworks.manage", FrameworkInUse.objects.select_related("version__framework")
    )
    form = InUseForm(
        request.POST if request.method == "POST" else None, initial={"revision": in_use.revision, "service": in_use.service}
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            in_use = actions.change_in_use(
                in_use, actor=request.membership, expected_revision=form.cleaned_data["revision"], **form.fields_for_action()
            )
        except StaleEdit as error:
            stale = _rebase_revision(form, error)
        else:
            messages.success(request, f"{in_use.version} is now for {in_use.get_service_display().lower()}.")
            return redirect("frameworks:in-use", org_slug, in_use.pk)
    return render(request, "frameworks/in_use_form.html", {"form": form, "in_use": in_use, "stale": stale})


@require_http_methods(["GET", "POST"])
def in_use_stop(request, org_slug, pk):
    in_use = access.get_for(
        request.membership, FrameworkInUse, pk, "frameworks.manage", FrameworkInUse.objects.select_related("version__framework")
    )
    if request.method == "POST":
        actions.stop_using(in_use, actor=request.membership)
        messages.success(request, f"{in_use.version} is no longer in force. People's ratings against it are kept.")
        return redirect("frameworks:list", org_slug)
    return render(request, "frameworks/in_use_stop.html", {"in_use": in_use})


# --- Rating scales ------------------------------------------------------------------------------------


def _level(membership, pk):
    queryset = RatingLevel.objects.select_related("framework_in_use__version__framework")
    return access.get_for(membership, RatingLevel, pk, "frameworks.manage", queryset)


@require_http_methods(["GET", "POST"])
def level_add(request, org_slug, pk):
    in_use = access.get_for(
        request.membership, FrameworkInUse, pk, "frameworks.manage", FrameworkInUse.objects.select_related("version__framework")
    )
    form = RatingLevelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            level = actions.add_rating_level(in_use, actor=request.membership, **form.level_fields())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{level.label} added at the top of the scale. Move it to put it in place.")
            return redirect(reverse("frameworks:in-use", args=[org_slug, in_use.pk]) + f"#level-{level.pk}")
    return render(request, "frameworks/level_form.html", {"form": form, "in_use": in_use, "level": None})


@require_http_methods(["GET", "POST"])
def level_edit(request, org_slug, pk):
    level = _level(request.membership, pk)
    initial = {"version": level.version, "label": level.label, "description": level.description}
    form = RatingLevelForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            level = actions.update_rating_level(
                level, actor=request.membership, expected_version=form.cleaned_data["version"], **form.level_fields()
            )
        except StaleEdit as error:
            stale = rebase_form(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Rating level {level.value} is now called {level.label}.")
            return redirect("frameworks:in-use", org_slug, level.framework_in_use_id)
    return render(
        request, "frameworks/level_form.html", {"form": form, "in_use": level.framework_in_use, "level": level, "stale": stale}
    )


@require_POST
def level_move(request, org_slug, pk):
    level = _level(request.membership, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down") and actions.move_rating_level(level, actor=request.membership, direction=direction):
        messages.success(request, f"Moved {level.label} {'up' if direction == 'up' else 'down'} the scale.")
    return redirect(reverse("frameworks:in-use", args=[org_slug, level.framework_in_use_id]) + f"#level-{level.pk}")


@require_http_methods(["GET", "POST"])
def level_delete(request, org_slug, pk):
    level = _level(request.membership, pk)
    if request.method == "POST":
        try:
            actions.remove_rating_level(level, actor=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{level.label} removed from the scale.")
        return redirect("frameworks:in-use", org_slug, level.framework_in_use_id)
    return render(request, "frameworks/level_confirm_delete.html", {"level": level, "in_use": level.framework_in_use})


# --- An organisation's own frameworks -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def framework_add(request, org_slug):
    access.require(request.membership, "frameworks.manage")
    form = NewFrameworkForm(request.POST if request.method == "POST" else None, initial={"publisher": request.organisation.name})
    if request.method == "POST" and form.is_valid():
        try:
            framework, version = actions.create_framework(
                actor=request.membership, **form.framework_fields(), **form.version_fields()
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{framework.name} created. Now add its standards.")
            return redirect("frameworks:version", org_slug, version.pk)
    return render(request, "frameworks/framework_add.html", {"form": form})


@require_http_methods(["GET", "POST"])
def framework_edit(request, org_slug, pk):
    framework = access.get_for(request.membership, Framework, pk, "frameworks.change_framework")
    initial = {"revision": framework.revision, **{name: getattr(framework, name) for name in FrameworkForm.FIELDS}}
    form = FrameworkForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            framework = actions.update_framework(
                framework, actor=request.membership, expected_revision=form.cleaned_data["revision"], **form.framework_fields()
            )
        except StaleEdit as error:
            stale = _rebase_revision(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{framework.name}: details saved.")
            return redirect("frameworks:framework", org_slug, framework.pk)
    return render(request, "frameworks/framework_form.html", {"form": form, "framework": framework, "stale": stale})


@require_http_methods(["GET", "POST"])
def version_edit(request, org_slug, pk):
    version = _version(request.membership, pk, "frameworks.change_framework")
    initial = {name: getattr(version, name) for name in VersionForm.FIELDS}
    initial.update(revision=version.revision, missing_standards=", ".join(version.missing_standards or []))
    form = VersionForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.update_version(
                version, actor=request.membership, expected_revision=form.cleaned_data["revision"], **form.version_fields()
            )
        except StaleEdit as error:
            stale = _rebase_revision(form, error)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{version}: details saved.")
            return redirect("frameworks:version", org_slug, version.pk)
    return render(request, "frameworks/version_form.html", {"form": form, "version": version, "stale": stale})


@require_http_methods(["GET", "POST"])
def version_new(request, org_slug, pk):
    """Start a new version of an organisation's own framework from this one."""
    version = _version(request.membership, pk, "frameworks.change_framework")
    form = NewVersionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.start_new_version(version, actor=request.membership, **form.version_fields())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Version {new.label} started as a copy of version {version.label}. Change it as you need.")
            return redirect("frameworks:version", org_slug, new.pk)
    return render(request, "frameworks/version_new.html", {"form": form, "version": version})


@require_http_methods(["GET", "POST"])
def version_copy(request, org_slug, pk):
    """Make a framework of the organisation's own from a copy of any version, shipped or its own."""
    version = _version(request.membership, pk, "frameworks.manage")
    details = importer.copy_details(version, request.organisation)
    initial = {
        "name": details["name"],
        "short_name": f"{version.framework.short_name} ({request.organisation.name})"[:60],
        "service": version.framework.service,
        "label": version.label,
    }
    form = CopyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            framework, new = actions.copy_to_own_framework(version, actor=request.membership, **form.copy_fields())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"{framework.name} created as a copy of {version}. Add what is missing.")
            return redirect("frameworks:version", org_slug, new.pk)
    return render(request, "frameworks/version_copy.html", {"form": form, "version": version})


@require_http_methods(["GET", "POST"])
def version_delete(request, org_slug, pk):
    version = _version(request.membership, pk, "frameworks.change_framework")
    if request.method == "POST":
        try:
            framework = actions.delete_version(version, actor=request.membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("frameworks:version", org_slug, version.pk)
        if framework is None:
            messages.success(request, f"{version.framework.name} deleted.")
            return redirect("frameworks:list", org_slug)
        messages.success(request, f"Version {version.label} of {framework.name} deleted.")
        return redirect("frameworks:framework", org_slug, framework.pk)
    last = not FrameworkVersion.objects.filter(framework=version.framework).exclude(pk=version.pk).exists()
    return render(request, "frameworks/version_confirm_delete.html", {"version": version, "last": last})


# --- Standards and statements -------------------------------------------------------------------------


def _refused(request, version, error):
    messages.error(request, " ".join(error.messages))
    return redirect("frameworks:version", request.organisation.slug, version.pk)


@require_http_methods(["GET", "POST"])
def standard_add(request, org_slug, pk):
    version = _version(request.membership, pk, "frameworks.change_framework")
    initial = {}
    if version.missing_standards:
        initial["number"] = version.missing_standards[0]
    form = StandardForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            standard = actions.add_standard(version, actor=request.membership, **form.standard_fields())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, version, error)
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Standard {standard.number} added.")
            return redirect(reverse("frameworks:version", args=[org_slug, version.pk]) + f"#standard-{standard.pk}")
    return render(request, "frameworks/standard_form.html", {"form": form, "version": version, "standard": None})


def _standard(membership, pk):
    queryset = Standard.objects.select_related("version__framework")
    return access.get_for(membership, Standard, pk, "frameworks.change_framework", queryset)


def _statement(membership, pk):
    queryset = Statement.objects.select_related("standard__version__framework")
    return access.get_for(membership, Statement, pk, "frameworks.change_framework", queryset)


@require_http_methods(["GET", "POST"])
def standard_edit(request, org_slug, pk):
    standard = _standard(request.membership, pk)
    initial = {"revision": standard.revision, **{name: getattr(standard, name) for name in StandardForm.FIELDS}}
    form = StandardForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            standard = actions.update_standard(
                standard, actor=request.membership, expected_revision=form.cleaned_data["revision"], **form.standard_fields()
            )
        except StaleEdit as error:
            stale = _rebase_revision(form, error)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, standard.version, error)
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Standard {standard.number} saved.")
            return redirect(reverse("frameworks:version", args=[org_slug, standard.version_id]) + f"#standard-{standard.pk}")
    return render(
        request,
        "frameworks/standard_form.html",
        {"form": form, "version": standard.version, "standard": standard, "stale": stale},
    )


@require_POST
def standard_move(request, org_slug, pk):
    standard = _standard(request.membership, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        try:
            if actions.move_standard(standard, actor=request.membership, direction=direction):
                messages.success(request, f"Moved standard {standard.number} {direction}.")
        except ValidationError as error:
            return _refused(request, standard.version, error)
    return redirect(reverse("frameworks:version", args=[org_slug, standard.version_id]) + f"#standard-{standard.pk}")


@require_http_methods(["GET", "POST"])
def standard_delete(request, org_slug, pk):
    standard = _standard(request.membership, pk)
    if request.method == "POST":
        try:
            actions.remove_standard(standard, actor=request.membership)
        except ValidationError as error:
            return _refused(request, standard.version, error)
        messages.success(request, f"Standard {standard.number} removed.")
        return redirect("frameworks:version", org_slug, standard.version_id)
    count = standard.statements.count()
    return render(request, "frameworks/standard_confirm_delete.html", {"standard": standard, "statement_count": count})


@require_http_methods(["GET", "POST"])
def statement_add(request, org_slug, pk):
    standard = _standard(request.membership, pk)
    count = standard.statements.count()
    form = StatementForm(request.POST if request.method == "POST" else None, initial={"number": f"{standard.number}.{count + 1}"})
    if request.method == "POST" and form.is_valid():
        try:
            statement = actions.add_statement(standard, actor=request.membership, **form.statement_fields())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, standard.version, error)
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Statement {statement.number} added.")
            return redirect(reverse("frameworks:version", args=[org_slug, standard.version_id]) + f"#statement-{statement.pk}")
    return render(request, "frameworks/statement_form.html", {"form": form, "standard": standard, "statement": None})


@require_http_methods(["GET", "POST"])
def statement_edit(request, org_slug, pk):
    statement = _statement(request.membership, pk)
    initial = {"revision": statement.revision, **{name: getattr(statement, name) for name in StatementForm.FIELDS}}
    form = StatementForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            statement = actions.update_statement(
                statement, actor=request.membership, expected_revision=form.cleaned_data["revision"], **form.statement_fields()
            )
        except StaleEdit as error:
            stale = _rebase_revision(form, error)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, statement.standard.version, error)
            _errors_to_form(form, error)
        else:
            messages.success(request, f"Statement {statement.number} saved.")
            return redirect(
                reverse("frameworks:version", args=[org_slug, statement.standard.version_id]) + f"#statement-{statement.pk}"
            )
    return render(
        request,
        "frameworks/statement_form.html",
        {"form": form, "standard": statement.standard, "statement": statement, "stale": stale},
    )


@require_POST
def statement_move(request, org_slug, pk):
    statement = _statement(request.membership, pk)
    direction = request.POST.get("direction")
    version_id = statement.standard.version_id
    if direction in ("up", "down"):
        try:
            if actions.move_statement(statement, actor=request.membership, direction=direction):
                messages.success(request, f"Moved statement {statement.number} {direction}.")
        except ValidationError as error:
            return _refused(request, statement.standard.version, error)
    return redirect(reverse("frameworks:version", args=[org_slug, version_id]) + f"#statement-{statement.pk}")


@require_http_methods(["GET", "POST"])
def statement_delete(request, org_slug, pk):
    statement = _statement(request.membership, pk)
    if request.method == "POST":
        try:
            actions.remove_statement(statement, actor=request.membership)
        except ValidationError as error:
            return _refused(request, statement.standard.version, error)
        messages.success(request, f"Statement {statement.number} removed.")
        return redirect("frameworks:version", org_slug, statement.standard.version_id)
    return render(request, "frameworks/statement_confirm_delete.html", {"statement": statement})


# --- Importing a file ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_upload(request, org_slug):
    access.require(request.membership, "frameworks.manage")
    bound = request.method == "POST"
    form = ImportForm(request.POST if bound else None, request.FILES if bound else None)
    if bound and form.is_valid():
        batch = actions.upload_framework_file(
            actor=request.membership, filename=form.cleaned_data["file"].name, file_format=form.file_format, content=form.text
        )
        return redirect("frameworks:import-preview", org_slug, batch.pk)
    recent = FrameworkImport.objects.visible_to(request.membership).select_related("created_version__framework")[:5]
    return render(request, "frameworks/import_upload.html", {"form": form, "recent": recent})


def import_preview(request, org_slug, pk):
    """What the file would create, or every problem in it, before anything is saved. Uploading a
    corrected file from here starts a new preview."""
    batch = access.get_for(request.membership, FrameworkImport, pk, "frameworks.manage")
    if batch.applied_at is not None and batch.created_version_id:
        return redirect("frameworks:version", org_slug, batch.created_version_id)
    plan = importer.plan_for(batch)
    return render(request, "frameworks/import_preview.html", {"batch": batch, "plan": plan, "form": ImportForm()})


@require_POST
def import_apply(request, org_slug, pk):
    batch = access.get_for(request.membership, FrameworkImport, pk, "frameworks.manage")
    try:
        version = actions.apply_framework_import(batch, actor=request.membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("frameworks:import-preview", org_slug, batch.pk)
    messages.success(
        request,
        f"{version.framework.name} ({version.label}) imported. Put it in force when you are ready for people to use it.",
    )
    return redirect("frameworks:version", org_slug, version.pk)


def import_format(request, org_slug):
    """How to write a framework file: the same words as docs/framework-import.md."""
    access.require(request.membership, "frameworks.view")
    return render(request, "frameworks/import_format.html")


def import_template(request, org_slug, file_format):
    access.require(request.membership, "frameworks.view")
    if file_format not in FILE_FORMATS:
        raise Http404
    details, rows = importer.example()
    if file_format == "csv":
        text, content_type = fileformat.write_csv(details, rows), "text/csv; charset=utf-8"
    else:
        text, content_type = fileformat.write_yaml(details, rows), "application/yaml; charset=utf-8"
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="framework-template.{file_format}"'
    return response
