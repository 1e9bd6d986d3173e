"""Parsing and validation for the first 12 months. Rules that need the database (one open first 12
months per person, someone who has left, dates inside the 12 months) are the actions'; their errors
come back to these forms' fields."""

from django import forms

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm, staff_label
from trellis.workforce.models import Service

from .models import FirstYear, Owner

CASE_DETAIL_WARNING = "Never record case detail: no names or details of the children, families or adults your team works with."


def _date(label, help_text, required_message):
    field = GovukDateField(label=label, help_text=help_text)
    field.error_messages["required"] = required_message
    return field


def _text(label, help_text="", required_message=None, rows=3):
    return forms.CharField(
        label=label,
        required=required_message is not None,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": required_message} if required_message else {},
    )


def _strip(form, name):
    return (form.cleaned_data.get(name) or "").strip()


class OwnerFields(forms.Form):
    """The owner of an item: the new supervisor, their line manager, or someone named. Without
    JavaScript there is no conditional reveal, so the named person is a separate question that only
    counts, and is only required, when "Someone named" is chosen."""

    owner_kind = forms.ChoiceField(
        label="Owner",
        choices=Owner.choices,
        widget=GovukRadioSelect,
        help_text="Who makes sure it happens.",
        error_messages={"required": "Select who owns this item"},
    )
    owner = forms.ModelChoiceField(
        queryset=None,
        label="Named owner (if someone named)",
        required=False,
        empty_label="Select a person",
        help_text="For example, the team's finance officer or the Principal Social Worker.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = staff_label

    def clean(self):
        data = super().clean()
        if data.get("owner_kind") == Owner.NAMED and data.get("owner") is None and "owner" not in self.errors:
            self.add_error("owner", "Select the person who owns this item")
        if data.get("owner_kind") in (Owner.SUPERVISOR, Owner.LINE_MANAGER):
            data["owner"] = None
        return data


# --- The template --------------------------------------------------------------------------------------


class TemplateItemForm(VersionedForm, OwnerFields):
    title = forms.CharField(
        label="Item",
        max_length=200,
        help_text="What the new supervisor should do or be introduced to. For example, Introduction to the data analysts.",
        error_messages={"required": "Enter the item", "max_length": "Item must be 200 characters or fewer"},
    )
    due_within = forms.IntegerField(
        label="Due within",
        min_value=0,
        max_value=365,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}),
        help_text="A number of days or weeks after they start as a practice supervisor. 0 means on their first day.",
        error_messages={
            "required": "Enter how soon it is due",
            "invalid": "Due within must be a whole number, like 2",
            "min_value": "Due within must be 0 or more",
            "max_value": "Due within must be 365 days or fewer: in their first 12 months",
        },
    )
    due_unit = forms.ChoiceField(
        label="Days or weeks",
        choices=[("weeks", "Weeks"), ("days", "Days")],
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select days or weeks"},
    )
    guidance = _text("Guidance (optional)", "What it involves, who to contact, or what to read first.")

    field_order = ["version", "title", "due_within", "due_unit", "owner_kind", "owner", "guidance"]

    def clean(self):
        data = super().clean()
        number, unit = data.get("due_within"), data.get("due_unit")
        if number is not None and unit:
            if unit == "weeks" and number > 52:
                self.add_error("due_within", "Due within must be 52 weeks or fewer: in their first 12 months")
            else:
                data["due_after_days"] = number * 7 if unit == "weeks" else number
        return data

    def item_fields(self):
        return {
            "title": _strip(self, "title"),
            "guidance": _strip(self, "guidance"),
            "due_after_days": self.cleaned_data["due_after_days"],
            "owner_kind": self.cleaned_data["owner_kind"],
            "owner": self.cleaned_data["owner"],
        }

    @staticmethod
    def initial_for(item):
        weeks = item.due_after_days % 7 == 0 and item.due_after_days > 0
        return {
            "version": item.version,
            "title": item.title,
            "due_within": item.due_after_days // 7 if weeks else item.due_after_days,
            "due_unit": "weeks" if weeks else "days",
            "owner_kind": item.owner_kind,
            "owner": item.owner_id,
            "guidance": item.guidance,
        }


# --- Opening and closing --------------------------------------------------------------------------------


class OpenFirstYearForm(forms.Form):
    staff = forms.ModelChoiceField(
        queryset=None,
        label="Person",
        empty_label="Select a person",
        help_text="Someone in your workforce register who is still in post.",
        error_messages={"required": "Select the person whose first 12 months you are opening"},
    )
    start_date = _date(
        "Date they started as a practice supervisor",
        "Their checklist's due dates and check-ins count from this date. For example, 5 1 2027",
        "Enter the date they started as a practice supervisor",
    )
    route = forms.ChoiceField(
        label="How did they come to the role?",
        choices=FirstYear.Route.choices,
        widget=GovukRadioSelect,
        help_text="Everyone gets the same induction. Internal promotion is not an easier transition.",
        error_messages={"required": "Select how they came to the role"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people
        self.fields["staff"].label_from_instance = staff_label


class CloseFirstYearForm(VersionedForm):
    closing_reason = forms.ChoiceField(
        label="Why is it closing?",
        choices=[
            (value, label) for value, label in FirstYear.ClosingReason.choices if value != FirstYear.ClosingReason.COMPLETED
        ],
        widget=GovukRadioSelect,
        error_messages={"required": "Select why it is closing"},
    )
    closing_note = _text("Note", "Needed if you chose Other. For example, what was agreed, and with whom.")

    def clean(self):
        data = super().clean()
        data["closing_note"] = _strip(self, "closing_note")
        if data.get("closing_reason") == FirstYear.ClosingReason.OTHER and not data["closing_note"]:
            self.add_error("closing_note", "Enter why it is closing")
        return data


# --- The checklist --------------------------------------------------------------------------------------


class ItemForm(VersionedForm, OwnerFields):
    """An item on one person's checklist: added for them, or changed."""

    title = forms.CharField(
        label="Item",
        max_length=200,
        help_text="For example, Meet the head of service.",
        error_messages={"required": "Enter the item", "max_length": "Item must be 200 characters or fewer"},
    )
    due_on = _date("Due by", "A date in their first 12 months. For example, 15 1 2027", "Enter the date it is due by")
    guidance = _text("Guidance (optional)", "What it involves, who to contact, or what to read first.")

    field_order = ["version", "title", "due_on", "owner_kind", "owner", "guidance"]

    def item_fields(self):
        return {
            "title": _strip(self, "title"),
            "guidance": _strip(self, "guidance"),
            "due_on": self.cleaned_data["due_on"],
            "owner_kind": self.cleaned_data["owner_kind"],
            "owner": self.cleaned_data["owner"],
        }

    @staticmethod
    def initial_for(item):
        return {
            "version": item.version,
            "title": item.title,
            "due_on": item.due_on,
            "owner_kind": item.owner_kind,
            "owner": item.owner_id,
            "guidance": item.guidance,
        }


class CompleteItemForm(VersionedForm):
    completed_on = _date("Date done", "For example, 18 11 2026", "Enter the date it was done")
    completion_note = _text("Note (optional)", f"For example, who you met and what you agreed. {CASE_DETAIL_WARNING}", rows=3)

    def clean_completion_note(self):
        return _strip(self, "completion_note")


# --- Check-ins ------------------------------------------------------------------------------------------


class CheckInForm(VersionedForm):
    held_on = _date("Date held", "For example, 2 12 2026", "Enter the date the check-in was held")
    held_with = forms.ModelChoiceField(
        queryset=None,
        label="Held with",
        empty_label="Select a person",
        help_text="Usually their line manager.",
        error_messages={"required": "Select who the check-in was with"},
    )
    notes = _text(
        "Notes (optional)",
        f"How the first months are going, what support they need, and what was agreed. {CASE_DETAIL_WARNING}",
        rows=6,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_with"].queryset = people
        self.fields["held_with"].label_from_instance = staff_label

    def clean_notes(self):
        return _strip(self, "notes")

    def check_in_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(check_in):
        return {
            "version": check_in.version,
            "held_on": check_in.held_on,
            "held_with": check_in.held_with_id or check_in.first_year.staff.line_manager_id,
            "notes": check_in.notes,
        }


# --- Filters --------------------------------------------------------------------------------------------

STATUS_CHOICES = [("open", "In their first 12 months"), ("closed", "Closed"), ("all", "All")]


class ListFilterForm(forms.Form):
    """The list's filters. Invalid values are ignored rather than shown as errors."""

    status = forms.ChoiceField(label="Show", required=False, choices=STATUS_CHOICES)
    service = forms.ChoiceField(label="Service", required=False, choices=[("", "Both services"), *Service.choices])
    team = forms.ChoiceField(label="Team", required=False)
    overdue = forms.BooleanField(label="Only people with something overdue", required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(str(pk), name) for pk, name in teams]]

    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}
