"""Email for a notice, sent by the worker (django-tasks-db) once the change behind it is committed."""

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled


@task
def send_notification_email(notification_id, site_url):
    """Email one notice to its recipient. It is claimed first (`emailed_at`), so a task run twice, or by
    two workers at once, sends one email; a failed send releases the claim for the retry."""
    from .models import Notification

    with scopes_disabled():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
        if not claimed:
            return
        notification = Notification.objects.select_related("recipient__user", "organisation").get(pk=notification_id)
        if not notification.recipient.is_active:
            return
        base = site_url.rstrip("/")
        context = {
            "notification": notification,
            "link": base + (notification.url or reverse("notifications:list", args=[notification.organisation.slug])),
            "all_link": base + reverse("notifications:list", args=[notification.organisation.slug]),
        }
        try:
            send_mail(
                subject=notification.subject,
                message=render_to_string("notifications/email/notification.txt", context),
                from_email=None,
                recipient_list=[notification.recipient.user.email],
            )
        except Exception:
            with transaction.atomic():
                Notification.objects.filter(pk=notification_id).update(emailed_at=None)
            raise
