"""Forms for cohorts and portfolios. They check what a person typed; the rules live in actions.py."""

from django import forms

from trellis.govuk.forms import GovukDateField, GovukRadioSelect
from trellis.workforce.forms import VersionedForm, staff_label
from trellis.workforce.models import Service

from .feedback import SCALE_LABELS, answer_field
from .models import Assessor, EvidenceItem, Question

# --- cohorts ---


class CohortForm(VersionedForm):
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="For example, Practice supervisors 2026 to 2027.",
        error_messages={"required": "Enter a name for the cohort", "max_length": "Name must be 150 characters or fewer"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who the cohort is for and what it aims to do.",
    )
    frameworks = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Frameworks",
        widget=forms.CheckboxSelectMultiple,
        help_text="The standards portfolios are assessed against. Select all that apply.",
        error_messages={"required": "Select at least one framework", "invalid_choice": "Select frameworks from the list"},
    )
    starts_on = GovukDateField(label="Start date", help_text="For example, 7 9 2026.")
    expected_end_on = GovukDateField(
        label="Expected end date", help_text="When supervisors should have finished their portfolios."
    )
    moderation_share = forms.IntegerField(
        label="Share of reviewed portfolios to moderate (%)",
        min_value=0,
        max_value=100,
        help_text="Moderators second-mark this percentage of reviewed portfolios, chosen at random. Borderline and "
        "disputed ones are always moderated as well.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the share of reviewed portfolios to moderate",
            "invalid": "Share to moderate must be a whole number, like 20",
            "min_value": "Share to moderate must be 0 or more",
            "max_value": "Share to moderate must be 100 or less",
        },
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].error_messages["required"] = "Enter the start date"
        self.fields["expected_end_on"].error_messages["required"] = "Enter the expected end date"
        self.fields["frameworks"].queryset = frameworks
        self.fields["frameworks"].label_from_instance = lambda in_use: (
            f"{in_use.version.framework.name} ({in_use.version.label}), for {in_use.get_service_display().lower()}"
        )

    def clean(self):
        data = super().clean()
        starts_on, expected_end_on = data.get("starts_on"), data.get("expected_end_on")
        if starts_on and expected_end_on and expected_end_on < starts_on:
            self.add_error("expected_end_on", "Expected end date must be the same as or after the start date")
        return data

    def cohort_fields(self):
        return {
            name: self.cleaned_data[name] for name in ("name", "description", "starts_on", "expected_end_on", "moderation_share")
        }


class EndCohortForm(VersionedForm):
    ended_on = GovukDateField(label="End date", help_text="For example, 30 7 2027.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].error_messages["required"] = "Enter the date the cohort ended"


class RegisterFilterForm(forms.Form):
    """The register's filters on the page that adds supervisors. Invalid values are ignored."""

    team = forms.ChoiceField(label="Team", required=False)
    service = forms.ChoiceField(label="Service", required=False, choices=[("", "Both services"), *Service.choices])
    stage = forms.ChoiceField(label="Career stage", required=False)
    first_year = forms.BooleanField(label="Only supervisors in their first 12 months", required=False)

    def __init__(self, *args, teams, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *[(str(pk), name) for pk, name in teams]]
        self.fields["stage"].choices = [("", "All supervisory stages"), *[(str(pk), name) for pk, name in stages]]

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class AddSupervisorsForm(forms.Form):
    """The ticked people; the page draws the checkboxes in its table."""

    staff = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": "Select at least one supervisor to add",
            "invalid_choice": "Select supervisors from the list",
            "invalid_pk_value": "Select supervisors from the list",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = people


class AssignmentForm(VersionedForm):
    """One row of the cohort's people page: a supervisor's mentor and reviewer."""

    mentor = forms.ModelChoiceField(
        queryset=None, required=False, error_messages={"invalid_choice": "Choose a mentor from the list"}
    )
    reviewer = forms.ModelChoiceField(
        queryset=None, required=False, error_messages={"invalid_choice": "Choose a reviewer from the list"}
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = members
        self.fields["reviewer"].queryset = members


class AssessorForm(forms.Form):
    """Add a reviewer (or moderator): someone here with the role, or from a network organisation."""

    person = forms.ChoiceField(error_messages={"required": "Choose a person", "invalid_choice": "Choose a person from the list"})

    def __init__(self, *args, role, candidates, organisation, **kwargs):
        super().__init__(*args, prefix=role, **kwargs)
        self.role = role
        self.role_label = label = Assessor.Role(role).label.lower()
        self.people = {str(m.pk): m for _group, members in candidates for m in members}
        field = self.fields["person"]
        field.label = f"Add a {label}"
        field.help_text = (
            f"People with the {label} role in {organisation}, then people with it in organisations that share a network "
            f"with {organisation}. Someone from another organisation joins here as a guest: they see only the portfolios "
            "assigned to them."
        )
        field.choices = [
            ("", "Choose a person"),
            *[(group, [(str(m.pk), m.user.full_name) for m in members]) for group, members in candidates],
        ]

    def clean_person(self):
        return self.people[self.cleaned_data["person"]]


# --- evidence ---

NO_CASE_DETAIL = "Do not include case details or anything that could identify a child, family or adult."


class EvidenceItemForm(VersionedForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A few words you will recognise later. For example, Group supervision on using power well.",
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind of evidence",
        choices=EvidenceItem.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of evidence", "invalid_choice": "Select the kind of evidence"},
    )
    occurred_on = GovukDateField(label="Date", help_text="When it happened. For example, 5 10 2026")
    reflection = forms.CharField(
        label="Your reflection (optional while you draft)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="In your own words: what happened, what you did, what you learned, and how it shows the standards. "
        + NO_CASE_DETAIL,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].error_messages["required"] = "Enter the date"

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_reflection(self):
        return self.cleaned_data["reflection"].strip()

    def item_fields(self):
        return {name: self.cleaned_data[name] for name in ("title", "kind", "occurred_on", "reflection")}

    @staticmethod
    def initial_for(item):
        return {
            "version": item.version,
            "title": item.title,
            "kind": item.kind,
            "occurred_on": item.occurred_on,
            "reflection": item.reflection,
        }


WHOLE_STANDARD = "The standard as a whole"


class MappingForm(forms.Form):
    """What an item evidences. `standards`: the person's standards with their statements prefetched
    (queries.evidence_standards); the statement box appears only when some standard has statements."""

    standard = forms.ChoiceField(
        label="Standard",
        error_messages={"required": "Select the standard it evidences", "invalid_choice": "Select the standard it evidences"},
    )
    statement = forms.ChoiceField(
        label="Statement (optional)",
        required=False,
        help_text="Choose one statement of the standard, or the standard as a whole.",
        error_messages={"invalid_choice": "Select a statement from the list"},
    )
    how = forms.CharField(
        label="How this item evidences it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences. For example, I helped the team reflect on how they use their authority with families.",
        error_messages={"required": "Enter how this item evidences it"},
    )

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards, self.statements = {}, {}
        standard_groups, statement_groups = {}, {}
        for standard in standards:
            self.standards[str(standard.pk)] = standard
            framework = str(standard.version)
            standard_groups.setdefault(framework, []).append((str(standard.pk), f"{standard.number}. {standard.title}"))
            for statement in standard.statements.all():
                self.statements[str(statement.pk)] = statement
                statement_groups.setdefault(f"{framework}, standard {standard.number}", []).append(
                    (str(statement.pk), f"{statement.number} {statement.text}")
                )
        self.fields["standard"].choices = [("", "Select a standard"), *standard_groups.items()]
        if statement_groups:
            self.fields["statement"].choices = [("", WHOLE_STANDARD), *statement_groups.items()]
        else:
            del self.fields["statement"]

    def clean_how(self):
        return self.cleaned_data["how"].strip()

    def mapping_fields(self):
        data = self.cleaned_data
        return {
            "standard": self.standards[data["standard"]],
            "statement": self.statements.get(data.get("statement") or ""),
            "how": data["how"],
        }

    @staticmethod
    def initial_for(mapping):
        return {"standard": str(mapping.standard_id), "statement": str(mapping.statement_id or ""), "how": mapping.how}


class EvidenceFileForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.doc,.png,.jpg,.jpeg"}),
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, max_mb, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"A PDF, a Word document, a PNG or a JPEG, smaller than {max_mb}MB. " + NO_CASE_DETAIL


class PortfolioChoiceForm(forms.Form):
    portfolio = forms.UUIDField(widget=forms.HiddenInput)


class PersonForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=None,
        label="Person",
        empty_label="Select a person",
        help_text="People in your workforce register who do not sign in to Trellis.",
        error_messages={"required": "Select a person", "invalid_choice": "Select a person from the list"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = staff_label


# --- workflow ---


class ShareForm(forms.Form):
    message = forms.CharField(
        label="Message to your mentor (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, which evidence you would like them to read first.",
    )


class CommentForm(forms.Form):
    item = forms.ModelChoiceField(
        queryset=EvidenceItem.objects.none(),
        required=False,
        label="What is your comment about?",
        empty_label="The whole portfolio",
    )
    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=NO_CASE_DETAIL,
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class SubmitForm(forms.Form):
    note = forms.CharField(
        label="Note to the reviewer (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything the reviewer should know. If the portfolio was returned, say what you have added.",
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="Why do you disagree with the decision?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say which standards you think your evidence meets, and where it is in your portfolio.",
        error_messages={"required": "Enter why you disagree with the reviewer's decision"},
    )


REVIEW_MET_CHOICES = [("met", "Met"), ("not_met", "Not yet met")]
REVIEW_OUTCOME_CHOICES = [("recommended", "Recommend: every standard is met"), ("returned", "Return for more evidence")]


def review_standard_label(standard):
    return f"{standard.version.framework.short_name} {standard.number}. {standard.title}"


class ReviewForm(VersionedForm):
    """The reviewer's decision: met or not yet met, with feedback, for each of the cohort's standards
    (fields `standard_<id>` and `feedback_<id>`), then overall feedback and the outcome. A draft may
    leave any of it out; the action says what a decision still needs."""

    feedback = forms.CharField(
        label="Overall feedback",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the supervisor does well and what they should do next. If you return a portfolio in which "
        "every standard is met, say here what more evidence is needed.",
    )
    borderline = forms.BooleanField(
        label="This was a close call (borderline)",
        required=False,
        help_text="A borderline review is always moderated.",
    )
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=REVIEW_OUTCOME_CHOICES,
        required=False,
        widget=GovukRadioSelect,
        help_text="Not needed to save a draft.",
    )

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(standards)
        for standard in self.standards:
            self.fields[f"standard_{standard.pk}"] = forms.ChoiceField(
                label=review_standard_label(standard),
                choices=REVIEW_MET_CHOICES,
                required=False,
                widget=GovukRadioSelect(inline=True),
            )
            self.fields[f"feedback_{standard.pk}"] = forms.CharField(
                label=f"Feedback on {standard.version.framework.short_name} {standard.number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Needed if it is not yet met: what evidence is missing.",
            )
        per_standard = [f"{kind}_{s.pk}" for s in self.standards for kind in ("standard", "feedback")]
        self.order_fields(["version", *per_standard, "feedback", "borderline", "outcome"])

    def standard_rows(self):
        return [(s, self[f"standard_{s.pk}"], self[f"feedback_{s.pk}"]) for s in self.standards]

    def decisions(self):
        data = self.cleaned_data
        met = {"met": True, "not_met": False}
        return {
            str(s.pk): (met.get(data.get(f"standard_{s.pk}") or ""), data.get(f"feedback_{s.pk}", "")) for s in self.standards
        }

    def review_fields(self):
        return {
            "decisions": self.decisions(),
            "feedback": self.cleaned_data["feedback"],
            "borderline": self.cleaned_data["borderline"],
            "expected_version": self.cleaned_data["version"],
        }

    @staticmethod
    def initial_for(review):
        if review is None:
            return {}
        initial = {"version": review.version, "feedback": review.feedback, "borderline": review.borderline}
        for decision in review.decisions.all():
            initial[f"standard_{decision.standard_id}"] = "met" if decision.met else "not_met"
            initial[f"feedback_{decision.standard_id}"] = decision.feedback
        return initial


# --- moderation ---


class DrawForm(forms.Form):
    """Draw a moderation sample. Only an admin is offered the seed (to re-run a draw for audit)."""

    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text="Leave this empty for a fresh random draw. To re-run a past draw for audit, enter its seed: the "
        "same seed over the same reviews chooses the same ones.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-20"}),
        error_messages={
            "invalid": "Seed must be a whole number, like 4821",
            "min_value": "Seed must be 0 or more",
            "max_value": "Seed must be 9223372036854775807 or less",
        },
    )

    def __init__(self, *args, can_choose_seed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_choose_seed:
            del self.fields["seed"]


class AssignModeratorForm(VersionedForm):
    moderator = forms.ModelChoiceField(
        queryset=None,
        label="Moderator",
        empty_label="Select a moderator",
        help_text="One of the cohort's moderators. The portfolio's own reviewer cannot moderate it.",
        error_messages={"required": "Select the moderator", "invalid_choice": "Select one of the cohort's moderators"},
    )

    def __init__(self, *args, moderators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderator"].queryset = moderators
        self.fields["moderator"].label_from_instance = lambda m: (
            f"{m.user.full_name} (guest from {m.home_organisation.name})"
            if m.is_guest and m.home_organisation
            else m.user.full_name
        )


MET_CHOICES = [("met", "Met"), ("not_met", "Not yet met")]
OUTCOME_CHOICES = [("recommended", "Recommend it"), ("returned", "Return it for more evidence")]


class SecondMarkForm(VersionedForm):
    """Met or not yet met for each standard, with feedback, then an overall outcome."""

    def __init__(self, *args, standards, label=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = list(standards)
        for standard in self.standards:
            # Not required here: the action checks every standard, so all the mistakes show at once.
            self.fields[f"standard_{standard.pk}"] = forms.ChoiceField(
                label=label(standard), choices=MET_CHOICES, required=False, widget=GovukRadioSelect(inline=True)
            )
            self.fields[f"feedback_{standard.pk}"] = forms.CharField(
                label=f"Feedback on {standard.version.framework.short_name} {standard.number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Required when not yet met: what is missing, and what evidence would show it.",
            )
        self.fields["feedback"] = forms.CharField(
            label="Overall feedback (optional)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Needed if you return it although every standard is met: say what more evidence is needed.",
        )
        self.fields["outcome"] = forms.ChoiceField(
            label="Your overall decision", choices=OUTCOME_CHOICES, required=False, widget=GovukRadioSelect
        )

    def marking(self):
        """The keyword arguments actions.second_mark takes (but the version)."""
        data = self.cleaned_data
        decisions = {
            standard.pk: ({"met": True, "not_met": False}.get(data[f"standard_{standard.pk}"]), data[f"feedback_{standard.pk}"])
            for standard in self.standards
        }
        return {"decisions": decisions, "feedback": data["feedback"], "outcome": data["outcome"]}


class AgreementForm(VersionedForm):
    agrees = forms.ChoiceField(
        label="Do you agree with the reviewer's decision?",
        choices=[("yes", "Yes, I agree"), ("no", "No, I disagree")],
        widget=GovukRadioSelect,
        error_messages={"required": "Select whether you agree with the reviewer's decision"},
    )
    reasons = forms.CharField(
        label="Your reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required if you disagree: a disagreement goes to an organisation admin or another moderator to resolve.",
    )

    def agreement(self):
        return {"agrees": self.cleaned_data["agrees"] == "yes", "reasons": self.cleaned_data["reasons"]}


class ResolveForm(VersionedForm):
    resolution = forms.ChoiceField(
        label="Which decision stands?",
        choices=[],
        widget=GovukRadioSelect,
        error_messages={"required": "Select which decision stands"},
    )
    reasons = forms.CharField(
        label="Reasons for your decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The reviewer, the moderator and the supervisor's record will show them.",
        error_messages={"required": "Enter the reasons for your decision"},
    )

    def __init__(self, *args, first_outcome="", second_outcome="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution"].choices = [
            ("first_decision", f"The reviewer's decision: {first_outcome.lower()}"),
            ("second_decision", f"The moderator's decision: {second_outcome.lower()}"),
        ]


class SignOffForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("signed_off", "Sign it off"), ("referred_back", "Refer it back")],
        widget=GovukRadioSelect,
        error_messages={"required": "Select sign off or refer back"},
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required if you refer it back: say what the supervisor needs to do. The supervisor will see this.",
    )


class AgreementFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=None, label="Cohort", required=False, empty_label="All cohorts")

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts


# --- exports and pathway feedback ---


class QuestionnaireForm(VersionedForm):
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people read before the questions: why you are asking and what you will do with the answers.",
    )
    anonymous = forms.ChoiceField(
        label="Should answers be anonymous?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovukRadioSelect(inline=True),
        help_text="Anonymous answers are stored without who gave them. Trellis still records who has answered, "
        "so nobody is asked twice.",
        error_messages={"required": "Select yes if answers should be anonymous"},
    )
    closes_on = GovukDateField(
        label="Closing date (optional)",
        required=False,
        help_text="The last day people can answer. For example, 31 3 2027. Leave it blank to keep it open.",
    )

    def clean_introduction(self):
        return self.cleaned_data["introduction"].strip()

    def questionnaire_fields(self):
        data = self.cleaned_data
        return {"introduction": data["introduction"], "anonymous": data["anonymous"] == "yes", "closes_on": data["closes_on"]}

    @staticmethod
    def initial_for(questionnaire):
        return {
            "version": questionnaire.version,
            "introduction": questionnaire.introduction,
            "anonymous": "yes" if questionnaire.anonymous else "no",
            "closes_on": questionnaire.closes_on,
        }


class QuestionForm(VersionedForm):
    text = forms.CharField(
        label="Question",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One thing at a time, in plain words. For example, How useful were the action learning sets?",
        error_messages={"required": "Enter the question", "max_length": "The question must be 300 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="How do people answer?",
        choices=Question.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select how people answer"},
    )

    def clean_text(self):
        return " ".join(self.cleaned_data["text"].split())


class OpenQuestionnaireForm(VersionedForm):
    closes_on = GovukDateField(
        label="Closing date (optional)",
        required=False,
        help_text="The last day people can answer. For example, 31 3 2027. You can change it later.",
    )


class AnswerForm(VersionedForm):
    """One field per question: ratings are required (radios 1 to 5), written answers optional."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(
                    label=question.text,
                    choices=list(SCALE_LABELS.items()),
                    widget=GovukRadioSelect(inline=True),
                    help_text="From 1 (poor) to 5 (excellent).",
                    error_messages={"required": f"Select a rating for “{question.text}”"},
                )
            else:
                field = forms.CharField(
                    label=f"{question.text} (optional)",
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    error_messages={"max_length": "Your answer must be 5,000 characters or fewer"},
                )
            self.fields[answer_field(question)] = field

    def answers(self):
        return {question.pk: self.cleaned_data.get(answer_field(question)) for question in self.questions}
