"""Notices: written by `notify`, emailed once the change behind them is committed, listed for their
recipient alone, and marked read."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trellis.notifications import actions
from trellis.notifications.models import Notification
from trellis.notifications.tasks import send_notification_email
from trellis.tenancy.models import Network
from trellis.tenancy.tests.factories import MembershipFactory


def url(name, *args):
    return reverse(f"notifications:{name}", args=["northshire", *args])


@pytest.fixture
def reviewer(member_with):
    return member_with("reviewer", user__full_name="Rae Reviewer", user__email="rae@northshire.gov.uk")


def test_notify_writes_a_notice_and_emails_it_once_committed(reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notice = actions.notify(
            reviewer, "A portfolio is waiting for your review", "Submitted today.", "/o/northshire/portfolio/"
        )
        assert not mail.outbox  # nothing is sent before the change behind it is committed
    for callback in callbacks:
        callback()
    notice.refresh_from_db()
    assert (notice.recipient, notice.organisation_id, notice.read_at) == (reviewer, reviewer.organisation_id, None)
    assert notice.emailed_at is not None
    (email,) = mail.outbox
    assert email.to == ["rae@northshire.gov.uk"] and email.subject == "A portfolio is waiting for your review"
    assert "Submitted today." in email.body and "http://localhost:8000/o/northshire/portfolio/" in email.body


def test_a_notice_is_emailed_once_however_often_the_task_runs(reviewer):
    notice = actions.notify(reviewer, "Waiting for you", url="/o/northshire/")
    send_notification_email.call(str(notice.pk), "https://trellis.example")
    send_notification_email.call(str(notice.pk), "https://trellis.example")
    assert len(mail.outbox) == 1
    assert "https://trellis.example/o/northshire/" in mail.outbox[0].body


def test_a_failed_email_is_tried_again(reviewer, monkeypatch):
    notice = actions.notify(reviewer, "Waiting for you")

    def broken(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("trellis.notifications.tasks.send_mail", broken)
    with pytest.raises(ConnectionError):
        send_notification_email.call(str(notice.pk), "https://trellis.example")
    notice.refresh_from_db()
    assert notice.emailed_at is None
    monkeypatch.undo()
    send_notification_email.call(str(notice.pk), "https://trellis.example")
    assert len(mail.outbox) == 1 and "/o/northshire/notifications/" in mail.outbox[0].body


def test_nobody_to_tell_is_not_an_error(reviewer):
    assert actions.notify(None, "Nobody") is None
    reviewer.is_active = False
    reviewer.save()
    assert actions.notify(reviewer, "Left") is None
    assert not Notification.objects.exists()


def test_a_notice_links_only_within_trellis(reviewer):
    with pytest.raises(ValueError):
        actions.notify(reviewer, "Phish", url="https://example.com/")
    with pytest.raises(ValueError):
        actions.notify(reviewer, "Phish", url="//example.com/")


def test_the_list_shows_my_notices_newest_first_with_unread_marked(client_for, reviewer, member_with):
    old = actions.notify(reviewer, "Older notice")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=1), read_at=timezone.now())
    actions.notify(reviewer, "Newer notice", "Body text", "/o/northshire/")
    actions.notify(member_with("mentor"), "Someone else's notice")
    page = client_for(reviewer).get(url("list")).content.decode()
    assert page.index("Newer notice") < page.index("Older notice")
    assert "Someone else's notice" not in page
    assert page.count(">New</strong>") == 1
    assert "Notifications (1 unread)" in page


def test_the_list_is_paginated(client_for, reviewer):
    for number in range(30):
        actions.notify(reviewer, f"Notice {number:02d}")
    client = client_for(reviewer)
    first = client.get(url("list")).content.decode()
    assert "Notice 29" in first and "Notice 04" not in first
    assert "Notice 04" in client.get(url("list") + "?page=2").content.decode()


def test_opening_a_notice_marks_it_read_and_goes_to_it(client_for, reviewer):
    notice = actions.notify(reviewer, "Open me", url="/o/northshire/portfolio/waiting/")
    client = client_for(reviewer)
    response = client.post(url("read", notice.pk), {"open": "1"})
    assert response["Location"] == "/o/northshire/portfolio/waiting/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    other = actions.notify(reviewer, "Just mark me")
    assert client.post(url("read", other.pk))["Location"] == url("list")


def test_nobody_marks_someone_elses_notice(client_for, reviewer, admin):
    notice = actions.notify(reviewer, "Mine")
    assert client_for(admin).post(url("read", notice.pk)).status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(client_for, reviewer, member_with):
    for number in range(3):
        actions.notify(reviewer, f"Notice {number}")
    theirs = actions.notify(member_with("mentor"), "Not yours")
    response = client_for(reviewer).post(url("read-all"), follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=reviewer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_counts_unread_notices_in_one_query(client_for, reviewer):
    client = client_for(reviewer)
    page = client.get(url("list")).content.decode()
    assert ">Notifications</a>" in page
    for number in range(4):
        actions.notify(reviewer, f"Notice {number}")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("portfolio:waiting", args=["northshire"])).content.decode()
    assert "Notifications (4 unread)" in page
    counting = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(counting) == 1 and "COUNT" in counting[0].upper()


def test_a_network_guest_has_their_notices_too(client_for, org, other_org):
    network = Network.objects.create(name="Teaching partnership", slug="tp")
    network.organisations.add(org, other_org)
    home = MembershipFactory(organisation=other_org, roles=["moderator"])
    guest = MembershipFactory(
        organisation=org, user=home.user, roles=["moderator"], guest_of_network=network, home_organisation=other_org
    )
    actions.notify(guest, "A review to moderate")
    page = client_for(guest).get(url("list")).content.decode()
    assert "A review to moderate" in page
