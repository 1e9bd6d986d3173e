from django import forms
from django.contrib.auth import password_validation

from .models import ROLE_HINTS, Role


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Role.choices)
        kwargs.setdefault("label", "Roles")
        kwargs.setdefault(
            "help_text", "Select all that apply. " + " ".join(f"{Role(r).label}: {h}" for r, h in list(ROLE_HINTS.items())[:2])
        )
        kwargs.setdefault("error_messages", {"required": "Select at least one role"})
        super().__init__(**kwargs)


class InvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter their full name"})
    email = forms.EmailField(
        label="Work email address",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    roles = RolesField()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class RolesForm(forms.Form):
    roles = RolesField()
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)


class AcceptInvitationForm(forms.Form):
    """For someone new to Trellis: choose a password to finish joining."""

    full_name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter your full name"})
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Avoid common passwords.",
        error_messages={"required": "Enter a password"},
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        from trellis.accounts.models import User

        password = self.cleaned_data["password"]
        password_validation.validate_password(password, User(email=self.email, full_name=self.data.get("full_name", "")))
        return password
