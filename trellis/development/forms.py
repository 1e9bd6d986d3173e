"""Parsing and validation for development plans and partnership roles. Rules that need the database
(standards the person works against, dates against the plan, someone who has left) are the actions';
their errors come back to these forms' fields."""

from itertools import groupby

from django import forms

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm

from .models import DevelopmentAction, Goal, PartnershipRole


def _date(label, help_text, required_message=None, required=True):
    field = GovukDateField(label=label, help_text=help_text, required=required)
    if required_message:
        field.error_messages["required"] = required_message
    return field


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


def _text(form, name):
    return form.cleaned_data[name].strip()


class GoalForm(VersionedForm):
    title = forms.CharField(
        label="Goal",
        max_length=300,
        help_text="What you want to be able to do, in your own words. For example, give feedback on performance "
        "that is clear, fair and kind.",
        error_messages={"required": "Enter the goal", "max_length": "Goal must be 300 characters or fewer"},
    )
    standards = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Standards this goal develops",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="From the frameworks you work against. Select all that apply.",
        error_messages={"invalid_choice": "Select standards from the list", "invalid_pk_value": "Select standards from the list"},
    )
    success = forms.CharField(
        label="How you will know you have achieved it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, my supervisees say in feedback that they know where they stand.",
    )
    target_date = _date("Target date (optional)", "For example, 31 3 2027", required=False)

    def __init__(self, *args, standards, with_status=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards
        self.fields["standards"].label_from_instance = str
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label="Status",
                choices=Goal.Status.choices,
                widget=GovukRadioSelect,
                error_messages={"required": "Select the goal's status"},
            )

    def clean_title(self):
        return _text(self, "title")

    def clean_success(self):
        return _text(self, "success")

    def clean_standards(self):
        chosen = self.cleaned_data["standards"]
        if not chosen and self.fields["standards"].queryset.exists():
            raise forms.ValidationError("Select at least one standard this goal develops")
        return chosen

    def standard_groups(self):
        """The standards' checkboxes grouped under their framework version, in the field's order (so
        the first box keeps the id the error summary links to)."""
        field = self.fields["standards"]
        versions = {standard.pk: standard.version for standard in field.queryset}
        boxes = list(self["standards"])
        return [(version, list(group)) for version, group in groupby(boxes, key=lambda box: versions.get(_pk(box.data["value"])))]

    def goal_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(goal):
        return {
            "version": goal.version,
            "title": goal.title,
            "standards": [standard.pk for standard in goal.standards.all()],
            "success": goal.success,
            "target_date": goal.target_date,
            "status": goal.status,
        }


def _pk(value):
    return getattr(value, "value", value)


class ActionForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Kind of action",
        choices=DevelopmentAction.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of action"},
    )
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you will do. For example, shadow an experienced practice supervisor in two supervision sessions.",
        error_messages={"required": "Enter the action"},
    )
    support_needed = forms.CharField(
        label="Support needed (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, study time, a place on a course, or someone to shadow.",
    )
    start_date = _date("Start date (optional)", "For example, 6 1 2027", required=False)
    due_date = _date("Date to be completed", "For example, 31 3 2027", "Enter the date it should be completed by")

    def __init__(self, *args, with_status=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_status:
            # Only when adding: afterwards the status moves with progress notes.
            self.fields["status"] = forms.ChoiceField(
                label="Status",
                choices=DevelopmentAction.Status.choices,
                widget=GovukRadioSelect,
                error_messages={"required": "Select the status"},
            )

    def clean_description(self):
        return _text(self, "description")

    def clean_support_needed(self):
        return _text(self, "support_needed")

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", f"The date to be completed must be on or after the start date, {_long_date(start)}")
        return data

    def action_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(action):
        return {
            "version": action.version,
            "kind": action.kind,
            "description": action.description,
            "support_needed": action.support_needed,
            "start_date": action.start_date,
            "due_date": action.due_date,
        }


class ProgressForm(VersionedForm):
    status = forms.ChoiceField(
        label="Status",
        choices=DevelopmentAction.Status.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    text = forms.CharField(
        label="Progress note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has happened, what you learnt, or what is in the way. Optional if you change the status.",
    )

    def __init__(self, *args, current_status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status

    def clean(self):
        data = super().clean()
        text = (data.get("text") or "").strip()
        data["text"] = text
        if data.get("status") and data["status"] == self.current_status and not text:
            self.add_error("text", "Enter a progress note, or change the status")
        return data


class ReviewForm(forms.Form):
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.TypedChoiceField(
        label="Do you agree this version of the plan?",
        choices=[("yes", "Yes, I agree it"), ("no", "Not yet: I am adding a comment")],
        coerce=lambda value: value == "yes",
        widget=GovukRadioSelect,
        error_messages={"required": "Select whether you agree the plan"},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Optional if you agree the plan. The person, their line manager and anyone they share the plan with "
        "can read it.",
    )

    def __init__(self, *args, on_behalf_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf_of is not None:
            self.fields["agree"].label = f"Did {on_behalf_of.full_name} agree this version of the plan?"
            self.fields["agree"].choices = [("yes", "Yes, they agreed it"), ("no", "Not yet: record their comment")]
            self.fields["comment"].label = "Their comment"
            self.fields[
                "comment"
            ].help_text = "Optional if they agreed it. The person and anyone they share the plan with can read it."
            self.fields["reviewed_on"] = _date(
                "Date they reviewed it",
                "The date of the supervision or meeting where they discussed it. For example, 14 11 2026",
                "Enter the date they reviewed it",
            )

    def clean_comment(self):
        return _text(self, "comment")

    def clean(self):
        data = super().clean()
        if data.get("agree") is False and not data.get("comment"):
            self.add_error("comment", "Enter a comment, or agree the plan")
        return data


class PartnershipRoleForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Kind of partnership",
        choices=PartnershipRole.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of partnership"},
    )
    body = forms.CharField(
        label="Partnership or group",
        max_length=200,
        help_text="Its name. For example, Northshire Safeguarding Adults Board: learning and development sub-group.",
        error_messages={
            "required": "Enter the name of the partnership or group",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    role = forms.CharField(
        label="Your role in it",
        max_length=150,
        help_text="For example, member, vice-chair, or lead for practice audits.",
        error_messages={"required": "Enter the role", "max_length": "Role must be 150 characters or fewer"},
    )
    start_date = _date("Start date", "For example, 1 9 2026", "Enter the start date")
    end_date = _date("End date (optional)", "Leave blank if the role is continuing. For example, 31 8 2027", required=False)
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what you contribute, or what you are learning from it.",
    )

    def __init__(self, *args, whose="Your", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].label = f"{whose} role in it"

    def clean_body(self):
        return _text(self, "body")

    def clean_role(self):
        return _text(self, "role")

    def clean_notes(self):
        return _text(self, "notes")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", f"The end date must be on or after the start date, {_long_date(start)}")
        return data

    def partnership_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(partnership):
        return {
            "version": partnership.version,
            "kind": partnership.kind,
            "body": partnership.body,
            "role": partnership.role,
            "start_date": partnership.start_date,
            "end_date": partnership.end_date,
            "notes": partnership.notes,
        }


class CoverageFilterForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(str(pk), name) for pk, name in teams], ("none", "No team")]

    def chosen_team(self):
        return self.cleaned_data.get("team") if self.is_valid() else ""
