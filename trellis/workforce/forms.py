from decimal import Decimal

from django import forms
from django.db.models import F

from trellis.govuk.forms import GovukDateField, GovukRadioSelect

from .models import Service, StaffRecord, StageHistory


def staff_label(staff):
    """Names repeat in a large workforce; the employee reference tells two people apart."""
    return f"{staff.full_name} ({staff.employee_ref})"


class VersionedForm(forms.Form):
    """Carries the version the person started editing from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StaffRecordForm(VersionedForm):
    full_name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter their full name"})
    employee_ref = forms.CharField(
        label="Employee reference",
        max_length=50,
        help_text="The reference your HR system uses. It must be unique in your organisation.",
        error_messages={"required": "Enter their employee reference"},
    )
    work_email = forms.EmailField(
        label="Work email (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.gov.uk"},
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)
    team = forms.ModelChoiceField(queryset=None, label="Team (optional)", required=False, empty_label="No team")
    service = forms.ChoiceField(
        label="Service",
        choices=Service.choices,
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select adults or children"},
    )
    line_manager = forms.ModelChoiceField(
        queryset=None, label="Line manager (optional)", required=False, empty_label="No line manager"
    )
    fte = forms.DecimalField(
        label="FTE",
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("1"),
        help_text="Full-time equivalent, from 0.01 to 1.00. For example, 0.6 for three days a week.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter their FTE",
            "invalid": "FTE must be a number, like 0.6",
            "min_value": "FTE must be 0.01 or more",
            "max_value": "FTE must be 1.00 or less",
            "max_decimal_places": "FTE must have no more than 2 decimal places",
            "max_digits": "FTE must be 1.00 or less",
            "max_whole_digits": "FTE must be 1.00 or less",
        },
    )
    employment_type = forms.ChoiceField(
        label="Employment type",
        choices=StaffRecord.EmploymentType.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select their employment type"},
    )
    start_date = GovukDateField(label="Start date", help_text="When they started with your organisation. For example, 3 9 2021")
    membership = forms.ModelChoiceField(
        queryset=None,
        label="Trellis login (optional)",
        required=False,
        empty_label="No login",
        help_text="If this person signs in to Trellis, link their record to their account.",
    )

    def __init__(self, *args, teams, managers, memberships, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].error_messages["required"] = "Enter their start date"
        self.fields["team"].queryset = teams
        self.fields["line_manager"].queryset = managers
        self.fields["line_manager"].label_from_instance = staff_label
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: f"{m.user.full_name} ({m.user.email})"
        if stages is not None:
            # Only when adding someone: their first career stage. Later changes go through "Change career stage".
            self.fields["career_stage"] = forms.ModelChoiceField(
                queryset=stages,
                label="Career stage",
                empty_label="Select a career stage",
                error_messages={"required": "Select their career stage"},
            )

    def clean_full_name(self):
        return self.cleaned_data["full_name"].strip()

    def clean_employee_ref(self):
        return self.cleaned_data["employee_ref"].strip()

    def staff_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_for(staff):
        return {
            "version": staff.version,
            "full_name": staff.full_name,
            "employee_ref": staff.employee_ref,
            "work_email": staff.work_email,
            "job_title": staff.job_title,
            "team": staff.team_id,
            "service": staff.service,
            "line_manager": staff.line_manager_id,
            "fte": staff.fte,
            "employment_type": staff.employment_type,
            "start_date": staff.start_date,
            "membership": staff.membership_id,
        }


class StageChangeForm(forms.Form):
    stage = forms.ModelChoiceField(
        queryset=None,
        label="New career stage",
        empty_label="Select a career stage",
        error_messages={"required": "Select the new career stage"},
    )
    start_date = GovukDateField(label="From", help_text="The date the change took effect. For example, 1 4 2026")
    kind = forms.ChoiceField(
        label="Kind of change",
        choices=[c for c in StageHistory.Kind.choices if c[0] != StageHistory.Kind.APPOINTMENT],
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of change"},
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].error_messages["required"] = "Enter the date the change took effect"
        self.fields["stage"].queryset = stages


class LeavingForm(VersionedForm):
    leaving_date = GovukDateField(label="Leaving date", help_text="Their last day. For example, 31 3 2027")
    leaving_reason = forms.ChoiceField(
        label="Reason for leaving",
        choices=StaffRecord.LeavingReason.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the reason for leaving"},
    )

    def __init__(self, *args, start_date, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_date = start_date
        self.fields["leaving_date"].error_messages["required"] = "Enter their leaving date"

    def clean_leaving_date(self):
        leaving_date = self.cleaned_data["leaving_date"]
        if leaving_date and leaving_date < self.start_date:
            raise forms.ValidationError(
                f"Leaving date must be on or after their start date, {self.start_date.day} {self.start_date:%B %Y}"
            )
        return leaving_date


class TeamForm(VersionedForm):
    name = forms.CharField(label="Team name", max_length=150, error_messages={"required": "Enter the team's name"})
    service = forms.ChoiceField(
        label="Service",
        choices=Service.choices,
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select adults or children"},
    )
    manager = forms.ModelChoiceField(queryset=None, label="Team manager (optional)", required=False, empty_label="No manager yet")
    establishment_fte = forms.DecimalField(
        label="Funded posts, in FTE (optional)",
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text="How many full-time equivalent posts the team is funded for, filled or not. For example, 8.5. Used for the vacancy rate.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "Funded posts must be a number, like 8.5",
            "min_value": "Funded posts must be 0 or more",
            "max_decimal_places": "Funded posts must have no more than 2 decimal places",
            "max_digits": "Funded posts must be less than 10,000",
            "max_whole_digits": "Funded posts must be less than 10,000",
        },
    )

    def __init__(self, *args, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers
        self.fields["manager"].label_from_instance = staff_label

    def clean_name(self):
        return self.cleaned_data["name"].strip()


STATUS_CHOICES = [("current", "Current staff"), ("left", "Staff who have left"), ("all", "Everyone")]


class StaffFilterForm(forms.Form):
    """The staff list's filters. Invalid values are ignored rather than shown as errors."""

    team = forms.ChoiceField(label="Team", required=False)
    service = forms.ChoiceField(label="Service", required=False, choices=[("", "Both services"), *Service.choices])
    stage = forms.ChoiceField(label="Career stage", required=False)
    status = forms.ChoiceField(label="Show", required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, teams, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(str(pk), name) for pk, name in teams]]
        self.fields["stage"].choices = [("", "All stages"), *[(str(pk), name) for pk, name in stages]]

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


SUPERVISOR_SORTS = {
    "name": (F("full_name").asc(),),
    "-time": (F("supervisory_since").asc(nulls_last=True), F("full_name").asc()),
    "time": (F("supervisory_since").desc(nulls_last=True), F("full_name").asc()),
    "-supervisees": (F("supervisees_count").desc(), F("full_name").asc()),
}


class SupervisorFilterForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    service = forms.ChoiceField(label="Service", required=False, choices=[("", "Both services"), *Service.choices])
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("name", "Name"),
            ("-time", "Time in role, longest first"),
            ("time", "Time in role, shortest first"),
            ("-supervisees", "Number of supervisees, most first"),
        ],
    )
    first_year = forms.BooleanField(label="Only supervisors in their first 12 months", required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(str(pk), name) for pk, name in teams]]

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if k != "sort" and v}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file exported from your HR system, with a header row. Up to 5 MB.",
        error_messages={"required": "Select a CSV or Excel file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        from .importer import MAX_BYTES, ImportFileError, read_table

        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        try:
            self.table = read_table(upload.read(), upload.name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ImportMappingForm(forms.Form):
    """One select per staff-record field: which of the file's columns holds it."""

    def __init__(self, *args, headers, **kwargs):
        from .importer import FIELDS

        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *[(h, h) for h in headers]]
        for name, label, required, _synonyms in FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=label if required else f"{label} (optional)",
                choices=choices,
                required=required,
                error_messages={"required": f"Select the column that holds {label.lower()}"},
            )
        self.fields[
            "career_stage"
        ].help_text = "Used only for people new to Trellis: it opens their career stage from their start date."
        self.fields["line_manager_ref"].help_text = "The line manager's employee reference, not their name."

    def clean(self):
        data = super().clean()
        seen = {}
        for name, header in list(data.items()):
            if not header:
                continue
            if header in seen:
                self.add_error(name, f"The column ‘{header}’ is already chosen for {self.fields[seen[header]].label.lower()}")
            else:
                seen[header] = name
        return data

    def mapping(self):
        return {name: header for name, header in self.cleaned_data.items() if header}


class ImportApplyForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label="Skip the invalid rows and import the others",
        required=False,
        help_text="If you leave this unticked, nothing is imported while any row is invalid.",
    )


class EqualityForm(VersionedForm):
    """One radio group per question. "Not recorded" is blank: nobody has asked, which differs from
    "Prefer not to say", an answer."""

    def __init__(self, *args, **kwargs):
        from .models import EqualityRecord

        super().__init__(*args, **kwargs)
        for name, label in EqualityRecord.CHARACTERISTICS:
            field = EqualityRecord._meta.get_field(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[*field.choices, ("", "Not recorded")],
                required=False,
                widget=GovukRadioSelect,
                help_text=field.help_text,
            )

    def answers(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @staticmethod
    def initial_for(record):
        from .models import EqualityRecord

        if record is None:
            return {}
        return {"version": record.version, **{name: getattr(record, name) for name, _ in EqualityRecord.CHARACTERISTICS}}


class CareerStageForm(VersionedForm):
    name = forms.CharField(label="Name of the stage", max_length=100, error_messages={"required": "Enter the name of the stage"})
    is_supervisory = forms.BooleanField(
        label="People at this stage supervise other social workers",
        required=False,
        help_text="Supervisory stages count towards the supervisors register and time in role.",
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()
