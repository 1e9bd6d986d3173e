import pytest
from django_scopes import scope, scopes_disabled

from trellis.assessment import demo
from trellis.assessment.comparison import feedback_for
from trellis.assessment.models import FeedbackRequest, SelfAssessment
from trellis.audit.models import AuditEvent
from trellis.frameworks.models import RatingLevel
from trellis.tenancy.management.commands.load_demo import DEMO_ORGANISATIONS, _members
from trellis.tenancy.models import Organisation
from trellis.workforce import demo as workforce_demo


@pytest.mark.scoped
def test_the_demo_has_supervisors_at_every_point(db):
    spec = next(s for s in DEMO_ORGANISATIONS if s.slug == "northshire")
    with scopes_disabled():
        organisation = Organisation.objects.create(name=spec.name, slug=spec.slug, services=spec.services)
        members = _members(organisation, spec)
    admin = members["helen"]
    with scope(organisation=organisation):
        workforce_demo.load(organisation, admin, service=spec.services, members=members)
        summary = demo.load(organisation, members)
        assert summary["self-assessments"] >= 8 and summary["requests for feedback"] >= 5

        aisha = SelfAssessment.objects.filter(staff__membership=members["aisha"]).order_by("submitted_at")
        assert [(a.round, a.status) for a in aisha] == [("baseline", "submitted"), ("mid_point", "submitted")]
        mid = aisha.last()
        levels = list(RatingLevel.objects.filter(framework_in_use=mid.framework_in_use))
        feedback = feedback_for(mid, levels)
        assert [r.relationship for r in feedback.answered] == ["line_manager"]
        assert feedback.anonymous.shown and feedback.anonymous.answered == 3 and feedback.anonymous.waiting == 1

        tom = SelfAssessment.objects.filter(staff__membership=members["tom"]).submitted()
        assert sorted(tom.values_list("round", flat=True)) == ["baseline", "mid_point", "review"]
        span = max(a.submitted_at for a in tom) - min(a.submitted_at for a in tom)
        assert span.days > 700

        others = SelfAssessment.objects.filter(staff__membership__isnull=True).submitted()
        assert others.count() >= 5
        assert others.filter(ratings__is_priority=True).count() >= 5
        assert AuditEvent.objects.filter(verb="submitted self-assessment").count() == summary["self-assessments"]
        assert FeedbackRequest.objects.waiting().count() >= 1


@pytest.mark.scoped
def test_lucy_has_a_baseline_in_draft_and_has_asked_a_supervisee(db):
    spec = next(s for s in DEMO_ORGANISATIONS if s.slug == "riverside")
    with scopes_disabled():
        organisation = Organisation.objects.create(name=spec.name, slug=spec.slug, services=spec.services)
        members = _members(organisation, spec)
    with scope(organisation=organisation):
        workforce_demo.load(organisation, members["olivia"], service=spec.services, members=members)
        demo.load(organisation, members)
        (draft,) = SelfAssessment.objects.filter(staff__membership=members["lucy"])
        assert draft.status == "draft" and draft.round == "baseline"
        rated = draft.ratings.filter(level__isnull=False).count()
        assert 0 < rated < draft.ratings.count()
        request = FeedbackRequest.objects.get(assessment=draft)
        assert request.respondent.membership == members["jordan"] and request.is_waiting
        assert SelfAssessment.objects.filter(staff__membership__isnull=True).submitted().count() >= 5
