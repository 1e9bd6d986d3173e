"""Networks of organisations and the guests they lend each other (ADR 0014): `manage.py network`, the
add_guest / end_guest actions, how guests appear on the People page and in the organisation switcher,
and a walk over every organisation URL as a guest reviewer."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.portfolio.models import Assessor
from trellis.tenancy import actions
from trellis.tenancy.models import Membership, Network
from trellis.tenancy.tests.factories import OrganisationFactory

from . import test_access
from .test_access import ORG_VIEWS, request, url_for

access_objects = test_access.objects  # the matrix's fixture, under a name of its own here


def network(*args):
    out = StringIO()
    call_command("network", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def partnership(org, other_org):
    lent = Network.objects.create(name="North Teaching Partnership", slug="north-teaching-partnership")
    lent.organisations.add(org, other_org)
    return lent


@pytest.fixture
def gita(member_with, other_org):
    """A reviewer and moderator at Southvale."""
    return member_with("reviewer", "moderator", organisation=other_org, user__full_name="Gita Guest", job_title="PSW")


# --- manage.py network ---------------------------------------------------------------------------------


def test_networks_are_made_listed_and_joined(org, other_org):
    out = network("add", "North Teaching Partnership", "northshire", "southvale")
    assert "Made the network North Teaching Partnership." in out and "Added Southvale Council" in out
    partnership = Network.objects.get()
    assert partnership.slug == "north-teaching-partnership"
    assert set(partnership.organisations.all()) == {org, other_org}
    third = OrganisationFactory(name="Eastmoor Council", slug="eastmoor")
    out = network("add", "north-teaching-partnership", "eastmoor", "northshire")
    assert "Northshire County Council is already in North Teaching Partnership." in out
    assert partnership.organisations.count() == 3 and Network.objects.count() == 1
    assert AuditEvent.objects.filter(verb="joined network", organisation=third).exists()
    listing = network("list")
    assert "North Teaching Partnership (north-teaching-partnership)" in listing and "Eastmoor Council (eastmoor)" in listing
    assert "Guests lent through it now: 0" in listing


def test_an_unknown_organisation_changes_nothing(org):
    with pytest.raises(CommandError, match="No organisation with the slug nowhere"):
        network("add", "Region", "northshire", "nowhere")
    assert not Network.objects.exists()
    with pytest.raises(CommandError, match="No network called 'Region'"):
        network("remove-org", "Region", "northshire")
    assert "No networks yet" in network("list")


def test_leaving_a_network_ends_the_guests_lent_through_it(admin, org, other_org, partnership, gita, member_with):
    guest = actions.add_guest(actor=admin, person=gita, role="reviewer")
    southvale_admin = member_with("org_admin", organisation=other_org)
    lent_back = actions.add_guest(
        actor=southvale_admin, person=member_with("moderator", user__full_name="Nia North"), role="moderator"
    )
    out = network("remove-org", "North Teaching Partnership", "southvale")
    assert "Took Southvale Council out of North Teaching Partnership; ended 2 guest memberships." in out
    guest.refresh_from_db()
    lent_back.refresh_from_db()
    assert not guest.is_active and not lent_back.is_active
    assert list(partnership.organisations.all()) == [org]
    assert AuditEvent.objects.filter(verb="ended guest membership", target_id=str(guest.pk)).exists()


def test_a_guest_stays_while_another_network_joins_the_two(admin, org, other_org, partnership, gita):
    guest = actions.add_guest(actor=admin, person=gita, role="reviewer")
    region = Network.objects.create(name="North Region", slug="north-region")
    region.organisations.add(org, other_org)
    out = network("remove-org", "north-teaching-partnership", "southvale")
    assert "ended 0 guest memberships" in out
    guest.refresh_from_db()
    assert guest.is_active and guest.guest_of_network == region


# --- add_guest and end_guest -----------------------------------------------------------------------------


def test_add_guest_lends_only_the_role_asked_for(admin, other_org, partnership, gita):
    guest = actions.add_guest(actor=admin, person=gita, role="moderator")
    assert (guest.roles, guest.guest_of_network, guest.home_organisation, guest.job_title) == (
        ["moderator"],
        partnership,
        other_org,
        "PSW",
    )
    assert guest.is_guest and not guest.has_role("reviewer")
    assert actions.add_guest(actor=admin, person=gita, role="reviewer").pk == guest.pk
    guest.refresh_from_db()
    assert guest.roles == ["reviewer", "moderator"]
    event = AuditEvent.objects.filter(verb="added guest").order_by("at").first()
    assert event.changes["network"] == [None, "North Teaching Partnership"]


def test_add_guest_refusals(admin, leader, other_org, partnership, gita, member_with):
    with pytest.raises(PermissionDenied):
        actions.add_guest(actor=leader, person=gita, role="reviewer")
    with pytest.raises(ValueError):
        actions.add_guest(actor=admin, person=gita, role="org_admin")
    with pytest.raises(ValueError):
        actions.add_guest(actor=admin, person=leader, role="reviewer")
    mentor_there = member_with("mentor", organisation=other_org, user__full_name="Mia There")
    with pytest.raises(ValidationError, match="Mia There is not a portfolio reviewer in Southvale Council"):
        actions.add_guest(actor=admin, person=mentor_there, role="reviewer")
    both = member_with("reviewer", organisation=other_org, user__full_name="Bo Both")
    member_with("mentor", user=both.user)
    with pytest.raises(ValidationError, match="Bo Both is already a member of Northshire County Council"):
        actions.add_guest(actor=admin, person=both, role="reviewer")
    faraway = member_with("reviewer", organisation=OrganisationFactory(name="Faraway", slug="faraway"))
    with pytest.raises(ValidationError, match="Faraway is not in a network with Northshire County Council"):
        actions.add_guest(actor=admin, person=faraway, role="reviewer")


def test_end_guest_takes_one_role_then_the_membership(admin, partnership, gita, supervisor):
    actions.add_guest(actor=admin, person=gita, role="reviewer")
    guest = actions.add_guest(actor=admin, person=gita, role="moderator")
    actions.end_guest(guest, actor=admin, role="reviewer")
    guest.refresh_from_db()
    assert (guest.roles, guest.is_active) == (["moderator"], True)
    actions.end_guest(guest, actor=admin)
    guest.refresh_from_db()
    assert guest.is_active is False
    with pytest.raises(ValueError):
        actions.end_guest(supervisor, actor=admin)


# --- Guests on the People page and in the organisation switcher ---------------------------------------------


def test_the_people_page_shows_guests_and_gives_them_no_other_roles(client_for, admin, partnership, gita):
    guest = actions.add_guest(actor=admin, person=gita, role="reviewer")
    client = client_for(admin)
    page = client.get(reverse("tenancy:member-list", args=["northshire"])).content.decode()
    assert "Guest from Southvale Council" in page
    roles_url = reverse("tenancy:member-roles", args=["northshire", guest.pk])
    explained = client.get(roles_url).content.decode()
    assert "Gita Guest is a guest" in explained and 'name="roles"' not in explained
    client.post(roles_url, {"roles": ["org_admin"]})
    guest.refresh_from_db()
    assert guest.roles == ["reviewer"]
    with pytest.raises(ValueError, match="Gita Guest is a guest from Southvale Council"):
        actions.change_roles(guest, actor=admin, roles=["org_admin"])


def test_the_organisation_switcher_marks_guest_memberships(client_for, admin, partnership, gita):
    actions.add_guest(actor=admin, person=gita, role="reviewer")
    page = client_for(gita).get(reverse("organisations")).content.decode()
    assert "Northshire County Council (guest)" in page and "Southvale Council (guest)" not in page
    assert "as a guest: you see only the portfolios assigned to you" in page


# --- A guest fails every page not meant for them -----------------------------------------------------------------

# A guest reviewer assigned nothing may open only their "waiting on me" list, their own notices, and the
# organisation's home (which sends a guest to that list). Everything else answers 403, including a page
# the matrix keeps for one assigned person ("@key"), such as someone else's notice.
MEANT_FOR_GUESTS = {"tenancy:organisation-home", "portfolio:waiting"}


def _meant_for_guests(view):
    return view.name in MEANT_FOR_GUESTS or (view.name.startswith("notifications:") and not view.allowed.startswith("@"))


def test_a_guest_reviewer_fails_every_page_not_meant_for_them(client_for, access_objects, other_org, gita, admin):
    objects = access_objects
    partnership = Network.objects.create(name="North Teaching Partnership", slug="north")
    partnership.organisations.add(objects["org"], other_org)
    guest = actions.add_guest(actor=admin, person=gita, role="reviewer")
    Assessor.objects.create(organisation=objects["org"], cohort=objects["cohort"], membership=guest, role="reviewer")
    client = client_for(guest)
    wrong = []
    for view in ORG_VIEWS:
        status = request(client, view, url_for(view, "northshire", objects)).status_code
        expected = (200, 302) if _meant_for_guests(view) else (403,)
        if status not in expected:
            wrong.append(f"{view.method.upper()} {view.name}: {status}, expected {' or '.join(map(str, expected))}")
    assert not wrong, "\n".join(wrong)
    assert Membership.objects.get(pk=guest.pk).roles == ["reviewer"]
