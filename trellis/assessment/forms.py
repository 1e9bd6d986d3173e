"""Parsing and validation for self-assessments and feedback. Rules that need the database (one draft
per framework, who may be asked) are the actions'; their errors come back to these forms' fields."""

from django import forms
from django.utils import timezone

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm

from .models import ANONYMITY_THRESHOLD, Round
from .organisation import GROUPINGS

CANNOT_SAY = "cannot_say"
RATING_FIELD_TEMPLATE = "assessment/forms/rating_field.html"


def _long_date(day):
    return f"{day.day} {day:%B %Y}"


def _rating_field(levels, label, help_text="", inline=False):
    """Radios of the rating scale; each level's description is shown under it, unless inline."""
    field = forms.ModelChoiceField(
        queryset=levels,
        label=label,
        help_text=help_text,
        required=False,
        empty_label=None,
        widget=GovukRadioSelect(inline=inline),
    )
    field.label_from_instance = lambda level: level.label
    if not inline:
        field.template_name = RATING_FIELD_TEMPLATE
    return field


class StartForm(forms.Form):
    framework_in_use = forms.ModelChoiceField(
        queryset=None,
        label="Framework",
        empty_label=None,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the framework to assess yourself against"},
    )
    round = forms.ChoiceField(
        label="Which self-assessment is this?",
        choices=Round.choices,
        widget=GovukRadioSelect,
        help_text="A baseline when you start in a role or a programme, a mid-point on the way, and reviews after that.",
        error_messages={"required": "Select which self-assessment this is"},
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_in_use"].queryset = frameworks
        self.fields["framework_in_use"].label_from_instance = lambda fiu: (
            str(fiu.version.framework.name) + f" ({fiu.version.label})"
        )


class SectionForm(VersionedForm):
    """One standard's page. Blank answers may be saved as a draft ("Save and come back later"); "Save
    and continue" asks for every rating, so a finished page is finished."""

    def __init__(self, *args, rating, levels, statements, complete=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating = rating
        self.complete = complete
        self.statements = list(statements)
        self.fields["level"] = _rating_field(levels, "How would you rate yourself against this standard?")
        for statement in self.statements:
            self.fields[f"statement_{statement.pk}"] = _rating_field(levels, f"{statement.number} {statement.text}", inline=True)
        self.fields["strengths"] = forms.CharField(
            label="Your strengths in this standard",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="What you do well, in your own words. An example helps.",
        )
        self.fields["learning_needs"] = forms.CharField(
            label="Your learning needs in this standard",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="What you want to learn or do better, and what would help you.",
        )
        self.fields["is_priority"] = forms.BooleanField(
            label="This is one of my priority learning needs",
            required=False,
            help_text="Your organisation sees how many people chose each standard as a priority, never who.",
        )

    def clean(self):
        data = super().clean()
        for name in ("strengths", "learning_needs"):
            data[name] = (data.get(name) or "").strip()
        if self.complete:
            if data.get("level") is None and "level" not in self.errors:
                self.add_error("level", f"Select a rating for standard {self.rating.standard.number}")
            for statement in self.statements:
                name = f"statement_{statement.pk}"
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, f"Select a rating for statement {statement.number}")
            if data.get("is_priority") and not data["learning_needs"]:
                self.add_error("learning_needs", "Enter your learning needs for this standard, or untick priority learning need")
        return data

    def section_fields(self):
        data = self.cleaned_data
        return {
            "level": data.get("level"),
            "statement_levels": {s.pk: data.get(f"statement_{s.pk}") for s in self.statements},
            "strengths": data["strengths"],
            "learning_needs": data["learning_needs"],
            "is_priority": bool(data.get("is_priority")),
        }

    @staticmethod
    def initial_for(rating):
        initial = {
            "version": rating.version,
            "level": rating.level_id,
            "strengths": rating.strengths,
            "learning_needs": rating.learning_needs,
            "is_priority": rating.is_priority,
        }
        initial.update({f"statement_{row.statement_id}": row.level_id for row in rating.statement_ratings.all()})
        return initial


class OverallForm(VersionedForm):
    overall_strengths = forms.CharField(
        label="Your strengths overall",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Looking across the standards: what do you bring to practice supervision?",
    )
    overall_learning_needs = forms.CharField(
        label="Your learning needs overall",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your priorities for the next few months, and the support that would help. These can become goals in your "
        "development plan.",
    )

    def __init__(self, *args, complete=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete = complete

    def clean(self):
        data = super().clean()
        for name in ("overall_strengths", "overall_learning_needs"):
            data[name] = (data.get(name) or "").strip()
        if self.complete:
            if not data["overall_strengths"] and "overall_strengths" not in self.errors:
                self.add_error("overall_strengths", "Enter your strengths overall")
            if not data["overall_learning_needs"] and "overall_learning_needs" not in self.errors:
                self.add_error("overall_learning_needs", "Enter your learning needs overall")
        return data


class SubmitForm(VersionedForm):
    answers_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SharingForm(VersionedForm):
    shared = forms.BooleanField(required=False)


class FeedbackRequestForm(forms.Form):
    line_manager = forms.BooleanField(required=False)
    supervisees = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Supervisees",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People line-managed in the workforce register. Select all to ask. For anyone with no Trellis login, an "
        "organisation admin records the answer they give on paper.",
    )
    anonymous = forms.TypedChoiceField(
        label="Should supervisees' answers be anonymous?",
        choices=[("yes", "Yes, show me their answers only combined"), ("no", "No, show me who said what")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=GovukRadioSelect,
        help_text=f"Anonymous answers are shown as the middle rating for each standard and unsigned comments, and only once "
        f"{ANONYMITY_THRESHOLD} supervisees have answered, so ask at least {ANONYMITY_THRESHOLD}. People often say more "
        "when they are anonymous.",
    )
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what you would most like feedback on.",
    )
    answer_by = GovukDateField(
        label="Answer by (optional)", required=False, help_text="For example, 15 4 2027. Leave it blank for no date."
    )

    def __init__(self, *args, manager, supervisees, anonymity=None, whose="Your", **kwargs):
        """`manager`: the line manager who may be asked, or None; `anonymity`: True or False when an
        earlier request to a supervisee already decided it (the field is then left out); `whose`:
        "Your", or "Their" for an admin asking for someone who does not sign in."""
        super().__init__(*args, **kwargs)
        self.manager = manager
        if manager is None:
            del self.fields["line_manager"]
        else:
            self.fields["line_manager"].label = f"{whose} line manager, {manager.full_name}"
            if manager.membership_id is None:
                self.fields[
                    "line_manager"
                ].help_text = "They have no Trellis login, so an organisation admin records their answer."
        self.fields["supervisees"].queryset = supervisees
        self.fields["supervisees"].label_from_instance = lambda person: (
            person.full_name + ("" if person.membership_id else " (no Trellis login)")
        )
        self.anonymity = anonymity
        if anonymity is not None or not supervisees.exists():
            del self.fields["anonymous"]

    def clean_message(self):
        return self.cleaned_data["message"].strip()

    def clean_answer_by(self):
        day = self.cleaned_data.get("answer_by")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The date to answer by must be today or in the future")
        return day

    def clean(self):
        data = super().clean()
        if not data.get("line_manager") and not data.get("supervisees") and not self.errors.get("supervisees"):
            self.add_error(
                "supervisees" if self.manager is None else "line_manager", "Select at least one person to ask for feedback"
            )
        if data.get("supervisees") and "anonymous" in self.fields and data.get("anonymous") is None:
            self.add_error("anonymous", "Select whether supervisees' answers are anonymous")
        return data

    def request_fields(self):
        data = self.cleaned_data
        return {
            "line_manager": bool(data.get("line_manager")),
            "supervisees": list(data.get("supervisees") or []),
            "anonymous": data.get("anonymous", self.anonymity),
            "message": data.get("message", ""),
            "answer_by": data.get("answer_by"),
        }


class AnswerForm(forms.Form):
    """A respondent's ratings of the person against each standard: a level, or "I cannot say"."""

    def __init__(self, *args, standards, levels, person_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(standards)
        self.levels = {str(level.pk): level for level in levels}
        choices = [(str(level.pk), level.label) for level in levels] + [(CANNOT_SAY, "I cannot say")]
        for standard in self.standards:
            level = forms.ChoiceField(
                label=f"How would you rate {person_name} against standard {standard.number}?",
                choices=choices,
                widget=GovukRadioSelect,
                error_messages={
                    "required": f"Select a rating for standard {standard.number}, or 'I cannot say'",
                    "invalid_choice": f"Select a rating for standard {standard.number}, or 'I cannot say'",
                },
            )
            level.template_name, level.legend_size = RATING_FIELD_TEMPLATE, "s"
            self.fields[f"level_{standard.pk}"] = level
            self.fields[f"comment_{standard.pk}"] = forms.CharField(
                label=f"Comments on standard {standard.number} (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What they do well, and what would help them develop.",
            )
        self.fields["overall_comment"] = forms.CharField(
            label="Anything else you would like to say (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
        )

    def sections(self):
        """(standard, its rating field, its comment field), for the template's fieldset per standard."""
        return [(s, self[f"level_{s.pk}"], self[f"comment_{s.pk}"]) for s in self.standards]

    def answers(self):
        data = self.cleaned_data
        return {
            standard: (self.levels.get(data[f"level_{standard.pk}"]), data[f"comment_{standard.pk}"].strip())
            for standard in self.standards
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, you have not worked with them long enough to say.",
    )


class OrganisationFilterForm(forms.Form):
    framework = forms.ChoiceField(label="Framework", required=False)
    grouping = forms.ChoiceField(label="Show", required=False, choices=GROUPINGS, widget=GovukRadioSelect(inline=True))

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {str(fiu.pk): fiu for fiu in frameworks}
        self.fields["framework"].choices = [(pk, str(fiu)) for pk, fiu in self.frameworks.items()]

    def chosen(self):
        """(framework in use or None, grouping); anything unknown falls back to the first."""
        data = self.cleaned_data if self.is_valid() else {}
        fiu = self.frameworks.get(data.get("framework")) or next(iter(self.frameworks.values()), None)
        return fiu, data.get("grouping") or "organisation"
