"""Demo self-assessments and feedback for a demo organisation, with supervisors at every point.

Northshire: Aisha (7 months in post) has a baseline from her first month and a mid-point, with feedback
from her line manager and, anonymously, from her supervisees; Tom (experienced) has three rounds over
two years. Riverside: Lucy (3 months in post) has a baseline in draft and has asked a supervisee for
feedback. Every other practice supervisor in post has a submitted baseline, typed in by an admin from
their paper copy (they do not sign in), so the organisation's view has numbers: some learning needs
recur across people, as the PSDP evaluation found (see `WEAK`).

Run after the workforce and frameworks demos (people and frameworks in use). Deterministic (a seeded
generator per organisation), dates relative to today, written through the assessment actions so the
audit trail and versions are real. The actions stamp the time they run; the demo then moves those
stamps back to the dates in the story.
"""

import datetime
import random

from django.utils import timezone

from trellis.frameworks.actions import ensure_frameworks_in_use
from trellis.frameworks.models import FrameworkInUse, RatingLevel
from trellis.tenancy.models import Role
from trellis.workforce.models import StaffRecord

from . import actions
from .models import FeedbackRequest, SelfAssessment, StandardRating

# Standards people most often rate lower and choose as priorities, by words in their titles: the PSDP
# evaluation's two biggest areas of development were performance management and emotionally
# intelligent supervision (domain.md section 1.2); power and authority is the adult PQS's nearest.
WEAK = ("power and authority", "performance", "assuring", "emotion", "difficult conversations", "data")

STRENGTHS = [
    "Reflective conversations in supervision: I give people time to think before we decide.",
    "Staying calm and clear when the team is under pressure.",
    "Knowing the law and explaining it plainly to practitioners.",
    "Building trust with new social workers quickly.",
    "Joining up with partner agencies: people come back to me.",
    "Clear, timely recording of management oversight.",
]
LEARNING_NEEDS = [
    "Having honest conversations about performance that still feel supportive.",
    "Using my authority proportionately when a practitioner and I disagree about risk.",
    "Making sense of the team's performance data and using it in team meetings.",
    "Noticing the emotional impact of the work on the team before it becomes a problem.",
    "Chairing group supervision so that quieter members contribute.",
    "Challenging decisions by senior managers constructively.",
]
OVERALL_STRENGTHS = [
    "I am a reflective supervisor and the team trusts me. I know the practice well and stay calm when it is busy.",
    "Good at relationships with the team and with partners; steady under pressure; clear recording.",
]
OVERALL_NEEDS = [
    "Performance conversations and using data. I would like coaching and to shadow an experienced supervisor.",
    "Using authority well and noticing the emotional load on the team. Action learning with other new supervisors would help.",
]
MANAGER_COMMENTS = [
    "Good grip on the team's work; next step is to use the data in supervision, not only in team meetings.",
    "Practitioners tell me supervision with you is thoughtful and safe.",
    "Be more confident in challenging: you are usually right.",
]
SUPERVISEE_COMMENTS = [
    "Always makes time, even on a busy day.",
    "I come out of supervision knowing what to do next.",
    "Could tell us sooner when something is not going well.",
    "Helps me think about the family's side of things.",
    "Sometimes supervision gets moved when the team is busy.",
]


def _admin(members):
    for key in ("fiona", "bethan"):
        if key in members:
            return members[key]
    return next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))


def _primary(staff, prefer_own=False):
    """The framework a demo person assesses against: the shipped one for their service, or the
    organisation's own (which has statements) when `prefer_own`."""
    rows = sorted(
        FrameworkInUse.objects.for_person(staff),
        key=lambda f: ((f.version.framework.organisation_id is None) == prefer_own, f.version.framework.name),
    )
    return rows[0] if rows else None


class Story:
    def __init__(self, organisation, members):
        self.organisation = organisation
        self.members = members
        self.admin = _admin(members)
        self.rng = random.Random(f"trellis-assessment-demo-{organisation.slug}")
        self.today = timezone.localdate()
        self.assessments = 0
        self.requests = 0

    def at(self, days_ago, hour=10):
        day = self.today - datetime.timedelta(days=days_ago)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60))))

    def actor_for(self, staff):
        """People who sign in write their own; an admin types in the rest from paper."""
        return staff.membership or self.admin

    # --- Self-assessments ---------------------------------------------------------------------------

    def levels(self, fiu):
        return list(RatingLevel.objects.filter(framework_in_use=fiu).order_by("value"))

    def ratings_for(self, ratings, scale, base, weak_shift=-1, spread=1):
        """{rating: (level, is_priority)}: around `base` (a place on the scale, 0 the lowest), weaker
        on the recurring standards, which are also the usual priorities."""
        chosen = {}
        for rating in ratings:
            weak = any(word in rating.standard.title.lower() for word in WEAK)
            place = base + (weak_shift if weak else 0) + self.rng.randint(-spread, spread) * (self.rng.random() < 0.4)
            place = max(0, min(len(scale) - 1, place))
            priority = self.rng.random() < (0.7 if weak else 0.12) and place < len(scale) - 1
            chosen[rating.pk] = (scale[place], priority)
        return chosen

    def fill(self, assessment, actor, base, complete=True, weak_shift=-1, only=None):
        scale = self.levels(assessment.framework_in_use)
        ratings = list(
            assessment.ratings.select_related("standard").prefetch_related("statement_ratings").order_by("standard__position")
        )
        chosen = self.ratings_for(ratings, scale, base, weak_shift)
        if only is not None:
            ratings = ratings[: max(1, min(only, len(ratings) - 1))]  # a draft: some done, not all
        for rating in ratings:
            level, priority = chosen[rating.pk]
            actions.save_standard(
                rating,
                actor=actor,
                expected_version=rating.version,
                level=level,
                statement_levels={
                    row.statement_id: scale[max(0, min(len(scale) - 1, scale.index(level) + self.rng.choice((-1, 0, 0, 1))))]
                    for row in rating.statement_ratings.all()
                },
                strengths=self.rng.choice(STRENGTHS) if self.rng.random() < 0.85 else "",
                learning_needs=self.rng.choice(LEARNING_NEEDS) if priority or self.rng.random() < 0.5 else "",
                is_priority=priority,
            )
        if complete:
            assessment.refresh_from_db()
            actions.save_overall(
                assessment,
                actor=actor,
                expected_version=assessment.version,
                overall_strengths=self.rng.choice(OVERALL_STRENGTHS),
                overall_learning_needs=self.rng.choice(OVERALL_NEEDS),
            )
        return scale

    def assess(self, staff, fiu, round, days_ago, base, submit=True, weak_shift=-1, only=None):  # noqa: A002
        actor = self.actor_for(staff)
        assessment = actions.start_self_assessment(actor=actor, staff=staff, framework_in_use=fiu, round=round)
        self.fill(assessment, actor, base, complete=submit and only is None, weak_shift=weak_shift, only=only)
        assessment.refresh_from_db()
        if submit:
            assessment = actions.submit_self_assessment(assessment, actor=actor, expected_version=assessment.version)
        started = self.at(days_ago + 6)
        SelfAssessment.objects.filter(pk=assessment.pk).update(
            created_at=started,
            updated_at=self.at(days_ago),
            submitted_at=self.at(days_ago) if submit else None,
        )
        StandardRating.objects.filter(assessment=assessment).update(updated_at=started)
        self.assessments += 1
        assessment.refresh_from_db()
        return assessment

    # --- Feedback -----------------------------------------------------------------------------------

    def ask(self, assessment, days_ago, **who):
        actor = self.actor_for(assessment.staff)
        requests = actions.request_feedback(assessment, actor=actor, **who)
        FeedbackRequest.objects.filter(pk__in=[r.pk for r in requests]).update(requested_at=self.at(days_ago, 9))
        self.requests += len(requests)
        return requests

    def answer(self, request, days_ago, around, comments, offset=0):
        """Answer through the actions: near the person's own ratings (`around` above them), with
        comments taken in turn from `offset`, so two people never write the same."""
        scale = self.levels(request.assessment.framework_in_use)
        own = dict(StandardRating.objects.filter(assessment=request.assessment).values_list("standard_id", "level__value"))
        answers = {}
        for index, standard in enumerate(request.assessment.framework_in_use.version.standards.order_by("position")):
            comment = comments[(index + offset) % len(comments)] if self.rng.random() < 0.5 else ""
            if self.rng.random() < 0.05:
                answers[standard] = (None, comment)  # could not say
                continue
            value = (own.get(standard.pk) or scale[0].value) + around + self.rng.choice((-1, 0, 0, 0, 1))
            level = min(scale, key=lambda level: abs(level.value - value))
            answers[standard] = (level, comment)
        responder = request.respondent.membership or self.admin
        overall = comments[(offset + 2) % len(comments)]
        actions.answer_feedback(request, actor=responder, answers=answers, overall_comment=overall)
        FeedbackRequest.objects.filter(pk=request.pk).update(answered_at=self.at(days_ago, 15))


def _person(members, key):
    membership = members.get(key)
    return StaffRecord.objects.filter(membership=membership).select_related("line_manager").first() if membership else None


def load(organisation, members):
    """Write the demo self-assessments; `members` maps load_demo's keys to Memberships. Runs in the
    organisation's scope."""
    ensure_frameworks_in_use(organisation)
    story = Story(organisation, members)
    named = {}  # the demo members with a story of their own

    aisha = _person(members, "aisha")
    if aisha is not None and (fiu := _primary(aisha)) is not None:
        story.assess(aisha, fiu, "baseline", days_ago=182, base=1)
        mid = story.assess(aisha, fiu, "mid_point", days_ago=12, base=1, weak_shift=0)
        actions.set_sharing(mid, actor=story.actor_for(aisha), shared=True)
        supervisees = list(StaffRecord.objects.filter(line_manager=aisha).current().order_by("full_name")[:4])
        who = {"line_manager": aisha.line_manager is not None}
        if len(supervisees) >= 3:
            who.update(supervisees=supervisees, anonymous=True)
        requests = story.ask(mid, days_ago=11, message="I would most like to hear how supervision with me feels.", **who)
        for index, request in enumerate(requests[:4]):  # the last supervisee has not answered yet
            if request.relationship == FeedbackRequest.Relationship.LINE_MANAGER:
                story.answer(request, days_ago=6, around=0, comments=MANAGER_COMMENTS)
            else:
                story.answer(request, days_ago=9 - index, around=1, comments=SUPERVISEE_COMMENTS, offset=index)
        named["aisha"] = aisha

    tom = _person(members, "tom")
    if tom is not None and (fiu := _primary(tom)) is not None:
        story.assess(tom, fiu, "baseline", days_ago=760, base=1)
        story.assess(tom, fiu, "mid_point", days_ago=400, base=1, weak_shift=0)
        review = story.assess(tom, fiu, "review", days_ago=45, base=2)
        if tom.line_manager is not None:
            (request,) = story.ask(review, days_ago=44, line_manager=True, answer_by=None)
            story.answer(request, days_ago=30, around=0, comments=MANAGER_COMMENTS)
        named["tom"] = tom

    lucy = _person(members, "lucy")
    if lucy is not None and (fiu := _primary(lucy, prefer_own=True)) is not None:
        draft = story.assess(lucy, fiu, "baseline", days_ago=5, base=1, submit=False, only=2)
        with_login = list(StaffRecord.objects.filter(line_manager=lucy, membership__isnull=False).current())
        if with_login:
            story.ask(
                draft, days_ago=4, supervisees=with_login, anonymous=False, answer_by=story.today + datetime.timedelta(days=14)
            )
        named["lucy"] = lucy

    # The other supervisors in post, who do not sign in: a baseline each, typed in from paper.
    others = StaffRecord.objects.supervisors(story.today).filter(membership__isnull=True).order_by("full_name")
    for staff in others:
        fiu = _primary(staff)
        if fiu is not None:
            base = 1 if staff.in_first_year else 2
            story.assess(staff, fiu, "baseline", days_ago=story.rng.randrange(20, 330), base=base)
    return {"self-assessments": story.assessments, "requests for feedback": story.requests}
