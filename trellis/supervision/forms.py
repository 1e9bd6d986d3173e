"""Parsing and validation for a supervisor's own supervision."""

from django import forms

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm, staff_label

from .models import PROMPTS, SupervisionAgreement, SupervisionSession

NO_CASE_DETAIL = "Do not include case details or anything that could identify a child, family, adult or colleague."


def _date(label, help_text, required_message):
    field = GovukDateField(label=label, help_text=help_text)
    field.error_messages["required"] = required_message
    return field


def _number(label, help_text, required_message, invalid, max_value, too_big, width="govuk-input--width-4"):
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=1,
        max_value=max_value,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": width, "spellcheck": "false"}),
        error_messages={
            "required": required_message,
            "invalid": invalid,
            "min_value": f"{label.split(' (')[0]} must be 1 or more",
            "max_value": too_big,
        },
    )


class AgreementForm(VersionedForm):
    supervisor = forms.ModelChoiceField(
        queryset=None,
        label="Supervised by",
        empty_label="Select a person",
        help_text="Usually their line manager.",
        error_messages={"required": "Select who supervises them"},
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=SupervisionAgreement.Frequency.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select how often supervision happens"},
    )
    other_weeks = _number(
        "Weeks between sessions (if other)",
        "Only if you chose other. For example, 3.",
        "",
        "Weeks between sessions must be a whole number, like 3",
        26,
        "Weeks between sessions must be 26 or fewer",
        width="govuk-input--width-2",
    )
    length_minutes = _number(
        "Expected length in minutes",
        "For example, 90 for an hour and a half.",
        "Enter how long each session is expected to last, in minutes",
        "Expected length must be a whole number of minutes, like 90",
        480,
        "Expected length must be 480 minutes (8 hours) or less",
    )
    starts_on = _date("Start date", "For example, 1 9 2026", "Enter the date the agreement starts")
    review_on = _date(
        "Review date", "When you will look at the agreement again together. For example, 1 9 2027", "Enter the review date"
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, where you meet, what happens if a session is cancelled, how you will prepare.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = people
        self.fields["supervisor"].label_from_instance = staff_label
        self.fields["other_weeks"].required = False

    def clean_notes(self):
        return self.cleaned_data["notes"].strip()

    def clean(self):
        data = super().clean()
        if (
            data.get("frequency") == SupervisionAgreement.Frequency.OTHER
            and not data.get("other_weeks")
            and "other_weeks" not in self.errors
        ):
            self.add_error("other_weeks", "Enter the number of weeks between sessions")
        start, review = data.get("starts_on"), data.get("review_on")
        if start and review and review < start:
            self.add_error("review_on", f"Review date must be on or after the start date, {start.day} {start:%B %Y}")
        return data

    def agreement_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(agreement):
        return {
            "version": agreement.version,
            "supervisor": agreement.supervisor_id,
            "frequency": agreement.frequency,
            "other_weeks": agreement.other_weeks,
            "length_minutes": agreement.length_minutes,
            "starts_on": agreement.starts_on,
            "review_on": agreement.review_on,
            "notes": agreement.notes,
        }


class SessionForm(VersionedForm):
    held_on = _date("Date", "For example, 14 3 2027", "Enter the date of the session")
    supervisor = forms.ModelChoiceField(
        queryset=None,
        label="Supervised by",
        empty_label="Select a person",
        error_messages={"required": "Select who held the session"},
    )
    length_minutes = _number(
        "Length in minutes",
        "For example, 90.",
        "Enter how long the session was, in minutes",
        "Length must be a whole number of minutes, like 90",
        480,
        "Length must be 480 minutes (8 hours) or less",
    )
    format = forms.ChoiceField(
        label="Individual or group",
        choices=SupervisionSession.Format.choices,
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select individual or group"},
    )
    themes = forms.CharField(
        label="Themes",
        max_length=200,
        help_text="In a few words. For example, workload of a new team; preparing for a difficult performance conversation. "
        + NO_CASE_DETAIL,
        error_messages={"required": "Enter the themes in a few words", "max_length": "Themes must be 200 characters or fewer"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = people
        self.fields["supervisor"].label_from_instance = staff_label
        for name, label, hint in PROMPTS:
            self.fields[name] = forms.BooleanField(label=label, required=False, help_text=hint)
            self.fields[f"{name}_note"] = forms.CharField(
                label=f"Reflection on {label.lower()} (optional)",
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="A sentence or two, without case details.",
                error_messages={"max_length": "The reflection must be 500 characters or fewer"},
            )

    def prompt_rows(self):
        """[(label, tick field, reflection field)] for the template's fieldset."""
        return [(label, self[name], self[f"{name}_note"]) for name, label, _hint in PROMPTS]

    def clean_themes(self):
        return self.cleaned_data["themes"].strip()

    def clean(self):
        data = super().clean()
        for name, label, _hint in PROMPTS:
            note = (data.get(f"{name}_note") or "").strip()
            data[f"{name}_note"] = note
            if note and not data.get(name):
                self.add_error(f"{name}_note", f"Tick {label.lower()} if you talked about it, or clear the reflection")
        return data

    def session_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(session):
        initial = {
            "version": session.version,
            "held_on": session.held_on,
            "supervisor": session.supervisor_id,
            "length_minutes": session.length_minutes,
            "format": session.format,
            "themes": session.themes,
        }
        for name, _label, _hint in PROMPTS:
            initial[name] = getattr(session, name)
            initial[f"{name}_note"] = getattr(session, f"{name}_note")
        return initial
