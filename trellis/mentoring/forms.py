"""Parsing and validation for coaching, mentoring and peer support. Rules that need the database (a
mentor who is full, someone who has left, dates against a relationship) are the actions'; their errors
come back to these forms' fields."""

import datetime
import re

from django import forms

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm, staff_label

from .models import DISABILITY_GROUPS, Attendance, Kind, PeerGroup, PeerSession, group_choices

NO_CASE_DETAIL = "Do not include case details or anything that could identify a child, family or adult."


def _date(label, help_text, required_message, required=True):
    field = GovukDateField(label=label, help_text=help_text, required=required)
    field.error_messages["required"] = required_message
    return field


def _text(form, name):
    return form.cleaned_data[name].strip()


def _minutes(label, required_message):
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=480,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4", "spellcheck": "false"}),
        error_messages={
            "required": required_message,
            "invalid": "Length must be a whole number of minutes, like 60",
            "min_value": "Length must be at least 1 minute",
            "max_value": "Length must be 480 minutes (8 hours) or less",
        },
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


# --- Mentors and coaches ----------------------------------------------------------------------------


class MentorForm(VersionedForm):
    capacity = forms.IntegerField(
        label="How many mentees at a time",
        min_value=1,
        max_value=30,
        help_text="Counting mentoring and coaching together.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many mentees they can have at a time",
            "invalid": "How many mentees must be a whole number, like 2",
            "min_value": "How many mentees must be 1 or more. To stop new matches, say they are not taking new mentees",
            "max_value": "How many mentees must be 30 or fewer",
        },
    )
    kinds = forms.MultipleChoiceField(
        label="What they offer",
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select mentoring, coaching or both"},
    )
    is_available = forms.ChoiceField(
        label="Are they taking new mentees?",
        choices=YES_NO,
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select yes if they are taking new mentees"},
    )
    notes = forms.CharField(
        label="Experience and interests (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What helps an admin make a good match. For example, 12 years supervising in adult mental health; "
        "interested in supporting new supervisors.",
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["staff"] = forms.ModelChoiceField(
                queryset=people,
                label="Person",
                empty_label="Select a person",
                help_text="Someone in your workforce register who is still in post and not already on the list.",
                error_messages={"required": "Select the person who will mentor or coach"},
            )
            self.fields["staff"].label_from_instance = staff_label
            self.order_fields(["staff"])

    def clean_notes(self):
        return _text(self, "notes")

    def mentor_fields(self):
        data = self.cleaned_data
        return {
            "capacity": data["capacity"],
            "offers_mentoring": Kind.MENTORING in data["kinds"],
            "offers_coaching": Kind.COACHING in data["kinds"],
            "is_available": data["is_available"] == "yes",
            "notes": data["notes"],
        }

    @staticmethod
    def initial_for(profile):
        return {
            "version": profile.version,
            "capacity": profile.capacity,
            "kinds": [kind for kind in Kind.values if profile.offers(kind)],
            "is_available": "yes" if profile.is_available else "no",
            "notes": profile.notes,
        }


# --- Relationships ------------------------------------------------------------------------------------


def mentor_label(profile):
    load = profile.load
    text = f"{profile.staff.full_name}: {load} of {profile.capacity} mentee{'s' if profile.capacity != 1 else ''}, {profile.kinds_display.lower()}"
    if load >= profile.capacity:
        text += " (full)"
    elif not profile.is_available:
        text += " (not taking new mentees)"
    return text


class MatchForm(forms.Form):
    mentee = forms.ModelChoiceField(
        queryset=None,
        label="Mentee",
        empty_label="Select a person",
        help_text="The person who will be mentored or coached.",
        error_messages={"required": "Select the mentee"},
    )
    kind = forms.ChoiceField(
        label="Mentoring or coaching",
        choices=Kind.choices,
        widget=GovukRadioSelect(inline=True),
        error_messages={"required": "Select mentoring or coaching"},
    )
    mentor = forms.ChoiceField(
        label="Mentor or coach",
        help_text="Each shows how many mentees they have now, of how many they can take.",
        error_messages={"required": "Select the mentor or coach", "invalid_choice": "Select the mentor or coach"},
    )
    goals = forms.CharField(
        label="Goals",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the mentee wants from it, in their words. For example, build confidence in challenging "
        "conversations about performance; develop against standard 7.",
        error_messages={"required": "Enter the goals"},
    )
    started_on = _date("Start date", "For example, 6 1 2027", "Enter the start date")

    def __init__(self, *args, mentees, mentors, confirm=False, **kwargs):
        """`mentors`: MentorProfile rows with `load`. `confirm` adds the box that matches a mentor who
        is full or not taking new mentees."""
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = mentees
        self.fields["mentee"].label_from_instance = staff_label
        self.mentors = {str(profile.staff_id): profile for profile in mentors}
        self.fields["mentor"].choices = [("", "Select a mentor or coach")] + [
            (key, mentor_label(profile)) for key, profile in self.mentors.items()
        ]
        if confirm:
            self.fields["confirm_over_capacity"] = forms.BooleanField(
                label="Match them anyway",
                required=False,
                help_text="They are full or not taking new mentees. Make sure they have agreed to take one more.",
            )

    def clean_mentor(self):
        return self.mentors[self.cleaned_data["mentor"]].staff

    def clean_goals(self):
        return _text(self, "goals")

    def match_fields(self):
        return dict(self.cleaned_data)


class MentorshipForm(VersionedForm):
    goals = MatchForm.base_fields["goals"]
    started_on = _date("Start date", "For example, 6 1 2027", "Enter the start date")

    def clean_goals(self):
        return _text(self, "goals")


class EndMentorshipForm(VersionedForm):
    ended_on = _date(
        "End date", "The date of the last session, or when you agreed to end. For example, 30 6 2027", "Enter the end date"
    )
    ending_note = forms.CharField(
        label="How it ended (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, goals met; or the mentor moved to another organisation.",
    )

    def clean_ending_note(self):
        return _text(self, "ending_note")


def standard_label(standard):
    return f"{standard.version.framework.short_name} {standard.number}. {standard.title}"


class SessionForm(VersionedForm):
    held_on = _date("Date", "For example, 14 3 2027", "Enter the date of the session")
    duration_minutes = _minutes("Length in minutes", "Enter how long the session was, in minutes")
    themes = forms.CharField(
        label="Themes",
        max_length=300,
        help_text="In a few words. For example, managing a team through change; confidence in performance conversations. "
        + NO_CASE_DETAIL,
        error_messages={"required": "Enter the themes", "max_length": "Themes must be 300 characters or fewer"},
    )
    standards = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Standards worked on (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the frameworks the mentee works against. Select all that apply.",
    )
    agreed_actions = forms.CharField(
        label="Agreed actions (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What each of you will do before you next meet. " + NO_CASE_DETAIL,
    )

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards
        self.fields["standards"].label_from_instance = standard_label
        if not standards.exists():
            del self.fields["standards"]

    def clean_themes(self):
        return _text(self, "themes")

    def clean_agreed_actions(self):
        return _text(self, "agreed_actions")

    def session_fields(self):
        fields = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        fields["standards"] = list(fields.get("standards") or [])
        return fields

    @staticmethod
    def initial_for(session):
        return {
            "version": session.version,
            "held_on": session.held_on,
            "duration_minutes": session.duration_minutes,
            "themes": session.themes,
            "standards": [s.pk for s in session.standards.all()],
            "agreed_actions": session.agreed_actions,
        }


# --- The offer to under-represented groups -----------------------------------------------------------


class OfferForm(VersionedForm):
    offer_first = forms.ChoiceField(
        label="Make the coaching and mentoring offer first to people from the groups you name?",
        choices=[("yes", "Yes, offer it to them first"), ("no", "No, offer it to everyone alike")],
        widget=GovukRadioSelect,
        help_text="The list of people without a mentor will show people from these groups first. Only organisation "
        "admins see that list; everyone else sees totals, with small numbers hidden.",
        error_messages={"required": "Select yes if you want to offer it first to the groups you name"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, choices in group_choices():
            self.fields[f"groups_{name}"] = forms.MultipleChoiceField(
                label=f"{label} (optional)",
                choices=[(key, DISABILITY_GROUPS.get(key, text)) for key, text in choices],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        self.fields["groups_ethnic_group"].help_text = "For example, select every group other than White."

    def clean(self):
        data = super().clean()
        groups = [group for name, _label, _choices in group_choices() for group in data.get(f"groups_{name}", [])]
        if data.get("offer_first") == "yes" and not groups:
            self.add_error("groups_ethnic_group", "Select at least one group to offer it to first, or select no")
        data["groups"] = groups
        return data

    def offer_fields(self):
        return {"offer_first": self.cleaned_data["offer_first"] == "yes", "groups": self.cleaned_data["groups"]}

    @staticmethod
    def initial_for(offer):
        initial = {"version": offer.version, "offer_first": "yes" if offer.offer_first else "no"}
        for name, _label, _choices in group_choices():
            initial[f"groups_{name}"] = [group for group in offer.groups if group.startswith(f"{name}:")]
        return initial


# --- Peer groups ---------------------------------------------------------------------------------------


class PeerGroupForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Kind of group",
        choices=PeerGroup.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of group"},
    )
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="For example, New supervisors' action learning set.",
        error_messages={"required": "Enter the group's name", "max_length": "Name must be 150 characters or fewer"},
    )
    purpose = forms.CharField(
        label="Purpose (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a space for practice supervisors in their first year to share problems and dilemmas.",
    )
    facilitator = forms.ModelChoiceField(
        queryset=None,
        label="Facilitator",
        required=False,
        empty_label="Someone from outside the organisation",
        help_text="The facilitator records the group's sessions and who came.",
    )
    external_facilitator = forms.CharField(
        label="Facilitator from outside the organisation (optional)",
        max_length=150,
        required=False,
        help_text="Their name and organisation, if the facilitator is not in your workforce register.",
    )
    meets = forms.CharField(
        label="How often it meets (optional)",
        max_length=150,
        required=False,
        help_text="For example, every 6 weeks for 3 hours.",
    )
    started_on = _date("Start date", "For example, 9 9 2026", "Enter the date the group started")

    def __init__(self, *args, people, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = people
        self.fields["facilitator"].label_from_instance = staff_label
        if editing:
            self.fields["ended_on"] = _date(
                "End date (optional)", "Only when the group has stopped meeting. For example, 31 7 2027", "", required=False
            )

    def clean_name(self):
        return _text(self, "name")

    def clean_purpose(self):
        return _text(self, "purpose")

    def clean_external_facilitator(self):
        return _text(self, "external_facilitator")

    def clean_meets(self):
        return _text(self, "meets")

    def clean(self):
        data = super().clean()
        checked = "facilitator" in data and "external_facilitator" in data
        if checked and bool(data["facilitator"]) == bool(data["external_facilitator"]):
            self.add_error(
                "facilitator",
                "Select the facilitator, or enter the name of a facilitator from outside the organisation (not both)",
            )
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", f"End date must be on or after the start date, {start.day} {start:%B %Y}")
        return data

    def group_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(group):
        return {
            "version": group.version,
            "kind": group.kind,
            "name": group.name,
            "purpose": group.purpose,
            "facilitator": group.facilitator_id,
            "external_facilitator": group.external_facilitator,
            "meets": group.meets,
            "started_on": group.started_on,
            "ended_on": group.ended_on,
        }


class MemberForm(forms.Form):
    staff = forms.ModelChoiceField(
        queryset=None,
        label="Person",
        empty_label="Select a person",
        error_messages={"required": "Select the person to add"},
    )
    joined_on = _date("Date joined", "For example, 9 9 2026", "Enter the date they joined")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people
        self.fields["staff"].label_from_instance = staff_label


class LeaveForm(forms.Form):
    left_on = _date("Date left", "For example, 31 3 2027", "Enter the date they left the group")


TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


class PeerSessionForm(VersionedForm):
    held_on = _date("Date", "For example, 21 10 2026", "Enter the date of the session")
    starts_at = forms.CharField(
        label="Start time (optional)",
        required=False,
        max_length=10,
        help_text="For example, 9:30am or 14:00.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
    )
    place = forms.CharField(
        label="Place",
        max_length=200,
        help_text="For example, Room 2.14, County Hall; or online.",
        error_messages={"required": "Enter where the session is", "max_length": "Place must be 200 characters or fewer"},
    )

    def __init__(self, *args, can_cancel=False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_cancel:
            self.fields["status"] = forms.ChoiceField(
                label="Is it going ahead?",
                choices=[(PeerSession.Status.SCHEDULED, "Yes, going ahead"), (PeerSession.Status.CANCELLED, "No, cancelled")],
                widget=GovukRadioSelect,
                error_messages={"required": "Select whether the session is going ahead"},
            )

    def clean_starts_at(self):
        text = self.cleaned_data["starts_at"].strip().lower().replace(" ", "")
        if not text:
            return None
        match = TIME.match(text)
        if match:
            hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
            if half and 1 <= hour <= 12:
                hour = hour % 12 + (12 if half == "pm" else 0)
            elif half:
                hour = 99
            if hour < 24 and minute < 60:
                return datetime.time(hour, minute)
        raise forms.ValidationError("Enter a start time like 9:30am or 14:00")

    def clean_place(self):
        return _text(self, "place")

    def session_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(session):
        starts = session.starts_at.strftime("%H:%M") if session.starts_at else ""
        return {
            "version": session.version,
            "held_on": session.held_on,
            "starts_at": starts,
            "place": session.place,
            "status": session.status,
        }


class AttendanceForm(VersionedForm):
    """For each member on the session's date: did they attend, did they present, and what did they
    commit to do. Fields are named by person (`status_<id>`), as the action's errors are."""

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person in people:
            key = person.pk
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=f"Did {person.full_name} attend?",
                choices=Attendance.Status.choices,
                widget=GovukRadioSelect(inline=True),
                error_messages={"required": f"Select whether {person.full_name} attended"},
            )
            self.fields[f"presented_{key}"] = forms.BooleanField(label=f"{person.full_name} presented", required=False)
            self.fields[f"commitment_{key}"] = forms.CharField(
                label=f"What {person.full_name} committed to do (optional)",
                required=False,
                max_length=300,
                help_text="A short action, in their words, without case details.",
                error_messages={"max_length": "The commitment must be 300 characters or fewer"},
            )

    def rows_of_fields(self):
        """[(person, status field, presented field, commitment field)] for the template."""
        return [
            (person, self[f"status_{person.pk}"], self[f"presented_{person.pk}"], self[f"commitment_{person.pk}"])
            for person in self.people
        ]

    def clean(self):
        data = super().clean()
        for person in self.people:
            key = person.pk
            status = data.get(f"status_{key}")
            presented = data.get(f"presented_{key}")
            commitment = (data.get(f"commitment_{key}") or "").strip()
            data[f"commitment_{key}"] = commitment
            if presented and status and status != Attendance.Status.ATTENDED:
                self.add_error(f"presented_{key}", f"{person.full_name} did not attend, so cannot have presented")
            elif commitment and not presented:
                self.add_error(f"commitment_{key}", f"Tick that {person.full_name} presented, or remove their commitment")
        return data

    def attendance_rows(self):
        data = self.cleaned_data
        return [
            {
                "staff": person,
                "status": data[f"status_{person.pk}"],
                "presented": bool(data[f"presented_{person.pk}"]),
                "commitment": data[f"commitment_{person.pk}"],
            }
            for person in self.people
        ]

    @staticmethod
    def initial_for(session, attendance):
        initial = {"version": session.version}
        for row in attendance:
            initial[f"status_{row.staff_id}"] = row.status
            initial[f"presented_{row.staff_id}"] = row.presented
            initial[f"commitment_{row.staff_id}"] = row.commitment
        return initial
