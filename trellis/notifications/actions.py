"""Every write to notices: tell someone that something waits on them, and let them mark it read.

`notify` is how every part of Trellis tells a person about work waiting on them (a portfolio shared
with their mentor, submitted to a reviewer, returned to its supervisor...). The caller's own action is
what the audit trail records; the notice is its side effect, so notices are not audited themselves.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trellis.tenancy import policy

from .models import Notification
from .tasks import send_notification_email


def notify(recipient, subject, body="", url="", *, site_url=None):
    """Tell `recipient` (a Membership) something: a notice in Trellis now, and an email through the
    configured backend once the caller's transaction commits (so a rolled-back change sends nothing).

    `url` is a path within Trellis (from `reverse`). Having nobody to tell — a person without a login,
    or a member who has since left — is normal, not an error: it returns None.
    """
    if recipient is None or not recipient.is_active:
        return None
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"A notice links to a path within Trellis, not {url!r}")
    # The notice belongs to the recipient's organisation whatever scope the caller runs in (a task, a
    # command), so it is written with the organisation set explicitly rather than through the scope.
    notification = Notification.objects.with_scopes_disabled().create(
        organisation_id=recipient.organisation_id,
        recipient=recipient,
        subject=subject[: Notification._meta.get_field("subject").max_length],
        body=body,
        url=url,
    )
    base = site_url or settings.SITE_URL
    transaction.on_commit(lambda: send_notification_email.enqueue(str(notification.pk), base))
    return notification


# Marking a notice read changes nothing anyone else relies on, so it is not recorded in the audit trail.


@transaction.atomic
def mark_read(notification, *, actor):
    policy.require(actor, "notifications.read", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor):
    """Mark every unread notice of the member read; returns how many there were."""
    policy.require(actor, "notifications.view_own")
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
