"""Strict CSP: no page may rely on inline script or style, and every response carries the policy."""

import re

import pytest
from django.urls import reverse

from trellis.pathway import actions
from trellis.pathway.models import Outcome

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle=", re.IGNORECASE)


@pytest.fixture
def pages(admin):
    action = actions.create_action(
        actor=admin, outcome=Outcome.objects.get(key="awareness-what"), description="x", owner_member=admin
    )
    org = ["northshire"]
    return [
        reverse("pathway:overview", args=org),
        reverse("pathway:stage", args=[*org, "awareness"]),
        reverse("pathway:action-list", args=org),
        reverse("pathway:action", args=[*org, action.pk]),
        reverse("pathway:action-edit", args=[*org, action.pk]),
        reverse("pathway:action-add", args=org),
        reverse("pathway:stakeholder-list", args=org),
        reverse("tenancy:member-list", args=org),
        reverse("tenancy:member-invite", args=org),
        reverse("audit:trail", args=org),
        reverse("account_manage"),
        reverse("pages:accessibility"),
    ]


def test_pages_have_no_inline_script_or_style_and_send_a_strict_csp(client_for, admin, pages):
    client = client_for(admin)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not STYLE_ATTR.search(html), url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_every_page_has_one_h1_and_a_title_naming_trellis(client_for, admin, pages):
    client = client_for(admin)
    for url in pages:
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert re.search(r"<title>[^<]+ – Trellis</title>", html), url
