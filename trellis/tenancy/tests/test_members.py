import re

import pytest
from django.core import mail
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.tenancy import actions
from trellis.tenancy.models import Invitation, Membership


def people(name, *args):
    return reverse(f"tenancy:{name}", args=["northshire", *args])


def test_an_admin_invites_someone_by_email(client_for, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            people("member-invite"),
            {"full_name": "Nia Newton", "email": "Nia.Newton@Northshire.gov.uk", "roles": ["practice_supervisor", "mentor"]},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nia.newton@northshire.gov.uk" and invitation.roles == ["practice_supervisor", "mentor"]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nia.newton@northshire.gov.uk"]
    assert "Northshire County Council" in email.subject
    assert f"/invitations/{invitation.token}/" in email.body
    assert AuditEvent.objects.filter(verb="invited", actor=admin.user).exists()


def test_an_invitation_needs_a_name_an_email_and_a_role(client_for, admin):
    page = (
        client_for(admin).post(people("member-invite"), {"full_name": "", "email": "not-an-email", "roles": []}).content.decode()
    )
    assert (
        "Enter their full name" in page
        and "Enter an email address in the correct format" in page
        and "Select at least one role" in page
    )
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_says_so(client_for, admin, supervisor):
    page = (
        client_for(admin)
        .post(people("member-invite"), {"full_name": "x", "email": supervisor.user.email, "roles": ["mentor"]})
        .content.decode()
    )
    assert "is already a member" in page


def test_a_new_person_accepts_by_choosing_a_password(client, admin):
    invitation = actions.invite_member(actor=admin, email="nia@northshire.gov.uk", full_name="Nia Newton", roles=["mentor"])
    accept = reverse("accept-invitation", args=[invitation.token])
    assert "Join Northshire County Council on Trellis" in client.get(accept).content.decode()
    weak = client.post(accept, {"full_name": "Nia Newton", "password": "password"})
    assert "This password is too common" in weak.content.decode()
    response = client.post(accept, {"full_name": "Nia Newton", "password": "a-long-and-unusual-passphrase"})
    assert response.status_code == 302 and response["Location"] == reverse("tenancy:organisation-home", args=["northshire"])
    membership = Membership.objects.get(user__email="nia@northshire.gov.uk")
    assert membership.roles == ["mentor"]
    assert client.get(reverse("pathway:overview", args=["northshire"])).status_code == 200  # signed in
    again = client.get(accept)
    assert again.status_code == 410


def test_an_existing_user_signed_in_joins_a_second_organisation(client_for, admin, outsider):
    invitation = actions.invite_member(actor=admin, email=outsider.user.email, full_name="Olly", roles=["moderator"])
    client = client_for(outsider)
    client.post(reverse("accept-invitation", args=[invitation.token]))
    page = client.get(reverse("home")).content.decode()
    assert "Northshire County Council" in page and "Southvale Council" in page  # the organisation chooser
    assert "Switch organisation" in page


def test_someone_else_cannot_use_an_invitation(client_for, admin, supervisor):
    invitation = actions.invite_member(actor=admin, email="someone@else.gov.uk", full_name="S", roles=["mentor"])
    page = client_for(supervisor).post(reverse("accept-invitation", args=[invitation.token])).content.decode()
    assert "This invitation is for someone@else.gov.uk" in page


def test_home_goes_straight_to_the_only_organisation(client_for, supervisor):
    response = client_for(supervisor).get(reverse("home"))
    assert response["Location"] == reverse("tenancy:organisation-home", args=["northshire"])
    assert client_for(supervisor).get(response["Location"])["Location"] == reverse("pathway:overview", args=["northshire"])


def test_a_practitioner_lands_on_a_page_that_explains_their_access(client_for, practitioner):
    page = client_for(practitioner).get(reverse("tenancy:organisation-home", args=["northshire"])).content.decode()
    assert "ask your organisation admin to check your roles" in page
    assert reverse("talent:career-pathway", args=["northshire"]) in page


def test_an_admin_changes_roles_and_it_is_audited(client_for, admin, supervisor):
    response = client_for(admin).post(
        people("member-roles", supervisor.pk), {"roles": ["practice_supervisor", "mentor"], "job_title": "Team manager"}
    )
    assert response.status_code == 302
    supervisor.refresh_from_db()
    assert supervisor.roles == ["practice_supervisor", "mentor"] and supervisor.job_title == "Team manager"
    event = AuditEvent.objects.get(verb="changed roles")
    assert event.changes["roles"] == [["practice_supervisor"], ["practice_supervisor", "mentor"]]


def test_the_last_admin_cannot_remove_their_own_admin_role(client_for, admin):
    page = client_for(admin).post(people("member-roles", admin.pk), {"roles": ["senior_leader"]}).content.decode()
    assert "You are the only organisation admin" in page
    admin.refresh_from_db()
    assert admin.roles == ["org_admin"]


def test_members_list_shows_people_and_open_invitations(client_for, admin, supervisor):
    actions.invite_member(actor=admin, email="nia@northshire.gov.uk", full_name="Nia Newton", roles=["mentor"])
    page = client_for(admin).get(people("member-list")).content.decode()
    assert "Priya Supervisor" in page and "Nia Newton" in page and "Invitations not yet accepted" in page


def test_navigation_shows_only_what_the_role_may_use(client_for, admin, supervisor):
    admin_page = client_for(admin).get(reverse("pathway:overview", args=["northshire"])).content.decode()
    assert ">People<" in admin_page and ">Audit trail<" in admin_page
    supervisor_page = client_for(supervisor).get(reverse("pathway:overview", args=["northshire"])).content.decode()
    assert ">People<" not in supervisor_page and ">Audit trail<" not in supervisor_page


@pytest.mark.scoped
def test_the_invitation_email_task_sets_its_own_scope(db, org):
    """Tasks run outside any request; they must not depend on the test's disabled scopes."""
    from django_scopes import scopes_disabled

    from trellis.tenancy.tasks import send_invitation_email
    from trellis.tenancy.tests.factories import MembershipFactory

    with scopes_disabled():
        admin = MembershipFactory(organisation=org, roles=["org_admin"])
        invitation = Invitation.objects.create(
            organisation=org, email="x@y.gov.uk", full_name="X", roles=["mentor"], invited_by=admin
        )
    send_invitation_email.call(str(invitation.pk), "https://trellis.example")
    assert re.search(r"https://trellis.example/invitations/[0-9a-f-]+/", mail.outbox[0].body)


def test_the_people_list_query_count_does_not_grow_with_members(client_for, admin, member_with):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(people("member-list"))
        return len(queries)

    member_with("mentor")
    few = count()
    for _ in range(15):
        member_with("practice_supervisor")
    actions.invite_member(actor=admin, email="a@b.gov.uk", full_name="A", roles=["mentor"])
    assert count() <= few + 1  # the invitations table appears once there is one


def test_an_invitation_link_never_signs_anyone_in_to_an_existing_account(client, admin, outsider):
    """Reading the email must not be enough to enter an account and skip its password and MFA."""
    invitation = actions.invite_member(actor=admin, email=outsider.user.email, full_name="Olly", roles=["moderator"])
    accept = reverse("accept-invitation", args=[invitation.token])
    response = client.get(accept)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.post(accept, {"full_name": "Olly", "password": "whatever-they-like-123"})
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(user=outsider.user, organisation=admin.organisation).exists()
    with pytest.raises(actions.SignInFirst):
        actions.accept_invitation(invitation, full_name="Olly", password="x")


def test_the_admin_site_signs_in_through_the_throttled_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
