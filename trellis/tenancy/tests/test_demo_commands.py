"""load_demo and demo_logins on a database without the demo (test_demo.py has the loaded demo)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from trellis.pathway.models import Action


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.mark.scoped
def test_load_demo_sets_its_own_organisation_scope(db):
    run("load_demo")
    with scopes_disabled():
        assert Action.objects.exists()


def test_demo_logins_without_demo_data_says_how_to_load_it(db):
    assert "load_demo" in run("demo_logins")
