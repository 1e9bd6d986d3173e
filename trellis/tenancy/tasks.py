from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scopes_disabled


@task
def send_invitation_email(invitation_id, site_url):
    """Runs in the worker. Idempotent: sending twice sends the same link."""
    from .models import Invitation

    with scopes_disabled():
        invitation = Invitation.objects.select_related("organisation", "invited_by__user").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    link = site_url.rstrip("/") + reverse("accept-invitation", args=[invitation.token])
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=f"You have been invited to {invitation.organisation.name} on Trellis",
        message=render_to_string("tenancy/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
