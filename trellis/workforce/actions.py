"""Every write to the workforce register: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves, and records an audit event, in one transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.tenancy import policy

from .models import CareerStage, EqualityRecord, StaffRecord, StageHistory, Team

STAFF_FIELDS = (
    "full_name",
    "employee_ref",
    "work_email",
    "job_title",
    "team",
    "service",
    "line_manager",
    "fte",
    "employment_type",
    "start_date",
    "membership",
)
LEAVING_FIELDS = ("leaving_date", "leaving_reason")
IMPORT_FIELDS = (
    "full_name",
    "employee_ref",
    "work_email",
    "job_title",
    "team",
    "service",
    "fte",
    "employment_type",
    "start_date",
    *LEAVING_FIELDS,
)
TEAM_FIELDS = ("name", "service", "manager", "establishment_fte")
EQUALITY_FIELDS = tuple(name for name, _label in EqualityRecord.CHARACTERISTICS)

# (name, supervisory). Practice supervisor and above supervise others.
DEFAULT_CAREER_STAGES = [
    ("Student social worker", False),
    ("ASYE / newly qualified social worker", False),
    ("Social worker", False),
    ("Senior or advanced practitioner", False),
    ("Practice supervisor", True),
    ("Team manager", True),
    ("Service manager", True),
    ("Practice leader / Principal Social Worker", True),
]


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _unlinked_login(actor, membership, exclude=None):
    if membership is None:
        return
    rows = StaffRecord.objects.filter(organisation=actor.organisation, membership=membership)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    existing = rows.first()
    if existing is not None:
        raise ValidationError({"membership": f"That login is already linked to {existing.full_name}'s record"})


def _unique_ref(actor, employee_ref, exclude=None):
    rows = StaffRecord.objects.filter(organisation=actor.organisation, employee_ref__iexact=employee_ref)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    existing = rows.first()
    if existing is not None:
        raise ValidationError(
            {
                "employee_ref": f"Employee reference {employee_ref} is already used by {existing.full_name}. Enter a different reference."
            }
        )


@transaction.atomic
def ensure_default_career_stages(organisation, *, actor=None):
    """Give an organisation the default career pathway if it has no stages yet. Safe to call often."""
    if CareerStage.objects.filter(organisation=organisation).exists():
        return False
    for position, (name, supervisory) in enumerate(DEFAULT_CAREER_STAGES, start=1):
        CareerStage.objects.create(organisation=organisation, name=name, position=position, is_supervisory=supervisory)
    record_event(
        actor=actor,
        verb="created default career stages",
        target=organisation,
        changes={"career stages": [None, [name for name, _ in DEFAULT_CAREER_STAGES]]},
        organisation=organisation,
    )
    return True


STAGE_FIELDS = ("name", "is_supervisory")


def _unique_stage_name(actor, name, exclude=None):
    rows = CareerStage.objects.filter(organisation=actor.organisation, name__iexact=name)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    if rows.exists():
        raise ValidationError({"name": f"There is already a career stage called {name}. Enter a different name."})


@transaction.atomic
def create_career_stage(*, actor, name, is_supervisory):
    """Add a stage at the end of the organisation's career pathway; move it into place afterwards."""
    policy.require(actor, "workforce.manage")
    _unique_stage_name(actor, name)
    last = CareerStage.objects.filter(organisation=actor.organisation).order_by("-position").first()
    stage = CareerStage.objects.create(
        organisation=actor.organisation,
        name=name,
        is_supervisory=is_supervisory,
        position=(last.position + 1) if last else 1,
        updated_by=actor,
    )
    record_event(actor=actor, verb="created", target=stage, changes=diff({}, snapshot(stage, STAGE_FIELDS)))
    return stage


@transaction.atomic
def update_career_stage(stage, *, actor, expected_version=None, **fields):
    """Rename a stage or change whether it is supervisory. Everyone's history keeps pointing at it, so
    a rename reads everywhere at once, and the supervisors register follows the supervisory flag."""
    stage = _lock(stage)
    policy.require(actor, "workforce.manage", stage)
    ensure_current(stage, expected_version, STAGE_FIELDS)
    if "name" in fields:
        _unique_stage_name(actor, fields["name"], exclude=stage)
    before = snapshot(stage, STAGE_FIELDS)
    for name, value in fields.items():
        if name not in STAGE_FIELDS:
            raise TypeError(f"update_career_stage() cannot change {name!r}")
        setattr(stage, name, value)
    changes = diff(before, snapshot(stage, STAGE_FIELDS))
    if changes:
        stage.version += 1
        stage.updated_by = actor
        stage.save()
        record_event(actor=actor, verb="updated", target=stage, changes=changes)
    return stage


@transaction.atomic
def move_career_stage(stage, *, actor, direction):
    """Swap a stage with its neighbour ("up" is earlier in the pathway). Returns False at either end."""
    policy.require(actor, "workforce.manage", stage)
    stages = list(CareerStage.objects.select_for_update().filter(organisation=actor.organisation).order_by("position"))
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(stages):
        return False
    this, other = stages[index], stages[other_index]
    # (organisation, position) is unique, so park one row outside the range while the two swap.
    this_position, other_position = this.position, other.position
    CareerStage.objects.filter(pk=this.pk).update(position=0)
    CareerStage.objects.filter(pk=other.pk).update(position=this_position)
    CareerStage.objects.filter(pk=this.pk).update(position=other_position)
    record_event(actor=actor, verb="moved", target=this, changes={"position": [this_position, other_position]})
    return True


@transaction.atomic
def delete_career_stage(stage, *, actor):
    """Remove a stage nobody has ever held. A stage in anyone's history stays: rename it instead."""
    stage = _lock(stage)
    policy.require(actor, "workforce.manage", stage)
    used = StageHistory.objects.filter(stage=stage).count()
    if used:
        raise ValidationError(
            f"{stage.name} cannot be deleted: it is in the career history of {used} "
            f"{'person' if used == 1 else 'people'}. You can rename it instead."
        )
    try:
        with transaction.atomic():
            stage.delete()
    except models.ProtectedError:
        raise ValidationError(f"{stage.name} cannot be deleted: an acting-up opportunity refers to it.") from None
    record_event(actor=actor, verb="deleted", target=stage, changes={"name": [stage.name, None]})
    # Close the gap so positions stay 1..n.
    for position, row in enumerate(CareerStage.objects.filter(organisation=actor.organisation).order_by("position"), start=1):
        if row.position != position:
            CareerStage.objects.filter(pk=row.pk).update(position=position)
    return stage


@transaction.atomic
def create_team(*, actor, name, service, manager=None, establishment_fte=None):
    policy.require(actor, "workforce.manage")
    _same_organisation(actor, manager)
    if Team.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a team called {name}. Enter a different name."})
    team = Team.objects.create(
        organisation=actor.organisation,
        name=name,
        service=service,
        manager=manager,
        establishment_fte=establishment_fte,
        updated_by=actor,
    )
    record_event(actor=actor, verb="created", target=team, changes=diff({}, snapshot(team, TEAM_FIELDS)))
    return team


@transaction.atomic
def update_team(team, *, actor, expected_version=None, **fields):
    team = _lock(team)
    policy.require(actor, "workforce.manage", team)
    _same_organisation(actor, fields.get("manager"))
    ensure_current(team, expected_version, TEAM_FIELDS)
    name = fields.get("name")
    if name and Team.objects.filter(organisation=actor.organisation, name__iexact=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": f"There is already a team called {name}. Enter a different name."})
    before = snapshot(team, TEAM_FIELDS)
    for field, value in fields.items():
        if field not in TEAM_FIELDS:
            raise TypeError(f"update_team() cannot change {field!r}")
        setattr(team, field, value)
    changes = diff(before, snapshot(team, TEAM_FIELDS))
    if changes:
        team.version += 1
        team.updated_by = actor
        team.save()
        record_event(actor=actor, verb="updated", target=team, changes=changes)
    return team


@transaction.atomic
def create_staff_record(*, actor, career_stage, stage_start_date=None, **fields):
    """Add a person to the register at a career stage (their first stage history row, an appointment)."""
    policy.require(actor, "workforce.manage")
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"create_staff_record() cannot set {sorted(unknown)!r}")
    _same_organisation(actor, fields.get("team"), fields.get("line_manager"), fields.get("membership"), career_stage)
    _unique_ref(actor, fields["employee_ref"])
    _unlinked_login(actor, fields.get("membership"))
    staff = StaffRecord.objects.create(organisation=actor.organisation, updated_by=actor, **fields)
    StageHistory.objects.create(
        organisation=actor.organisation,
        staff=staff,
        stage=career_stage,
        start_date=stage_start_date or staff.start_date,
        kind=StageHistory.Kind.APPOINTMENT,
        created_by=actor,
    )
    changes = diff({}, snapshot(staff, STAFF_FIELDS))
    changes["career stage"] = [None, str(career_stage)]
    record_event(actor=actor, verb="created", target=staff, changes=changes)
    return staff


@transaction.atomic
def update_staff_record(staff, *, actor, expected_version, **fields):
    """Change a staff record. Refused with StaleEdit if someone saved it since `expected_version`."""
    staff = _lock(staff)
    policy.require(actor, "workforce.manage", staff)
    _same_organisation(actor, fields.get("team"), fields.get("line_manager"), fields.get("membership"))
    ensure_current(staff, expected_version, STAFF_FIELDS + LEAVING_FIELDS)
    if "employee_ref" in fields:
        _unique_ref(actor, fields["employee_ref"], exclude=staff)
    _unlinked_login(actor, fields.get("membership"), exclude=staff)
    if fields.get("line_manager") is not None and fields["line_manager"].pk == staff.pk:
        raise ValidationError({"line_manager": "A person cannot be their own line manager"})
    before = snapshot(staff, STAFF_FIELDS)
    for name, value in fields.items():
        if name not in STAFF_FIELDS:
            raise TypeError(f"update_staff_record() cannot change {name!r}")
        setattr(staff, name, value)
    if staff.leaving_date and staff.leaving_date < staff.start_date:
        raise ValidationError({"start_date": "Start date must be on or before their leaving date"})
    changes = diff(before, snapshot(staff, STAFF_FIELDS))
    if not changes:
        return staff
    staff.version += 1
    staff.updated_by = actor
    staff.updated_at = timezone.now()
    staff.save()
    record_event(actor=actor, verb="updated", target=staff, changes=changes)
    return staff


@transaction.atomic
def record_leaving(staff, *, actor, leaving_date, leaving_reason, expected_version=None):
    """Record that someone has left or is leaving. Their open stage ends on their leaving date."""
    staff = _lock(staff)
    policy.require(actor, "workforce.manage", staff)
    ensure_current(staff, expected_version, STAFF_FIELDS + LEAVING_FIELDS)
    if leaving_date < staff.start_date:
        raise ValidationError({"leaving_date": "Leaving date must be on or after their start date"})
    open_row = StageHistory.objects.select_for_update().filter(staff=staff, end_date__isnull=True).first()
    if open_row is not None and leaving_date < open_row.start_date:
        raise ValidationError(
            {
                "leaving_date": f"Leaving date must be on or after {open_row.start_date.day} {open_row.start_date:%B %Y}, when their current career stage began"
            }
        )
    before = snapshot(staff, LEAVING_FIELDS)
    staff.leaving_date = leaving_date
    staff.leaving_reason = leaving_reason
    staff.version += 1
    staff.updated_by = actor
    staff.updated_at = timezone.now()
    staff.save()
    if open_row is not None and leaving_date <= timezone.localdate():
        # Someone working their notice keeps their current stage until they go: closing it now would
        # take a supervisor off the register before they have left. Reads go by the leaving date.
        open_row.end_date = leaving_date
        open_row.save(update_fields=["end_date"])
    record_event(actor=actor, verb="recorded leaving", target=staff, changes=diff(before, snapshot(staff, LEAVING_FIELDS)))
    return staff


@transaction.atomic
def change_career_stage(staff, *, actor, stage, start_date, kind):
    """Move someone to a new career stage from `start_date`: the open history row ends that day."""
    staff = _lock(staff)
    policy.require(actor, "workforce.manage", staff)
    _same_organisation(actor, stage)
    open_row = StageHistory.objects.select_for_update().filter(staff=staff, end_date__isnull=True).first()
    if open_row is not None:
        if start_date < open_row.start_date:
            raise ValidationError(
                {
                    "start_date": f"Date must be on or after {open_row.start_date.day} {open_row.start_date:%B %Y}, when their current stage began"
                }
            )
        if open_row.stage_id == stage.pk and open_row.kind == kind:
            # The same stage with a different kind is real: acting up, then appointed to the post.
            raise ValidationError({"stage": f"They are already at the {stage} stage. Select a different stage."})
        open_row.end_date = start_date
        open_row.save(update_fields=["end_date"])
    elif start_date < staff.start_date:
        raise ValidationError({"start_date": "Date must be on or after their start date"})
    row = StageHistory.objects.create(
        organisation=staff.organisation, staff=staff, stage=stage, start_date=start_date, kind=kind, created_by=actor
    )
    record_event(
        actor=actor,
        verb="changed career stage",
        target=staff,
        changes={
            "career stage": [str(open_row.stage) if open_row else None, str(stage)],
            "from": [None, start_date],
            "kind": [None, row.get_kind_display()],
        },
    )
    return row


@transaction.atomic
def save_equality_answers(staff, *, actor, expected_version=None, **answers):
    """Record or change one person's equality monitoring answers (blank: not asked).

    The audit trail names the questions whose answers changed, never the answers: the trail is read
    more widely and kept longer than special-category data should be.
    """
    policy.require(actor, "workforce.manage_equality", staff)
    _same_organisation(actor, staff)
    unknown = set(answers) - set(EQUALITY_FIELDS)
    if unknown:
        raise TypeError(f"save_equality_answers() cannot set {sorted(unknown)!r}")
    record = EqualityRecord.objects.select_for_update().filter(staff=staff).first()
    if record is None:
        record = EqualityRecord(organisation=staff.organisation, staff=staff)
        before = dict.fromkeys(EQUALITY_FIELDS, "")
    else:
        ensure_current(record, expected_version, EQUALITY_FIELDS)
        before = {name: getattr(record, name) for name in EQUALITY_FIELDS}
    for name, value in answers.items():
        setattr(record, name, value or "")
    changed = [label for name, label in EqualityRecord.CHARACTERISTICS if getattr(record, name) != before[name]]
    if not changed:
        return record
    if not record._state.adding:
        record.version += 1
    record.updated_by = actor
    record.updated_at = timezone.now()
    record.save()
    record_event(actor=actor, verb="updated equality monitoring", target=record, changes={"questions": [None, changed]})
    return record


@transaction.atomic
def erase_equality_answers(staff, *, actor):
    """Delete someone's equality monitoring answers, for example when they withdraw them. Their
    record's history rows go too: keeping old versions would keep what they asked us to remove."""
    policy.require(actor, "workforce.manage_equality", staff)
    _same_organisation(actor, staff)
    record = EqualityRecord.objects.select_for_update().filter(staff=staff).first()
    if record is None:
        return False
    record_event(actor=actor, verb="erased equality monitoring", target=record, changes={})
    pk = record.pk  # delete() clears it
    record.delete()
    EqualityRecord.history.filter(id=pk).delete()
    return True


def record_export(*, actor, file_format, rows):
    """Exports of personal data leave the building: the trail says who took what."""
    policy.require(actor, "workforce.view")
    return record_event(
        actor=actor,
        verb="exported supervisors register",
        target=actor.organisation,
        changes={"format": [None, file_format], "rows": [None, rows]},
    )


@transaction.atomic
def apply_import(batch, *, actor, skip_invalid=False):
    """Write a checked import: create and update staff records keyed on employee reference.

    All or nothing: with any invalid row, nothing is written unless `skip_invalid`. Line managers are
    set in a second pass, so a manager may appear anywhere in the file. Rows are compared again with the
    register as it is now, so re-importing the same file changes nothing. One audit event for the batch.
    """
    from .importer import model_values
    from .models import ImportBatch, ImportRow

    policy.require(actor, "workforce.manage", batch)
    _same_organisation(actor, batch)
    batch = _lock(batch)
    if batch.status not in (ImportBatch.Status.READY, ImportBatch.Status.APPLYING):
        raise ValidationError("This import has not been checked yet, or has already been applied")
    invalid = batch.rows.filter(outcome=ImportRow.Outcome.INVALID).count()
    if invalid and not skip_invalid:
        raise ValidationError(
            f"Nothing was imported: {invalid} row{'s are' if invalid != 1 else ' is'} invalid. "
            "Correct the file and upload it again, or choose to skip the invalid rows."
        )
    organisation = actor.organisation
    existing = {s.employee_ref.lower(): s for s in StaffRecord.objects.filter(organisation=organisation)}
    stages = {str(s.pk): s for s in CareerStage.objects.filter(organisation=organisation)}
    rows = list(batch.rows.exclude(outcome=ImportRow.Outcome.INVALID).only("line", "cleaned").order_by("line"))
    now = timezone.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": invalid}
    created, changed, leavers, stage_rows = {}, {}, [], []

    # Pass 1: every record, without line managers. New records get their ids here, so pass 2 can
    # point anyone at them whatever order the file is in.
    for row in rows:
        ref = row.cleaned["employee_ref"].lower()
        values = model_values(row.cleaned)
        staff = existing.get(ref)
        if staff is None:
            staff = StaffRecord(organisation=organisation, updated_by=actor, created_at=now, updated_at=now, **values)
            existing[ref] = created[ref] = staff
            stage = stages.get(row.cleaned.get("career_stage") or "")
            if stage is not None:
                stage_rows.append(
                    StageHistory(
                        organisation=organisation,
                        staff=staff,
                        stage=stage,
                        start_date=staff.start_date,
                        end_date=staff.leaving_date if staff.has_left() else None,
                        kind=StageHistory.Kind.APPOINTMENT,
                        created_by=actor,
                        created_at=now,
                    )
                )
            continue
        fields = [name for name, value in values.items() if getattr(staff, name) != value]
        if fields:
            if "leaving_date" in fields and staff.leaving_date is None:
                leavers.append(staff)
            for name in fields:
                setattr(staff, name, values[name])
            changed[ref] = staff

    # Pass 2: line managers, by employee reference, now that everyone in the file has an id.
    for row in rows:
        if "line_manager_ref" not in row.cleaned:
            continue
        ref = row.cleaned["employee_ref"].lower()
        staff = existing[ref]
        manager_ref = (row.cleaned["line_manager_ref"] or "").lower()
        manager = existing.get(manager_ref) if manager_ref else None
        if manager_ref and manager is None:
            raise ValidationError(f"Row {row.line}: line manager {row.cleaned['line_manager_ref']} was not found")
        if staff.line_manager_id != (manager.pk if manager else None):
            staff.line_manager_id = manager.pk if manager else None
            if ref not in created:
                changed[ref] = staff

    for staff in changed.values():
        staff.version += 1
        staff.updated_by = actor
        staff.updated_at = now
    history_user = getattr(actor, "user", None)
    bulk_create_with_history(list(created.values()), StaffRecord, batch_size=500, default_user=history_user, default_date=now)
    bulk_update_with_history(
        list(changed.values()),
        StaffRecord,
        [*IMPORT_FIELDS, "line_manager", "version", "updated_by", "updated_at"],
        batch_size=500,
        default_user=history_user,
        default_date=now,
    )
    StageHistory.objects.bulk_create(stage_rows, batch_size=500)
    for staff in leavers:
        # As record_leaving does: the open career stage ends on a leaving date that has come.
        if staff.has_left():
            StageHistory.objects.filter(staff=staff, end_date__isnull=True, start_date__lte=staff.leaving_date).update(
                end_date=staff.leaving_date
            )

    counts["created"] = len(created)
    counts["updated"] = len(changed)
    counts["unchanged"] = len(rows) - len(created) - len(changed)
    # The staged copy of the file is personal data we no longer need: the register, its history and
    # the audit event now hold what was imported.
    batch.rows.all().delete()
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = now
    batch.processed = batch.total
    batch.counts = {**batch.counts, "result": counts}
    batch.message = ""
    batch.save(update_fields=["status", "applied_at", "processed", "counts", "message"])
    record_event(
        actor=actor,
        verb="imported staff records",
        target=organisation,
        changes={"file": [None, batch.filename], **{name: [None, n] for name, n in counts.items()}},
    )
    return counts


# --- The HR import's steps: upload, columns, apply --------------------------------------------


@transaction.atomic
def upload_import(*, actor, filename, headers, records):
    """Stage a parsed file for checking. An upload also clears this organisation's imports abandoned
    over a week ago: their rows are a copy of HR data nobody is going to use (applied ones keep none)."""
    from .importer import KEEP_UNAPPLIED_DAYS
    from .models import ImportBatch, ImportRow

    policy.require(actor, "workforce.manage")
    cutoff = timezone.now() - datetime.timedelta(days=KEEP_UNAPPLIED_DAYS)
    ImportBatch.objects.filter(organisation=actor.organisation, created_at__lt=cutoff).exclude(
        status__in=[ImportBatch.Status.APPLIED, ImportBatch.Status.APPLYING]
    ).delete()
    batch = ImportBatch.objects.create(
        organisation=actor.organisation, filename=filename[:255], headers=headers, total=len(records), created_by=actor
    )
    ImportRow.objects.bulk_create(
        [ImportRow(organisation=actor.organisation, batch=batch, line=line, raw=raw) for line, raw in records],
        batch_size=1000,
    )
    record_event(
        actor=actor,
        verb="uploaded import file",
        target=batch,
        changes={"file": [None, batch.filename], "rows": [None, batch.total]},
    )
    return batch


@transaction.atomic
def choose_import_columns(batch, *, actor, mapping):
    """Record which column feeds which field (remembered for next time), then check every row: now,
    or in the worker for a large file."""
    from . import importer, tasks
    from .models import ImportBatch, ImportMapping

    policy.require(actor, "workforce.manage", batch)
    _same_organisation(actor, batch)
    batch.mapping = mapping
    batch.status = ImportBatch.Status.VALIDATING
    batch.processed = 0
    batch.message = ""
    batch.save(update_fields=["mapping", "status", "processed", "message"])
    ImportMapping.objects.update_or_create(
        organisation=batch.organisation, defaults={"columns": mapping, "updated_by": actor, "updated_at": timezone.now()}
    )
    record_event(actor=actor, verb="chose import columns", target=batch, changes={"columns": [None, mapping]})
    if batch.total > importer.BACKGROUND_ROWS:
        transaction.on_commit(lambda: tasks.validate_import.enqueue(str(batch.pk)))
    else:
        importer.validate_batch(batch)
    return batch


@transaction.atomic
def queue_import(batch, *, actor, skip_invalid):
    """Hand a large checked import to the worker. Only the call that moves the batch from ready to
    applying enqueues it, so a double click or a second tab cannot import twice. True if queued."""
    from . import tasks
    from .models import ImportBatch

    policy.require(actor, "workforce.manage", batch)
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.READY).update(
        status=ImportBatch.Status.APPLYING, message=""
    )
    if claimed:
        record_event(actor=actor, verb="queued import", target=batch, changes={"skip invalid rows": [None, skip_invalid]})
        transaction.on_commit(lambda: tasks.apply_import.enqueue(str(batch.pk), str(actor.pk), skip_invalid))
    return bool(claimed)
