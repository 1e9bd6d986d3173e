import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    # GOV.UK style: say what to do, not what went wrong.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter the email address and password for your Trellis account",
        "enter_current_password": "Enter your current password",
        "incorrect_password": "Your current password is not correct",
        "invalid_password_reset": "This password reset link has expired or has been used. Ask for a new one.",
        "too_many_login_attempts": "You have tried to sign in too many times. Wait 5 minutes, then try again.",
        "rate_limited": "You have tried too many times. Wait a few minutes, then try again.",
        "same_as_current": "Enter a password different from your current one",
    }

    def is_open_for_signup(self, request):
        # People join an organisation by invitation only (tenancy.actions.accept_invitation).
        return False


class MFAAdapter(DefaultMFAAdapter):
    """Keeps authenticator-app secrets encrypted at rest (allauth stores them as given by default)."""

    error_messages = {**DefaultMFAAdapter.error_messages, "incorrect_code": "Enter the 6-digit code from your authenticator app"}

    @staticmethod
    def _fernet():
        # Derived from SECRET_KEY: rotating the key means people set up their authenticator again.
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()))

    def encrypt(self, text):
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text):
        return self._fernet().decrypt(encrypted_text.encode()).decode()
