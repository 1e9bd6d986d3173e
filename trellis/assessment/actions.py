"""Every write to self-assessments and feedback: one function per thing a person means to do.

Each re-asserts the policy, refuses a stale edit or a change to something already submitted, saves,
and records an audit event, in one transaction. Rules a person can break by what they enter are
ValidationErrors keyed by form field where there is one, so a view can put them next to the field.

What a person writes in a draft stays theirs until they submit it, so the audit trail records which
parts of a draft changed, not what they now say. Feedback answers are recorded as given, never with
their content, because an anonymous one must not be readable by anyone but the person who gave it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from trellis.audit.actions import diff, record_event, snapshot
from trellis.audit.versions import ensure_current
from trellis.frameworks.models import Standard, Statement
from trellis.tenancy import policy
from trellis.workforce.models import StaffRecord

from .models import (
    ANONYMITY_THRESHOLD,
    FeedbackAnswer,
    FeedbackRequest,
    Round,
    SelfAssessment,
    StandardRating,
    StatementRating,
)
from .tasks import send_feedback_request_email

SECTION_FIELDS = ("level", "strengths", "learning_needs", "is_priority")
OVERALL_FIELDS = ("overall_strengths", "overall_learning_needs")
ASSESSMENT_FIELDS = ("round", "status", *OVERALL_FIELDS, "shared_with_mentor")
SERVICE_NAMES = {"adults": "adults' services", "children": "children's services"}


def _same_organisation(actor, *objects):
    for obj in objects:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValueError(f"{obj!r} belongs to another organisation")


def _long_date(day):
    day = timezone.localtime(day).date() if hasattr(day, "hour") else day
    return f"{day.day} {day:%B %Y}"


def _lock_assessment(assessment):
    return (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("staff__line_manager", "framework_in_use__version")
        .get(pk=assessment.pk)
    )


def _refuse_submitted(assessment):
    if assessment.is_submitted:
        raise ValidationError(
            f"This self-assessment was submitted on {_long_date(assessment.submitted_at)} and can no longer be "
            "changed. Start a new one to record where you are now."
        )


def _check_levels(assessment, *levels):
    for level in levels:
        if level is not None and level.framework_in_use_id != assessment.framework_in_use_id:
            raise ValueError(f"{level!r} is not on this framework's rating scale")


def _touch(assessment, actor):
    """A section saved is a change to the assessment, for lists sorted by last change; a queryset
    update, so it makes no history row of the assessment's own fields, which did not change."""
    SelfAssessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now(), updated_by=actor)


def answers_version(assessment):
    """One number that grows whenever any standard's answers are saved: the check-your-answers page
    carries it, so submitting answers changed meanwhile (in another tab) is refused."""
    return StandardRating.objects.filter(assessment=assessment).aggregate(total=Sum("version"))["total"] or 0


def suggested_round(staff, framework_in_use):
    """Baseline first, then mid-point, then reviews."""
    done = SelfAssessment.objects.filter(staff=staff, framework_in_use=framework_in_use).submitted().count()
    return [Round.BASELINE, Round.MID_POINT][done] if done < 2 else Round.REVIEW


# --- Self-assessment -------------------------------------------------------------------------------


def _add_missing_ratings(assessment):
    """Rows for every standard and statement of the version that has none yet: all of them for a
    new assessment, and any a framework gained while a draft was open."""
    standards = list(Standard.objects.filter(version_id=assessment.framework_in_use.version_id).order_by("position"))
    have = dict(StandardRating.objects.filter(assessment=assessment).values_list("standard_id", "pk"))
    # With history: a stale-edit check compares with the version the editor opened, version 1 too.
    bulk_create_with_history(
        [
            StandardRating(organisation=assessment.organisation, assessment=assessment, standard=s)
            for s in standards
            if s.pk not in have
        ],
        StandardRating,
    )
    ratings = dict(StandardRating.objects.filter(assessment=assessment).values_list("standard_id", "pk"))
    rated = set(StatementRating.objects.filter(rating__assessment=assessment).values_list("statement_id", flat=True))
    statements = Statement.objects.filter(standard__version_id=assessment.framework_in_use.version_id).exclude(pk__in=rated)
    StatementRating.objects.bulk_create(
        [
            StatementRating(organisation=assessment.organisation, rating_id=ratings[statement.standard_id], statement=statement)
            for statement in statements
        ]
    )
    return len(standards)


@transaction.atomic
def start_self_assessment(*, actor, staff, framework_in_use, round):  # noqa: A002 - the domain's word
    """Start a draft self-assessment against one framework the person works against."""
    policy.require(actor, "assessment.change_assessment", staff)
    _same_organisation(actor, staff, framework_in_use)
    staff = StaffRecord.objects.select_for_update().get(pk=staff.pk)  # two starts at once queue here
    if staff.has_left():
        raise ValidationError(f"{staff.full_name} left on {_long_date(staff.leaving_date)}.")
    if not framework_in_use.is_active or framework_in_use.service not in (staff.service, "any"):
        raise ValidationError(
            {"framework_in_use": f"Select a framework your organisation uses for {SERVICE_NAMES[staff.service]}"}
        )
    if round not in Round.values:
        raise ValidationError({"round": "Select which self-assessment this is"})
    draft = SelfAssessment.objects.filter(staff=staff, framework_in_use=framework_in_use).drafts().first()
    if draft is not None:
        raise ValidationError(
            {
                "framework_in_use": f"There is already a draft {draft.title.lower()} against {framework_in_use}, started on "
                f"{_long_date(draft.created_at)}. Carry on with it, or delete it first."
            }
        )
    if not Standard.objects.filter(version_id=framework_in_use.version_id).exists():
        raise ValidationError(
            {"framework_in_use": f"{framework_in_use} has no standards yet. An organisation admin can add them on its page."}
        )
    assessment = SelfAssessment.objects.create(
        organisation=actor.organisation,
        staff=staff,
        framework_in_use=framework_in_use,
        round=round,
        created_by=actor,
        updated_by=actor,
    )
    _add_missing_ratings(assessment)
    record_event(
        actor=actor,
        verb="started self-assessment",
        target=assessment,
        changes={"framework": [None, str(framework_in_use)], "round": [None, assessment.get_round_display()]},
    )
    return assessment


@transaction.atomic
def add_missing_standards(assessment, *, actor):
    """Bring a draft in line with its framework, when standards were added to it after the draft was
    started. Safe to call on every view of a draft: it writes only when something is missing."""
    policy.require(actor, "assessment.change_assessment", assessment)
    if assessment.is_submitted:
        return 0
    standards = Standard.objects.filter(version_id=assessment.framework_in_use.version_id).count()
    statements = Statement.objects.filter(standard__version_id=assessment.framework_in_use.version_id).count()
    have = StandardRating.objects.filter(assessment=assessment).count()
    have_statements = StatementRating.objects.filter(rating__assessment=assessment).count()
    if (have, have_statements) == (standards, statements):
        return 0
    _add_missing_ratings(_lock_assessment(assessment))
    return standards - have


def _statement_label(level):
    return level.label if level is not None else None


@transaction.atomic
def save_standard(
    rating, *, actor, expected_version, level, statement_levels=None, strengths="", learning_needs="", is_priority=False
):
    """Save one standard's page of a draft: its rating, statement ratings, strengths and learning
    needs. `statement_levels`: {statement id: level or None}. Anything may be left blank until the
    person submits."""
    rating = (
        StandardRating.objects.select_for_update(of=("self",)).select_related("assessment__staff", "standard").get(pk=rating.pk)
    )
    assessment = rating.assessment
    policy.require(actor, "assessment.change_assessment", rating)
    _refuse_submitted(assessment)
    ensure_current(rating, expected_version, SECTION_FIELDS)
    statement_levels = statement_levels or {}
    _check_levels(assessment, level, *statement_levels.values())
    before = snapshot(rating, SECTION_FIELDS)
    rating.level, rating.strengths, rating.learning_needs, rating.is_priority = level, strengths, learning_needs, is_priority
    changes = diff(before, snapshot(rating, SECTION_FIELDS))
    changed_statements = []
    for row in rating.statement_ratings.select_related("statement"):
        if row.statement_id in statement_levels and statement_levels[row.statement_id] != row.level:
            row.level = statement_levels[row.statement_id]
            row.save(update_fields=["level"])
            changed_statements.append(row.statement.number)
    if not changes and not changed_statements:
        return rating
    rating.version += 1
    rating.updated_by = actor
    rating.updated_at = timezone.now()
    rating.save()
    _touch(assessment, actor)
    changed = [str(rating._meta.get_field(name).verbose_name) for name in SECTION_FIELDS if name in changes]
    changed += [f"statement {number}" for number in changed_statements]
    record_event(
        actor=actor,
        verb="saved a standard",
        target=assessment,
        changes={f"standard {rating.standard.number}": [None, ", ".join(changed)]},
    )
    return rating


@transaction.atomic
def save_overall(assessment, *, actor, expected_version, overall_strengths, overall_learning_needs):
    assessment = _lock_assessment(assessment)
    policy.require(actor, "assessment.change_assessment", assessment)
    _refuse_submitted(assessment)
    ensure_current(assessment, expected_version, ASSESSMENT_FIELDS)
    before = snapshot(assessment, OVERALL_FIELDS)
    assessment.overall_strengths, assessment.overall_learning_needs = overall_strengths, overall_learning_needs
    changes = diff(before, snapshot(assessment, OVERALL_FIELDS))
    if not changes:
        return assessment
    assessment.version += 1
    assessment.updated_by = actor
    assessment.updated_at = timezone.now()
    assessment.save()
    labels = [str(assessment._meta.get_field(name).verbose_name) for name in OVERALL_FIELDS if name in changes]
    record_event(actor=actor, verb="saved overall answers", target=assessment, changes={"changed": [None, ", ".join(labels)]})
    return assessment


@transaction.atomic
def set_sharing(assessment, *, actor, shared, expected_version=None):
    """Share with, or stop sharing with, the person's mentor. Allowed after submitting too: it
    changes who reads the assessment, not what it says."""
    assessment = _lock_assessment(assessment)
    policy.require(actor, "assessment.change_assessment", assessment)
    ensure_current(assessment, expected_version, ASSESSMENT_FIELDS)
    if assessment.shared_with_mentor == shared:
        return assessment
    before = snapshot(assessment, ["shared_with_mentor"])
    assessment.shared_with_mentor = shared
    assessment.version += 1
    assessment.updated_by = actor
    assessment.updated_at = timezone.now()
    assessment.save()
    record_event(
        actor=actor,
        verb="changed sharing with mentor",
        target=assessment,
        changes=diff(before, snapshot(assessment, ["shared_with_mentor"])),
    )
    return assessment


def problems(assessment, ratings=None):
    """What stops a draft being submitted, in the order of the task list: [(anchor, message)].
    `ratings`: the assessment's StandardRatings with standard and statement ratings loaded."""
    if ratings is None:
        ratings = list(
            assessment.ratings.select_related("standard")
            .prefetch_related("statement_ratings__statement")
            .order_by("standard__position")
        )
    found = []
    for rating in ratings:
        number = rating.standard.number
        anchor = f"rating-{rating.pk}"
        if rating.level_id is None:
            found.append((anchor, f"Select a rating for standard {number}"))
        missing = [row.statement.number for row in rating.statement_ratings.all() if row.level_id is None]
        if missing:
            found.append(
                (
                    anchor,
                    f"Select a rating for statement{'s' if len(missing) > 1 else ''} {', '.join(missing)} of standard {number}",
                )
            )
        if rating.is_priority and not rating.learning_needs.strip():
            found.append((anchor, f"Enter your learning needs for standard {number}, which you chose as a priority"))
    if not assessment.overall_strengths.strip():
        found.append(("overall", "Enter your strengths overall"))
    if not assessment.overall_learning_needs.strip():
        found.append(("overall", "Enter your learning needs overall"))
    return found


@transaction.atomic
def submit_self_assessment(assessment, *, actor, expected_version, expected_answers_version=None):
    """Submit a complete draft. After this it cannot be changed: it is the record of where the person
    was on that date, to compare the next one with."""
    assessment = _lock_assessment(assessment)
    policy.require(actor, "assessment.change_assessment", assessment)
    _refuse_submitted(assessment)
    ensure_current(assessment, expected_version, ASSESSMENT_FIELDS)
    if expected_answers_version is not None and int(expected_answers_version) != answers_version(assessment):
        raise ValidationError(
            "Your answers changed after you opened this page, in another tab or window. Check them again, then submit."
        )
    missing = problems(assessment)
    if missing:
        raise ValidationError([message for _anchor, message in missing])
    assessment.status = SelfAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.version += 1
    assessment.updated_by = actor
    assessment.updated_at = assessment.submitted_at
    assessment.save()
    record_event(actor=actor, verb="submitted self-assessment", target=assessment, changes={"status": ["Draft", "Submitted"]})
    return assessment


@transaction.atomic
def delete_draft(assessment, *, actor):
    """Delete a draft started by mistake. Refused once someone has answered a request for feedback
    on it: their answers would go with it."""
    assessment = _lock_assessment(assessment)
    policy.require(actor, "assessment.change_assessment", assessment)
    if assessment.is_submitted:
        raise ValidationError("A submitted self-assessment cannot be deleted: it is the record of where you were then.")
    answered = assessment.feedback_requests.filter(status=FeedbackRequest.Status.ANSWERED).count()
    if answered:
        raise ValidationError(
            f"{answered} {'person has' if answered == 1 else 'people have'} answered a request for feedback on this "
            "draft, and their answers would be deleted with it. Finish and submit it instead."
        )
    record_event(
        actor=actor,
        verb="deleted draft self-assessment",
        target=assessment,
        changes={"framework": [str(assessment.framework_in_use), None], "round": [assessment.get_round_display(), None]},
    )
    assessment.delete()


# --- Feedback ----------------------------------------------------------------------------------------


def feedback_choices(staff, today=None):
    """Who the person can ask: their line manager and the people they line-manage, still in post."""
    today = today or timezone.localdate()
    manager = staff.line_manager if staff.line_manager_id and not staff.line_manager.has_left(today) else None
    supervisees = list(StaffRecord.objects.filter(line_manager=staff).current(today).order_by("full_name"))
    return manager, supervisees


@transaction.atomic
def request_feedback(
    assessment, *, actor, line_manager=False, supervisees=(), anonymous=None, message="", answer_by=None, site_url=None
):
    """Ask the person's line manager and/or supervisees to rate them against the same standards.

    Supervisees' answers are anonymous or named for the whole assessment: the first request to a
    supervisee decides, so nobody's answers can be picked out by comparing named and anonymous ones.
    Anonymous feedback needs at least `ANONYMITY_THRESHOLD` supervisees asked, since nothing is shown
    until that many have answered. Returns the new requests.
    """
    assessment = _lock_assessment(assessment)
    policy.require(actor, "assessment.change_assessment", assessment)
    staff = assessment.staff
    if staff.has_left():
        raise ValidationError(f"{staff.full_name} left on {_long_date(staff.leaving_date)}.")
    supervisees = list(supervisees)
    if not line_manager and not supervisees:
        raise ValidationError({"supervisees": "Select at least one person to ask for feedback"})
    today = timezone.localdate()
    if answer_by is not None and answer_by < today:
        raise ValidationError({"answer_by": "The date to answer by must be today or in the future"})
    manager, current_supervisees = feedback_choices(staff, today)
    allowed = {person.pk for person in current_supervisees}
    existing = list(assessment.feedback_requests.select_related("respondent"))
    already = {row.respondent_id: row for row in existing if row.status in FeedbackRequest.OPEN}
    asked = []
    if line_manager:
        if manager is None:
            raise ValidationError({"line_manager": f"{staff.full_name} has no line manager in post in the workforce register"})
        if manager.pk in already:
            raise ValidationError({"line_manager": f"{manager.full_name} has already been asked for feedback on this"})
        asked.append((manager, FeedbackRequest.Relationship.LINE_MANAGER))
    for person in supervisees:
        _same_organisation(actor, person)
        if person.pk not in allowed:
            raise ValidationError({"supervisees": f"{person.full_name} is not someone {staff.full_name} line-manages now"})
        if person.pk in already:
            raise ValidationError({"supervisees": f"{person.full_name} has already been asked for feedback on this"})
        asked.append((person, FeedbackRequest.Relationship.SUPERVISEE))
    earlier = [row for row in existing if row.relationship == FeedbackRequest.Relationship.SUPERVISEE]
    if supervisees:
        if earlier:
            anonymous = earlier[0].is_anonymous
        elif anonymous is None:
            raise ValidationError({"anonymous": "Select whether supervisees' answers are anonymous"})
        still_asked = sum(1 for row in earlier if row.status in FeedbackRequest.OPEN)
        needed = ANONYMITY_THRESHOLD - still_asked
        if anonymous and len(supervisees) < needed:
            more = " more" if still_asked else ""
            raise ValidationError(
                {
                    "supervisees": f"Select at least {needed}{more} supervisee{'s' if needed > 1 else ''}: anonymous answers "
                    f"are shown only once "
                    f"{ANONYMITY_THRESHOLD} have answered"
                }
            )
    requests = [
        FeedbackRequest.objects.create(
            organisation=assessment.organisation,
            assessment=assessment,
            respondent=person,
            relationship=relationship,
            is_anonymous=bool(anonymous) and relationship == FeedbackRequest.Relationship.SUPERVISEE,
            message=message,
            answer_by=answer_by,
            requested_by=actor,
        )
        for person, relationship in asked
    ]
    record_event(
        actor=actor,
        verb="asked for feedback",
        target=assessment,
        changes={
            "asked": [None, [f"{r.respondent.full_name} ({r.get_relationship_display().lower()})" for r in requests]],
            "anonymous": [None, bool(anonymous)] if supervisees else [None, False],
        },
    )
    for row in requests:
        if row.respondent.membership_id is not None:
            pk = str(row.pk)
            transaction.on_commit(lambda pk=pk: send_feedback_request_email.enqueue(pk, site_url))
    return requests


def _lock_request(request):
    return (
        FeedbackRequest.objects.select_for_update(of=("self",))
        .select_related("assessment__staff", "assessment__framework_in_use__version", "respondent")
        .get(pk=request.pk)
    )


def _refuse_closed(request):
    if request.status == FeedbackRequest.Status.ANSWERED:
        raise ValidationError(f"This request was answered on {_long_date(request.answered_at)}.")
    if request.status == FeedbackRequest.Status.DECLINED:
        raise ValidationError(f"This request was declined on {_long_date(request.closed_at)}.")
    if request.status == FeedbackRequest.Status.WITHDRAWN:
        raise ValidationError(
            f"{request.assessment.staff.full_name} withdrew this request on {_long_date(request.closed_at)}, so it no longer needs an answer."
        )


@transaction.atomic
def answer_feedback(request, *, actor, answers, overall_comment=""):
    """Answer a request: `answers` is {standard: (level or None for "I cannot say", comment)} for
    every standard of the framework. An answer is final once sent."""
    request = _lock_request(request)
    policy.require(actor, "assessment.answer_feedback", request)
    _refuse_closed(request)
    assessment = request.assessment
    standards = list(Standard.objects.filter(version_id=assessment.framework_in_use.version_id).order_by("position"))
    given = {standard.pk: value for standard, value in answers.items()}
    missing = [standard for standard in standards if standard.pk not in given]
    if missing:
        raise ValidationError(
            {f"level_{standard.pk}": f"Select a rating for standard {standard.number}, or 'I cannot say'" for standard in missing}
        )
    _check_levels(assessment, *(level for level, _comment in given.values()))
    FeedbackAnswer.objects.bulk_create(
        [
            FeedbackAnswer(
                organisation=request.organisation,
                request=request,
                standard=standard,
                level=given[standard.pk][0],
                comment=given[standard.pk][1],
            )
            for standard in standards
        ]
    )
    request.status = FeedbackRequest.Status.ANSWERED
    request.answered_at = timezone.now()
    request.overall_comment = overall_comment
    request.save()
    record_event(actor=actor, verb="answered request for feedback", target=request, changes={"status": ["Asked", "Answered"]})
    return request


@transaction.atomic
def decline_feedback(request, *, actor, reason=""):
    request = _lock_request(request)
    policy.require(actor, "assessment.answer_feedback", request)
    _refuse_closed(request)
    request.status = FeedbackRequest.Status.DECLINED
    request.closed_at = timezone.now()
    request.decline_reason = reason
    request.save()
    record_event(actor=actor, verb="declined request for feedback", target=request, changes={"status": ["Asked", "Declined"]})
    return request


@transaction.atomic
def withdraw_feedback_request(request, *, actor):
    """Take back a request that has not been answered, e.g. one sent to the wrong person. Not for
    anonymous requests: withdrawing only the unanswered ones would tell who had answered."""
    request = _lock_request(request)
    policy.require(actor, "assessment.change_assessment", request)
    _refuse_closed(request)
    if request.is_anonymous:
        raise ValidationError(
            "Anonymous requests cannot be withdrawn one at a time: that would show who has answered and who has not."
        )
    request.status = FeedbackRequest.Status.WITHDRAWN
    request.closed_at = timezone.now()
    request.save()
    record_event(
        actor=actor,
        verb="withdrew request for feedback",
        target=request,
        changes={"status": ["Asked", "Withdrawn"], "asked": [request.respondent.full_name, None]},
    )
    return request
