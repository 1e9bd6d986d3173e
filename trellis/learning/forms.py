"""Parsing and validation for training. Rules that need the database (a full session, a double
booking, fewer places than people booked) are the actions'; their errors come back to these forms."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.utils import timezone

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm, staff_label

from .models import Booking, Course, TrainingSession, clock, long_date


def _date(label, help_text, required_message, required=True):
    field = GovukDateField(label=label, help_text=help_text, required=required)
    field.error_messages["required"] = required_message
    return field


def _hours(label, help_text, what):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("999"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": "Hours must be a number, like 3 or 1.5",
            "min_value": "Hours must be 0.5 or more",
            "max_value": "Hours must be 999 or fewer",
            "max_decimal_places": "Hours must be in whole or half hours, like 1.5",
            "max_digits": "Hours must be 999 or fewer",
            "max_whole_digits": "Hours must be 999 or fewer",
        },
    )


TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def parse_time(text):
    """The times people type ('9:30am', '9.30 am', '2pm', '14:00', 'midday') as a time; None if it is
    not one. A bare hour ('9') is refused: it could be morning or evening."""
    text = text.strip().lower()
    if text in ("midday", "noon", "12 noon"):
        return datetime.time(12, 0)
    match = TIME.match(text)
    if match is None:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").replace(".", "")
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None or hour > 23:
        return None
    return datetime.time(hour, minute)


class GovukTimeField(forms.CharField):
    """GOV.UK has no time input component; a short text box with an example is what services use."""

    def __init__(self, *, what, **kwargs):
        kwargs.setdefault("help_text", "For example, 9:30am or 14:00")
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter the {what}"

    def prepare_value(self, value):
        return clock(value) if isinstance(value, datetime.time) else value

    def to_python(self, value):
        if isinstance(value, datetime.time):
            return value
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        parsed = parse_time(value)
        if parsed is None:
            raise forms.ValidationError(f"Enter the {self.what} as a time, like 9:30am or 14:00", code="invalid")
        return parsed


# --- Courses ----------------------------------------------------------------------------------------


def standard_label(standard):
    return f"{standard.number}. {standard.title}"


class CourseForm(VersionedForm):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the course title"})
    summary = forms.CharField(
        label="What it covers",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What people will learn and do, in words a practice supervisor would use.",
        error_messages={"required": "Enter what the course covers"},
    )
    audience = forms.CharField(
        label="Who it is for",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, new practice supervisors in their first six months.",
        error_messages={"required": "Enter who the course is for"},
    )
    provider = forms.CharField(
        label="Provider",
        max_length=200,
        help_text="Who runs it. For example, the workforce development team, HR or an external trainer.",
        error_messages={"required": "Enter who provides the course"},
    )
    hours = _hours(
        "Length in hours", "For example, 3 for a half day, 6 for a full day, or 12 for two days.", "the length in hours"
    )
    is_core = forms.BooleanField(
        label="Core training for practice supervisors",
        required=False,
        help_text="Every practice supervisor is expected to complete it. The completion view counts who has.",
    )
    standards = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Standards it develops (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the frameworks your organisation works against. Select all that apply.",
    )

    def __init__(self, *args, standards, editing=False, **kwargs):
        """`standards`: Standard rows to offer, with version__framework selected."""
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards
        self.fields["standards"].label_from_instance = standard_label
        self._framework_of = {str(s.pk): str(s.version) for s in standards}
        if editing:
            self.fields["status"] = forms.ChoiceField(
                label="Is it offered?",
                choices=Course.Status.choices,
                widget=GovukRadioSelect(inline=True),
                help_text="A retired course stays in people's training records but cannot be booked.",
                error_messages={"required": "Select offered or retired"},
            )

    def standard_groups(self):
        """[(framework version, [checkbox option, ...])], for the standards grouped by framework."""
        groups = {}
        for option in self["standards"]:
            groups.setdefault(self._framework_of.get(str(option.data["value"]), ""), []).append(option)
        return list(groups.items())

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_summary(self):
        return self.cleaned_data["summary"].strip()

    def clean_audience(self):
        return self.cleaned_data["audience"].strip()

    def course_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "standards")}

    @staticmethod
    def initial_for(course):
        return {
            "version": course.version,
            "title": course.title,
            "summary": course.summary,
            "audience": course.audience,
            "provider": course.provider,
            "hours": course.hours,
            "is_core": course.is_core,
            "standards": [s.pk for s in course.standards.all()],
            "status": course.status,
        }


# --- Sessions -----------------------------------------------------------------------------------------


class SessionForm(VersionedForm):
    date = _date("Date", "The first day, if it runs over more than one. For example, 12 3 2027", "Enter the date of the session")
    end_date = _date(
        "Last day (optional)",
        "Only for a session over more than one day, at the same times each day.",
        "Enter the last day",
        required=False,
    )
    start_time = GovukTimeField(label="Start time", what="start time")
    end_time = GovukTimeField(label="End time", what="end time")
    mode = forms.ChoiceField(
        label="In person or online",
        choices=TrainingSession.Mode.choices,
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select in person or online"},
    )
    location = forms.CharField(
        label="Where",
        max_length=300,
        required=False,
        help_text="The building and room. For an online session, how people join, for example ‘Teams link sent the week before’.",
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=500,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        help_text="When they are all taken, people can join a waiting list.",
        error_messages={
            "required": "Enter how many places there are",
            "invalid": "Places must be a whole number, like 12",
            "min_value": "There must be at least 1 place",
            "max_value": "Places must be 500 or fewer",
        },
    )
    facilitator = forms.CharField(
        label="Facilitator (optional)", max_length=200, required=False, help_text="Who runs it, if you know."
    )
    notes = forms.CharField(
        label="Notes for people booking (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what to read or bring, parking, or step-free access to the room.",
    )

    def clean_location(self):
        return self.cleaned_data["location"].strip()

    def clean(self):
        data = super().clean()
        date, end_date = data.get("date"), data.get("end_date")
        if date and end_date and end_date <= date:
            self.add_error("end_date", f"The last day must be after the first day, {long_date(date)}")
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", f"The end time must be after the start time, {clock(start)}")
        if data.get("mode") == TrainingSession.Mode.IN_PERSON and not data.get("location"):
            self.add_error("location", "Enter where the session takes place")
        return data

    def session_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(session):
        return {"version": session.version, **{name: getattr(session, name) for name in SESSION_INITIAL}}


SESSION_INITIAL = ("date", "end_date", "start_time", "end_time", "mode", "location", "capacity", "facilitator", "notes")


class CancelSessionForm(VersionedForm):
    reason = forms.CharField(
        label="Why is it cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="People who were booked see this on their training record.",
        error_messages={"required": "Enter why the session is cancelled"},
    )


class BookSomeoneForm(forms.Form):
    staff = forms.ModelChoiceField(
        queryset=None,
        label="Person",
        empty_label="Select a person",
        help_text="Someone in your workforce register who is still in post.",
        error_messages={"required": "Select the person to book", "invalid_choice": "Select the person to book"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people
        self.fields["staff"].label_from_instance = staff_label


# --- The attendance register -----------------------------------------------------------------------------

ATTENDANCE_CHOICES = [*Booking.Attendance.choices, ("", "Not recorded")]


class RegisterForm(forms.Form):
    """One row per person: attended or not, and completed. Each row carries the version it showed, so
    two admins marking the same register cannot silently overwrite each other."""

    completed_on = _date(
        "Completion date",
        "For people you mark as completed now. People already marked keep their date. For example, 12 3 2027",
        "Enter the date they completed the course",
        required=False,
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        for booking in bookings:
            name = booking.staff.full_name
            self.fields[f"attendance_{booking.pk}"] = forms.ChoiceField(
                label=f"Attendance: {name}",
                choices=ATTENDANCE_CHOICES,
                required=False,
                widget=GovukRadioSelect(inline=True),
            )
            self.fields[f"completed_{booking.pk}"] = forms.BooleanField(label=f"Completed: {name}", required=False)
            self.fields[f"version_{booking.pk}"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.order_fields([name for name in self.fields if name != "completed_on"] + ["completed_on"])

    @staticmethod
    def initial_for(session, bookings):
        initial = {"completed_on": min(session.last_day, timezone.localdate())}
        for booking in bookings:
            initial[f"attendance_{booking.pk}"] = booking.attendance
            initial[f"completed_{booking.pk}"] = booking.completed_on is not None
            initial[f"version_{booking.pk}"] = booking.version
        return initial

    def rows(self):
        return [
            {
                "booking": booking,
                "attendance": self[f"attendance_{booking.pk}"],
                "completed": self[f"completed_{booking.pk}"],
                "version": self[f"version_{booking.pk}"],
            }
            for booking in self.bookings
        ]

    def marks(self):
        data = self.cleaned_data
        return [
            {
                "booking": booking,
                "attendance": data.get(f"attendance_{booking.pk}") or "",
                "completed": bool(data.get(f"completed_{booking.pk}")),
                "version": data.get(f"version_{booking.pk}"),
            }
            for booking in self.bookings
        ]

    def rebase(self, bookings):
        """After a stale register: keep what was ticked, but on the rows' current versions."""
        self.data = self.data.copy()
        for booking in bookings:
            self.data[f"version_{booking.pk}"] = booking.version


# --- A person's own record ------------------------------------------------------------------------------


class ExternalTrainingForm(VersionedForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, a university module, a conference, a webinar or e-learning.",
        error_messages={"required": "Enter the title of the training"},
    )
    provider = forms.CharField(
        label="Provider",
        max_length=200,
        help_text="Who ran it. For example, a university, Research in Practice or a partner agency.",
        error_messages={"required": "Enter who provided the training"},
    )
    completed_on = _date(
        "Date", "When it took place, or the last day if it ran over several. For example, 14 3 2026", "Enter the date"
    )
    hours = _hours("Hours", "Time spent learning, including any preparation. For example, 1.5", "the hours")
    notes = forms.CharField(
        label="What you took from it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few lines you can come back to in supervision or when you update your development plan.",
    )

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day

    def clean_notes(self):
        return self.cleaned_data["notes"].strip()

    def external_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(item):
        return {
            "version": item.version,
            "title": item.title,
            "provider": item.provider,
            "completed_on": item.completed_on,
            "hours": item.hours,
            "notes": item.notes,
        }


class SharingForm(forms.Form):
    shared = forms.BooleanField(
        label="Share my training record with my mentor or coach",
        required=False,
        help_text="Your line manager and organisation admins can always see it.",
    )


# --- Filters ------------------------------------------------------------------------------------------


class CatalogueFilterForm(forms.Form):
    """Invalid values are ignored rather than shown as errors."""

    standard = forms.ChoiceField(label="Develops the standard", required=False)
    show = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, standards, can_manage, **kwargs):
        super().__init__(*args, **kwargs)
        groups = {}
        for standard in standards:
            groups.setdefault(str(standard.version), []).append((str(standard.pk), standard_label(standard)))
        self.fields["standard"].choices = [("", "Any standard"), *groups.items()]
        show = [("", "All courses offered"), ("core", "Core training only")]
        if can_manage:
            show.append(("retired", "Retired courses"))
        self.fields["show"].choices = show

    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


SESSION_LIST_CHOICES = [("", "Upcoming sessions"), ("past", "Past sessions"), ("cancelled", "Cancelled sessions")]


class SessionFilterForm(forms.Form):
    show = forms.ChoiceField(label="Show", required=False, choices=SESSION_LIST_CHOICES)

    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class CompletionFilterForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(str(pk), name) for pk, name in teams]]

    def filters(self):
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}
