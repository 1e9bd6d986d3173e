"""Every write to frameworks: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves, and records an audit event, in one transaction.
Rules a person can break by what they enter (a number used twice, dates out of order, a level people
have used) are ValidationErrors, keyed by form field where there is one, so a view can put them next
to the field.

Two kinds of rows: what an organisation has in force (`FrameworkInUse`, its `RatingLevel`s: tenant
rows, versioned), and the frameworks themselves (`Framework` down to `Statement`: shipped ones are
never changed here; an organisation's own can be, until anyone has rated against a version).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import StaleEdit, ensure_current
from trellis.tenancy import policy

from . import importer
from .loader import load_frameworks
from .models import (
    DEFAULT_RATING_SCALE,
    Framework,
    FrameworkImport,
    FrameworkInUse,
    FrameworkVersion,
    RatingLevel,
    Service,
    Standard,
    Statement,
)
from .queries import describe_uses, rating_level_uses, uses_elsewhere

IN_USE_FIELDS = ("service",)
LEVEL_FIELDS = ("label", "description")
FRAMEWORK_FIELDS = ("name", "short_name", "service", "publisher", "description")
VERSION_FIELDS = ("label", "effective_from", "effective_to", "source", "source_url", "checked_note", "missing_standards")
STANDARD_FIELDS = ("number", "title", "is_checked", "citation")
STATEMENT_FIELDS = ("number", "text", "is_checked", "citation")
MAX_LEVELS = 10
KEEP_UNAPPLIED_IMPORTS = datetime.timedelta(days=7)


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _available(actor, version):
    """A shipped version or the actor's organisation's own; never another organisation's."""
    if version.framework.organisation_id not in (None, actor.organisation_id):
        raise ValueError(f"{version!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _apply(obj, fields, allowed, what):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{what}() cannot change {name!r}")
        setattr(obj, name, value)


def _service_words(service):
    return Service(service).label.lower()


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


def _plural(count, one, many=None):
    return f"{count} {one if count == 1 else (many or one + 's')}"


# --- Stale edits of framework text --------------------------------------------------------------------
# Framework text counts its edits in `revision` (models.Revised), so this mirrors audit.versions.


def _ensure_revision(locked, expected, fields):
    if expected is None or int(expected) == locked.revision:
        return
    seen = locked.history.filter(revision=expected).order_by("-history_date").first()
    changes = []
    for name in fields:
        field = locked._meta.get_field(name)
        now = _display(locked, field)
        then = _display(seen, field) if seen is not None else "(unknown)"
        if then != now:
            changes.append((field.verbose_name.capitalize(), then, now))
    raise StaleEdit(locked, changes)


def _display(obj, field):
    value = getattr(obj, field.attname)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else value


def _save_text(obj, actor, fields, before, verb="updated"):
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return obj
    obj.revision += 1
    obj.save()
    record_event(actor=actor, verb=verb, target=obj, changes=changes)
    return obj


def _save_versioned(obj, actor, fields, before, verb="updated"):
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return obj
    obj.version += 1
    obj.save()
    record_event(actor=actor, verb=verb, target=obj, changes=changes)
    return obj


# --- What is in force ---------------------------------------------------------------------------------


def _current_version(framework):
    """The version in force today with the latest start; else the newest."""
    versions = list(FrameworkVersion.objects.filter(framework=framework))
    today = timezone.localdate()
    in_force = [v for v in versions if v.is_in_force(today)]
    return (in_force or versions or [None])[0]


def _default_scale(in_use):
    # With history, so that a stale rename can say what the level was called when the editor opened it.
    bulk_create_with_history(
        [
            RatingLevel(
                organisation_id=in_use.organisation_id, framework_in_use=in_use, value=value, label=label, description=text
            )
            for value, label, text in DEFAULT_RATING_SCALE
        ],
        RatingLevel,
    )


SERVICES_FOR = {"adults": [Service.ADULTS], "children": [Service.CHILDREN], "both": [Service.ADULTS, Service.CHILDREN]}


def ensure_frameworks_in_use(organisation):
    """On first use, put in force the shipped framework for each of the organisation's services, with
    the default rating scale. Safe to call on every page view: afterwards it is one indexed read (no
    transaction), and it never undoes an admin's choice (a framework they stopped using is still a row)."""
    if FrameworkInUse.objects.filter(organisation=organisation).exists():
        return False
    return _put_defaults_in_force(organisation)


@transaction.atomic
def _put_defaults_in_force(organisation):
    if not Framework.objects.shipped().exists():
        load_frameworks()  # a set-up that skipped `load_frameworks` still starts with the shipped ones
    shipped = Framework.objects.shipped().filter(service__in=SERVICES_FOR.get(organisation.services, [])).order_by("name")
    versions = [v for v in (_current_version(framework) for framework in shipped) if v is not None]
    if not versions:
        return False
    try:
        with transaction.atomic():
            for version in versions:
                in_use = FrameworkInUse.objects.create(
                    organisation=organisation, version=version, service=version.framework.service
                )
                _default_scale(in_use)
    except IntegrityError:
        return False  # another request put them in force a moment ago
    record_event(
        actor=None,
        verb="put the default frameworks in force",
        target=organisation,
        changes={"frameworks": [None, [str(v) for v in versions]]},
        organisation=organisation,
    )
    return True


@transaction.atomic
def put_in_force(version, *, actor, service):
    """Put a version in force for a service (or both), with the default rating scale; or put back one
    the organisation stopped using, with the scale it had."""
    policy.require(actor, "frameworks.manage")
    _available(actor, version)
    service = Service(service)
    in_use = FrameworkInUse.objects.select_for_update().filter(organisation=actor.organisation, version=version).first()
    if in_use is not None and in_use.is_active:
        raise ValidationError(
            {"service": f"{version} is already in force for {_service_words(in_use.service)}. Change who it is for instead."}
        )
    if in_use is None:
        in_use = FrameworkInUse.objects.create(
            organisation=actor.organisation, version=version, service=service, updated_by=actor, updated_at=timezone.now()
        )
        _default_scale(in_use)
        record_event(actor=actor, verb="put in force", target=in_use, changes={"service": [None, Service(service).label]})
        return in_use
    before = snapshot(in_use, ("service", "is_active"))
    in_use.service, in_use.is_active = service, True
    return _save_in_use(in_use, actor, ("service", "is_active"), before, verb="put back in force")


def _save_in_use(in_use, actor, fields, before, verb="updated"):
    in_use.updated_by = actor
    in_use.updated_at = timezone.now()
    return _save_text(in_use, actor, fields, before, verb=verb)


@transaction.atomic
def change_in_use(in_use, *, actor, expected_revision, service):
    in_use = _lock(in_use)
    policy.require(actor, "frameworks.manage", in_use)
    _same_organisation(actor, in_use)
    _ensure_revision(in_use, expected_revision, IN_USE_FIELDS)
    before = snapshot(in_use, IN_USE_FIELDS)
    in_use.service = service
    return _save_in_use(in_use, actor, IN_USE_FIELDS, before)


@transaction.atomic
def stop_using(in_use, *, actor):
    """Nobody works against it from now on; what people rated stays, and it can be put back."""
    in_use = _lock(in_use)
    policy.require(actor, "frameworks.manage", in_use)
    _same_organisation(actor, in_use)
    if not in_use.is_active:
        return in_use
    before = snapshot(in_use, ("is_active",))
    in_use.is_active = False
    return _save_in_use(in_use, actor, ("is_active",), before, verb="stopped using")


# --- Rating scales ------------------------------------------------------------------------------------


def _unique_label(in_use, label, exclude=None):
    rows = RatingLevel.objects.filter(framework_in_use=in_use, label__iexact=label)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    if rows.exists():
        raise ValidationError({"label": f"The scale already has a level called {label}. Enter a different name."})


@transaction.atomic
def add_rating_level(in_use, *, actor, label, description=""):
    """A new level at the top of the scale; move it down to place it."""
    in_use = _lock(in_use)
    policy.require(actor, "frameworks.manage", in_use)
    _same_organisation(actor, in_use)
    levels = RatingLevel.objects.filter(framework_in_use=in_use)
    if levels.count() >= MAX_LEVELS:
        raise ValidationError(f"A rating scale can have at most {MAX_LEVELS} levels. Rename or remove one instead.")
    _unique_label(in_use, label)
    level = RatingLevel.objects.create(
        organisation=actor.organisation,
        framework_in_use=in_use,
        value=(levels.aggregate(top=Max("value"))["top"] or 0) + 1,
        label=label,
        description=description,
    )
    record_event(
        actor=actor, verb="added rating level", target=level, changes=diff({}, snapshot(level, ("value", *LEVEL_FIELDS)))
    )
    return level


@transaction.atomic
def update_rating_level(level, *, actor, expected_version, **fields):
    level = _lock(level)
    policy.require(actor, "frameworks.manage", level)
    _same_organisation(actor, level)
    ensure_current(level, expected_version, LEVEL_FIELDS)
    if "label" in fields:
        _unique_label(level.framework_in_use_id, fields["label"], exclude=level)
    before = snapshot(level, LEVEL_FIELDS)
    _apply(level, fields, LEVEL_FIELDS, "update_rating_level")
    return _save_versioned(level, actor, LEVEL_FIELDS, before)


@transaction.atomic
def move_rating_level(level, *, actor, direction):
    """Swap a level with the one below ("down") or above ("up") it. Ratings point at the level, not
    at its place, so a rating keeps its words and takes the level's new place."""
    policy.require(actor, "frameworks.manage", level)
    _same_organisation(actor, level)
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be up or down, not {direction!r}")
    levels = list(RatingLevel.objects.select_for_update().filter(framework_in_use_id=level.framework_in_use_id).order_by("value"))
    index = next(i for i, row in enumerate(levels) if row.pk == level.pk)
    other = index + 1 if direction == "up" else index - 1
    if not 0 <= other < len(levels):
        return False
    this, that = levels[index], levels[other]
    # (scale, value) is unique: park one level at 0 while the two swap.
    this_value, that_value = this.value, that.value
    RatingLevel.objects.filter(pk=this.pk).update(value=0)
    RatingLevel.objects.filter(pk=that.pk).update(value=this_value)
    RatingLevel.objects.filter(pk=this.pk).update(value=that_value)
    record_event(actor=actor, verb=f"moved rating level {direction}", target=this, changes={"value": [this_value, that_value]})
    return True


@transaction.atomic
def remove_rating_level(level, *, actor):
    """Remove a level nobody has used. A level people have rated with stays: rename it instead."""
    level = _lock(level)
    policy.require(actor, "frameworks.manage", level)
    _same_organisation(actor, level)
    scale = RatingLevel.objects.filter(framework_in_use_id=level.framework_in_use_id)
    if scale.count() <= 2:
        raise ValidationError(
            "A rating scale needs at least two levels, so this one cannot be removed. You can rename it instead."
        )
    uses = rating_level_uses([level.pk]).get(level.pk)
    if uses:
        raise ValidationError(f"{level.label} cannot be removed: {describe_uses(uses)} use it. You can rename it instead.")
    removed = diff(snapshot(level, ("value", *LEVEL_FIELDS)), {})
    record_event(actor=actor, verb="removed rating level", target=level, changes=removed)  # undone if refused below
    try:
        with transaction.atomic():
            level.delete()
    except (models.ProtectedError, models.RestrictedError) as error:
        # Belt and braces: a relation the count above could not see still protects the level.
        count = len(getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", None) or [])
        raise ValidationError(
            f"{level.label} cannot be removed: {_plural(count, 'record')} in Trellis use it. You can rename it instead."
        ) from None
    # Close the gap so the scale stays 1..n; moving down one at a time, lowest first, never collides.
    for value, row in enumerate(scale.order_by("value"), start=1):
        if row.value != value:
            RatingLevel.objects.filter(pk=row.pk).update(value=value)
    return level


# --- An organisation's own frameworks -----------------------------------------------------------------


def _unique_name(actor, name, exclude=None):
    rows = Framework.objects.available_to(actor.organisation).filter(name__iexact=name)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    clash = rows.first()
    if clash is not None:
        whose = "A framework that ships with Trellis" if clash.is_shipped else "One of your frameworks"
        raise ValidationError({"name": f"{whose} is already called {name}. Enter a different name."})


def _unique_label_in(framework, label, exclude=None):
    rows = FrameworkVersion.objects.filter(framework=framework, label__iexact=label)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    if rows.exists():
        raise ValidationError({"label": f"{framework.name} already has a version {label}. Enter a different version."})


def _dates_in_order(effective_from, effective_to):
    if effective_from and effective_to and effective_to < effective_from:
        raise ValidationError({"effective_to": "In force until must be the same as or after in force from"})


def _new_key(organisation, short_name):
    base = slugify(short_name)[:70] or "framework"
    taken = set(Framework.objects.filter(organisation=organisation, key__startswith=base).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def require_editable(version):
    """Standards and statements are fixed once anyone has rated against the version (or anything
    else in Trellis points at them): a revision is then a new version."""
    uses = uses_elsewhere([version.pk]).get(version.pk)
    if uses:
        raise ValidationError(
            f"{version} cannot be changed because it is in use: {describe_uses(uses)}. To revise it, start a new version from it."
        )


def _create_framework(actor, details):
    framework = Framework.objects.create(
        organisation=actor.organisation,
        key=_new_key(actor.organisation, details["short_name"]),
        created_by=actor,
        **{name: details.get(name) or "" for name in FRAMEWORK_FIELDS},
    )
    record_event(actor=actor, verb="created framework", target=framework, changes=diff({}, snapshot(framework, FRAMEWORK_FIELDS)))
    return framework


def _create_version(actor, framework, details, rows, *, based_on=None, verb="created version"):
    _unique_label_in(framework, details["label"])
    _dates_in_order(details.get("effective_from"), details.get("effective_to"))
    version = FrameworkVersion.objects.create(
        framework=framework,
        based_on=based_on,
        label=details["label"],
        effective_from=details.get("effective_from"),
        effective_to=details.get("effective_to"),
        source=details.get("source") or "",
        source_url=details.get("source_url") or "",
        checked_note=details.get("checked_note") or "",
        missing_standards=list(details.get("missing_standards") or []),
    )
    for position, row in enumerate(rows, start=1):
        standard = Standard.objects.create(
            version=version,
            number=row.number,
            title=row.title,
            position=position,
            is_checked=row.is_checked,
            citation=row.citation,
        )
        Statement.objects.bulk_create(
            Statement(
                standard=standard, number=s.number, text=s.text, position=index, is_checked=s.is_checked, citation=s.citation
            )
            for index, s in enumerate(row.statements, start=1)
        )
    record_event(
        actor=actor,
        verb=verb,
        target=version,
        changes={
            "label": [None, version.label],
            "standards": [None, len(rows)],
            "statements": [None, sum(len(row.statements) for row in rows)],
            **({"copied from": [None, str(based_on)]} if based_on else {}),
        },
    )
    return version


@transaction.atomic
def create_framework(*, actor, name, short_name, service, label, publisher="", description="", **version_fields):
    """Type a framework of the organisation's own: its details and its first version, empty; the
    standards and statements are added one by one."""
    policy.require(actor, "frameworks.manage")
    _unique_name(actor, name)
    details = {"name": name, "short_name": short_name, "service": service, "publisher": publisher, "description": description}
    framework = _create_framework(actor, details)
    version = _create_version(actor, framework, {"label": label, **version_fields}, [])
    return framework, version


@transaction.atomic
def update_framework(framework, *, actor, expected_revision, **fields):
    framework = _lock(framework)
    policy.require(actor, "frameworks.change_framework", framework)
    _ensure_revision(framework, expected_revision, FRAMEWORK_FIELDS)
    if "name" in fields:
        _unique_name(actor, fields["name"], exclude=framework)
    before = snapshot(framework, FRAMEWORK_FIELDS)
    _apply(framework, fields, FRAMEWORK_FIELDS, "update_framework")
    return _save_text(framework, actor, FRAMEWORK_FIELDS, before)


@transaction.atomic
def update_version(version, *, actor, expected_revision, **fields):
    """A version's label, dates, source and notes: what people read about it, never what they rated
    against, so it can change even when the version is in use."""
    version = _lock(version)
    policy.require(actor, "frameworks.change_framework", version)
    _ensure_revision(version, expected_revision, VERSION_FIELDS)
    if "label" in fields:
        _unique_label_in(version.framework, fields["label"], exclude=version)
    _dates_in_order(fields.get("effective_from", version.effective_from), fields.get("effective_to", version.effective_to))
    numbers = set(Standard.objects.filter(version=version).values_list("number", flat=True))
    clash = [n for n in fields.get("missing_standards", []) if n in numbers]
    if clash:
        raise ValidationError(
            {"missing_standards": f"Standard {clash[0]} is in this version, so it cannot also be listed as not included"}
        )
    before = snapshot(version, VERSION_FIELDS)
    _apply(version, fields, VERSION_FIELDS, "update_version")
    return _save_text(version, actor, VERSION_FIELDS, before)


@transaction.atomic
def start_new_version(version, *, actor, label, **version_fields):
    """A new version of one of the organisation's own frameworks, starting as a copy of `version`."""
    policy.require(actor, "frameworks.change_framework", version)
    details = {**importer.details_of(version), "label": label, **version_fields}
    details["checked_note"] = version.checked_note
    return _create_version(actor, version.framework, details, importer.rows_of(version), based_on=version)


@transaction.atomic
def copy_to_own_framework(version, *, actor, name, short_name, service, label):
    """An organisation's own framework starting as a copy of any version it can see, shipped or its
    own: for example, to complete a shipped framework from the published document."""
    policy.require(actor, "frameworks.manage")
    _available(actor, version)
    _unique_name(actor, name)
    details = {**importer.details_of(version), "name": name, "short_name": short_name, "service": service, "label": label}
    copied = f"Copied from {version.framework.name} ({version.label}) on {_long_date(timezone.localdate())}."
    details["checked_note"] = f"{copied}\n{version.checked_note}" if version.checked_note else copied
    framework = _create_framework(actor, details)
    new = _create_version(actor, framework, details, importer.rows_of(version), based_on=version)
    return framework, new


@transaction.atomic
def delete_version(version, *, actor):
    """Delete a version of the organisation's own that nobody uses (a mistaken import, say). Deleting
    its framework's last version deletes the framework. Returns the framework if it remains."""
    version = _lock(version)
    policy.require(actor, "frameworks.change_framework", version)
    if FrameworkInUse.objects.filter(version=version, is_active=True).exists():
        raise ValidationError(f"{version} is in force. Stop using it before you delete it.")
    require_editable(version)
    framework = version.framework
    record_event(
        actor=actor,
        verb="deleted version",
        target=version,
        changes={"label": [version.label, None], "framework": [framework.name, None]},
    )
    # Its past rating scales go with it: require_editable found nothing that used them.
    FrameworkInUse.objects.filter(version=version).delete()
    version.delete()
    if not FrameworkVersion.objects.filter(framework=framework).exists():
        record_event(actor=actor, verb="deleted framework", target=framework, changes={"name": [framework.name, None]})
        framework.delete()
        return None
    return framework


# --- Standards and statements of an organisation's own framework ------------------------------------


def _unique_number(rows, number, what, exclude=None):
    rows = rows.filter(number__iexact=number)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    if rows.exists():
        raise ValidationError({"number": f"There is already a {what} {number}. Enter a different number."})


@transaction.atomic
def add_standard(version, *, actor, number, title, is_checked=False, citation=""):
    version = _lock(version)
    policy.require(actor, "frameworks.change_framework", version)
    require_editable(version)
    _unique_number(Standard.objects.filter(version=version), number, "standard")
    position = (Standard.objects.filter(version=version).aggregate(last=Max("position"))["last"] or 0) + 1
    standard = Standard.objects.create(
        version=version, number=number, title=title, is_checked=is_checked, citation=citation, position=position
    )
    if number in (version.missing_standards or []):
        before = snapshot(version, ("missing_standards",))
        version.missing_standards = [n for n in version.missing_standards if n != number]  # not missing any more
        _save_text(version, actor, ("missing_standards",), before)
    record_event(actor=actor, verb="added standard", target=standard, changes=diff({}, snapshot(standard, STANDARD_FIELDS)))
    return standard


@transaction.atomic
def update_standard(standard, *, actor, expected_revision, **fields):
    standard = _lock(standard)
    policy.require(actor, "frameworks.change_framework", standard)
    require_editable(standard.version)
    _ensure_revision(standard, expected_revision, STANDARD_FIELDS)
    if "number" in fields:
        _unique_number(Standard.objects.filter(version_id=standard.version_id), fields["number"], "standard", exclude=standard)
    before = snapshot(standard, STANDARD_FIELDS)
    _apply(standard, fields, STANDARD_FIELDS, "update_standard")
    return _save_text(standard, actor, STANDARD_FIELDS, before)


def _swap(model, rows, obj, direction, actor, what):
    """Swap `obj` with its neighbour in `rows` (ordered by position); renumbers 1..n on the way, with
    every row parked out of the way first, since a standard's position is unique in its version."""
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be up or down, not {direction!r}")
    rows = list(rows)
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for row in rows:
        row.position += 1000
    model.objects.bulk_update(rows, ["position"])
    for position, row in enumerate(rows, start=1):
        row.position = position
    model.objects.bulk_update(rows, ["position"])
    # Only the order changes, not the wording: no new revision, so nobody's open edit is refused.
    record_event(actor=actor, verb=f"moved {what} {direction}", target=obj, changes={"position": [index + 1, other + 1]})
    return True


@transaction.atomic
def move_standard(standard, *, actor, direction):
    policy.require(actor, "frameworks.change_framework", standard)
    require_editable(standard.version)
    rows = Standard.objects.select_for_update().filter(version_id=standard.version_id).order_by("position")
    return _swap(Standard, rows, standard, direction, actor, "standard")


@transaction.atomic
def remove_standard(standard, *, actor):
    standard = _lock(standard)
    policy.require(actor, "frameworks.change_framework", standard)
    require_editable(standard.version)
    record_event(actor=actor, verb="removed standard", target=standard, changes=diff(snapshot(standard, STANDARD_FIELDS), {}))
    version_id = standard.version_id
    standard.delete()
    for position, row in enumerate(Standard.objects.filter(version_id=version_id).order_by("position"), start=1):
        if row.position != position:
            Standard.objects.filter(pk=row.pk).update(position=position)
    return standard


@transaction.atomic
def add_statement(standard, *, actor, number, text, is_checked=False, citation=""):
    policy.require(actor, "frameworks.change_framework", standard)
    require_editable(standard.version)
    rows = Statement.objects.filter(standard=standard)
    _unique_number(rows, number, f"statement under standard {standard.number} numbered")
    position = (rows.aggregate(last=Max("position"))["last"] or 0) + 1
    statement = Statement.objects.create(
        standard=standard, number=number, text=text, is_checked=is_checked, citation=citation, position=position
    )
    record_event(actor=actor, verb="added statement", target=statement, changes=diff({}, snapshot(statement, STATEMENT_FIELDS)))
    return statement


@transaction.atomic
def update_statement(statement, *, actor, expected_revision, **fields):
    statement = _lock(statement)
    policy.require(actor, "frameworks.change_framework", statement)
    require_editable(statement.standard.version)
    _ensure_revision(statement, expected_revision, STATEMENT_FIELDS)
    if "number" in fields:
        rows = Statement.objects.filter(standard_id=statement.standard_id)
        _unique_number(
            rows, fields["number"], f"statement under standard {statement.standard.number} numbered", exclude=statement
        )
    before = snapshot(statement, STATEMENT_FIELDS)
    _apply(statement, fields, STATEMENT_FIELDS, "update_statement")
    return _save_text(statement, actor, STATEMENT_FIELDS, before)


@transaction.atomic
def move_statement(statement, *, actor, direction):
    policy.require(actor, "frameworks.change_framework", statement)
    require_editable(statement.standard.version)
    rows = Statement.objects.select_for_update().filter(standard_id=statement.standard_id).order_by("position", "number")
    return _swap(Statement, rows, statement, direction, actor, "statement")


@transaction.atomic
def remove_statement(statement, *, actor):
    statement = _lock(statement)
    policy.require(actor, "frameworks.change_framework", statement)
    require_editable(statement.standard.version)
    record_event(actor=actor, verb="removed statement", target=statement, changes=diff(snapshot(statement, STATEMENT_FIELDS), {}))
    statement.delete()
    return statement


# --- Importing a file ---------------------------------------------------------------------------------


@transaction.atomic
def upload_framework_file(*, actor, filename, file_format, content):
    """Keep an uploaded file for its preview. Uploads never applied are cleared after a week."""
    policy.require(actor, "frameworks.manage")
    FrameworkImport.objects.filter(
        organisation=actor.organisation, applied_at__isnull=True, uploaded_at__lt=timezone.now() - KEEP_UNAPPLIED_IMPORTS
    ).delete()
    batch = FrameworkImport.objects.create(
        organisation=actor.organisation, filename=filename[:255], file_format=file_format, content=content, uploaded_by=actor
    )
    record_event(actor=actor, verb="uploaded framework file", target=batch, changes={"filename": [None, batch.filename]})
    return batch


@transaction.atomic
def apply_framework_import(batch, *, actor):
    """Create the framework (or the new version of the organisation's own) the file describes: all of
    it, or, if anything in it is wrong now, nothing."""
    batch = _lock(batch)
    policy.require(actor, "frameworks.manage", batch)
    _same_organisation(actor, batch)
    if batch.applied_at is not None:
        raise ValidationError("This file has already been imported.")
    plan = importer.plan_for(batch)
    if not plan.is_valid:
        raise ValidationError(
            f"The file has {_plural(len(plan.parsed.problems), 'problem')}. Correct the file and upload it again."
        )
    details = plan.parsed.details
    framework = plan.framework
    if framework is None:
        framework = _create_framework(actor, details)
    version = _create_version(actor, framework, details, plan.parsed.standards, verb="imported version")
    batch.applied_at = timezone.now()
    batch.created_version = version
    batch.save(update_fields=["applied_at", "created_version"])
    return version
