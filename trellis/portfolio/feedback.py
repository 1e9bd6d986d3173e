"""Feedback on the pathway from a cohort's supervisors and mentors (seed 002, Full implementation):
the questions a questionnaire starts with, and its results with small numbers suppressed.

Results leave `results()` already suppressed, the way `insights.figures` does it for equality figures,
so neither the page nor the spreadsheet can show a count that picks someone out:

- how many answered a rating question is shown for everyone; per role (supervisors, mentors) the two
  counts are suppressed together (`suppress`), since everyone minus one role gives the other;
- each rating's count for everyone is suppressed with `suppress`: 1 to 4 shows as "fewer than 5", and
  a count that could be worked out from the others is "not shown";
- an average is shown only beside a distribution with nothing hidden: with a count hidden, the
  average and the shown counts together would give it away;
- the roles' distributions and averages are shown only when every count in both can be, for the same
  reason (everyone minus one role is the other);
- written answers are listed only once at least 5 people have answered, and when the questionnaire is
  anonymous in a shuffled order with no role, so neither order nor role points at anyone.
"""

import io
import random
from collections import Counter, defaultdict

import xlsxwriter
from django.utils import timezone

from trellis.insights.figures import FEWER_THAN_5, NOT_SHOWN, SMALL, suppress
from trellis.pathway.exports import safe

from .exports import XLSX, long_date
from .models import Answer, Question, QuestionnaireResponse

DEFAULT_INTRODUCTION = (
    "Your cohort has finished the pathway. Tell us how it went, so we can improve it for the next supervisors. "
    "It takes about 5 minutes."
)
# (kind, text): a mix of ratings and written answers, about what the pathway asks of people (seed 002).
DEFAULT_QUESTIONS = [
    (Question.Kind.SCALE, "How well did mentoring support development against the standards?"),
    (Question.Kind.SCALE, "How useful was collecting evidence and linking it to the standards?"),
    (Question.Kind.SCALE, "How manageable was the pathway alongside day-to-day work?"),
    (Question.Kind.SCALE, "How helpful was the reviewer's feedback?"),
    (Question.Kind.SCALE, "Overall, how would you rate your experience of the pathway?"),
    (Question.Kind.TEXT, "What helped most?"),
    (Question.Kind.TEXT, "What should we change for the next cohort?"),
]
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {1: "1 (poor)", 2: "2", 3: "3", 4: "4", 5: "5 (excellent)"}
ROLES = [(QuestionnaireResponse.Role.SUPERVISOR, "Supervisors"), (QuestionnaireResponse.Role.MENTOR, "Mentors")]


def answer_field(question):
    """The form field that answers `question`; actions key their refusals by it too."""
    return f"answer_{question.pk.hex}"


def _average(cells):
    answered = sum(cells)
    return f"{sum(value * count for value, count in zip(SCALE, cells, strict=True)) / answered:.1f}"


def _hidden_row(label, answered):
    return {"label": label, "answered": answered, "cells": [NOT_SHOWN] * len(SCALE), "average": None}


def _ratings(counters, counts):
    """The rows of one rating question: everyone, then each role; suppressed (see the module's note)."""
    everyone = [sum(counters[role][value] for role, _ in ROLES) for value in SCALE]
    answered = sum(everyone)
    if answered == 0:
        return [{"label": "Everyone", "answered": "0", "cells": ["0"] * len(SCALE), "average": None}] + [
            {"label": label, "answered": "0", "cells": ["0"] * len(SCALE), "average": None} for _, label in ROLES
        ]
    if answered < SMALL:
        return [_hidden_row("Everyone", FEWER_THAN_5)] + [_hidden_row(label, NOT_SHOWN) for _, label in ROLES]
    marks = suppress(everyone)
    rows = [
        {
            "label": "Everyone",
            "answered": str(answered),
            "cells": [mark or str(count) for mark, count in zip(marks, everyone, strict=True)],
            "average": None if any(marks) else _average(everyone),
        }
    ]
    role_counts = [counts[role] for role, _ in ROLES]
    role_marks = suppress(role_counts)
    distributions = [[counters[role][value] for value in SCALE] for role, _ in ROLES]
    roles_clear = not any(role_marks) and all(count == 0 or count >= SMALL for cells in distributions for count in cells)
    for (_, label), mark, count, cells in zip(ROLES, role_marks, role_counts, distributions, strict=True):
        if roles_clear:
            rows.append(
                {
                    "label": label,
                    "answered": str(count),
                    "cells": [str(c) for c in cells],
                    "average": _average(cells) if count else None,
                }
            )
        else:
            rows.append(_hidden_row(label, mark or str(count)))
    return rows


def results(questionnaire, asked=None):
    """The questionnaire's results per question, suppressed. Three queries, whatever the numbers.

    `asked` is {role: how many were asked}, for the response rate (the page knows the cohort).
    """
    questions = list(questionnaire.questions.all())
    responses = dict(questionnaire.responses.values_list("pk", "role"))
    answers = list(
        Answer.objects.filter(response__questionnaire=questionnaire).values_list(
            "question_id", "response_id", "rating", "text", "response__respondent__user__full_name"
        )
    )
    total = len(responses)
    by_role = Counter(responses.values())
    role_marks = suppress([by_role[role] for role, _ in ROLES]) if total >= SMALL else [NOT_SHOWN] * len(ROLES)
    ratings = defaultdict(lambda: {role: Counter() for role, _ in ROLES})
    rated = defaultdict(Counter)
    writing = defaultdict(list)
    for question_id, response_id, rating, text, name in answers:
        role = responses[response_id]
        if rating is not None:
            ratings[question_id][role][rating] += 1
            rated[question_id][role] += 1
        if text.strip():
            writing[question_id].append({"response": str(response_id), "text": text.strip(), "name": name, "role": role})
    enough = total >= SMALL
    rows = []
    for question in questions:
        row = {"question": question, "is_scale": question.kind == Question.Kind.SCALE}
        if row["is_scale"]:
            row["groups"] = _ratings(ratings[question.pk], rated[question.pk])
        else:
            written = writing[question.pk]
            row["answered"] = len(written)
            if not enough:
                row["answers"] = None
            elif questionnaire.anonymous:
                # Sorted by the response's random id, then shuffled: the order says nothing about who or when.
                written = sorted(written, key=lambda a: a["response"])
                random.Random(questionnaire.pk.int).shuffle(written)
                row["answers"] = [{"text": a["text"]} for a in written]
            else:
                labels = dict(QuestionnaireResponse.Role.choices)
                row["answers"] = [
                    {"text": a["text"], "name": a["name"] or "Not known", "role": labels[a["role"]]}
                    for a in sorted(written, key=lambda a: (a["name"] or "", a["text"]))
                ]
        rows.append(row)
    return {
        "questionnaire": questionnaire,
        "total": total,
        "enough": enough,
        "asked": asked or {},
        "roles": [
            {"label": label, "answered": mark or str(by_role[role]), "asked": (asked or {}).get(role)}
            for (role, label), mark in zip(ROLES, role_marks, strict=True)
        ],
        "questions": rows,
        "small": SMALL,
    }


def results_to_xlsx(report):
    """The results as Excel, suppressed exactly as on the page."""
    questionnaire = report["questionnaire"]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    heading = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1, "text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})

    sheet = book.add_worksheet("Ratings")
    sheet.write(0, 0, safe(f"{questionnaire.cohort.name}: feedback on the pathway"), heading)
    sheet.write(1, 0, f"Exported {long_date(timezone.localdate())}. {report['total']} answered.")
    sheet.write(
        2,
        0,
        f"Counts from 1 to {SMALL - 1} show as '{FEWER_THAN_5}'; a count that could be worked out from the others, "
        f"and any average beside a hidden count, as '{NOT_SHOWN}'.",
    )
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 8, 13)
    sheet.write_row(4, 0, ["Question", "Who", "Answered", *SCALE_LABELS.values(), "Average"], header)
    line = 5
    for row in report["questions"]:
        if not row["is_scale"]:
            continue
        for group in row["groups"]:
            values = [row["question"].text, group["label"], group["answered"], *group["cells"], group["average"] or NOT_SHOWN]
            sheet.write_row(line, 0, [safe(v) for v in values], cell)
            line += 1

    sheet = book.add_worksheet("Written answers")
    named = not questionnaire.anonymous
    sheet.set_column(0, 0, 45)
    sheet.set_column(1, 1, 80)
    sheet.set_column(2, 3, 22)
    sheet.write_row(0, 0, ["Question", "Answer", *(["Name", "Role"] if named else [])], header)
    line = 1
    for row in report["questions"]:
        if row["is_scale"]:
            continue
        if row["answers"] is None:
            sheet.write_row(line, 0, [safe(row["question"].text), f"Shown once at least {SMALL} people have answered."], cell)
            line += 1
            continue
        for answer in row["answers"]:
            values = [row["question"].text, answer["text"], *([answer["name"], answer["role"]] if named else [])]
            sheet.write_row(line, 0, [safe(v) for v in values], cell)
            line += 1
    book.close()
    return buffer.getvalue(), XLSX
