"""Signing in, password resets, login throttling, two-step verification, and the pages around them.

The allauth pages are ours (templates/account/, templates/mfa/, templates/allauth/): these tests drive
the real flows through the test client and check every page comes out as accessible GOV.UK markup that
our Content-Security-Policy allows.
"""

import datetime
import re
import time

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from trellis.accounts.models import User
from trellis.tenancy.tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a-brand-new-and-unusual-passphrase"
# A fixed instant near the real clock: TOTP codes are computed for it, and sessions begun at it must
# still be fresh when a test reads a page afterwards at the real time (sessions last eight hours).
NOW = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)


@pytest.fixture(autouse=True)
def _now_is_now():
    """NOW is read when a test runs, not when the module was imported: in a long run a test may start
    twenty minutes after import, and a session begun at a stale NOW then needs re-authenticating
    ("recently signed in") on its first request by the real clock."""
    global NOW
    NOW = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    """Rate-limit counters and used TOTP codes live in the cache: start every test with none."""
    call_command("createcachetable", verbosity=0)  # the database cache's table; a no-op for Redis
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        # clear() would FLUSHDB the Redis that parallel test processes share: drop only our own keys.
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:*"):
            client.delete(key)
    else:
        cache.clear()


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def totp_code(secret):
    """The code an authenticator app would show now (allauth's own TOTP maths)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def confirm_its_you(client, password=PASSWORD):
    """allauth asks for the password again (within 5 minutes) before any two-step setting changes."""
    assert client.post(reverse("account_reauthenticate"), {"password": password}).status_code == 302


def signed_in_user(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def page(response):
    assert response.status_code == 200, response
    return response.content.decode()


def assert_accessible_govuk_page(html):
    """What every allauth page must be: one h1, a Trellis title, labelled inputs, nothing CSP refuses."""
    assert html.count("<h1") == 1, "one h1 per page"
    assert 'class="govuk-heading-l"' in html.split("<h1", 1)[1].split(">", 1)[0]
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.endswith("– Trellis") and not title.startswith("–"), title
    assert "style=" not in html, "inline styles are refused by style-src 'self'"
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script, f"inline script refused by script-src 'self': {script}"
    assert "placeholder=" not in html
    for tag in re.findall(r"<input\b[^>]*>", html):
        if 'type="hidden"' in tag:
            continue
        input_id = re.search(r'\bid="([^"]+)"', tag).group(1)
        assert f'for="{input_id}"' in html, f"no label for {tag}"
        if re.search(r'type="(email|password|text)"', tag):
            assert "govuk-input" in tag and "autocomplete=" in tag, tag
    main = html.split('id="main-content"', 1)[-1]  # the header's sign-out is a link-styled button on purpose
    for button in re.findall(r"<button\b[^>]*>", main):
        assert "govuk-button" in button, button
    for link in re.findall(r"<a\b[^>]*>", re.search(r"<main.*?</main>", html, re.S).group(0)):
        if 'href="#' in link:
            continue  # the error summary's links, styled by the summary itself
        assert re.search(r'class="[^"]*govuk-(link|button|back-link)', link), link


# --- Signing in -----------------------------------------------------------------------------------


def test_signing_in_with_email_and_password_lands_in_your_organisation(client, admin):
    response = sign_in(client, "Admin@Northshire.gov.uk")  # any capitalisation of the address
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_user(client, admin.user)
    home = client.get(response["Location"])
    assert home["Location"] == reverse("tenancy:organisation-home", args=["northshire"])


def test_signing_in_goes_back_to_the_page_you_asked_for(client, admin):
    wanted = reverse("account_manage")
    login_page = client.get(wanted)
    assert login_page.status_code == 302 and login_page["Location"].startswith(reverse("account_login"))
    response = client.post(login_page["Location"], {"login": admin.user.email, "password": PASSWORD, "next": wanted})
    assert response["Location"] == wanted


def test_the_sign_in_page_is_a_govuk_form(client):
    html = page(client.get(reverse("account_login")))
    assert_accessible_govuk_page(html)
    assert "<title>Sign in – Trellis</title>" in html
    assert re.search(r'<label class="govuk-label[^"]*" for="id_login">Email address</label>', html)
    assert re.search(r'<input [^>]*id="id_login"[^>]*type="email"[^>]*autocomplete="email"', html)
    assert re.search(r'<input [^>]*id="id_password"[^>]*type="password"[^>]*autocomplete="current-password"', html)
    assert 'data-module="govuk-password-input"' in html
    assert reverse("account_reset_password") in html
    assert reverse("account_signup") not in html  # nobody can sign up: people join by invitation


def test_a_wrong_password_shows_the_govuk_error_summary(client, admin):
    html = page(sign_in(client, admin.user.email, "not-my-password"))
    assert_accessible_govuk_page(html)
    assert "<title>Error: Sign in – Trellis</title>" in html
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</div>", 3)
    assert "There is a problem" in html and 'href="#id_login"' in "".join(summary)
    assert html.index("govuk-error-summary") < html.index("<h1")
    assert 'id="id_login-error" class="govuk-error-message"' in html
    assert 'aria-describedby="id_login-error"' in html
    assert "Enter the email address and password for your Trellis account" in html
    assert f'value="{admin.user.email}"' in html  # what they typed is kept; the password is not
    assert "not-my-password" not in html
    assert not signed_in_user(client, admin.user)


def test_an_empty_form_says_what_is_missing(client):
    html = page(client.post(reverse("account_login"), {"login": "", "password": ""}))
    assert 'href="#id_login"' in html and 'href="#id_password"' in html
    assert "govuk-input--error" in html and "govuk-form-group--error" in html


def test_signup_is_closed(client):
    html = page(client.get(reverse("account_signup")))
    assert_accessible_govuk_page(html)
    assert "You need an invitation to use Trellis" in html
    client.post(reverse("account_signup"), {"email": "new@example.gov.uk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not User.objects.filter(email="new@example.gov.uk").exists()


def test_a_sixth_failed_attempt_on_one_account_is_blocked_even_with_the_right_password(client, admin):
    for _ in range(5):
        assert "Enter the email address and password for your Trellis account" in page(
            sign_in(client, admin.user.email, "wrong-guess")
        )
    html = page(sign_in(client, admin.user.email, PASSWORD))
    assert "You have tried to sign in too many times" in html
    assert "govuk-error-summary" in html and 'href="#id_login"' in html
    assert not signed_in_user(client, admin.user)


def test_throttling_one_account_does_not_lock_out_another(client, admin, leader):
    for _ in range(6):
        sign_in(client, admin.user.email, "wrong-guess")
    sign_in(client, leader.user.email)
    assert signed_in_user(client, leader.user)


def test_signing_out_asks_first_then_signs_you_out(client_for, admin):
    client = client_for(admin)
    html = page(client.get(reverse("account_logout")))
    assert_accessible_govuk_page(html)
    assert "Sign out of Trellis?" in html
    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert "You have signed out." in page(client.get(response["Location"]))


# --- Password reset and change ------------------------------------------------------------------


def test_password_reset_emails_a_link_that_sets_a_new_password(client, admin):
    response = client.post(reverse("account_reset_password"), {"email": admin.user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert "Check your email" in page(client.get(response["Location"]))

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [admin.user.email] and "Reset your Trellis password" in email.subject
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+)", email.body).group(1)

    form_url = client.get(link)["Location"]  # allauth moves the key into the session, out of the URL
    html = page(client.get(form_url))
    assert_accessible_govuk_page(html)
    assert "Choose a new password" in html
    assert html.count('autocomplete="new-password"') == 2

    mismatch = page(client.post(form_url, {"password1": NEW_PASSWORD, "password2": "something-else-entirely"}))
    assert "govuk-error-summary" in mismatch and 'href="#id_password2"' in mismatch

    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert_accessible_govuk_page(page(client.get(done["Location"])))

    assert "Enter the email address and password for your Trellis account" in page(sign_in(client, admin.user.email, PASSWORD))
    sign_in(client, admin.user.email, NEW_PASSWORD)
    assert signed_in_user(client, admin.user)

    client.logout()
    used_again = page(client.get(link, follow=True))
    assert "This link no longer works" in used_again
    assert_accessible_govuk_page(used_again)


def test_password_reset_for_an_unknown_address_does_not_say_so_on_screen(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.gov.uk"})
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert "no Trellis account" in mail.outbox[0].body
    assert "sign up" not in mail.outbox[0].body.lower()


def test_password_reset_form_errors(client, db):
    html = page(client.post(reverse("account_reset_password"), {"email": "not an email"}))
    assert_accessible_govuk_page(html)
    assert 'href="#id_email"' in html and not mail.outbox


def test_changing_your_password(client_for, admin):
    client = client_for(admin)
    url = reverse("account_change_password")
    html = page(client.get(url))
    assert_accessible_govuk_page(html)
    assert 'autocomplete="current-password"' in html and html.count('autocomplete="new-password"') == 2
    assert reverse("account_manage") in html  # back to "Your account"

    wrong = page(client.post(url, {"oldpassword": "nope", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}))
    assert 'href="#id_oldpassword"' in wrong
    weak = page(client.post(url, {"oldpassword": PASSWORD, "password1": "password", "password2": "password"}))
    assert 'href="#id_password1"' in weak and "too common" in weak

    response = client.post(url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    admin.user.refresh_from_db()
    assert admin.user.check_password(NEW_PASSWORD)
    assert "Your password has been changed." in page(client.get(response["Location"]))


# --- Two-step verification ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # allauth adds its success message on commit, inside the view
def test_setting_up_two_step_verification_then_signing_in_with_a_code(client, admin):
    with time_machine.travel(NOW, tick=False):
        sign_in(client, admin.user.email)
        confirm_its_you(client)
        index = page(client.get(reverse("mfa_index")))
        assert_accessible_govuk_page(index)
        assert reverse("mfa_activate_totp") in index

        html = page(client.get(reverse("mfa_activate_totp")))
        assert_accessible_govuk_page(html)
        assert '<img src="data:image/svg+xml;base64,' in html
        secret = client.session[SECRET_SESSION_KEY]
        assert secret[:4] + " " + secret[4:8] in html  # the key to type in if the QR code won't scan
        assert re.search(r'<input [^>]*id="id_code"[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"', html)

        wrong = page(client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "111111"}))
        assert "govuk-error-summary" in wrong and 'href="#id_code"' in wrong

        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=admin.user, type=Authenticator.Type.TOTP).exists()
        codes_page = page(client.get(response["Location"]))
        assert "Two-step verification is on." in codes_page
        assert "New recovery codes created" not in codes_page  # one banner is enough
        assert codes_page.count("<li><code>") == mfa_settings.RECOVERY_CODE_COUNT

        client.post(reverse("account_logout"))

    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        response = sign_in(client, admin.user.email)
        assert response["Location"] == reverse("mfa_authenticate")
        assert not signed_in_user(client, admin.user)
        html = page(client.get(response["Location"]))
        assert_accessible_govuk_page(html)
        assert "Enter your security code" in html

        wrong = page(client.post(reverse("mfa_authenticate"), {"code": "12"}))
        assert "govuk-error-summary" in wrong and 'href="#id_code"' in wrong and not signed_in_user(client, admin.user)

        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response["Location"] == reverse("home")
        assert signed_in_user(client, admin.user)


@pytest.fixture
def two_step_user(admin):
    """admin, with an authenticator app and recovery codes already set up."""
    secret = generate_totp_secret()
    TOTP.activate(admin.user, secret)
    RecoveryCodes.activate(admin.user)
    return admin.user, secret


def sign_in_with_code(client, user, secret):
    assert sign_in(client, user.email)["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})["Location"] == reverse("home")
    confirm_its_you(client)


def test_a_password_reset_request_does_not_stop_you_setting_up_two_step_verification(client, admin):
    client.post(reverse("account_reset_password"), {"email": admin.user.email})
    sign_in(client, admin.user.email)
    confirm_its_you(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(client, two_step_user):
    user, _ = two_step_user
    code = RecoveryCodes(Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()[0]
    sign_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in_user(client, user)
    client.post(reverse("account_logout"))
    sign_in(client, user.email)
    assert "govuk-error-summary" in page(client.post(reverse("mfa_authenticate"), {"code": code}))


def test_changing_two_step_settings_asks_you_to_confirm_its_you(client_for, admin):
    client = client_for(admin)  # signed in, but not by typing a password just now
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    html = page(client.get(response["Location"]))
    assert_accessible_govuk_page(html)
    assert "Confirm it’s you" in html and 'autocomplete="current-password"' in html
    assert "govuk-error-summary" in page(client.post(response["Location"], {"password": "wrong"}))
    back = client.post(response["Location"], {"password": PASSWORD})
    assert back["Location"] == reverse("mfa_activate_totp")
    assert client.get(back["Location"]).status_code == 200


def test_turning_two_step_verification_off(client, two_step_user):
    user, secret = two_step_user
    with time_machine.travel(NOW, tick=False):
        sign_in_with_code(client, user, secret)
        html = page(client.get(reverse("mfa_deactivate_totp")))
        assert_accessible_govuk_page(html)
        assert "govuk-button--warning" in html
        response = client.post(reverse("mfa_deactivate_totp"))
        assert response["Location"] == reverse("mfa_index")
        assert not Authenticator.objects.filter(user=user).exists()
        # Still at NOW: the session began then and would have expired by the real clock.
        index = page(client.get(response["Location"]))
    assert "Two-step verification is off." in index and reverse("mfa_activate_totp") in index


ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_inactive",
]
SIGNED_IN_PAGES = [
    "account_logout",
    "account_change_password",
    "account_reauthenticate",
    "account_manage",
    "mfa_index",
]
TWO_STEP_PAGES = [
    "mfa_index",
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_change_password",
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_every_page_for_people_not_signed_in_is_govuk_and_csp_safe(client, db, name):
    assert_accessible_govuk_page(page(client.get(reverse(name))))


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_every_account_page_is_govuk_and_csp_safe(client, admin, name):
    sign_in(client, admin.user.email)
    assert_accessible_govuk_page(page(client.get(reverse(name))))


@pytest.mark.parametrize("name", TWO_STEP_PAGES)
def test_every_two_step_page_is_govuk_and_csp_safe(client, two_step_user, name):
    with time_machine.travel(NOW, tick=False):
        sign_in_with_code(client, *two_step_user)
        assert_accessible_govuk_page(page(client.get(reverse(name))))


def test_the_activation_page_and_the_code_page_at_sign_in_are_govuk_and_csp_safe(client, admin, two_step_user):
    user, _ = two_step_user
    sign_in(client, user.email)
    assert_accessible_govuk_page(page(client.get(reverse("mfa_authenticate"))))

    other = UserFactory(email="no-app-yet@northshire.gov.uk")
    client.post(reverse("account_logout"))
    sign_in(client, other.email)
    confirm_its_you(client)
    assert_accessible_govuk_page(page(client.get(reverse("mfa_activate_totp"))))


@pytest.mark.django_db(transaction=True)
def test_recovery_codes_can_be_downloaded_and_regenerated(client, two_step_user):
    user, secret = two_step_user
    with time_machine.travel(NOW, tick=False):
        sign_in_with_code(client, user, secret)
        download = client.get(reverse("mfa_download_recovery_codes"))
        assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
        old_codes = download.content.decode().split()
        assert len(old_codes) == mfa_settings.RECOVERY_CODE_COUNT
        assert "will stop working" in page(client.get(reverse("mfa_generate_recovery_codes")))
        response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    html = page(client.get(response["Location"]))
    assert "New recovery codes created." in html
    assert not set(old_codes) & set(re.findall(r"<code>(\d+)</code>", html))


def test_the_email_addresses_page_is_closed(client, admin):
    """One address per account, proven by the invitation: allauth's page for adding more is not offered."""
    sign_in(client, admin.user.email)
    assert client.get("/accounts/email/")["Location"] == reverse("account_manage")


def test_authenticator_secrets_are_encrypted_at_rest(two_step_user):
    user, secret = two_step_user
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored != secret
    from trellis.accounts.adapter import MFAAdapter

    assert MFAAdapter().decrypt(stored) == secret


def test_your_account_links_to_password_and_two_step_verification(client_for, admin):
    html = page(client_for(admin).get(reverse("account_manage")))
    assert reverse("account_change_password") in html and reverse("mfa_index") in html


# --- Legal pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, heading",
    [
        ("pages:accessibility", "Accessibility statement for Trellis"),
        ("pages:privacy", "Privacy notice"),
        ("pages:cookies", "Cookies"),
    ],
)
def test_legal_pages_are_open_to_everyone(client, db, name, heading):
    html = page(client.get(reverse(name)))
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert html.count("<h1") == 1 and "style=" not in html


def test_the_cookie_page_lists_the_cookies_we_really_set(client, db):
    html = page(client.get(reverse("pages:cookies")))
    assert settings.SESSION_COOKIE_NAME in html and settings.CSRF_COOKIE_NAME in html
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60 and "8 hours" in html
    assert settings.CSRF_COOKIE_AGE >= 364 * 24 * 60 * 60 and "1 year" in html


def test_the_header_signs_out_in_one_click(client_for, admin):
    client = client_for(admin)
    html = page(client.get(reverse("account_manage")))
    assert f'<form method="post" action="{reverse("account_logout")}">' in html
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
