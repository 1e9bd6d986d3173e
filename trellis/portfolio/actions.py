"""Every write to cohorts and portfolios: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit, saves and records an audit event, in one transaction.
The workflow's transitions are here and nowhere else, so an illegal one (editing a submitted portfolio,
deciding on a portfolio not assigned to you) is refused whichever page or command asks.
"""

import hashlib
import math
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.frameworks.models import Standard
from trellis.mentoring.models import Mentorship
from trellis.notifications.actions import notify
from trellis.tenancy import actions as tenancy_actions
from trellis.tenancy import policy
from trellis.tenancy.models import Membership, Role

from .coverage import snapshot_of
from .feedback import DEFAULT_INTRODUCTION, DEFAULT_QUESTIONS, answer_field
from .models import (
    Answer,
    Assessor,
    Cohort,
    Comment,
    EvidenceFile,
    EvidenceItem,
    EvidenceMapping,
    Moderation,
    Portfolio,
    PortfolioItem,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    Receipt,
    Review,
    SampleDraw,
    SignOff,
    StandardDecision,
    Submission,
)
from .queries import assessor_removal_blocker, evidence_versions, people_asked, supervisor_removal_blocker
from .sources import source_for
from .uploads import check_upload

# --- cohorts ---
# Who is in a cohort and who supports them. A supervisor joins by having a portfolio in the cohort;
# reviewers and moderators are `Assessor` rows, and one from a network organisation is a guest here
# (ADR 0014). Refusals a person can act on are ValidationErrors keyed by the form field they concern.

COHORT_FIELDS = ("name", "description", "starts_on", "expected_end_on", "moderation_share")
ASSIGNMENT_FIELDS = ("mentor", "reviewer")


def cohort_date(day):
    return f"{day.day} {day:%B %Y}"


def _lock_cohort(cohort):
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _cohort_same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _check_cohort(actor, fields, frameworks, cohort=None):
    errors = {}
    others = Cohort.objects.filter(organisation=actor.organisation, name__iexact=fields["name"])
    if cohort is not None:
        others = others.exclude(pk=cohort.pk)
    if others.exists():
        errors["name"] = f"There is already a cohort called {fields['name']}. Give this one another name"
    if not frameworks:
        errors["frameworks"] = "Select at least one framework"
    elif any(f.organisation_id != actor.organisation_id or not f.is_active for f in frameworks):
        errors["frameworks"] = "Select frameworks your organisation has in force"
    if fields["expected_end_on"] < fields["starts_on"]:
        errors["expected_end_on"] = (
            f"Expected end date must be the same as or after the start date, {cohort_date(fields['starts_on'])}"
        )
    if not 0 <= fields["moderation_share"] <= 100:
        errors["moderation_share"] = "Share moderated must be between 0 and 100"
    if errors:
        raise ValidationError(errors)


def _cohort_framework_names(frameworks):
    return sorted(str(f) for f in frameworks)


@transaction.atomic
def create_cohort(*, actor, name, frameworks, starts_on, expected_end_on, description="", moderation_share=20):
    """Start a cohort: the supervisors who go through the pathway together, against these frameworks."""
    policy.require(actor, "portfolio.manage_cohorts")
    fields = {
        "name": name.strip(),
        "description": description.strip(),
        "starts_on": starts_on,
        "expected_end_on": expected_end_on,
        "moderation_share": moderation_share,
    }
    frameworks = list(frameworks)
    _check_cohort(actor, fields, frameworks)
    cohort = Cohort.objects.create(organisation=actor.organisation, created_by=actor, updated_by=actor, **fields)
    cohort.frameworks.set(frameworks)
    changes = diff({}, snapshot(cohort, COHORT_FIELDS))
    changes["frameworks"] = [None, _cohort_framework_names(frameworks)]
    record_event(actor=actor, verb="created cohort", target=cohort, changes=changes)
    return cohort


@transaction.atomic
def update_cohort(cohort, *, actor, expected_version=None, frameworks=None, **fields):
    """Change a cohort's details. Its frameworks are fixed once a portfolio in it has been submitted,
    because reviewers decide against their standards."""
    cohort = _lock_cohort(cohort)
    policy.require(actor, "portfolio.manage_cohorts", cohort)
    ensure_current(cohort, expected_version, COHORT_FIELDS)
    unknown = set(fields) - set(COHORT_FIELDS)
    if unknown:
        raise TypeError(f"update_cohort() cannot change {sorted(unknown)}")
    merged = {name: getattr(cohort, name) for name in COHORT_FIELDS} | fields
    merged["name"], merged["description"] = merged["name"].strip(), merged["description"].strip()
    current = list(cohort.frameworks.all())
    frameworks = current if frameworks is None else list(frameworks)
    _check_cohort(actor, merged, frameworks, cohort)
    framework_change = set(frameworks) != set(current)
    if framework_change and Submission.objects.filter(portfolio__cohort=cohort).exists():
        raise ValidationError(
            {"frameworks": "The frameworks cannot change now: portfolios in this cohort have been submitted against them"}
        )
    before = snapshot(cohort, COHORT_FIELDS)
    for name, value in merged.items():
        setattr(cohort, name, value)
    changes = diff(before, snapshot(cohort, COHORT_FIELDS))
    if framework_change:
        cohort.frameworks.set(frameworks)
        changes["frameworks"] = [_cohort_framework_names(current), _cohort_framework_names(frameworks)]
    if not changes:
        return cohort
    cohort.version += 1
    cohort.updated_by, cohort.updated_at = actor, timezone.now()
    cohort.save()
    record_event(actor=actor, verb="updated cohort", target=cohort, changes=changes)
    return cohort


@transaction.atomic
def end_cohort(cohort, *, actor, ended_on, expected_version=None):
    """Record that the cohort has finished. Nobody joins an ended cohort; its record stays as it is."""
    cohort = _lock_cohort(cohort)
    policy.require(actor, "portfolio.manage_cohorts", cohort)
    ensure_current(cohort, expected_version, ("ended_on",))
    if cohort.ended_on is not None:
        raise ValidationError({"ended_on": f"This cohort already ended on {cohort_date(cohort.ended_on)}"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "End date must be today or in the past"})
    if ended_on < cohort.starts_on:
        raise ValidationError({"ended_on": f"End date must be on or after the start date, {cohort_date(cohort.starts_on)}"})
    cohort.ended_on = ended_on
    cohort.version += 1
    cohort.updated_by, cohort.updated_at = actor, timezone.now()
    cohort.save()
    record_event(actor=actor, verb="ended cohort", target=cohort, changes={"ended_on": [None, ended_on]})
    # Seed 002 (Full implementation): ask the cohort about the pathway as soon as it ends.
    open_for_ended_cohort(cohort, actor=actor)
    return cohort


@transaction.atomic
def reopen_cohort(cohort, *, actor):
    """Undo ending a cohort, for an end recorded by mistake."""
    cohort = _lock_cohort(cohort)
    policy.require(actor, "portfolio.manage_cohorts", cohort)
    if cohort.ended_on is None:
        return cohort
    before = cohort.ended_on
    cohort.ended_on = None
    cohort.version += 1
    cohort.updated_by, cohort.updated_at = actor, timezone.now()
    cohort.save()
    record_event(actor=actor, verb="reopened cohort", target=cohort, changes={"ended_on": [before, None]})
    return cohort


def _cohort_names(people):
    names = [p.full_name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _open_mentors(staff):
    """{person id: the membership of their mentor or coach}, from open mentoring relationships whose
    mentor signs in to Trellis: who already supports them is the natural first choice."""
    rows = (
        Mentorship.objects.filter(mentee__in=staff, ended_on__isnull=True, mentor__membership__is_active=True)
        .select_related("mentor__membership")
        .order_by("mentee_id", "-started_on")
    )
    found = {}
    for row in rows:
        found.setdefault(row.mentee_id, row.mentor.membership)
    return found


@transaction.atomic
def add_supervisors(cohort, *, actor, staff):
    """Put supervisors in the cohort: a draft portfolio each. Someone with an open mentoring relationship
    starts with that mentor (the admin can change it). All or nothing: if anyone cannot join, nobody is
    added and the error names them."""
    cohort = _lock_cohort(cohort)  # two admins adding the same people queue here, so the duplicate check holds
    policy.require(actor, "portfolio.manage_cohorts", cohort)
    staff = list(dict.fromkeys(staff))
    _cohort_same_organisation(actor, *staff)
    if not staff:
        raise ValidationError({"staff": "Select at least one supervisor to add"})
    if cohort.ended_on is not None:
        raise ValidationError({"staff": f"This cohort ended on {cohort_date(cohort.ended_on)}. Reopen it to add supervisors"})
    left = [person for person in staff if person.has_left()]
    if left:
        raise ValidationError(
            {"staff": f"{_cohort_names(left)} {'has' if len(left) == 1 else 'have'} left, so cannot join a cohort"}
        )
    already = {p.staff_id for p in Portfolio.objects.filter(cohort=cohort, staff__in=staff)}
    if already:
        twice = [person for person in staff if person.pk in already]
        raise ValidationError({"staff": f"{_cohort_names(twice)} {'is' if len(twice) == 1 else 'are'} already in this cohort"})
    mentors = _open_mentors(staff)
    portfolios = []
    for person in staff:
        mentor = mentors.get(person.pk)
        portfolio = Portfolio.objects.create(
            organisation=actor.organisation, cohort=cohort, staff=person, mentor=mentor, added_by=actor, updated_by=actor
        )
        record_event(
            actor=actor,
            verb="added to cohort",
            target=portfolio,
            changes={"cohort": [None, cohort.name], "supervisor": [None, person.full_name], "mentor": [None, mentor]},
        )
        portfolios.append(portfolio)
    return portfolios


@transaction.atomic
def remove_supervisor(portfolio, *, actor):
    """Take a supervisor out of the cohort, only while their portfolio is an empty draft: evidence,
    comments and decisions are never thrown away."""
    portfolio = Portfolio.objects.select_for_update(of=("self",)).select_related("staff", "cohort").get(pk=portfolio.pk)
    policy.require(actor, "portfolio.manage_cohorts", portfolio)
    reason = supervisor_removal_blocker(portfolio)
    if reason:
        raise ValidationError(reason)
    record_event(
        actor=actor,
        verb="removed from cohort",
        target=portfolio,
        changes={"cohort": [portfolio.cohort.name, None], "supervisor": [portfolio.staff.full_name, None]},
    )
    portfolio.delete()


def _cohort_active_member(actor, membership, field, what):
    if membership is None:
        return
    _cohort_same_organisation(actor, membership)
    if not membership.is_active:
        raise ValidationError({field: f"{membership.user.full_name} is no longer a member here. Choose someone else as {what}"})


@transaction.atomic
def assign_portfolio(portfolio, *, actor, mentor, reviewer, expected_version=None):
    """Choose who mentors a supervisor's portfolio and who reviews it. A mentor may be any member (not a
    guest); the reviewer is one of the cohort's reviewers. Nobody mentors or reviews their own portfolio,
    and the mentor does not also review it."""
    portfolio = Portfolio.objects.select_for_update(of=("self",)).select_related("staff", "cohort").get(pk=portfolio.pk)
    policy.require(actor, "portfolio.manage_cohorts", portfolio)
    ensure_current(portfolio, expected_version, ASSIGNMENT_FIELDS)
    name = portfolio.staff.full_name
    if portfolio.state == Portfolio.State.SIGNED_OFF:
        raise ValidationError({"mentor": f"{name}'s portfolio is signed off, so its mentor and reviewer stay as they were"})
    _cohort_active_member(actor, mentor, "mentor", "mentor")
    _cohort_active_member(actor, reviewer, "reviewer", "reviewer")
    own = portfolio.staff.membership_id
    errors = {}
    if mentor is not None and mentor.is_guest:
        errors["mentor"] = f"{mentor.user.full_name} is a guest here, so can review or moderate but not mentor"
    elif mentor is not None and mentor.pk == own:
        errors["mentor"] = f"{name} cannot mentor their own portfolio. Choose someone else"
    elif mentor is None and portfolio.state == Portfolio.State.WITH_MENTOR:
        errors["mentor"] = f"{name} has shared their portfolio with their mentor. Choose a mentor rather than nobody"
    if reviewer is not None:
        if not Assessor.objects.filter(cohort=portfolio.cohort, membership=reviewer, role=Assessor.Role.REVIEWER).exists():
            errors["reviewer"] = "Choose one of this cohort's reviewers. Add reviewers on the reviewers and moderators page"
        elif reviewer.pk == own:
            errors["reviewer"] = f"{name} cannot review their own portfolio. Choose another reviewer"
        elif mentor is not None and reviewer.pk == mentor.pk:
            errors["reviewer"] = f"{reviewer.user.full_name} is {name}'s mentor, so cannot also review the portfolio"
    elif portfolio.state == Portfolio.State.SUBMITTED:
        errors["reviewer"] = f"{name}'s portfolio is waiting for review. Choose a reviewer rather than nobody"
    if errors:
        raise ValidationError(errors)
    before = snapshot(portfolio, ASSIGNMENT_FIELDS)
    portfolio.mentor, portfolio.reviewer = mentor, reviewer
    changes = diff(before, snapshot(portfolio, ASSIGNMENT_FIELDS))
    if not changes:
        return portfolio
    portfolio.version += 1
    portfolio.updated_by, portfolio.updated_at = actor, timezone.now()
    portfolio.save()
    record_event(actor=actor, verb="chose mentor and reviewer", target=portfolio, changes=changes)
    return portfolio


@transaction.atomic
def add_assessor(cohort, *, actor, role, person):
    """Make someone a reviewer or moderator of the cohort: a member here with that role, or a member
    with it in an organisation that shares a network with this one, who becomes a guest here."""
    cohort = _lock_cohort(cohort)
    policy.require(actor, "portfolio.manage_cohorts", cohort)
    if role not in Assessor.Role.values:
        raise ValueError(f"Unknown assessor role {role!r}")
    role_label = Assessor.Role(role).label.lower()
    if person.organisation_id == actor.organisation_id:
        if not person.is_active or person.is_guest or not person.has_role(role):
            raise ValidationError(
                {"person": f"{person.user.full_name} is not a {role_label} here. Give them the role on the People page first"}
            )
        membership = person
    else:
        try:
            membership = tenancy_actions.add_guest(actor=actor, person=person, role=role)
        except ValidationError as error:
            raise ValidationError({"person": error.messages}) from error
    if Assessor.objects.filter(cohort=cohort, membership=membership, role=role).exists():
        raise ValidationError({"person": f"{membership.user.full_name} is already a {role_label} of this cohort"})
    assessor = Assessor.objects.create(
        organisation=actor.organisation, cohort=cohort, membership=membership, role=role, added_by=actor
    )
    who = membership.user.full_name + (f" (guest from {membership.home_organisation})" if membership.is_guest else "")
    record_event(actor=actor, verb=f"added {role_label}", target=cohort, changes={role: [None, who]})
    return assessor


@transaction.atomic
def remove_assessor(assessor, *, actor):
    """Take a reviewer or moderator off the cohort. A guest who no longer assesses any cohort here in
    that role loses it, and with no role left stops being a member here (ADR 0014)."""
    assessor = Assessor.objects.select_for_update(of=("self",)).select_related("membership__user", "cohort").get(pk=assessor.pk)
    policy.require(actor, "portfolio.manage_cohorts", assessor.cohort)
    reason = assessor_removal_blocker(assessor)
    if reason:
        raise ValidationError(reason)
    membership, role = assessor.membership, assessor.role
    assessor.delete()
    record_event(
        actor=actor,
        verb=f"removed {Assessor.Role(role).label.lower()}",
        target=assessor.cohort,
        changes={role: [membership.user.full_name, None]},
    )
    if membership.is_guest and not Assessor.objects.filter(membership=membership, role=role).exists():
        tenancy_actions.end_guest(membership, actor=actor, role=role)


# --- evidence ---
# A person's evidence items are theirs, reused across portfolios. An item is locked only while a
# portfolio holding it is submitted for review; once any portfolio holding it has been submitted it is
# part of that record and cannot be deleted (nor can a file the reviewer was sent). Mappings, files and
# additions to a portfolio are recorded on the item's (or the portfolio's) audit trail.

EVIDENCE_FIELDS = ("title", "kind", "occurred_on", "reflection")


def evidence_date(day):
    return f"{day.day} {day:%B %Y}"


class AlreadyEvidence(ValidationError):
    """A record of Trellis that is already an evidence item of the person: `item` is that item."""

    def __init__(self, item):
        self.item = item
        super().__init__(f"This is already evidence: ‘{item.title}’.", code="already_evidence")


def _lock_evidence_item(item):
    return EvidenceItem.objects.select_for_update().select_related("staff").get(pk=item.pk)


def _evidence_same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _refuse_evidence_under_review(item):
    """Refuse any change while a portfolio holding the item is with its reviewer. The portfolios are
    locked, so a submission cannot slip in between this check and the change."""
    holding = Portfolio.objects.select_for_update(of=("self",)).filter(
        pk__in=PortfolioItem.objects.filter(item=item).values("portfolio_id")
    )
    names = sorted(p.cohort.name for p in holding.select_related("cohort") if p.state == Portfolio.State.SUBMITTED)
    if names:
        raise ValidationError(
            f"‘{item.title}’ is in the portfolio for {' and '.join(names)}, which is submitted for review, so it "
            "cannot be changed now. You can change it again once the reviewer has returned the portfolio or decided on it."
        )


def _check_evidence_fields(fields):
    if fields["kind"] not in EvidenceItem.Kind.values:
        raise ValidationError({"kind": "Select the kind of evidence"})
    if fields["occurred_on"] > timezone.localdate():
        raise ValidationError({"occurred_on": "Date must be today or in the past"})
    if not fields["title"].strip():
        raise ValidationError({"title": "Enter a title"})


@transaction.atomic
def create_evidence_item(*, actor, staff, title, kind, occurred_on, reflection=""):
    """Add an item to a person's evidence: theirs, or, for someone without a login, kept by an admin."""
    policy.require(actor, "portfolio.change_evidence", staff)
    _evidence_same_organisation(actor, staff)
    fields = {"title": title.strip(), "kind": kind, "occurred_on": occurred_on, "reflection": reflection.strip()}
    _check_evidence_fields(fields)
    item = EvidenceItem.objects.create(organisation=staff.organisation, staff=staff, created_by=actor, updated_by=actor, **fields)
    changes = diff({}, snapshot(item, EVIDENCE_FIELDS))
    changes["person"] = [None, staff.full_name]
    record_event(actor=actor, verb="added evidence item", target=item, changes=changes)
    return item


@transaction.atomic
def update_evidence_item(item, *, actor, expected_version, **fields):
    item = _lock_evidence_item(item)
    policy.require(actor, "portfolio.change_evidence", item)
    ensure_current(item, expected_version, EVIDENCE_FIELDS)
    _refuse_evidence_under_review(item)
    unknown = set(fields) - set(EVIDENCE_FIELDS)
    if unknown:
        raise TypeError(f"update_evidence_item() cannot change {sorted(unknown)}")
    merged = {name: fields.get(name, getattr(item, name)) for name in EVIDENCE_FIELDS}
    merged["title"], merged["reflection"] = merged["title"].strip(), merged["reflection"].strip()
    _check_evidence_fields(merged)
    before = snapshot(item, EVIDENCE_FIELDS)
    for name, value in merged.items():
        setattr(item, name, value)
    changes = diff(before, snapshot(item, EVIDENCE_FIELDS))
    if not changes:
        return item
    item.version += 1
    item.updated_by = actor
    item.updated_at = timezone.now()
    item.save()
    record_event(actor=actor, verb="updated", target=item, changes=changes)
    return item


def evidence_submission(item, evidence_file=None):
    """The first submission that sent this item (or this file of it) to a reviewer, or None: while the
    item is in a portfolio that has been submitted, or is in a submission's frozen copy."""
    holding = set(PortfolioItem.objects.filter(item=item).values_list("portfolio_id", flat=True))
    item_id = str(item.pk)
    file_id = str(evidence_file.pk) if evidence_file is not None else None
    for submission in Submission.objects.filter(portfolio__staff_id=item.staff_id).select_related("portfolio__cohort"):
        if file_id is None and submission.portfolio_id in holding:
            return submission
        for entry in (submission.snapshot or {}).get("items", []):
            if str(entry.get("id")) != item_id:
                continue
            if file_id is None or any(str(f.get("id")) == file_id for f in entry.get("files", [])):
                return submission
    return None


def _delete_stored(names):
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


@transaction.atomic
def delete_evidence_item(item, *, actor):
    """Delete an item that has never been submitted for review, with its files. One that has is part of
    what a reviewer decided on, so it stays."""
    item = _lock_evidence_item(item)
    policy.require(actor, "portfolio.change_evidence", item)
    submission = evidence_submission(item)
    if submission is not None:
        raise ValidationError(
            f"‘{item.title}’ was submitted for review in the portfolio for {submission.portfolio.cohort.name} on "
            f"{evidence_date(timezone.localdate(submission.submitted_at))}, so it is kept as part of that record and "
            "cannot be deleted."
        )
    stored = list(item.files.values_list("file", flat=True))
    changes = diff(snapshot(item, EVIDENCE_FIELDS), {})
    changes["person"] = [item.staff.full_name, None]
    record_event(actor=actor, verb="deleted evidence item", target=item, changes=changes)
    item.delete()
    transaction.on_commit(lambda: _delete_stored(stored))


# Mappings: what an item evidences.


def evidences_label(standard, statement=None):
    framework = standard.version.framework.short_name
    if statement is not None:
        return f"{framework} {statement.number} {statement.text}"
    return f"{framework} {standard.number}. {standard.title}"


def _check_mapping(item, standard, statement, how, *, keep=None):
    allowed = set(Standard.objects.filter(version_id__in=evidence_versions(item.staff)).values_list("pk", flat=True))
    if keep is not None:
        allowed.add(keep)
    if standard is None or standard.pk not in allowed:
        raise ValidationError({"standard": "Select a standard from the frameworks you work against"})
    if statement is not None and statement.standard_id != standard.pk:
        raise ValidationError(
            {"statement": f"Select a statement of standard {standard.number}, or select the standard as a whole"}
        )
    if not how.strip():
        raise ValidationError({"how": "Enter how this item evidences it"})


def _refuse_duplicate_mapping(item, standard, statement, *, exclude=None):
    clash = item.mappings.filter(standard=standard, statement=statement)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        field = "statement" if statement is not None else "standard"
        raise ValidationError(
            {field: f"This item already evidences {evidences_label(standard, statement)}. Change how it does instead"}
        )


@transaction.atomic
def add_mapping(item, *, actor, standard, how, statement=None):
    """Say that an item evidences a standard (or one of its statements), and how."""
    item = _lock_evidence_item(item)  # two mappings added at once queue here, so duplicates are caught
    policy.require(actor, "portfolio.change_evidence", item)
    _refuse_evidence_under_review(item)
    _check_mapping(item, standard, statement, how)
    _refuse_duplicate_mapping(item, standard, statement)
    mapping = EvidenceMapping.objects.create(
        organisation=item.organisation, item=item, standard=standard, statement=statement, how=how.strip()
    )
    label = evidences_label(standard, statement)
    record_event(
        actor=actor, verb="mapped evidence", target=item, changes={"evidences": [None, label], "how": [None, mapping.how]}
    )
    return mapping


@transaction.atomic
def update_mapping(mapping, *, actor, standard, how, statement=None):
    item = _lock_evidence_item(mapping.item)
    mapping = EvidenceMapping.objects.select_related("standard__version__framework", "statement").get(pk=mapping.pk)
    policy.require(actor, "portfolio.change_evidence", mapping)
    _refuse_evidence_under_review(item)
    _check_mapping(item, standard, statement, how, keep=mapping.standard_id)
    _refuse_duplicate_mapping(item, standard, statement, exclude=mapping)
    before = {"evidences": evidences_label(mapping.standard, mapping.statement), "how": mapping.how}
    mapping.standard, mapping.statement, mapping.how = standard, statement, how.strip()
    changes = diff(before, {"evidences": evidences_label(standard, statement), "how": mapping.how})
    if changes:
        mapping.save()
        record_event(actor=actor, verb="changed mapping", target=item, changes=changes)
    return mapping


@transaction.atomic
def remove_mapping(mapping, *, actor):
    item = _lock_evidence_item(mapping.item)
    mapping = EvidenceMapping.objects.select_related("standard__version__framework", "statement").get(pk=mapping.pk)
    policy.require(actor, "portfolio.change_evidence", mapping)
    _refuse_evidence_under_review(item)
    label = evidences_label(mapping.standard, mapping.statement)
    record_event(
        actor=actor, verb="removed mapping", target=item, changes={"evidences": [label, None], "how": [mapping.how, None]}
    )
    mapping.delete()


# Files.


@transaction.atomic
def add_evidence_file(item, *, actor, upload):
    """Attach a file, checked by its content and size (uploads.py). Stored under a random name; the
    person's file name is kept for the download."""
    item = _lock_evidence_item(item)
    policy.require(actor, "portfolio.change_evidence", item)
    _refuse_evidence_under_review(item)
    checked = check_upload(upload)
    evidence_file = EvidenceFile(
        organisation=item.organisation,
        item=item,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    evidence_file.file.save(checked.name, upload, save=False)
    stored = evidence_file.file.name
    # If anything below fails the row is rolled back, so the stored copy must go too.
    try:
        evidence_file.save()
        record_event(actor=actor, verb="added file", target=item, changes={"file": [None, checked.name]})
    except Exception:
        _delete_stored([stored])
        raise
    return evidence_file


@transaction.atomic
def remove_evidence_file(evidence_file, *, actor):
    item = _lock_evidence_item(evidence_file.item)
    evidence_file = EvidenceFile.objects.select_related("item__staff").get(pk=evidence_file.pk)
    policy.require(actor, "portfolio.change_evidence", evidence_file)
    _refuse_evidence_under_review(item)
    submission = evidence_submission(item, evidence_file)
    if submission is not None:
        raise ValidationError(
            f"‘{evidence_file.name}’ was sent to the reviewer with the portfolio for {submission.portfolio.cohort.name} on "
            f"{evidence_date(timezone.localdate(submission.submitted_at))}, so it is kept with what they saw. You can add a "
            "newer file beside it."
        )
    stored = evidence_file.file.name
    record_event(actor=actor, verb="removed file", target=item, changes={"file": [evidence_file.name, None]})
    evidence_file.delete()
    transaction.on_commit(lambda: _delete_stored([stored]))


# Evidence from elsewhere in Trellis.


@transaction.atomic
def add_evidence_from(record, *, actor):
    """Make an evidence item from a record elsewhere in Trellis (sources.py): title, date and kind from
    the record, a mapping for each standard it was tagged with, and a link back to it. A record becomes
    evidence once (AlreadyEvidence names the item it became)."""
    source = source_for(record)
    if source is None:
        raise ValueError(f"{record!r} cannot be added as evidence")
    staff = record.staff
    policy.require(actor, "portfolio.change_evidence", staff)
    policy.require(actor, source.permission, record)
    _evidence_same_organisation(actor, record)
    content_type = ContentType.objects.get_for_model(type(record))
    existing = EvidenceItem.objects.filter(staff=staff, source_type=content_type, source_id=str(record.pk)).first()
    if existing is not None:
        raise AlreadyEvidence(existing)
    prefill = source.prefill(record)
    try:
        with transaction.atomic():
            item = EvidenceItem.objects.create(
                organisation=staff.organisation,
                staff=staff,
                title=prefill.title,
                kind=prefill.kind,
                occurred_on=prefill.occurred_on,
                source_type=content_type,
                source_id=str(record.pk),
                source_label=prefill.label[:300],
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:  # the same record added a moment ago, from another tab
        raise AlreadyEvidence(EvidenceItem.objects.get(staff=staff, source_type=content_type, source_id=str(record.pk))) from None
    allowed = set(Standard.objects.filter(version_id__in=evidence_versions(staff)).values_list("pk", flat=True))
    standards = [standard for standard in dict.fromkeys(prefill.standards) if standard.pk in allowed]
    EvidenceMapping.objects.bulk_create(
        EvidenceMapping(organisation=item.organisation, item=item, standard=standard, how=prefill.how) for standard in standards
    )
    changes = diff({}, snapshot(item, EVIDENCE_FIELDS))
    changes.update(person=[None, staff.full_name], source=[None, item.source_label])
    if standards:
        changes["evidences"] = [None, [evidences_label(standard) for standard in standards]]
    record_event(actor=actor, verb="added evidence from Trellis", target=item, changes=changes)
    return item


# Choosing evidence for a portfolio.


def _portfolio_for_evidence(item, portfolio, actor):
    """Lock the portfolio and check the person may change its contents now."""
    portfolio = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
    if portfolio.staff_id != item.staff_id:
        raise ValueError("An item can only go into its own person's portfolio")
    policy.require(actor, "portfolio.change_evidence", item)
    if not portfolio.is_editable:
        raise ValidationError(
            f"The portfolio for {portfolio.cohort.name} is {portfolio.get_state_display().lower()}, so the evidence in it "
            "cannot change now."
        )
    policy.require(actor, "portfolio.change_portfolio", portfolio)
    return portfolio


@transaction.atomic
def add_to_portfolio(item, *, actor, portfolio):
    portfolio = _portfolio_for_evidence(item, portfolio, actor)
    if PortfolioItem.objects.filter(portfolio=portfolio, item=item).exists():
        raise ValidationError(f"‘{item.title}’ is already in the portfolio for {portfolio.cohort.name}.")
    entry = PortfolioItem.objects.create(organisation=portfolio.organisation, portfolio=portfolio, item=item)
    record_event(actor=actor, verb="added evidence item", target=portfolio, changes={"evidence": [None, item.title]})
    return entry


@transaction.atomic
def remove_from_portfolio(item, *, actor, portfolio):
    portfolio = _portfolio_for_evidence(item, portfolio, actor)
    deleted, _ = PortfolioItem.objects.filter(portfolio=portfolio, item=item).delete()
    if not deleted:
        raise ValidationError(f"‘{item.title}’ is not in the portfolio for {portfolio.cohort.name}.")
    record_event(actor=actor, verb="removed evidence item", target=portfolio, changes={"evidence": [item.title, None]})


# --- workflow ---
# A portfolio's journey from draft to a decision: shared with the mentor, submitted, then recommended or
# returned by its reviewer. Each step locks the portfolio and asks policy.py, whose rules include the
# state (so submitting twice, or deciding on a returned portfolio, is refused with the reason), records
# who, when and why on the portfolio's audit trail, and tells whoever the portfolio now waits on.


def _workflow_when(moment):
    day = timezone.localdate(moment)
    return f"{day.day} {day:%B %Y}"


def _workflow_lock(portfolio):
    # `of=("self",)`: PostgreSQL cannot lock the nullable side of the joins (mentor, reviewer).
    return (
        Portfolio.objects.select_for_update(of=("self",))
        .select_related("cohort", "staff__membership", "mentor__user", "reviewer__user")
        .get(pk=portfolio.pk)
    )


def portfolio_path(portfolio):
    return reverse("portfolio:portfolio", args=[portfolio.organisation.slug, portfolio.pk])


def _workflow_step(portfolio, state, *, actor, verb, changes):
    """Move the portfolio to `state` and record the step on its audit trail: `changes` carries the why."""
    before = portfolio.get_state_display()
    portfolio.state = state
    portfolio.state_changed_at = portfolio.updated_at = timezone.now()
    portfolio.updated_by = actor
    portfolio.version += 1
    portfolio.save()
    record_event(
        actor=actor,
        verb=verb,
        target=portfolio,
        changes={
            "state": [before, portfolio.get_state_display()],
            **{k: v for k, v in changes.items() if v[1] not in ("", None)},
        },
    )
    return portfolio


def latest_submission(portfolio):
    return portfolio.submissions.select_related("review").order_by("-number").first()


def dispute_pending(portfolio):
    """The latest review, when the supervisor disputed it and moderation has not settled it yet."""
    submission = latest_submission(portfolio)
    review = getattr(submission, "review", None) if submission else None
    if review is None or review.disputed_at is None:
        return None
    moderation = Moderation.objects.filter(review=review).first()
    return review if moderation is None or moderation.is_waiting else None


@transaction.atomic
def share_with_mentor(portfolio, *, actor, message=""):
    """Let the portfolio's mentor read it and comment. The supervisor goes on editing it."""
    portfolio = _workflow_lock(portfolio)
    policy.require(actor, "portfolio.share", portfolio)
    mentor = portfolio.mentor
    if mentor is None or not mentor.is_active:
        raise ValidationError(
            "No mentor has been chosen for this portfolio yet. An organisation admin chooses mentors on the cohort's page."
        )
    message = message.strip()
    portfolio.shared_with_mentor_at = timezone.now()
    _workflow_step(
        portfolio,
        Portfolio.State.WITH_MENTOR,
        actor=actor,
        verb="shared with mentor",
        changes={"mentor": [None, str(mentor)], "reasons": [None, message]},
    )
    notify(
        mentor,
        f"{portfolio.staff.full_name} has shared their portfolio with you",
        message or f"Read their evidence for {portfolio.cohort.name} and add your comments and suggestions.",
        portfolio_path(portfolio),
    )
    return portfolio


@transaction.atomic
def add_comment(portfolio, *, actor, body, item=None):
    """A comment or suggestion from the mentor, or the supervisor's reply: on the whole portfolio, or on
    one piece of evidence in it. The other of the two is told."""
    portfolio = _workflow_lock(portfolio)
    policy.require(actor, "portfolio.comment", portfolio)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Enter your comment"})
    if item is not None and not PortfolioItem.objects.filter(portfolio=portfolio, item=item).exists():
        raise ValidationError({"item": "Select a piece of evidence in this portfolio, or the whole portfolio"})
    comment = Comment.objects.create(organisation=portfolio.organisation, portfolio=portfolio, item=item, author=actor, body=body)
    changes = {"comment": [None, body]}
    if item is not None:
        changes["evidence"] = [None, item.title]
    record_event(actor=actor, verb="commented", target=comment, changes=changes)
    name = actor.user.full_name
    about = f" on “{item.title}”" if item is not None else ""
    if actor.pk == portfolio.mentor_id:
        notify(
            portfolio.staff.membership,
            f"{name} commented on your portfolio{about}",
            body,
            portfolio_path(portfolio) + "#comments",
        )
    elif portfolio.shared_with_mentor_at is not None:
        notify(
            portfolio.mentor,
            f"{name} replied on their portfolio{about}",
            body,
            portfolio_path(portfolio) + "#comments",
        )
    return comment


@transaction.atomic
def submit(portfolio, *, actor, note=""):
    """Submit the portfolio for review. What the reviewer will see is frozen in a `Submission` snapshot,
    so later edits (after a return) never change the record of what was decided on."""
    portfolio = _workflow_lock(portfolio)
    policy.require(actor, "portfolio.submit", portfolio)
    reviewer = portfolio.reviewer
    if reviewer is None or not reviewer.is_active:
        raise ValidationError(
            "No reviewer has been chosen for this portfolio yet. An organisation admin chooses one from the cohort's reviewers."
        )
    disputed = dispute_pending(portfolio)
    if disputed is not None:
        raise ValidationError(
            f"You disputed the reviewer's decision on {_workflow_when(disputed.disputed_at)}. You can submit again once "
            "moderation has settled the dispute."
        )
    snapshot = snapshot_of(portfolio)
    if not snapshot["items"]:
        raise ValidationError("Add at least one piece of evidence to the portfolio before you submit it.")
    note = note.strip()
    number = (portfolio.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    submission = Submission.objects.create(
        organisation=portfolio.organisation,
        portfolio=portfolio,
        number=number,
        submitted_by=actor,
        note=note,
        snapshot=snapshot,
    )
    _workflow_step(
        portfolio,
        Portfolio.State.SUBMITTED,
        actor=actor,
        verb="submitted for review",
        changes={"submission": [None, number], "items": [None, len(snapshot["items"])], "note": [None, note]},
    )
    again = " again" if number > 1 else ""
    notify(
        reviewer,
        f"{portfolio.staff.full_name}'s portfolio is waiting for your review",
        f"Submitted{again} for {portfolio.cohort.name}, with {len(snapshot['items'])} piece"
        f"{'s' if len(snapshot['items']) != 1 else ''} of evidence." + (f"\n\nNote from the supervisor: {note}" if note else ""),
        reverse("portfolio:review", args=[portfolio.organisation.slug, portfolio.pk]),
    )
    return submission


REVIEW_FIELDS = ("outcome", "feedback", "borderline")


def _under_review(portfolio, actor, expected_version):
    """The locked portfolio, its latest submission and that submission's review (started if need be),
    for the assigned reviewer while the portfolio is submitted."""
    portfolio = _workflow_lock(portfolio)
    policy.require(actor, "portfolio.review", portfolio)
    submission = portfolio.submissions.order_by("-number").first()
    review, created = Review.objects.select_for_update().get_or_create(
        submission=submission, defaults={"organisation": portfolio.organisation, "reviewer": actor}
    )
    if not created:
        ensure_current(review, expected_version, REVIEW_FIELDS)
    if review.decided_at is not None:  # the state says submitted, so only a broken record gets here
        raise ValidationError(f"This submission was decided on {_workflow_when(review.decided_at)}.")
    return portfolio, submission, review


def _review_decisions(standards, decisions, *, final):
    """{standard id: (met, feedback)} cleaned, and errors keyed like the review form's fields."""
    known = {str(standard.pk) for standard in standards}
    cleaned = {str(pk): (met, (feedback or "").strip()) for pk, (met, feedback) in decisions.items()}
    if set(cleaned) - known:
        raise ValueError("Decisions on standards that are not the cohort's")
    errors = {}
    for standard in standards:
        met, feedback = cleaned.get(str(standard.pk), (None, ""))
        label = standard_label(standard)
        if met is None and final:
            errors[f"standard_{standard.pk}"] = f"Select met or not yet met for {label}"
        elif met is None and feedback:
            errors[f"standard_{standard.pk}"] = f"Select met or not yet met for {label}, to save your feedback on it"
        elif met is False and not feedback and final:
            errors[f"feedback_{standard.pk}"] = f"Enter feedback on {label}: what evidence is still needed"
    return cleaned, errors


def _write_review(review, standards, cleaned, *, actor, feedback, borderline):
    review.decisions.all().delete()
    StandardDecision.objects.bulk_create(
        StandardDecision(
            organisation=review.organisation,
            review=review,
            standard=standard,
            met=cleaned[str(standard.pk)][0],
            feedback=cleaned[str(standard.pk)][1],
        )
        for standard in standards
        if cleaned.get(str(standard.pk), (None, ""))[0] is not None
    )
    review.reviewer = actor
    review.feedback = feedback.strip()
    review.borderline = bool(borderline)
    review.updated_at = timezone.now()
    review.version += 1


@transaction.atomic
def save_review(portfolio, *, actor, decisions, feedback="", borderline=False, expected_version=None):
    """Save the reviewer's work so far without deciding: `decisions` is {standard id: (met or None,
    feedback)}. Nothing is shown to the supervisor until the decision is made."""
    portfolio, submission, review = _under_review(portfolio, actor, expected_version)
    standards = list(moderation_standards(portfolio.cohort))
    cleaned, errors = _review_decisions(standards, decisions, final=False)
    if errors:
        raise ValidationError(errors)
    _write_review(review, standards, cleaned, actor=actor, feedback=feedback, borderline=borderline)
    review.save()
    decided = sum(1 for standard in standards if cleaned.get(str(standard.pk), (None, ""))[0] is not None)
    record_event(
        actor=actor,
        verb="saved review draft",
        target=review,
        changes={"standards decided": [None, f"{decided} of {len(standards)}"]},
    )
    return review


@transaction.atomic
def decide_review(portfolio, *, actor, outcome, decisions, feedback="", borderline=False, expected_version=None):
    """The reviewer's decision on the latest submission: met or not yet met for every standard of the
    cohort's frameworks (`decisions`: {standard id: (met, feedback)}, feedback needed where not yet met),
    overall feedback, whether it was a close call, and the outcome: recommended (every standard met) or
    returned for more evidence (some standard not yet met, or the overall feedback says why)."""
    portfolio, submission, review = _under_review(portfolio, actor, expected_version)
    standards = list(moderation_standards(portfolio.cohort))
    if not standards:
        raise ValidationError("The cohort has no standards to decide on. An organisation admin chooses the cohort's frameworks.")
    cleaned, errors = _review_decisions(standards, decisions, final=True)
    if outcome not in Review.Outcome.values:
        errors["outcome"] = "Select recommend, or return for more evidence"
    if errors:
        raise ValidationError(errors)
    not_met = [standard for standard in standards if not cleaned[str(standard.pk)][0]]
    feedback = feedback.strip()
    if outcome == Review.Outcome.RECOMMENDED and not_met:
        raise ValidationError(
            {
                "outcome": f"A portfolio can be recommended only when every standard is met. Not yet met: "
                f"{', '.join(standard_label(s) for s in not_met)}"
            }
        )
    if outcome == Review.Outcome.RETURNED and not not_met and not feedback:
        raise ValidationError(
            {
                "feedback": "Every standard is marked met. To return the portfolio, mark the standard that is not yet met, "
                "or explain in the overall feedback what more evidence is needed"
            }
        )
    _write_review(review, standards, cleaned, actor=actor, feedback=feedback, borderline=borderline)
    review.outcome = outcome
    review.decided_at = timezone.now()
    review.save()
    met = len(standards) - len(not_met)
    verb = "recommended" if outcome == Review.Outcome.RECOMMENDED else "returned for more evidence"
    _workflow_step(
        portfolio,
        outcome,  # the portfolio's state has the outcome's name
        actor=actor,
        verb=verb,
        changes={
            "submission": [None, submission.number],
            "standards met": [None, f"{met} of {len(standards)}"],
            "borderline": [None, "Yes" if review.borderline else ""],
            "reasons": [None, feedback],
        },
    )
    moderate_if_needed(review, actor=actor)
    notify(
        portfolio.staff.membership,
        f"Your portfolio in {portfolio.cohort.name} has been {verb}",
        f"{met} of {len(standards)} standards met." + (f"\n\n{feedback}" if feedback else ""),
        reverse("portfolio:submission", args=[portfolio.organisation.slug, submission.pk]),
    )
    return review


@transaction.atomic
def dispute(portfolio, *, actor, reason):
    """The supervisor disputes the reviewer's return, with reasons. The review goes to moderation (see
    `moderate_if_needed`), and the portfolio cannot be submitted again until that is settled."""
    portfolio = _workflow_lock(portfolio)
    policy.require(actor, "portfolio.dispute", portfolio)
    submission = portfolio.submissions.order_by("-number").first()
    review = Review.objects.select_for_update().filter(submission=submission).first() if submission else None
    if review is None or review.outcome != Review.Outcome.RETURNED:
        raise ValidationError("Only a reviewer's decision to return the portfolio can be disputed.")
    if review.disputed_at is not None:
        raise ValidationError(f"You disputed this decision on {_workflow_when(review.disputed_at)}.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you disagree with the reviewer's decision"})
    review.disputed_at = timezone.now()
    review.dispute_reason = reason
    review.updated_at = review.disputed_at
    review.version += 1
    review.save()
    record_event(
        actor=actor,
        verb="disputed the decision",
        target=portfolio,
        changes={"submission": [None, submission.number], "reasons": [None, reason]},
    )
    moderate_if_needed(review, actor=actor)
    return review


# --- moderation ---
# A sample of each cohort's decided reviews (and every borderline or disputed one) is second-marked
# blind, then the moderator agrees or disagrees with the first decision; a disagreement is resolved
# by someone else; a recommended portfolio is then signed off or referred back.
#
# A draw is reproducible without trusting the code's history: each candidate's place in the draw is the
# SHA-256 of the seed and the review's id, so the same seed over the same reviews chooses the same ones
# whatever order they were read in and whichever Python runs it. The draw keeps its seed and candidates.

SEED_LIMIT = 2**63 - 1  # the largest seed a BigIntegerField holds


def sample_size(count, share):
    """How many of `count` reviews a sample of `share` % takes: rounded up, so any share above 0 % of
    any reviews takes at least one."""
    return math.ceil(count * share / 100) if count and share else 0


def choose_sample(candidate_ids, share, seed):
    """The ids a draw with this seed chooses from these candidates, sorted."""
    ids = sorted({str(pk) for pk in candidate_ids})

    def place(pk):
        return hashlib.sha256(f"{seed}:{pk}".encode()).hexdigest()

    return sorted(sorted(ids, key=place)[: sample_size(len(ids), share)])


def replays(draw):
    """Whether re-running `draw` with its seed over its candidates chooses the reviews it recorded.
    `draw.moderations` should be prefetched (queries.moderation_draws does it)."""
    recorded = sorted(str(m.review_id) for m in draw.moderations.all() if m.reason == Moderation.Reason.SAMPLED)
    return choose_sample(draw.candidates, draw.share, draw.seed) == recorded


def _moderation_date(day):
    return f"{day.day} {day:%B %Y}"


def _moderation_reason(review):
    """Why a review must be moderated whatever the draw, or None. A supervisor's dispute comes first."""
    if review.disputed_at is not None:
        return Moderation.Reason.DISPUTED
    if review.borderline:
        return Moderation.Reason.BORDERLINE
    return None


def _moderators_of(cohort, *, excluding=None):
    rows = Assessor.objects.filter(cohort=cohort, role=Assessor.Role.MODERATOR, membership__is_active=True)
    if excluding is not None:
        rows = rows.exclude(membership=excluding)
    return [row.membership for row in rows.select_related("membership__user")]


def _moderation_path(name, moderation):
    return reverse(f"portfolio:{name}", args=[moderation.organisation.slug, moderation.pk])


def _ask_moderators(moderation, cohort):
    """A review in moderation waits on the cohort's moderators until one of them is assigned."""
    path = reverse("portfolio:moderation", args=[cohort.organisation.slug, cohort.pk])
    for moderator in _moderators_of(cohort, excluding=moderation.review.reviewer):
        notify(
            moderator,
            f"A review in {cohort.name} needs a moderator",
            f"{moderation.staff.full_name}'s portfolio is in moderation ({moderation.get_reason_display().lower()}). "
            "Choose who will second-mark it.",
            path,
        )


def _start_moderation(review, reason, *, actor, draw=None):
    moderation = Moderation.objects.create(organisation=review.organisation, review=review, reason=reason, draw=draw)
    record_event(
        actor=actor,
        verb="added to moderation",
        target=moderation,
        changes={"reason": [None, moderation.get_reason_display()]},
        organisation=review.organisation,
    )
    return moderation


@transaction.atomic
def draw_sample(cohort, *, actor, seed=None):
    """Draw the cohort's moderation sample from its decided reviews not yet in moderation: the cohort's
    share at random, plus every borderline and every disputed one. An admin may give the seed (to re-run
    a draw for audit); otherwise a fresh one comes from `secrets`."""
    policy.require(actor, "portfolio.draw_sample", cohort)
    if seed is not None:
        policy.require(actor, "portfolio.choose_seed", cohort)
        if not 0 <= seed <= SEED_LIMIT:
            raise ValidationError({"seed": f"Seed must be a whole number from 0 to {SEED_LIMIT}"})
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)  # two draws at once queue here: none is drawn twice
    reviews = list(
        Review.objects.filter(submission__portfolio__cohort=cohort, decided_at__isnull=False, moderation__isnull=True)
        .select_related("submission__portfolio__staff")
        .order_by("pk")
    )
    if not reviews:
        raise ValidationError("There are no decided reviews in this cohort that are not already in moderation.")
    always = {review.pk: _moderation_reason(review) for review in reviews if _moderation_reason(review)}
    pool = [str(review.pk) for review in reviews if review.pk not in always]
    seed = secrets.randbelow(SEED_LIMIT + 1) if seed is None else seed
    chosen = set(choose_sample(pool, cohort.moderation_share, seed))
    draw = SampleDraw.objects.create(
        organisation=cohort.organisation,
        cohort=cohort,
        seed=seed,
        share=cohort.moderation_share,
        considered=len(pool),
        candidates=pool,
        drawn_by=actor,
    )
    started = []
    for review in reviews:
        reason = always.get(review.pk) or (Moderation.Reason.SAMPLED if str(review.pk) in chosen else None)
        if reason:
            started.append(_start_moderation(review, reason, actor=actor, draw=draw))
    counts = {reason.label: sum(1 for m in started if m.reason == reason) for reason in Moderation.Reason}
    record_event(
        actor=actor,
        verb="drew moderation sample",
        target=draw,
        changes={
            "seed": [None, str(seed)],
            "share": [None, f"{draw.share}%"],
            "considered": [None, len(pool)],
            **{label.lower(): [None, count] for label, count in counts.items()},
        },
    )
    path = reverse("portfolio:moderation", args=[cohort.organisation.slug, cohort.pk])
    if started:
        for moderator in _moderators_of(cohort, excluding=actor):
            notify(
                moderator,
                f"Moderation sample drawn for {cohort.name}",
                f"{len(started)} review{'s' if len(started) != 1 else ''} to second-mark. Choose who moderates each.",
                path,
            )
    return draw


def moderate_if_needed(review, *, actor):
    """Put a decided review that is borderline or disputed into moderation straight away, whether or not
    a sample has been drawn, so it is never signed off unmoderated. Called by the workflow's decision and
    dispute actions, inside their transaction; returns the moderation, or None when none is needed."""
    reason = _moderation_reason(review)
    if review.decided_at is None or reason is None:
        return None
    existing = Moderation.objects.filter(review=review).first()
    if existing is not None:
        return existing
    moderation = _start_moderation(review, reason, actor=actor)
    _ask_moderators(moderation, review.submission.portfolio.cohort)
    return moderation


def _locked_moderation(moderation):
    # Only the moderation row is locked: its review, submission and portfolio come along to read.
    return (
        Moderation.objects.select_for_update(of=("self",))
        .select_related("review__submission__portfolio__cohort", "review__submission__portfolio__staff")
        .get(pk=moderation.pk)
    )


MODERATION_FIELDS = ("moderator", "second_outcome", "agrees", "reasons", "resolution", "resolution_reasons")


def _moderation_saved(moderation, actor, verb, changes):
    moderation.version += 1
    moderation.updated_by = actor
    moderation.save()
    record_event(actor=actor, verb=verb, target=moderation, changes=changes)
    return moderation


@transaction.atomic
def assign_moderator(moderation, *, actor, moderator, expected_version=None):
    """Choose which of the cohort's moderators second-marks a review: never the review's own reviewer."""
    moderation = _locked_moderation(moderation)
    policy.require(actor, "portfolio.assign_moderator", moderation)
    ensure_current(moderation, expected_version, MODERATION_FIELDS)
    review = moderation.review
    portfolio = review.submission.portfolio
    if moderation.second_marked_at is not None:
        raise ValidationError({"moderator": "This review has already been second-marked, so its moderator cannot change"})
    if (
        moderator.organisation_id != moderation.organisation_id
        or not Assessor.objects.filter(
            cohort=portfolio.cohort, membership=moderator, role=Assessor.Role.MODERATOR, membership__is_active=True
        ).exists()
    ):
        raise ValidationError({"moderator": f"Select one of the moderators of {portfolio.cohort.name}"})
    if moderator.pk == review.reviewer_id:
        raise ValidationError({"moderator": f"{moderator.user.full_name} reviewed this portfolio. Select a different moderator"})
    if portfolio.staff.membership_id == moderator.pk:
        raise ValidationError(
            {"moderator": f"{moderator.user.full_name} cannot moderate their own portfolio. Select a different moderator"}
        )
    if moderation.moderator_id == moderator.pk:
        return moderation
    before = moderation.moderator.user.full_name if moderation.moderator_id else None
    moderation.moderator = moderator
    _moderation_saved(moderation, actor, "assigned moderator", {"moderator": [before, moderator.user.full_name]})
    notify(
        moderator,
        f"Second-mark {portfolio.staff.full_name}'s portfolio",
        f"You have been asked to moderate a review in {portfolio.cohort.name}. You mark it blind: the reviewer's "
        "decision is shown once you have recorded yours.",
        _moderation_path("moderate", moderation),
    )
    return moderation


def moderation_standards(cohort):
    """The standards a portfolio in this cohort is marked against: those of the cohort's frameworks."""
    return (
        Standard.objects.filter(version__in=cohort.frameworks.values("version"))
        .select_related("version__framework")
        .order_by("version__framework__name", "version_id", "position")
    )


def standard_label(standard):
    return f"{standard.version.framework.short_name} {standard.number}. {standard.title}"


@transaction.atomic
def second_mark(moderation, *, actor, decisions, outcome, feedback="", expected_version=None):
    """The moderator's own decision, made blind to the reviewer's, by the reviewer's rules: met or not yet
    met for each standard (`decisions`: {standard id: (met, feedback)}), with feedback on any not yet
    met, overall feedback, and an outcome (recommended only when every standard is met; returned when
    some standard is not yet met or the overall feedback says why)."""
    moderation = _locked_moderation(moderation)
    policy.require(actor, "portfolio.moderate", moderation)
    ensure_current(moderation, expected_version, MODERATION_FIELDS)
    if moderation.second_marked_at is not None:
        raise ValidationError("You have already second-marked this review.")
    standards = list(moderation_standards(moderation.review.submission.portfolio.cohort))
    if not standards:
        raise ValidationError("The cohort has no standards to decide on. An organisation admin chooses the cohort's frameworks.")
    decisions = {str(pk): (met, (text or "").strip()) for pk, (met, text) in decisions.items()}
    feedback = feedback.strip()
    errors = {}
    for standard in standards:
        met, text = decisions.get(str(standard.pk), (None, ""))
        if met is None:
            errors[f"standard_{standard.pk}"] = f"Select met or not yet met for {standard_label(standard)}"
        elif not met and not text:
            errors[f"feedback_{standard.pk}"] = f"Enter feedback on {standard_label(standard)}: what evidence is still needed"
    if outcome not in Review.Outcome.values:
        errors["outcome"] = "Select recommend, or return for more evidence"
    if errors:
        raise ValidationError(errors)
    not_met = [standard for standard in standards if not decisions[str(standard.pk)][0]]
    if outcome == Review.Outcome.RECOMMENDED and not_met:
        raise ValidationError(
            {
                "outcome": "A portfolio can be recommended only when every standard is met. Not yet met: "
                + ", ".join(standard_label(standard) for standard in not_met)
            }
        )
    if outcome == Review.Outcome.RETURNED and not not_met and not feedback:
        raise ValidationError(
            {
                "feedback": "Every standard is marked met. To return the portfolio, mark the standard that is not yet met, "
                "or explain in the overall feedback what more evidence is needed"
            }
        )
    StandardDecision.objects.bulk_create(
        StandardDecision(
            organisation=moderation.organisation,
            moderation=moderation,
            standard=standard,
            met=decisions[str(standard.pk)][0],
            feedback=decisions[str(standard.pk)][1],
        )
        for standard in standards
    )
    moderation.second_outcome = outcome
    moderation.second_feedback = feedback
    moderation.second_marked_at = timezone.now()
    return _moderation_saved(
        moderation,
        actor,
        "second-marked",
        {
            "second_outcome": [None, moderation.get_second_outcome_display()],
            "standards met": [None, f"{len(standards) - len(not_met)} of {len(standards)}"],
        },
    )


def _resolvers(moderation):
    """Who may resolve a disagreement: the organisation's admins and the cohort's other moderators."""
    cohort = moderation.review.submission.portfolio.cohort
    admins = [
        m
        for m in Membership.objects.filter(organisation=moderation.organisation, is_active=True, guest_of_network__isnull=True)
        if m.has_role(Role.ORG_ADMIN)
    ]
    people = {m.pk: m for m in [*admins, *_moderators_of(cohort, excluding=moderation.moderator)]}
    return [m for m in people.values() if policy.allows(m, "portfolio.resolve", moderation)]


@transaction.atomic
def record_agreement(moderation, *, actor, agrees, reasons="", expected_version=None):
    """Once second-marked, the moderator sees the first decision and agrees or disagrees with it. A
    disagreement needs reasons, and goes to a resolver."""
    moderation = _locked_moderation(moderation)
    policy.require(actor, "portfolio.moderate", moderation)
    ensure_current(moderation, expected_version, MODERATION_FIELDS)
    if moderation.second_marked_at is None:
        raise ValidationError("Record your own decision first: the reviewer's is shown once you have.")
    if moderation.decided_at is not None:
        raise ValidationError(
            f"You recorded that you {'agree' if moderation.agrees else 'disagree'} on "
            f"{_moderation_date(timezone.localdate(moderation.decided_at))}."
        )
    if agrees is None:
        raise ValidationError({"agrees": "Select whether you agree with the reviewer's decision"})
    reasons = reasons.strip()
    if not agrees and not reasons:
        raise ValidationError({"reasons": "Enter your reasons for disagreeing"})
    moderation.agrees, moderation.reasons, moderation.decided_at = agrees, reasons, timezone.now()
    verb = "agreed with the first decision" if agrees else "disagreed with the first decision"
    _moderation_saved(moderation, actor, verb, {"agrees": [None, "Agree" if agrees else "Disagree"], "reasons": [None, reasons]})
    if not agrees:
        staff = moderation.staff
        for resolver in _resolvers(moderation):
            notify(
                resolver,
                f"A moderator disagrees about {staff.full_name}'s portfolio",
                f"{actor.user.full_name} disagrees with the reviewer's decision. Decide which decision stands.",
                _moderation_path("resolve", moderation),
            )
    return moderation


def _referral(portfolio, submission, *, actor, reasons, moderation=None):
    SignOff.objects.create(
        organisation=portfolio.organisation,
        portfolio=portfolio,
        submission=submission,
        moderation=moderation,
        decision=SignOff.Decision.REFERRED_BACK,
        reasons=reasons,
        decided_by=actor,
    )


def _move_portfolio(portfolio, state, *, actor, verb, reasons):
    before = portfolio.get_state_display()
    portfolio.state = state
    portfolio.state_changed_at = portfolio.updated_at = timezone.now()
    portfolio.updated_by = actor
    portfolio.version += 1
    portfolio.save()
    record_event(
        actor=actor,
        verb=verb,
        target=portfolio,
        changes={"state": [before, portfolio.get_state_display()], "reasons": [None, reasons]},
    )
    notify(
        portfolio.staff.membership,
        f"Your portfolio in {portfolio.cohort.name} is {portfolio.get_state_display().lower()}",
        reasons,
        reverse("portfolio:portfolio", args=[portfolio.organisation.slug, portfolio.pk]),
    )


@transaction.atomic
def resolve(moderation, *, actor, resolution, reasons, expected_version=None):
    """Decide which decision stands when the moderator disagreed. If the moderator's stands and their
    outcome differs, a returned portfolio becomes recommended and a recommended one is referred back,
    as long as the portfolio is still where that review left it."""
    moderation = _locked_moderation(moderation)
    policy.require(actor, "portfolio.resolve", moderation)
    ensure_current(moderation, expected_version, MODERATION_FIELDS)
    if moderation.agrees is not False:
        raise ValidationError("Only a disagreement needs resolving, and the moderator has not recorded one.")
    if moderation.resolution:
        who = moderation.resolved_by.user.full_name if moderation.resolved_by else "Someone"
        raise ValidationError(f"{who} resolved this on {_moderation_date(timezone.localdate(moderation.resolved_at))}.")
    if resolution not in Moderation.Resolution.values:
        raise ValidationError({"resolution": "Select which decision stands"})
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": "Enter the reasons for your decision"})
    moderation.resolution, moderation.resolution_reasons = resolution, reasons
    moderation.resolved_by, moderation.resolved_at = actor, timezone.now()
    _moderation_saved(
        moderation,
        actor,
        "resolved disagreement",
        {"resolution": [None, moderation.get_resolution_display()], "reasons": [None, reasons]},
    )
    review = moderation.review
    first, second = review.outcome, moderation.second_outcome
    if resolution != Moderation.Resolution.SECOND_DECISION or first == second:
        return moderation
    portfolio = (
        Portfolio.objects.select_for_update(of=("self",)).select_related("cohort", "staff").get(pk=review.submission.portfolio_id)
    )
    latest = portfolio.submissions.order_by("-number").values_list("pk", flat=True).first()
    if latest != review.submission_id or portfolio.state != first:
        return moderation  # the portfolio has moved on (resubmitted, say): the resolution is on record for the report
    if first == Review.Outcome.RETURNED:
        _move_portfolio(portfolio, Portfolio.State.RECOMMENDED, actor=actor, verb="recommended after moderation", reasons=reasons)
    else:
        _referral(portfolio, review.submission, actor=actor, reasons=reasons, moderation=moderation)
        _move_portfolio(
            portfolio, Portfolio.State.REFERRED_BACK, actor=actor, verb="referred back after moderation", reasons=reasons
        )
    return moderation


def sign_off_blocker(portfolio):
    """Why a recommended portfolio cannot be signed off yet, or None: its latest review is in moderation
    without a decision, or with a disagreement not yet resolved."""
    latest = portfolio.submissions.order_by("-number").first()
    moderation = Moderation.objects.filter(review__submission=latest).first() if latest else None
    if moderation is None or not moderation.is_waiting:
        return None
    if moderation.decided_at is None:
        return "Its review is in moderation. It can be signed off once the moderator has recorded their decision."
    return "The moderator disagreed with the reviewer. It can be signed off once the disagreement is resolved."


@transaction.atomic
def sign_off(portfolio, *, actor, decision, reasons="", expected_version=None):
    """Sign off a recommended portfolio, or refer it back with reasons."""
    portfolio = Portfolio.objects.select_for_update(of=("self",)).select_related("cohort", "staff").get(pk=portfolio.pk)
    policy.require(actor, "portfolio.sign_off", portfolio)
    policy.require(actor, "portfolio.view_decision", portfolio)  # a moderator still marking blind decides nothing yet
    ensure_current(portfolio, expected_version, ("state",))
    if portfolio.state != Portfolio.State.RECOMMENDED:
        raise ValidationError(
            f"Only a recommended portfolio can be signed off or referred back. This one is {portfolio.get_state_display().lower()}."
        )
    blocker = sign_off_blocker(portfolio)
    if blocker:
        raise ValidationError(blocker)
    if decision not in SignOff.Decision.values:
        raise ValidationError({"decision": "Select sign off or refer back"})
    reasons = reasons.strip()
    if decision == SignOff.Decision.REFERRED_BACK and not reasons:
        raise ValidationError({"reasons": "Enter why the portfolio is referred back, so the supervisor knows what to do"})
    submission = portfolio.submissions.order_by("-number").first()
    SignOff.objects.create(
        organisation=portfolio.organisation,
        portfolio=portfolio,
        submission=submission,
        decision=decision,
        reasons=reasons,
        decided_by=actor,
    )
    verb = "signed off" if decision == SignOff.Decision.SIGNED_OFF else "referred back"
    _move_portfolio(portfolio, decision, actor=actor, verb=verb, reasons=reasons)
    return portfolio


# --- exports and pathway feedback ---
# Exports are recorded in the audit trail: they leave the building. Feedback on the pathway is a short
# questionnaire per cohort: editable until the first answer, opened by hand or when the cohort ends,
# answered once by each of the cohort's supervisors and mentors. An anonymous answer is stored with no
# respondent; a separate `Receipt` records only that the person answered, so they are asked once.

QUESTIONNAIRE_FIELDS = ("introduction", "anonymous", "closes_on")
QUESTION_FIELDS = ("text", "kind")
ANSWERED = (
    "People have started answering, so the questions can no longer change: everyone must answer the same "
    "questionnaire. You can still change the closing date."
)


def record_portfolio_export(portfolio, *, actor, file_format, with_decisions):
    """Who took which portfolio, in what form, and whether the reviewer's decisions were in it."""
    policy.require(actor, "portfolio.view_portfolio", portfolio)
    return record_event(
        actor=actor,
        verb="exported portfolio",
        target=portfolio,
        changes={"format": [None, file_format], "decisions included": [None, with_decisions]},
    )


def record_cohort_export(cohort, *, actor, rows):
    policy.require(actor, "portfolio.export_cohort", cohort)
    return record_event(
        actor=actor, verb="exported cohort summary", target=cohort, changes={"format": [None, "xlsx"], "rows": [None, rows]}
    )


def record_feedback_export(questionnaire, *, actor, answered):
    policy.require(actor, "portfolio.view_questionnaire_results", questionnaire)
    return record_event(
        actor=actor,
        verb="exported feedback on the pathway",
        target=questionnaire,
        changes={"format": [None, "xlsx"], "answered": [None, answered]},
    )


def _feedback_date(day):
    return f"{day.day} {day:%B %Y}"


def _lock_questionnaire(questionnaire):
    return Questionnaire.objects.select_for_update().select_related("cohort").get(pk=questionnaire.pk)


def _refuse_once_answered(questionnaire, field):
    if questionnaire.responses.exists():
        raise ValidationError({field: ANSWERED})


def _check_closing_date(closes_on, field="closes_on"):
    today = timezone.localdate()
    if closes_on is not None and closes_on < today:
        raise ValidationError({field: f"Closing date must be today or later: today is {_feedback_date(today)}"})


def _touch(questionnaire, actor):
    """Any change, to the questionnaire or one of its questions, moves its version on: a form opened
    before it (someone answering, another admin editing) is then refused as stale."""
    questionnaire.version += 1
    questionnaire.updated_by = actor
    questionnaire.updated_at = timezone.now()
    questionnaire.save()


def _with_default_questions(cohort, actor):
    questionnaire = Questionnaire.objects.create(
        organisation=cohort.organisation, cohort=cohort, introduction=DEFAULT_INTRODUCTION, updated_by=actor
    )
    Question.objects.bulk_create(
        Question(organisation=cohort.organisation, questionnaire=questionnaire, position=position, text=text, kind=kind)
        for position, (kind, text) in enumerate(DEFAULT_QUESTIONS, start=1)
    )
    record_event(
        actor=actor,
        verb="prepared questionnaire",
        target=questionnaire,
        changes={"questions": [None, [text for _, text in DEFAULT_QUESTIONS]]},
        organisation=cohort.organisation,
    )
    return questionnaire


@transaction.atomic
def create_questionnaire(cohort, *, actor):
    """The cohort's questionnaire about the pathway, starting from the default questions. If it has one
    already (another admin was quicker), that one is returned."""
    policy.require(actor, "portfolio.manage_questionnaire", cohort)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)  # two admins starting it at once queue here
    existing = Questionnaire.objects.filter(cohort=cohort).first()
    return existing or _with_default_questions(cohort, actor)


@transaction.atomic
def update_questionnaire(questionnaire, *, actor, expected_version, introduction, anonymous, closes_on):
    questionnaire = _lock_questionnaire(questionnaire)
    policy.require(actor, "portfolio.manage_questionnaire", questionnaire)
    ensure_current(questionnaire, expected_version, QUESTIONNAIRE_FIELDS)
    introduction = introduction.strip()
    if introduction != questionnaire.introduction:
        _refuse_once_answered(questionnaire, "introduction")
    if anonymous != questionnaire.anonymous:
        _refuse_once_answered(questionnaire, "anonymous")
    if closes_on != questionnaire.closes_on:
        _check_closing_date(closes_on)
    before = snapshot(questionnaire, QUESTIONNAIRE_FIELDS)
    questionnaire.introduction, questionnaire.anonymous, questionnaire.closes_on = introduction, anonymous, closes_on
    changes = diff(before, snapshot(questionnaire, QUESTIONNAIRE_FIELDS))
    if changes:
        _touch(questionnaire, actor)
        record_event(actor=actor, verb="changed questionnaire", target=questionnaire, changes=changes)
    return questionnaire


def _check_question(text, kind):
    if not text.strip():
        raise ValidationError({"text": "Enter the question"})
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": "Select how people answer"})


@transaction.atomic
def add_question(questionnaire, *, actor, expected_version, text, kind):
    """A question at the end of the questionnaire."""
    questionnaire = _lock_questionnaire(questionnaire)
    policy.require(actor, "portfolio.manage_questionnaire", questionnaire)
    ensure_current(questionnaire, expected_version, QUESTIONNAIRE_FIELDS)
    _refuse_once_answered(questionnaire, "text")
    _check_question(text, kind)
    last = questionnaire.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question.objects.create(
        organisation=questionnaire.organisation, questionnaire=questionnaire, position=last + 1, text=text.strip(), kind=kind
    )
    _touch(questionnaire, actor)
    record_event(
        actor=actor,
        verb="added question",
        target=questionnaire,
        changes={"question": [None, question.text], "kind": [None, question.get_kind_display()]},
    )
    return question


@transaction.atomic
def update_question(question, *, actor, expected_version, text, kind):
    questionnaire = _lock_questionnaire(question.questionnaire)
    policy.require(actor, "portfolio.manage_questionnaire", questionnaire)
    ensure_current(questionnaire, expected_version, QUESTIONNAIRE_FIELDS)
    _refuse_once_answered(questionnaire, "text")
    _check_question(text, kind)
    question = Question.objects.get(pk=question.pk)
    before = snapshot(question, QUESTION_FIELDS)
    question.text, question.kind = text.strip(), kind
    changes = diff(before, snapshot(question, QUESTION_FIELDS))
    if changes:
        question.save()
        _touch(questionnaire, actor)
        record_event(actor=actor, verb=f"changed question {question.position}", target=questionnaire, changes=changes)
    return question


@transaction.atomic
def delete_question(question, *, actor, expected_version):
    questionnaire = _lock_questionnaire(question.questionnaire)
    policy.require(actor, "portfolio.manage_questionnaire", questionnaire)
    ensure_current(questionnaire, expected_version, QUESTIONNAIRE_FIELDS)
    _refuse_once_answered(questionnaire, "text")
    if questionnaire.opened_at is not None and questionnaire.questions.count() == 1:
        raise ValidationError(
            "The questionnaire is open, so it needs at least one question. Add another before removing this one."
        )
    question = Question.objects.get(pk=question.pk)
    record_event(actor=actor, verb="removed question", target=questionnaire, changes={"question": [question.text, None]})
    question.delete()
    # Close the gap, so "move up" and "move down" always swap with a neighbour.
    for position, row in enumerate(questionnaire.questions.order_by("position"), start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    _touch(questionnaire, actor)


@transaction.atomic
def move_question(question, *, actor, expected_version, direction):
    """Swap a question with the one above (`direction` "up") or below ("down")."""
    questionnaire = _lock_questionnaire(question.questionnaire)
    policy.require(actor, "portfolio.manage_questionnaire", questionnaire)
    ensure_current(questionnaire, expected_version, QUESTIONNAIRE_FIELDS)
    _refuse_once_answered(questionnaire, "text")
    question = Question.objects.get(pk=question.pk)
    neighbours = questionnaire.questions.exclude(pk=question.pk)
    if direction == "up":
        other = neighbours.filter(position__lt=question.position).order_by("-position").first()
    elif direction == "down":
        other = neighbours.filter(position__gt=question.position).order_by("position").first()
    else:
        raise ValueError(f"Move a question up or down, not {direction!r}")
    if other is None:
        return question
    # Positions are not unique, so two saves swap them without a temporary value.
    question.position, other.position = other.position, question.position
    question.save(update_fields=["position"])
    other.save(update_fields=["position"])
    _touch(questionnaire, actor)
    record_event(
        actor=actor, verb=f"moved question {direction}", target=questionnaire, changes={"question": [None, question.text]}
    )
    return question


def _open(questionnaire, *, actor, closes_on=None):
    questionnaire.opened_at = timezone.now()
    questionnaire.closes_on = closes_on
    _touch(questionnaire, actor)
    changes = {"opened": [None, _feedback_date(timezone.localdate())]}
    if closes_on:
        changes["closing date"] = [None, _feedback_date(closes_on)]
    record_event(
        actor=actor, verb="opened questionnaire", target=questionnaire, changes=changes, organisation=questionnaire.organisation
    )
    cohort = questionnaire.cohort
    path = reverse("portfolio:questionnaire-answer", args=[cohort.organisation.slug, questionnaire.pk])
    until = f" Answers are open until {_feedback_date(closes_on)}." if closes_on else ""
    for member in people_asked(cohort):
        notify(
            member,
            f"Tell us about the pathway: {cohort.name}",
            "You took part in the pathway as a supervisor or a mentor. Tell us how it went: it takes about 5 minutes."
            + (" Your answers are anonymous." if questionnaire.anonymous else "")
            + until,
            path,
        )
    return questionnaire


@transaction.atomic
def open_questionnaire(questionnaire, *, actor, expected_version, closes_on=None):
    """Open the questionnaire by hand: the cohort's supervisors and mentors are asked to answer."""
    questionnaire = _lock_questionnaire(questionnaire)
    policy.require(actor, "portfolio.manage_questionnaire", questionnaire)
    ensure_current(questionnaire, expected_version, QUESTIONNAIRE_FIELDS)
    if questionnaire.opened_at is not None:
        raise ValidationError(
            f"The questionnaire has been open since {_feedback_date(timezone.localdate(questionnaire.opened_at))}."
        )
    if not questionnaire.questions.exists():
        raise ValidationError("Add at least one question before opening the questionnaire.")
    _check_closing_date(closes_on)
    return _open(questionnaire, actor=actor, closes_on=closes_on)


@transaction.atomic
def open_for_ended_cohort(cohort, *, actor=None):
    """When a cohort ends, its supervisors and mentors are asked about the pathway: its questionnaire
    (the default one if nobody prepared another) opens, unless it already has or has no questions.

    The cohort's end decides this, not a member's permission: `actor` is whoever ended the cohort, or
    None for `manage.py open_pathway_feedback`. Returns the questionnaire it opened, or None.
    """
    cohort = Cohort.objects.select_for_update().select_related("organisation").get(pk=cohort.pk)
    if cohort.ended_on is None or cohort.ended_on > timezone.localdate():
        return None
    questionnaire = Questionnaire.objects.select_for_update().filter(cohort=cohort).first()
    if questionnaire is None:
        questionnaire = _with_default_questions(cohort, actor)
    if questionnaire.opened_at is not None or not questionnaire.questions.exists():
        return None
    return _open(questionnaire, actor=actor)


def open_questionnaires_of_ended_cohorts(organisation):
    """For the worker's daily schedule: open the questionnaire of every cohort that has ended. Idempotent."""
    ended = Cohort.objects.filter(organisation=organisation, ended_on__lte=timezone.localdate()).exclude(
        questionnaire__opened_at__isnull=False
    )
    return [opened for cohort in ended if (opened := open_for_ended_cohort(cohort)) is not None]


def respondent_role(questionnaire, membership):
    """The part the member played in the cohort: a supervisor if they have a portfolio in it."""
    if questionnaire.cohort.portfolios.filter(staff__membership=membership).exists():
        return QuestionnaireResponse.Role.SUPERVISOR
    return QuestionnaireResponse.Role.MENTOR


@transaction.atomic
def answer_questionnaire(questionnaire, *, actor, expected_version, answers):
    """Record one person's answers, once. `answers` is {question id: a rating 1–5 or written text}.

    When the questionnaire is anonymous the response has no respondent and the audit trail records only
    that the person answered, never what; `Receipt` (who answered, with no link to the answers) is what
    stops them answering twice.
    """
    questionnaire = _lock_questionnaire(questionnaire)
    policy.require(actor, "portfolio.answer_questionnaire", questionnaire)
    ensure_current(questionnaire, expected_version, QUESTIONNAIRE_FIELDS)
    if Receipt.objects.filter(questionnaire=questionnaire, membership=actor).exists():
        raise ValidationError("You have already answered this questionnaire. Thank you.", code="already_answered")
    questions = list(questionnaire.questions.all())
    rows = []
    for question in questions:
        value = answers.get(question.pk)
        if question.kind == Question.Kind.SCALE:
            if value in (None, ""):
                raise ValidationError({answer_field(question): f"Select a rating for “{question.text}”"})
            rating = int(value) if str(value).isdigit() else 0
            if rating not in range(1, 6):
                raise ValidationError({answer_field(question): "A rating must be from 1 to 5"})
            rows.append((question, rating, ""))
        elif (value or "").strip():
            rows.append((question, None, value.strip()))
    response = QuestionnaireResponse.objects.create(
        organisation=questionnaire.organisation,
        questionnaire=questionnaire,
        respondent=None if questionnaire.anonymous else actor,
        role=respondent_role(questionnaire, actor),
    )
    Answer.objects.bulk_create(
        Answer(organisation=questionnaire.organisation, response=response, question=question, rating=rating, text=text)
        for question, rating, text in rows
    )
    Receipt.objects.create(organisation=questionnaire.organisation, questionnaire=questionnaire, membership=actor)
    record_event(actor=actor, verb="answered questionnaire", target=questionnaire)
    return response
