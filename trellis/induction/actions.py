"""Every write to people's first 12 months: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves, and records an audit event, in one transaction.
Rules a person can break by what they enter are ValidationErrors keyed by form field, so a view can put
them next to the field.

Opening and closing also happen without anyone asking: `open_first_years` and
`close_finished_first_years` apply what the workforce register says (a supervisory spell that began in
the last 12 months; someone who left or stepped down). The workforce app must not know about
induction (ADR 0011), so instead of a signal they run where it is cheap (the list, a person's panel)
and from `manage.py open_first_years` on the worker's schedule. Both are idempotent.
"""

import datetime
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.tenancy import policy
from trellis.workforce.models import StaffRecord, StageHistory
from trellis.workforce.queries import year_before

from .models import CHECK_IN_MONTHS, CheckIn, ChecklistItem, ChecklistTemplate, FirstYear, Owner, TemplateItem, add_months

DEFAULT_CHECKLIST_FILE = Path(__file__).parent / "data" / "induction_checklist.yaml"

TEMPLATE_FIELDS = ("title", "guidance", "due_after_days", "owner_kind", "owner")
ITEM_FIELDS = ("title", "guidance", "due_on", "owner_kind", "owner")
COMPLETION_FIELDS = ("completed_on", "completed_by", "completion_note")
CHECK_IN_FIELDS = ("held_on", "held_with", "notes")
OPENING_FIELDS = ("start_date", "route", "opened")
CLOSING_FIELDS = ("status", "closed_on", "closing_reason", "closing_note")
# A first 12 months closed for these reasons ended with the spell it belonged to, so a new spell gets a
# new one; any other closing (not needed, opened by mistake...) was someone's decision, and stands.
SPELL_ENDED = (FirstYear.ClosingReason.STEPPED_DOWN, FirstYear.ClosingReason.LEFT)
# Opening by hand: far enough ahead to plan an external hire's induction before they arrive.
LATEST_START_AHEAD_DAYS = 183
ROUTES_FROM_REGISTER = {
    StageHistory.Kind.PROMOTION: FirstYear.Route.PROMOTION,
    StageHistory.Kind.ACTING_UP: FirstYear.Route.ACTING_UP,
    StageHistory.Kind.SECONDMENT: FirstYear.Route.SECONDMENT,
}


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _lock(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def _save(obj, actor, fields, before, verb="updated"):
    """Bump the version and record what changed; nothing is written when nothing changed."""
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return obj
    obj.version += 1
    obj.updated_by = actor
    obj.updated_at = timezone.now()
    obj.save()
    record_event(actor=actor, verb=verb, target=obj, changes=changes)
    return obj


def _apply(obj, fields, allowed, what):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{what}() cannot change {name!r}")
        setattr(obj, name, value)


def _not_in_future(field, label, day):
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


def _check_owner(fields, current_owner_id=None):
    """A named owner only when the owner is someone named, and then someone still in post (unless
    they already owned it, so an old item can be saved without changing its owner)."""
    kind = fields.get("owner_kind")
    if kind is None:
        return
    if kind not in Owner.values:
        raise ValidationError({"owner_kind": "Select who owns this item"})
    if kind != Owner.NAMED:
        fields["owner"] = None
        return
    owner = fields.get("owner")
    if owner is None:
        raise ValidationError({"owner": "Select the person who owns this item"})
    if owner.has_left() and owner.pk != current_owner_id:
        raise ValidationError(
            {"owner": f"{owner.full_name} left on {long_date(owner.leaving_date)}. Select someone still in post."}
        )


def _refuse_closed(first_year):
    if not first_year.is_open:
        raise ValidationError(
            f"{first_year.staff.full_name}'s first 12 months closed on {long_date(first_year.closed_on)}, "
            "so it can no longer be changed."
        )


# --- The organisation's induction checklist template ---------------------------------------------------


def default_checklist(path=DEFAULT_CHECKLIST_FILE):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def ensure_default_template(organisation, *, path=DEFAULT_CHECKLIST_FILE):
    """Give an organisation the default checklist template, once. Safe to call on every page view:
    after the first call it is one indexed read. Returns whether it loaded anything."""
    if ChecklistTemplate.objects.filter(organisation=organisation).exists():
        return False
    data = default_checklist(path)
    try:
        with transaction.atomic():
            ChecklistTemplate.objects.create(organisation=organisation, defaults_version=data.get("version"))
    except IntegrityError:
        return False  # another request loaded it a moment ago
    after = TemplateItem.objects.filter(organisation=organisation).aggregate(last=Max("position"))["last"] or 0
    rows = [
        TemplateItem(
            organisation=organisation,
            title=item["title"].strip(),
            guidance=(item.get("guidance") or "").strip(),
            due_after_days=int(item["due_after_days"]),
            owner_kind=item["owner"],
            position=after + position,
        )
        for position, item in enumerate(data["items"], start=1)
    ]
    unknown = {row.owner_kind for row in rows} - {Owner.SUPERVISOR, Owner.LINE_MANAGER}
    if unknown:
        raise ValueError(f"{path} names owners that do not exist: {sorted(unknown)}")
    bulk_create_with_history(rows, TemplateItem)  # with history, so a stale edit can say what changed
    record_event(
        actor=None,
        verb="loaded the default induction checklist",
        target=organisation,
        changes={"items": [None, len(rows)], "version": [None, data.get("version")]},
        organisation=organisation,
    )
    return True


def _next_template_position(organisation):
    return (TemplateItem.objects.filter(organisation=organisation).aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def add_template_item(*, actor, title, due_after_days, owner_kind, owner=None, guidance=""):
    policy.require(actor, "induction.manage")
    _same_organisation(actor, owner)
    fields = {"owner_kind": owner_kind, "owner": owner}
    _check_owner(fields)
    item = TemplateItem.objects.create(
        organisation=actor.organisation,
        title=title,
        guidance=guidance,
        due_after_days=due_after_days,
        owner_kind=owner_kind,
        owner=fields["owner"],
        position=_next_template_position(actor.organisation),
        updated_by=actor,
    )
    record_event(
        actor=actor, verb="added checklist template item", target=item, changes=diff({}, snapshot(item, TEMPLATE_FIELDS))
    )
    return item


@transaction.atomic
def update_template_item(item, *, actor, expected_version, **fields):
    item = _lock(item)
    policy.require(actor, "induction.manage", item)
    _same_organisation(actor, fields.get("owner"))
    ensure_current(item, expected_version, TEMPLATE_FIELDS)
    _check_owner(fields, item.owner_id)
    before = snapshot(item, TEMPLATE_FIELDS)
    _apply(item, fields, TEMPLATE_FIELDS, "update_template_item")
    return _save(item, actor, TEMPLATE_FIELDS, before)


@transaction.atomic
def remove_template_item(item, *, actor):
    policy.require(actor, "induction.manage", item)
    record_event(
        actor=actor, verb="removed checklist template item", target=item, changes=diff(snapshot(item, TEMPLATE_FIELDS), {})
    )
    item.delete()


# --- Opening and closing --------------------------------------------------------------------------------


def _open(staff, *, start_date, route, opened, actor, organisation):
    """Create the first 12 months with its check-ins and a copy of the template's items."""
    ensure_default_template(organisation)
    first_year = FirstYear.objects.create(
        organisation=organisation,
        staff=staff,
        start_date=start_date,
        ends_on=add_months(start_date, 12),
        route=route,
        opened=opened,
        created_by=actor,
        updated_by=actor,
    )
    # With history rows, so a stale edit can say what someone else changed.
    bulk_create_with_history(
        [
            CheckIn(organisation=organisation, first_year=first_year, months=months, due_on=add_months(start_date, months))
            for months in CHECK_IN_MONTHS
        ],
        CheckIn,
    )
    template = list(TemplateItem.objects.filter(organisation=organisation).order_by(*TemplateItem._meta.ordering))
    bulk_create_with_history(
        [
            ChecklistItem(
                organisation=organisation,
                first_year=first_year,
                title=item.title,
                guidance=item.guidance,
                due_on=start_date + datetime.timedelta(days=item.due_after_days),
                owner_kind=item.owner_kind,
                owner=item.owner,
                position=position,
                created_by=actor,
                updated_by=actor,
            )
            for position, item in enumerate(template, start=1)
        ],
        ChecklistItem,
    )
    changes = diff({}, snapshot(first_year, OPENING_FIELDS))
    changes["person"] = [None, staff.full_name]
    changes["checklist items"] = [None, len(template)]
    record_event(actor=actor, verb="opened first 12 months", target=first_year, changes=changes, organisation=organisation)
    return first_year


def _people_filter(rows, people, field="pk"):
    if people is None:
        return rows
    return rows.filter(**{f"{field}__in": [getattr(person, "pk", person) for person in people]})


def supervisors_needing_a_first_year(organisation, *, people=None, today=None):
    """Current staff at a supervisory stage whose supervisory spell began in the last 12 months and
    who have no first 12 months for that spell, annotated with `supervisory_since`. One query.

    A first 12 months counts for the spell if it is open, began on or after the spell did, or had not
    ended by the time the spell began, unless it closed because the person stepped down or left (so
    acting up, going back, then being appointed gets a new one; "not needed" stands).
    """
    today = today or timezone.localdate()
    supervisory_now = StageHistory.objects.filter(
        staff=OuterRef("pk"), end_date__isnull=True, stage__is_supervisory=True, start_date__lte=today
    )
    spell = OuterRef("supervisory_since")
    covered = FirstYear.objects.filter(staff=OuterRef("pk")).filter(
        Q(status=FirstYear.Status.OPEN) | Q(start_date__gte=spell) | (Q(ends_on__gt=spell) & ~Q(closing_reason__in=SPELL_ENDED))
    )
    rows = _people_filter(StaffRecord.objects.filter(organisation=organisation).current(today), people)
    return (
        rows.filter(Exists(supervisory_now))
        .with_supervisory_since(today)
        .filter(in_first_year=True, supervisory_since__lte=today)
        .filter(~Exists(covered))
        .order_by("full_name")
    )


def _route_from_register(staff, spell_rows):
    """How they came to the role, from the stage history row that began their supervisory spell."""
    row = spell_rows.get((staff.pk, staff.supervisory_since))
    if row is None:
        return FirstYear.Route.OTHER
    if row.kind == StageHistory.Kind.APPOINTMENT:
        return FirstYear.Route.NEW if row.start_date == staff.start_date else FirstYear.Route.PROMOTION
    return ROUTES_FROM_REGISTER.get(row.kind, FirstYear.Route.OTHER)


@transaction.atomic
def open_first_years(organisation, *, actor=None, people=None, today=None):
    """Open a first 12 months for every current supervisor whose supervisory spell began in the last 12
    months and who has none for it, starting on the day the spell began. Internal promotions get the
    same checklist as new hires. Idempotent; `people` limits it to some staff records. Returns the new
    first 12 months.

    The system does this, not a member (`actor` is None from pages and the schedule), so there is no
    permission to check: it only records what the register already says.
    """
    today = today or timezone.localdate()
    starting = list(supervisors_needing_a_first_year(organisation, people=people, today=today))
    if not starting:
        return []
    spell_rows = {
        (row.staff_id, row.start_date): row
        for row in StageHistory.objects.filter(
            organisation=organisation, staff__in=[staff.pk for staff in starting], stage__is_supervisory=True
        ).order_by("start_date", "created_at")
    }
    opened = []
    for staff in starting:
        try:
            with transaction.atomic():
                opened.append(
                    _open(
                        staff,
                        start_date=staff.supervisory_since,
                        route=_route_from_register(staff, spell_rows),
                        opened=FirstYear.Opened.REGISTER,
                        actor=actor,
                        organisation=organisation,
                    )
                )
        except IntegrityError:
            continue  # another request opened it a moment ago (one open first 12 months per person)
    return opened


def _close(first_year, *, actor, closed_on, reason, note="", verb="closed first 12 months"):
    before = snapshot(first_year, CLOSING_FIELDS)
    first_year.status = FirstYear.Status.CLOSED
    first_year.closed_on = closed_on
    first_year.closing_reason = reason
    first_year.closing_note = note
    changes = diff(before, snapshot(first_year, CLOSING_FIELDS))
    first_year.version += 1
    first_year.updated_by = actor
    first_year.updated_at = timezone.now()
    first_year.save()
    record_event(actor=actor, verb=verb, target=first_year, changes=changes, organisation=first_year.organisation)
    return first_year


def finished_first_years(organisation, *, people=None, today=None):
    """Open first 12 months that should close: the person has left; the 12 months have passed and the
    12-month check-in is held; or, for ones opened from the register, the register no longer has them
    at a supervisory stage. One query."""
    today = today or timezone.localdate()
    open_stage = StageHistory.objects.filter(staff=OuterRef("staff_id"), end_date__isnull=True)
    twelve = CheckIn.objects.filter(first_year=OuterRef("pk"), months=12, held_on__isnull=False)
    rows = _people_filter(FirstYear.objects.filter(organisation=organisation).open(), people, "staff")
    return rows.annotate(
        supervisory_now=Exists(open_stage.filter(stage__is_supervisory=True)),
        stage_since=Subquery(open_stage.values("start_date")[:1]),
        twelve_held_on=Subquery(twelve.values("held_on")[:1]),
    ).filter(
        Q(staff__leaving_date__lte=today)
        | Q(ends_on__lte=today, twelve_held_on__isnull=False)
        | Q(opened=FirstYear.Opened.REGISTER, supervisory_now=False)
    )


@transaction.atomic
def close_finished_first_years(organisation, *, actor=None, people=None, today=None):
    """Close what `finished_first_years` finds, each with its reason and the date it really ended.
    Idempotent. Returns the closed first 12 months."""
    today = today or timezone.localdate()
    closed = []
    for found in finished_first_years(organisation, people=people, today=today):
        first_year = FirstYear.objects.select_for_update(of=("self",)).select_related("staff", "organisation").get(pk=found.pk)
        if not first_year.is_open:
            continue  # another request closed it a moment ago
        staff = first_year.staff
        if staff.has_left(today):
            reason, closed_on = FirstYear.ClosingReason.LEFT, staff.leaving_date
        elif found.twelve_held_on is not None and first_year.ends_on <= today:
            reason, closed_on = FirstYear.ClosingReason.COMPLETED, max(first_year.ends_on, found.twelve_held_on)
        else:
            reason, closed_on = FirstYear.ClosingReason.STEPPED_DOWN, found.stage_since or today
        closed.append(_close(first_year, actor=actor, closed_on=max(closed_on, first_year.start_date), reason=reason))
    return closed


def bring_up_to_date(organisation, *, people=None, today=None):
    """Open and close first 12 months as the register says: what pages and the schedule call."""
    return (
        open_first_years(organisation, people=people, today=today),
        close_finished_first_years(organisation, people=people, today=today),
    )


@transaction.atomic
def open_first_year(*, actor, staff, start_date, route):
    """Open someone's first 12 months by hand: an external hire the register does not show yet, or a
    correction. Returns it."""
    policy.require(actor, "induction.manage", staff)
    _same_organisation(actor, staff)
    staff = StaffRecord.objects.select_for_update().get(pk=staff.pk)  # two admins opening the same person queue here
    today = timezone.localdate()
    if staff.has_left(today):
        raise ValidationError(
            {"staff": f"{staff.full_name} left on {long_date(staff.leaving_date)}. Select someone still in post."}
        )
    existing = FirstYear.objects.filter(staff=staff).open().first()
    if existing is not None:
        raise ValidationError(
            {
                "staff": f"{staff.full_name}'s first 12 months is already open: it started on {long_date(existing.start_date)}. "
                "Close it first if it started on the wrong date."
            }
        )
    if route not in FirstYear.Route.values:
        raise ValidationError({"route": "Select how they came to the role"})
    earliest, latest = year_before(today) + datetime.timedelta(days=1), today + datetime.timedelta(days=LATEST_START_AHEAD_DAYS)
    if start_date < staff.start_date:
        raise ValidationError(
            {"start_date": f"Start date must be on or after {long_date(staff.start_date)}, when {staff.full_name} joined"}
        )
    if start_date < earliest:
        raise ValidationError(
            {
                "start_date": f"Start date must be on or after {long_date(earliest)}: a first 12 months that started earlier has ended"
            }
        )
    if start_date > latest:
        raise ValidationError({"start_date": f"Start date must be on or before {long_date(latest)}, 6 months from today"})
    return _open(
        staff, start_date=start_date, route=route, opened=FirstYear.Opened.BY_HAND, actor=actor, organisation=actor.organisation
    )


@transaction.atomic
def close_first_year(first_year, *, actor, closing_reason, closing_note="", expected_version=None):
    """Close someone's first 12 months by hand, with a reason. Its checklist and check-ins stay as they were."""
    first_year = _lock(first_year)
    policy.require(actor, "induction.manage", first_year)
    ensure_current(first_year, expected_version, OPENING_FIELDS + CLOSING_FIELDS + ("shared_with_mentor",))
    _refuse_closed(first_year)
    if closing_reason not in FirstYear.ClosingReason.values:
        raise ValidationError({"closing_reason": "Select why it is closing"})
    closing_note = (closing_note or "").strip()
    if closing_reason == FirstYear.ClosingReason.OTHER and not closing_note:
        raise ValidationError({"closing_note": "Enter why it is closing"})
    return _close(first_year, actor=actor, closed_on=timezone.localdate(), reason=closing_reason, note=closing_note)


@transaction.atomic
def set_sharing(first_year, *, actor, shared):
    """The person lets their mentor or coach see their first 12 months, or stops them."""
    first_year = _lock(first_year)
    policy.require(actor, "induction.share", first_year)
    before = snapshot(first_year, ["shared_with_mentor"])
    first_year.shared_with_mentor = bool(shared)
    return _save(
        first_year, actor, ["shared_with_mentor"], before, verb="shared with mentor" if shared else "stopped sharing with mentor"
    )


# --- The checklist --------------------------------------------------------------------------------------


def _check_item_dates(first_year, due_on):
    if due_on is not None and not first_year.start_date <= due_on <= first_year.ends_on:
        raise ValidationError(
            {
                "due_on": f"Due date must be between {long_date(first_year.start_date)} and "
                f"{long_date(first_year.ends_on)}, in their first 12 months"
            }
        )


@transaction.atomic
def add_item(first_year, *, actor, title, due_on, owner_kind, owner=None, guidance=""):
    """Add an item to one person's checklist: an induction is planned for the person, not only from the template."""
    first_year = _lock(first_year)
    policy.require(actor, "induction.record_progress", first_year)
    _same_organisation(actor, first_year, owner)
    _refuse_closed(first_year)
    fields = {"owner_kind": owner_kind, "owner": owner}
    _check_owner(fields)
    _check_item_dates(first_year, due_on)
    last = first_year.items.aggregate(last=Max("position"))["last"] or 0
    item = ChecklistItem.objects.create(
        organisation=first_year.organisation,
        first_year=first_year,
        title=title,
        guidance=guidance,
        due_on=due_on,
        owner_kind=owner_kind,
        owner=fields["owner"],
        position=last + 1,
        created_by=actor,
        updated_by=actor,
    )
    record_event(actor=actor, verb="added checklist item", target=item, changes=diff({}, snapshot(item, ITEM_FIELDS)))
    return item


def _lock_item(item):
    return ChecklistItem.objects.select_for_update(of=("self",)).select_related("first_year__staff__line_manager").get(pk=item.pk)


@transaction.atomic
def update_item(item, *, actor, expected_version, **fields):
    item = _lock_item(item)
    policy.require(actor, "induction.record_progress", item)
    _same_organisation(actor, fields.get("owner"))
    ensure_current(item, expected_version, ITEM_FIELDS + COMPLETION_FIELDS)
    _refuse_closed(item.first_year)
    _check_owner(fields, item.owner_id)
    _check_item_dates(item.first_year, fields.get("due_on"))
    before = snapshot(item, ITEM_FIELDS)
    _apply(item, fields, ITEM_FIELDS, "update_item")
    return _save(item, actor, ITEM_FIELDS, before)


@transaction.atomic
def complete_item(item, *, actor, completed_on, completion_note="", expected_version=None):
    """Tick an item off: who (the actor), when, and an optional note."""
    item = _lock_item(item)
    policy.require(actor, "induction.record_progress", item)
    ensure_current(item, expected_version, ITEM_FIELDS + COMPLETION_FIELDS)
    _refuse_closed(item.first_year)
    if item.is_done:
        raise ValidationError(
            f"{item.title} was already ticked off on {long_date(item.completed_on)}"
            f"{' by ' + item.completed_by.user.full_name if item.completed_by else ''}."
        )
    _not_in_future("completed_on", "Date done", completed_on)
    staff = item.first_year.staff
    if completed_on < staff.start_date:
        raise ValidationError(
            {"completed_on": f"Date done must be on or after {long_date(staff.start_date)}, when {staff.full_name} joined"}
        )
    before = snapshot(item, COMPLETION_FIELDS)
    item.completed_on, item.completed_by, item.completion_note = completed_on, actor, (completion_note or "").strip()
    return _save(item, actor, COMPLETION_FIELDS, before, verb="ticked off checklist item")


@transaction.atomic
def reopen_item(item, *, actor, expected_version=None):
    """Undo a tick: the item is to do again. The trail and the item's history keep who ticked it and why."""
    item = _lock_item(item)
    policy.require(actor, "induction.record_progress", item)
    ensure_current(item, expected_version, ITEM_FIELDS + COMPLETION_FIELDS)
    _refuse_closed(item.first_year)
    if not item.is_done:
        return item
    before = snapshot(item, COMPLETION_FIELDS)
    item.completed_on, item.completed_by, item.completion_note = None, None, ""
    return _save(item, actor, COMPLETION_FIELDS, before, verb="reopened checklist item")


# --- Check-ins ------------------------------------------------------------------------------------------


@transaction.atomic
def record_check_in(check_in, *, actor, held_on, held_with, notes="", expected_version=None):
    """Record a check-in as held (or change what was recorded). Recording the 12-month check-in once the
    12 months have passed completes the first 12 months."""
    check_in = (
        CheckIn.objects.select_for_update(of=("self",)).select_related("first_year__staff__line_manager").get(pk=check_in.pk)
    )
    policy.require(actor, "induction.record_progress", check_in)
    _same_organisation(actor, held_with)
    ensure_current(check_in, expected_version, CHECK_IN_FIELDS)
    first_year = check_in.first_year
    _refuse_closed(first_year)
    if held_with is None:
        raise ValidationError({"held_with": "Select who the check-in was with"})
    if held_with.pk == first_year.staff_id:
        raise ValidationError({"held_with": "Select who the check-in was with, not the person themselves"})
    if held_with.has_left() and held_with.pk != check_in.held_with_id:
        raise ValidationError(
            {"held_with": f"{held_with.full_name} left on {long_date(held_with.leaving_date)}. Select someone still in post."}
        )
    _not_in_future("held_on", "Date held", held_on)
    if held_on < first_year.start_date:
        raise ValidationError(
            {"held_on": f"Date held must be on or after {long_date(first_year.start_date)}, when their first 12 months started"}
        )
    before = snapshot(check_in, CHECK_IN_FIELDS)
    verb = "changed check-in" if check_in.is_held else "recorded check-in"
    check_in.held_on, check_in.held_with, check_in.notes = held_on, held_with, (notes or "").strip()
    _save(check_in, actor, CHECK_IN_FIELDS, before, verb=verb)
    today = timezone.localdate()
    if check_in.months == 12 and first_year.ends_on <= today:
        first_year = _lock(first_year)
        _close(
            first_year,
            actor=actor,
            closed_on=max(first_year.ends_on, held_on),
            reason=FirstYear.ClosingReason.COMPLETED,
        )
    return check_in
