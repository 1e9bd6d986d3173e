"""Reading framework files: every problem reported by line and column, in CSV, Excel and YAML."""

import csv
import datetime
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellis.frameworks import fileformat, importer
from trellis.frameworks.fileformat import FileError, parse, read_upload

VALID_CSV = """Framework name,Northshire practice supervision standards
Short name,Northshire standards
Service,Adults
Publisher,Northshire County Council
Version,2026
In force from,01/04/2026
In force until,31/03/2029
Source,Practice supervision handbook
Source address,https://intranet.example.org.uk/handbook
Standards not included,9

Standard,Statement,Text,Checked,Citation
1,,Leading reflective supervision,no,
1,1.1,"I agree a supervision agreement, and review it.",,
1,1.2,I make time for reflection.,,
2,,Developing the team,yes,https://example.org.uk/standards
2,2.1,I use observations of practice.,yes,
"""

VALID_YAML = """framework:
  name: Northshire practice supervision standards
  short_name: Northshire standards
  service: adults
  publisher: Northshire County Council
version:
  label: "2026"
  in_force_from: 2026-04-01
  in_force_until: 31/03/2029
  source: Practice supervision handbook
  source_address: https://intranet.example.org.uk/handbook
  standards_not_included: ["9"]
standards:
  - number: "1"
    title: Leading reflective supervision
    checked: no
    statements:
      - number: "1.1"
        text: I agree a supervision agreement, and review it.
      - number: "1.2"
        text: I make time for reflection.
  - number: 2
    title: Developing the team
    checked: yes
    citation: https://example.org.uk/standards
    statements:
      - number: 2.1
        text: I use observations of practice.
        checked: true
"""


def _shape(parsed):
    return [
        (s.number, s.title, s.is_checked, s.citation, [(t.number, t.text, t.is_checked) for t in s.statements])
        for s in parsed.standards
    ]


EXPECTED = [
    (
        "1",
        "Leading reflective supervision",
        False,
        "",
        [("1.1", "I agree a supervision agreement, and review it.", False), ("1.2", "I make time for reflection.", False)],
    ),
    ("2", "Developing the team", True, "https://example.org.uk/standards", [("2.1", "I use observations of practice.", True)]),
]


@pytest.mark.parametrize(("text", "file_format"), [(VALID_CSV, "csv"), (VALID_YAML, "yaml")], ids=["csv", "yaml"])
def test_a_valid_file_reads_the_same_in_either_format(text, file_format):
    parsed = parse(text, file_format)
    assert parsed.problems == []
    assert _shape(parsed) == EXPECTED
    assert parsed.statement_count == 3
    details = parsed.details
    assert details["name"] == "Northshire practice supervision standards"
    assert details["service"] == "adults"
    assert details["effective_from"] == datetime.date(2026, 4, 1)
    assert details["effective_to"] == datetime.date(2029, 3, 31)
    assert details["missing_standards"] == ["9"]


def test_writing_and_reading_back_gives_the_same_framework():
    parsed = parse(VALID_CSV, "csv")
    for writer, file_format in ((fileformat.write_csv, "csv"), (fileformat.write_yaml, "yaml")):
        text = writer(parsed.details, parsed.standards).lstrip("\ufeff")
        again = parse(text, file_format)
        assert again.problems == [], file_format
        assert _shape(again) == EXPECTED
        assert {k: v for k, v in again.details.items() if k != "key"} == {k: v for k, v in parsed.details.items() if k != "key"}


@pytest.mark.parametrize("file_format", ["csv", "yaml"])
def test_the_downloadable_templates_are_valid(file_format):
    details, rows = importer.example()
    writer = fileformat.write_csv if file_format == "csv" else fileformat.write_yaml
    parsed = parse(writer(details, rows).lstrip("\ufeff"), file_format)
    assert parsed.problems == []
    assert len(parsed.standards) == 2


# --- Reading the upload ------------------------------------------------------------------------------


def test_a_csv_with_a_byte_order_mark_reads_as_utf8():
    data = ("\ufeff" + VALID_CSV.replace("reflection", "réflexion – ‘quoted’")).encode("utf-8")
    file_format, text = read_upload(data, "standards.csv")
    assert file_format == "csv"
    parsed = parse(text, file_format)
    assert parsed.problems == []
    assert parsed.details["name"] == "Northshire practice supervision standards"  # not "\ufeffFramework name"
    assert parsed.standards[0].statements[1].text == "I make time for réflexion – ‘quoted’."


def test_a_windows_encoded_csv_is_read():
    data = VALID_CSV.replace("reflection", "reflection – ‘quoted’").encode("cp1252")
    file_format, text = read_upload(data, "standards.csv")
    parsed = parse(text, file_format)
    assert parsed.standards[0].statements[1].text == "I make time for reflection – ‘quoted’."


def test_an_excel_workbook_is_read_like_a_csv_with_its_row_numbers():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["Framework name", "Excel standards"],
        ["Short name", "Excel"],
        ["Service", "Children"],
        ["Version", 2026],
        ["In force from", datetime.date(2026, 4, 1)],
        [],
        ["Standard", "Statement", "Text"],
        [1, None, "First"],
        [1, 1.1, "First statement"],
        [2, None, None],
    ]:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    file_format, text = read_upload(data.getvalue(), "standards.xlsx")
    parsed = parse(text, file_format)
    assert parsed.details["label"] == "2026"
    assert parsed.details["effective_from"] == datetime.date(2026, 4, 1)
    assert [(p.line, p.column_name) for p in parsed.problems] == [(10, "C (Text)")]
    assert parsed.standards[0].statements[0].number == "1.1"


def test_a_yaml_file_is_recognised_by_its_name_or_its_first_section():
    assert read_upload(VALID_YAML.encode(), "framework.yml")[0] == "yaml"
    assert read_upload(VALID_YAML.encode(), "framework")[0] == "yaml"
    assert read_upload(VALID_CSV.encode(), "framework.txt")[0] == "csv"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.csv", "The selected file is empty"),
        (b"x" * (fileformat.MAX_BYTES + 1), "x.csv", "smaller than 1 MB"),
        (b"\x00\x01\x02binary", "x.csv", "must be a CSV, Excel (.xlsx) or YAML file"),
        (b"PK\x03\x04 not really a workbook", "x.xlsx", "could not be opened as an Excel workbook"),
        (b"Some notes", "notes.docx", "must be a CSV, Excel (.xlsx) or YAML file"),
    ],
)
def test_an_unreadable_upload_says_why(data, filename, message):
    with pytest.raises(FileError, match=re.escape(message)):
        read_upload(data, filename)


# --- Every problem, by line and column ---------------------------------------------------------------


def _problems(text, file_format="csv"):
    return [(p.line, p.column_name, p.message) for p in parse(text, file_format).problems]


def _csv_with(details="", table=""):
    head = "Framework name,Test standards\nShort name,Test\nService,adults\nVersion,1\n"
    rows = "1,,First\n1,1.1,First statement\n"
    return head + details + "\nStandard,Statement,Text,Checked,Citation\n" + (table or rows)


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        (_csv_with(table="1,,First\n1,,Again\n"), 8, "A (Standard)", "Standard 1 appears twice (also on line 7)"),
        (
            _csv_with(table="1,,First\n2,2.1,Orphan\n"),
            8,
            "A (Standard)",
            "Statement 2.1 is under standard 2, which is not in the file",
        ),
        (_csv_with(table="1,,\n"), 7, "C (Text)", "Enter the title of standard 1"),
        (_csv_with(table="1,,First\n1,1.1,\n"), 8, "C (Text)", "Enter the text of statement 1.1"),
        (
            _csv_with(table="1,,First\n1,1.1,A\n1,1.1,B\n"),
            9,
            "B (Statement)",
            "Statement 1.1 appears twice under standard 1 (also on line 8)",
        ),
        (
            _csv_with(table="1,,First\n,1.1,Where?\n"),
            8,
            "A (Standard)",
            "Enter the number of the standard this statement belongs to",
        ),
        (_csv_with(table="1,,First,maybe\n"), 7, "D (Checked)", "Checked must be yes or no"),
        (_csv_with(table="1,,First,yes,not a web address\n"), 7, "E (Citation)", "Citation must be a web address"),
        (_csv_with(table="1,,First\n" + "1,1.1," + "x" * 4001 + "\n"), 8, "C (Text)", "4000 characters or fewer"),
        (_csv_with(table="1,,First " + "x" * 300 + "\n"), 7, "C (Text)", "300 characters or fewer"),
        (_csv_with("In force from,31/02/2026\n"), 5, "B (In force from)", "In force from must be a real date"),
        (
            _csv_with("In force from,2026-04-01\nIn force until,2026-03-31\n"),
            6,
            "B (In force until)",
            "must be the same as or after in force from",
        ),
        (_csv_with("Source address,intranet page\n"), 5, "B (Source address)", "Source address must be a web address"),
        (
            _csv_with("Standards not included,1\n"),
            5,
            "B (Standards not included)",
            "Standard 1 is in the file, so it cannot also be listed",
        ),
        (_csv_with("Colour,blue\n"), 5, "A (detail)", "'Colour' is not a detail Trellis knows"),
        (_csv_with("Version,2\n"), 5, "B (Version)", "Version is given twice (also on line 4)"),
        (_csv_with().replace("Service,adults", "Service,kids"), 3, "B (Service)", "Service must be adults, children or both"),
        (_csv_with().replace("Version,1", "Version,"), 4, "B (Version)", "Enter the version"),
        (
            _csv_with().replace("Short name,Test\n", ""),
            None,
            "Short name",
            "The file does not give the short name. Add a row 'Short name' above the table.",
        ),
        (
            _csv_with().replace("Test standards", "T" * 251),
            1,
            "B (Framework name)",
            "Framework name must be 250 characters or fewer",
        ),
        (
            _csv_with().replace("Standard,Statement,Text,Checked,Citation", "Number,Wording"),
            6,
            "A (detail)",
            "'Number' is not a detail",
        ),
        (_csv_with(table="\n"), None, "standards", "The file has no standards. Add at least one."),
        ('Framework name,"Unclosed\n', None, None, "The file has no table of standards"),
    ],
)
def test_each_problem_in_a_csv_is_reported_by_line_and_column(text, line, column, fragment):
    problems = _problems(text)
    matching = [p for p in problems if fragment in p[2]]
    assert matching, problems
    if column is not None:
        assert (matching[0][0], matching[0][1]) == (line, column), problems


def test_the_table_columns_can_be_in_any_order_and_other_columns_are_ignored():
    text = "Framework name,T\nShort name,T\nService,both\nVersion,1\n\nText,Notes,Statement,Standard\n"
    text += "First,ignore me,,1\nFirst statement,,1.1,1\n"
    parsed = parse(text, "csv")
    assert parsed.problems == []
    assert _shape(parsed) == [("1", "First", False, "", [("1.1", "First statement", False)])]


def test_every_problem_is_reported_not_only_the_first():
    text = _csv_with("In force from,yesterday\n", table="1,,\n1,,Again\n3,3.1,Orphan\n")
    assert [(line, column) for line, column, _message in _problems(text)] == [
        (5, "B (In force from)"),
        (8, "C (Text)"),
        (9, "A (Standard)"),
        (10, "A (Standard)"),
    ]


@pytest.mark.parametrize(
    ("change", "line", "column", "fragment"),
    [
        (("service: adults", "service: kids"), 4, "12 (service)", "Service must be adults, children or both"),
        (("  publisher:", "  colour: red\n  publisher:"), 5, "3 (colour)", "'colour' is not a field of framework"),
        (("  - number: 2\n", '  - number: "1"\n'), 22, "13 (number)", "Standard 1 appears twice (also on line 14)"),
        (("        text: I make time for reflection.\n", ""), 20, "text", "Enter the text of statement 1.2"),
        (("    title: Developing the team\n", ""), 22, "title", "Enter the title of standard 2"),
        (('label: "2026"', "label: [2026]"), 7, "10 (label)", "Expected label to be text"),
        (
            ("in_force_from: 2026-04-01", "in_force_from: 2026-13-01"),
            8,
            "18 (in_force_from)",
            "In force from must be a real date",
        ),
        (("  - number: 2\n", "  - number: 2\n   bad: indent\n"), 23, "", "not valid YAML"),
    ],
)
def test_each_problem_in_yaml_is_reported_by_line_and_column(change, line, column, fragment):
    text = VALID_YAML.replace(*change)
    assert text != VALID_YAML
    problems = _problems(text, "yaml")
    matching = [p for p in problems if fragment in p[2]]
    assert matching, problems
    assert matching[0][0] == line, problems
    if column:
        assert matching[0][1] == column, problems


def test_yaml_numbers_stay_as_written():
    parsed = parse(VALID_YAML.replace('number: "1.2"', "number: 1.10"), "yaml")
    assert parsed.standards[0].statements[1].number == "1.10"


def test_yaml_anchors_and_aliases_are_refused():
    text = VALID_YAML.replace("title: Leading reflective supervision", "title: &t Leading reflective supervision").replace(
        "title: Developing the team", "title: *t"
    )
    assert any("Anchors and aliases" in message for _line, _column, message in _problems(text, "yaml"))


@pytest.mark.parametrize(
    ("text", "fragment"), [("", "The file is empty"), ("- a\n- b\n", "Expected the file to have named fields")]
)
def test_a_yaml_file_that_is_not_a_framework_says_so(text, fragment):
    assert any(fragment in message for _line, _column, message in _problems(text, "yaml"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_no_text_makes_the_reader_fail(text):
    """Whatever someone uploads, they get a list of problems, never an error page."""
    for file_format in ("csv", "yaml"):
        parsed = parse(text, file_format)
        assert parsed.problems or parsed.standards


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='12.ab ,"\n', max_size=6), max_size=5), max_size=12))
def test_no_table_of_cells_makes_the_csv_reader_fail(rows):
    out = io.StringIO()
    csv.writer(out).writerows([["Framework name", "X"], ["Standard", "Statement", "Text"], *rows])
    parse(out.getvalue(), "csv")
