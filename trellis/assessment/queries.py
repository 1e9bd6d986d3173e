"""Reads over many rows of self-assessments and feedback requests."""

from django.db.models import Count, Exists, OuterRef, Q

from trellis.tenancy import policy
from trellis.tenancy.models import TenantQuerySet


class SelfAssessmentQuerySet(TenantQuerySet):
    def drafts(self):
        return self.filter(status="draft")

    def submitted(self):
        return self.filter(status="submitted")

    def for_rows(self):
        return self.select_related("staff__line_manager", "framework_in_use__version__framework")

    def shown_to(self, membership, staff):
        """This person's self-assessments the member may have listed: all of them for the person,
        their line manager and admins (a draft's content stays the person's: see the policy), only
        those shared with them, once submitted, for a mentor."""
        if policy.allows(membership, "assessment.view_all_of_person", staff):
            return self.filter(staff=staff)
        if policy.allows(membership, "assessment.view_shared_of_person", staff):
            return self.filter(staff=staff, status="submitted", shared_with_mentor=True)
        return self.none()

    def latest_submitted(self):
        """Each person's latest submitted self-assessment against each framework they used."""
        newer = self.model.objects.filter(
            staff=OuterRef("staff"),
            framework_in_use=OuterRef("framework_in_use"),
            status="submitted",
            submitted_at__gt=OuterRef("submitted_at"),
        )
        return self.submitted().exclude(Exists(newer))

    def before(self, assessment):
        """The person's submitted self-assessments against the same framework version, earlier than
        this one (all of them, for a draft), latest first: the first is what it is compared with."""
        rows = (
            self.submitted()
            .filter(staff_id=assessment.staff_id, framework_in_use_id=assessment.framework_in_use_id)
            .exclude(pk=assessment.pk)
        )
        if assessment.submitted_at is not None:
            rows = rows.filter(submitted_at__lt=assessment.submitted_at)
        return rows.order_by("-submitted_at")

    def with_feedback_counts(self):
        return self.annotate(
            feedback_waiting=Count("feedback_requests", filter=Q(feedback_requests__status="requested"), distinct=True),
            feedback_answered=Count("feedback_requests", filter=Q(feedback_requests__status="answered"), distinct=True),
        )


class FeedbackRequestQuerySet(TenantQuerySet):
    def waiting(self):
        return self.filter(status="requested")

    def asked_of(self, membership):
        """Requests this member was asked to answer, through their staff record."""
        return self.filter(respondent__membership=membership)

    def for_rows(self):
        return self.select_related("assessment__staff", "assessment__framework_in_use__version__framework", "respondent")
