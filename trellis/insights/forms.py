from django import forms
from django.utils import timezone

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.pathway.forms import VersionedForm
from trellis.workforce.models import Service

from .models import MeetingAction

SERVICE_CHOICES = [("", "Adults and children"), *Service.choices]
EARLIEST = 1990  # an HR register has nothing useful before this; a typo like 0226 is caught here


def _not_in_future(day, label):
    if day and day > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")
    if day and day.year < EARLIEST:
        raise forms.ValidationError(f"{label} must be {EARLIEST} or later")
    return day


class WindowForm(forms.Form):
    """The dashboard's window and service, read from the query string so a view can be bookmarked."""

    window_end = GovukDateField(
        label="Figures for the 12 months up to",
        required=False,
        help_text="Leave blank for today. For example, 30 9 2026 for the year the DfE census uses.",
    )
    service = forms.ChoiceField(label="Service", choices=SERVICE_CHOICES, required=False, widget=GovukRadioSelect(inline=True))

    def clean_window_end(self):
        return _not_in_future(self.cleaned_data["window_end"], "The end of the 12 months")


class MeetingForm(forms.Form):
    held_on = GovukDateField(label="Date of the meeting", error_messages={"required": "Enter the date of the meeting"})
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title for the meeting"})
    window_end = GovukDateField(
        label="Figures for the 12 months up to",
        help_text="The meeting keeps a copy of the figures for these 12 months, as they are now.",
        error_messages={"required": "Enter the end of the 12 months the meeting looked at"},
    )
    service = forms.ChoiceField(label="Service", choices=SERVICE_CHOICES, required=False, widget=GovukRadioSelect(inline=True))
    attendees = forms.CharField(
        label="Attendees (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names and roles, one to a line.",
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def clean_window_end(self):
        return _not_in_future(self.cleaned_data["window_end"], "The end of the 12 months")

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class MeetingEditForm(VersionedForm):
    held_on = MeetingForm.base_fields["held_on"]
    title = MeetingForm.base_fields["title"]
    attendees = MeetingForm.base_fields["attendees"]
    notes = MeetingForm.base_fields["notes"]

    @staticmethod
    def initial_for(meeting):
        return {name: getattr(meeting, name) for name in ("held_on", "title", "attendees", "notes", "version")}


class MeetingActionForm(VersionedForm):
    """The pathway's action-plan columns: Action(s), Support needed, Owner, Date to be completed, Status."""

    description = forms.CharField(
        label="Action(s)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action(s)"},
        help_text="What will be done. Keep it specific enough that you will know when it is complete.",
    )
    support_needed = forms.CharField(label="Support needed", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner_member = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        empty_label="Choose an owner",
        help_text="A member of the organisation.",
        error_messages={"required": "Select who owns this action"},
    )
    due_date = GovukDateField(label="Date to be completed", required=False, help_text="For example, 27 3 2027")
    status = forms.ChoiceField(label="Status", choices=MeetingAction.Status.choices, widget=GovukRadioSelect)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_member"].queryset = members
        self.fields["owner_member"].label_from_instance = lambda m: m.user.full_name

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def action_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(action):
        return {
            "version": action.version,
            "description": action.description,
            "support_needed": action.support_needed,
            "owner_member": action.owner_member_id,
            "due_date": action.due_date,
            "status": action.status,
        }


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=MeetingAction.Status.choices)
