"""Demo frameworks for a demo organisation: the shipped framework for its service, and one of its own.

Northshire (adults) works against the adult PQS for practice supervisors and its own "Northshire
practice supervision standards"; Riverside (children) against the practice supervisor KSS and its own
standards, with a rating scale in its own words. The organisations' standards are fictional and in
their own words, and say so: nothing here is, or pretends to be, DfE or DHSC text.

Written through the actions, so the audit trail and histories are real; nothing random, so a reload
gives the same frameworks; dates relative to today.
"""

import datetime

from django.utils import timezone

from trellis.tenancy.models import Role

from . import actions
from .models import FrameworkInUse, RatingLevel

OWN = {
    "adults": {
        "name": "{organisation} practice supervision standards",
        "short_name": "{short} standards",
        "description": (
            "Written by {short}'s Principal Social Worker with the county's practice supervisors, in our own words, to say "
            "what good practice supervision looks like here. It sits alongside the post-qualifying standards for practice "
            "supervisors in adult social care and does not quote or replace them."
        ),
        "standards": [
            (
                "Creating a safe space for reflection",
                [
                    "I hold supervision at the agreed time, in a private place, and protect it from interruptions.",
                    "I help social workers think about how their work with people affects them, and what they feel about it.",
                    "I notice when someone is carrying too much and agree with them what will change.",
                ],
            ),
            (
                "Good decisions with and for the people we support",
                [
                    "I ask for the person's own view, and their carer's, before a plan is agreed.",
                    "I help social workers weigh risks and rights, and record why a decision was made.",
                    "I make timely decisions when the team is busy, and explain them.",
                ],
            ),
            (
                "Growing the team's skills",
                [
                    "I observe each social worker's practice at least once a year and give feedback they can use.",
                    "I agree learning goals with each person and check their progress in supervision.",
                ],
            ),
            (
                "Fairness, diversity and power",
                [
                    "I talk openly about power in my relationships with social workers, and in theirs with the people they support.",
                    "I notice when bias might be shaping a decision, and raise it.",
                    "I make sure development opportunities reach everyone in the team.",
                ],
            ),
            (
                "Using information to improve practice",
                [
                    "I understand the team's performance information: what is collected and why.",
                    "I use it to spot pressure early and to plan the team's work.",
                ],
            ),
            (
                "Working with partners",
                [
                    "I build working relationships with health, housing and voluntary sector colleagues.",
                    "I represent the team in partnership meetings and bring the learning back.",
                ],
            ),
        ],
        "scale": None,
    },
    "children": {
        "name": "{organisation} practice supervision standards",
        "short_name": "{short} standards",
        "description": (
            "Agreed by {short}'s practice supervisors and Principal Social Worker, in our own words: what we expect of "
            "ourselves as supervisors of practitioners working with children and families. It sits alongside the "
            "knowledge and skills statement for practice supervisors and does not quote or replace it."
        ),
        "standards": [
            (
                "Relationship-based supervision",
                [
                    "I know each practitioner's strengths, worries and ways of working.",
                    "I agree a supervision agreement with each practitioner and revisit it every year.",
                ],
            ),
            (
                "Keeping children at the centre",
                [
                    "I ask what life is like for the child in every case discussion.",
                    "I check that children's wishes and feelings are recorded in their own words.",
                    "I challenge drift and delay in children's plans.",
                ],
            ),
            (
                "Reflective case discussion",
                [
                    "I use group case discussion to test our thinking and our hypotheses.",
                    "I help practitioners notice their emotional responses to families.",
                ],
            ),
            (
                "Leading a learning team",
                [
                    "I make time for the team to learn from practice, including when things go well.",
                    "I support newly qualified social workers through their first year.",
                    "I give clear, kind feedback on performance, and act when it falls short.",
                ],
            ),
            (
                "Data, quality and performance",
                [
                    "I read the team's data each month and talk it through with the team.",
                    "I use case file audits to improve practice, not only to count it.",
                ],
            ),
        ],
        # Riverside's own words for its scale, lowest first.
        "scale": [
            ("Emerging", "I am new to this, or I need a lot of support with it."),
            ("Developing", "I do this sometimes, with support."),
            ("Secure", "I do this well and consistently."),
            ("Leading", "I do this well enough to help other supervisors with it."),
        ],
    },
}


def load(organisation, members):
    """Write the demo frameworks; `members` maps load_demo's keys to Memberships, in an active scope."""
    actor = next(m for m in members.values() if m.has_role(Role.ORG_ADMIN))
    actions.ensure_frameworks_in_use(organisation)
    service = "children" if organisation.services == "children" else "adults"
    spec = OWN[service]
    short = organisation.name.split()[0]
    began = timezone.localdate() - datetime.timedelta(days=420)
    framework, version = actions.create_framework(
        actor=actor,
        name=spec["name"].format(organisation=short),
        short_name=spec["short_name"].format(short=short),
        service=service,
        publisher=organisation.name,
        description=spec["description"].format(short=short),
        label=str(began.year),
        effective_from=began,
        source=f"{short} practice supervision handbook, {began:%B %Y}",
        checked_note=f"{organisation.name}'s own standards: nothing in them is quoted from a published framework.",
    )
    statements = 0
    for number, (title, texts) in enumerate(spec["standards"], start=1):
        standard = actions.add_standard(version, actor=actor, number=str(number), title=title)
        for index, text in enumerate(texts, start=1):
            actions.add_statement(standard, actor=actor, number=f"{number}.{index}", text=text)
            statements += 1
    in_use = actions.put_in_force(version, actor=actor, service=service)
    if spec["scale"]:
        levels = RatingLevel.objects.filter(framework_in_use=in_use).order_by("value")
        for level, (label, description) in zip(levels, spec["scale"], strict=True):
            actions.update_rating_level(level, actor=actor, expected_version=level.version, label=label, description=description)
    return {
        "frameworks in force": FrameworkInUse.objects.filter(organisation=organisation, is_active=True).count(),
        "own framework standards": len(spec["standards"]),
        "own framework statements": statements,
    }
