"""Test-wide settings and fixtures. Factories live in each app's tests/factories.py."""

import pytest
from django_scopes import scopes_disabled


def pytest_configure():
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        # One Redis serves every test process and run: keep their keys (rate limits, sessions) apart.
        import uuid

        settings.CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # Uploads made by tests (evidence files) go to a folder of this process's own, never the real media.
    import atexit
    import shutil
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="trellis-test-media-")
    atexit.register(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _unscoped(request):
    """Tests set up data across organisations; requests still run in their own scope (middleware)."""
    if request.node.get_closest_marker("scoped"):
        yield
        return
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _pathway_template(db):
    """Every organisation works against the shipped template, so load it for every test."""
    from trellis.pathway.template_loader import load_template

    load_template()


# --- People every test module can use: two organisations and a member in each role ------------


@pytest.fixture
def org(db):
    from trellis.tenancy.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Northshire County Council", slug="northshire")


@pytest.fixture
def other_org(db):
    from trellis.tenancy.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Southvale Council", slug="southvale")


@pytest.fixture
def member_with(org):
    """member_with("org_admin", ...) -> a Membership of `org` holding those roles."""
    from trellis.tenancy.tests.factories import MembershipFactory

    def make(*roles, organisation=None, **kwargs):
        return MembershipFactory(organisation=organisation or org, roles=list(roles), **kwargs)

    return make


@pytest.fixture
def admin(member_with):
    return member_with("org_admin", user__full_name="Alex Admin", user__email="admin@northshire.gov.uk")


@pytest.fixture
def leader(member_with):
    return member_with("senior_leader", user__full_name="Sam Senior")


@pytest.fixture
def supervisor(member_with):
    return member_with("practice_supervisor", user__full_name="Priya Supervisor")


@pytest.fixture
def practitioner(member_with):
    return member_with("practitioner", user__full_name="Pat Practitioner")


@pytest.fixture
def outsider(member_with, other_org):
    return member_with("org_admin", organisation=other_org, user__full_name="Olly Outsider")


@pytest.fixture
def client_for(client):
    """client_for(membership) -> the test client signed in as that member's user."""

    def sign_in(membership):
        client.force_login(membership.user)
        return client

    return sign_in
