"""Email sent after a request for feedback is committed. Run by the worker (django-tasks-db)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scopes_disabled


@task
def send_feedback_request_email(request_id, site_url=None):
    """Tell someone with a Trellis login that they have been asked for feedback. Safe to run twice
    (it sends the same message); sends nothing once the request is no longer waiting."""
    from .models import ANONYMITY_THRESHOLD, FeedbackRequest

    with scopes_disabled():
        request = (
            FeedbackRequest.objects.select_related("organisation", "assessment__staff", "respondent__membership__user")
            .filter(pk=request_id)
            .first()
        )
    if request is None or not request.is_waiting or request.respondent.membership is None:
        return
    url = (site_url or settings.SITE_URL).rstrip("/")
    link = url + reverse("assessment:request", kwargs={"org_slug": request.organisation.slug, "pk": request.pk})
    send_mail(
        subject=f"{request.assessment.staff.full_name} has asked you for feedback",
        message=render_to_string(
            "assessment/email/feedback_request.txt", {"request": request, "link": link, "threshold": ANONYMITY_THRESHOLD}
        ),
        from_email=None,
        recipient_list=[request.respondent.membership.user.email],
    )
