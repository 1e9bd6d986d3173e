"""Framework files: the YAML the shipped frameworks are written in, and the CSV (or Excel) an admin can
make in a spreadsheet. docs/framework-import.md describes both for people.

`parse()` turns either into a `FrameworkFile` and reports every problem it finds by line and column,
never only the first, so a person can fix a file in one go. It needs no database: the checks that do
(a name a shipped framework already has, a version label already used) are `importer.check()`'s.
`write_csv()` and `write_yaml()` produce the same formats, for the downloadable templates and for a
copy of a version to complete or adapt.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .models import Service

MAX_BYTES = 1024 * 1024
MAX_STANDARDS = 200
MAX_STATEMENTS = 2000
MAX_TEXT = 4000


class FileError(Exception):
    """The upload cannot be read at all; the message is for the person who chose it."""


@dataclass
class Problem:
    line: int | None  # None: the file as a whole
    column: int | None
    what: str  # the column's or field's name, as the person sees it in their file
    message: str
    letters: bool = False  # CSV columns are shown as spreadsheet letters

    @property
    def column_name(self):
        if self.column is None:
            return self.what
        place = _letter(self.column) if self.letters else str(self.column)
        return f"{place} ({self.what})" if self.what else place

    @property
    def sort_key(self):
        return (self.line or 0, self.column or 0)


@dataclass
class StatementRow:
    number: str
    text: str
    is_checked: bool
    citation: str
    line: int | None


@dataclass
class StandardRow:
    number: str
    title: str
    is_checked: bool
    citation: str
    line: int | None
    statements: list = field(default_factory=list)


@dataclass
class FrameworkFile:
    file_format: str
    details: dict = field(default_factory=dict)  # field name -> cleaned value
    standards: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # field name -> the Cell it came from, for later problems

    @property
    def statement_count(self):
        return sum(len(standard.statements) for standard in self.standards)

    def problem(self, name, message):
        """A problem with a detail found later (importer.check), placed where the detail is."""
        cell = self.cells.get(name)
        label = cell_what(name, self.file_format == "csv")
        if cell is None:
            self.problems.append(Problem(None, None, label, message))
        else:
            self.problems.append(Problem(cell.line, cell.column, label, message, letters=self.file_format == "csv"))
        self.problems.sort(key=lambda p: p.sort_key)


# --- What a file holds ------------------------------------------------------------------------------

# (field, CSV label, YAML section, YAML key, required, maximum length)
DETAILS = [
    ("key", "Key", "framework", "key", False, 80),
    ("name", "Framework name", "framework", "name", True, 250),
    ("short_name", "Short name", "framework", "short_name", True, 60),
    ("service", "Service", "framework", "service", True, None),
    ("publisher", "Publisher", "framework", "publisher", False, 200),
    ("description", "Description", "framework", "description", False, MAX_TEXT),
    ("label", "Version", "version", "label", True, 60),
    ("effective_from", "In force from", "version", "in_force_from", False, None),
    ("effective_to", "In force until", "version", "in_force_until", False, None),
    ("source", "Source", "version", "source", False, 300),
    ("source_url", "Source address", "version", "source_address", False, 500),
    ("checked_note", "What was checked", "version", "what_was_checked", False, MAX_TEXT),
    ("missing_standards", "Standards not included", "version", "standards_not_included", False, None),
]
DETAIL_LABELS = {name: (label, key) for name, label, _section, key, _required, _length in DETAILS}
# Only the shipped files name a stable key; an organisation's framework gets one from its short name.
SHIPPED_ONLY = {"key"}

# CSV table columns: (field, heading, other headings people might use)
COLUMNS = [
    ("standard", "Standard", ["standard number"]),
    ("statement", "Statement", ["statement number"]),
    ("text", "Text", ["title or text", "title", "wording"]),
    ("checked", "Checked", ["checked against the published text"]),
    ("citation", "Citation", ["citation address"]),
]
STANDARD_KEYS = ["number", "title", "checked", "citation", "statements"]
STATEMENT_KEYS = ["number", "text", "checked", "citation"]

SERVICE_WORDS = {
    "adults": Service.ADULTS,
    "adult": Service.ADULTS,
    "adultsocialcare": Service.ADULTS,
    "adultsservices": Service.ADULTS,
    "children": Service.CHILDREN,
    "child": Service.CHILDREN,
    "childrens": Service.CHILDREN,
    "childrenandfamilies": Service.CHILDREN,
    "childandfamily": Service.CHILDREN,
    "childrensservices": Service.CHILDREN,
    "any": Service.ANY,
    "both": Service.ANY,
    "all": Service.ANY,
    "adultsandchildren": Service.ANY,
    "childrenandadults": Service.ANY,
}
YES = {"yes", "y", "true", "1", "x", "checked"}
NO = {"no", "n", "false", "0", "", "notchecked"}


def _key(text):
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def _letter(column):
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Cell:
    """A value as the file had it, and where."""

    text: str
    line: int | None
    column: int | None
    what: str


# --- Reading bytes ----------------------------------------------------------------------------------


def read_upload(data, filename):
    """(file format, text) from an upload's bytes. Excel workbooks become CSV text, row for row, so
    the preview's line numbers are the spreadsheet's row numbers. Raises FileError."""
    name = filename.lower()
    if not data:
        raise FileError("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise FileError("The selected file must be smaller than 1 MB")
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return "csv", _xlsx_as_csv(data)
    if b"\x00" in data:
        raise FileError("The selected file must be a CSV, Excel (.xlsx) or YAML file")
    text = decode(data)
    if name.endswith((".yaml", ".yml")):
        return "yaml", text
    if name.endswith((".csv", ".txt")):
        return "csv", text
    # No telling extension: a YAML framework file starts with one of its sections.
    if re.match(r"\s*(#.*\n\s*)*(framework|version|standards)\s*:", text):
        return "yaml", text
    raise FileError("The selected file must be a CSV, Excel (.xlsx) or YAML file")


def decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError("The selected file must be saved as UTF-8 text (in Excel, choose 'CSV UTF-8')")


def _xlsx_as_csv(data):
    from openpyxl import load_workbook

    unreadable = "The selected file could not be opened as an Excel workbook. Save it again as .xlsx or CSV."
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook fails in zipfile, zlib, XML or openpyxl itself
        raise FileError(unreadable) from error
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            writer.writerow([_excel_cell(value) for value in row])
    except Exception as error:  # read-only mode reads lazily: damage can surface mid-sheet
        raise FileError(unreadable) from error
    finally:
        workbook.close()
    return out.getvalue()


def _excel_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Parsing ------------------------------------------------------------------------------------------


def parse(text, file_format, *, shipped=False):
    """A FrameworkFile from the text of a CSV or YAML framework file, with every problem found."""
    result = FrameworkFile(file_format=file_format)
    reader = _read_csv if file_format == "csv" else _read_yaml
    details, standards = reader(text, result.problems, shipped)
    if details is not None:
        _check(result, details, standards, shipped)
    result.problems.sort(key=lambda p: p.sort_key)
    return result


class _Problems:
    """Collects problems with the file format's way of naming columns."""

    def __init__(self, problems, letters):
        self.problems = problems
        self.letters = letters

    def add(self, cell_or_line, message, what=None, column=None):
        if isinstance(cell_or_line, Cell):
            cell = cell_or_line
            self.problems.append(Problem(cell.line, cell.column, what or cell.what, message, self.letters))
        else:
            self.problems.append(Problem(cell_or_line, column, what or "", message, self.letters))


# CSV: details first (name in column A, value in B), then the table of standards and statements.


def _read_csv(text, problems, shipped):
    found = _Problems(problems, letters=True)
    labels = {_key(label): name for name, label, *_rest in DETAILS if shipped or name not in SHIPPED_ONLY}
    labels |= {_key(key): name for name, _label, _section, key, *_rest in DETAILS if shipped or name not in SHIPPED_ONLY}
    details, standards, columns = {}, [], None
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            cells = [value.strip() for value in row]
            if not any(cells):
                continue
            if columns is None:
                columns = _table_columns(cells)
                if columns is not None:
                    header_line = start
                    continue
                _csv_detail(cells, start, labels, details, found)
                continue
            _csv_row(cells, start, columns, standards, found)
    except csv.Error as error:
        found.add(line, f"The file could not be read as CSV: {error}. Check for a stray quotation mark.")
        return None, None
    if columns is None:
        found.add(
            None,
            "The file has no table of standards. Add a row with the headings Standard, Statement and Text, "
            "then a row for each standard and statement.",
        )
        return details, []
    missing = [heading for name, heading, _other in COLUMNS[:3] if name not in columns]
    if missing:
        found.add(header_line, f"The table of standards needs a column headed {' and '.join(missing)}", "headings")
        return details, []
    return details, _group(standards, found)


def _table_columns(cells):
    """{field: column index} when this row is the table's heading row, else None."""
    names = {}
    for name, heading, others in COLUMNS:
        for candidate in (heading, *others):
            if _key(candidate) in [_key(c) for c in cells]:
                names[name] = [_key(c) for c in cells].index(_key(candidate))
                break
    return names if "standard" in names and "text" in names else None


def _csv_detail(cells, line, labels, details, found):
    name = labels.get(_key(cells[0]))
    if name is None:
        known = ", ".join(label for name, label, *_rest in DETAILS if name in labels.values())
        found.add(
            line,
            f"'{cells[0]}' is not a detail Trellis knows. Use one of: {known}. If this row is the table of "
            "standards, its headings must be Standard, Statement and Text.",
            "detail",
            1,
        )
        return
    label = DETAIL_LABELS[name][0]
    if name in details:
        found.add(line, f"{label} is given twice (also on line {details[name].line}). Keep one.", label, 2)
        return
    details[name] = Cell(cells[1] if len(cells) > 1 else "", line, 2, label)


@dataclass
class _Row:
    standard: Cell
    statement: Cell | None
    text: Cell
    checked: Cell | None
    citation: Cell | None
    line: int


def _csv_row(cells, line, columns, rows, found):
    def cell(name):
        if name not in columns:
            return None
        index = columns[name]
        heading = next(heading for n, heading, _other in COLUMNS if n == name)
        return Cell(cells[index] if index < len(cells) else "", line, index + 1, heading)

    row = _Row(cell("standard"), cell("statement"), cell("text"), cell("checked"), cell("citation"), line)
    if not row.standard.text:
        if row.statement is not None and row.statement.text:
            found.add(row.standard, "Enter the number of the standard this statement belongs to")
        else:
            found.add(row.standard, "Enter the standard's number")
        return
    rows.append(row)


def _group(rows, found):
    """Standards with their statements, from the CSV's rows: a row with no statement number is a
    standard; a statement joins the standard whose number it gives, wherever that is in the file."""
    standards, by_number = [], {}
    for row in rows:
        if row.statement is None or not row.statement.text:
            raw = {"number": row.standard, "title": row.text, "checked": row.checked, "citation": row.citation}
            raw["line"], raw["statements"] = row.line, []
            standards.append(raw)
            by_number.setdefault(_number(row.standard.text), raw)
    for row in rows:
        if row.statement is None or not row.statement.text:
            continue
        parent = by_number.get(_number(row.standard.text))
        if parent is None:
            found.add(
                row.standard,
                f"Statement {row.statement.text} is under standard {row.standard.text}, which is not in the file. "
                f"Add a row for standard {row.standard.text}, or correct the standard's number.",
            )
            continue
        parent["statements"].append(
            {"number": row.statement, "text": row.text, "checked": row.checked, "citation": row.citation, "line": row.line}
        )
    return standards


# YAML: read as a tree of nodes, not Python values, so each value keeps its line and column, and
# numbers stay as written ("1.10" is not 1.1).


def _read_yaml(text, problems, shipped):
    found = _Problems(problems, letters=False)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "it is not valid YAML"
        found.add(
            mark.line + 1 if mark else None,
            f"The file is not valid YAML: {reason}. Check the indentation and quotation marks.",
            "",
            mark.column + 1 if mark else None,
        )
        return None, None
    except yaml.YAMLError as error:
        found.add(None, f"The file is not valid YAML: {error}")
        return None, None
    if root is None:
        found.add(None, "The file is empty")
        return None, None
    walker = _Walker(found)
    top = walker.mapping(root, "the file", ["framework", "version", "standards"])
    if top is None:
        return None, None
    details = {}
    for section in ("framework", "version"):
        if section not in top:
            found.add(_line(root), f"The file has no '{section}' section. Add it: see the template.", section)
            continue
        allowed = [key for name, _l, sec, key, *_r in DETAILS if sec == section and (shipped or name not in SHIPPED_ONLY)]
        values = walker.mapping(top[section][1], section, allowed)
        for name, _label, sec, key, *_rest in DETAILS:
            if sec == section and values and key in values:
                key_node, value_node = values[key]
                if name == "missing_standards":
                    details[name] = walker.numbers(value_node, key)
                else:
                    details[name] = walker.text(value_node, key)
    standards = []
    if "standards" not in top:
        found.add(_line(root), "The file has no 'standards' section. Add one: see the template.", "standards")
    else:
        for node in walker.sequence(top["standards"][1], "standards"):
            values = walker.mapping(node, "standard", STANDARD_KEYS)
            if values is None:
                continue
            raw = {"line": _line(node), "statements": []}
            for key in ("number", "title", "checked", "citation"):
                raw[key] = walker.text(values[key][1], key) if key in values else None
            if "statements" in values:
                for child in walker.sequence(values["statements"][1], "statements"):
                    item = walker.mapping(child, "statement", STATEMENT_KEYS)
                    if item is None:
                        continue
                    statement = {"line": _line(child)}
                    for key in STATEMENT_KEYS:
                        statement[key] = walker.text(item[key][1], key) if key in item else None
                    raw["statements"].append(statement)
            standards.append(raw)
    return details, standards


def _line(node):
    return node.start_mark.line + 1


class _Walker:
    def __init__(self, found):
        self.found = found
        self.seen = set()

    def _visit(self, node, what):
        # An alias is the same node met twice; expanding them is how YAML "bombs" work.
        if id(node) in self.seen:
            self.found.add(_line(node), "Anchors and aliases (& and *) are not supported: write the text out", what)
            return False
        self.seen.add(id(node))
        return True

    def mapping(self, node, what, allowed):
        if not self._visit(node, what):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.found.add(_line(node), f"Expected {what} to have named fields ({', '.join(allowed)})", what)
            return None
        values = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if key not in allowed:
                self.found.add(
                    _line(key_node),
                    f"'{key}' is not a field of {what}. Use {', '.join(allowed)}.",
                    key,
                    key_node.start_mark.column + 1,
                )
                continue
            if key in values:
                self.found.add(_line(key_node), f"'{key}' is given twice. Keep one.", key, key_node.start_mark.column + 1)
                continue
            values[key] = (key_node, value_node)
        return values

    def sequence(self, node, what):
        if not self._visit(node, what):
            return []
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.found.add(_line(node), f"Expected {what} to be a list, each item starting with '- '", what)
            return []
        return node.value

    def text(self, node, what):
        if not self._visit(node, what):
            return Cell("", _line(node), node.start_mark.column + 1, what)
        if not isinstance(node, yaml.ScalarNode):
            self.found.add(_line(node), f"Expected {what} to be text, not a list or fields", what, node.start_mark.column + 1)
            return Cell("", _line(node), node.start_mark.column + 1, what)
        value = "" if node.tag == "tag:yaml.org,2002:null" else node.value.strip()
        return Cell(value, _line(node), node.start_mark.column + 1, what)

    def numbers(self, node, what):
        if isinstance(node, yaml.SequenceNode) and self._visit(node, what):
            items = [self.text(child, what) for child in node.value]
            text = ", ".join(item.text for item in items)
            return Cell(text, _line(node), node.start_mark.column + 1, what)
        return self.text(node, what)


# --- Checking: the same for both formats ------------------------------------------------------------


_url = URLValidator(schemes=["http", "https"])


def _number(text):
    """Numbers as people write them: '4', '4.' and ' 4 ' are the same standard."""
    return text.strip().rstrip(".").strip()


def _date(text):
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _check(result, details, standards, shipped):
    letters = result.file_format == "csv"
    found = _Problems(result.problems, letters)
    # Messages name a detail as people say it; the column says where it is in this format.
    human = {name: labels[0] for name, labels in DETAIL_LABELS.items()}
    clean = {}
    for name, _label, _section, yaml_key, required, length in DETAILS:
        cell = details.get(name)
        if cell is not None:
            cell.what = human[name] if letters else yaml_key
            result.cells[name] = cell
        text = cell.text if cell is not None else ""
        if not text:
            if required:
                if cell is not None:
                    found.add(cell, f"Enter the {human[name].lower()}")
                else:
                    where = f"Add a row '{human[name]}' above the table" if letters else f"Add '{yaml_key}'"
                    found.add(None, f"The file does not give the {human[name].lower()}. {where}.", cell_what(name, letters))
            clean[name] = None if name in ("effective_from", "effective_to") else ""
            continue
        if length and len(text) > length:
            found.add(cell, f"{human[name]} must be {length} characters or fewer")
        clean[name] = text
    if shipped and not clean.get("key"):
        found.add(None, "A shipped framework file must give the framework's key", "key")
    service = details.get("service")
    if service is not None and service.text:
        clean["service"] = SERVICE_WORDS.get(_key(service.text))
        if clean["service"] is None:
            found.add(service, "Service must be adults, children or both")
    for name in ("effective_from", "effective_to"):
        cell = details.get(name)
        if cell is not None and cell.text:
            clean[name] = _date(cell.text)
            if clean[name] is None:
                found.add(cell, f"{human[name]} must be a real date, like 18/05/2018 or 2018-05-18")
    if clean.get("effective_from") and clean.get("effective_to") and clean["effective_to"] < clean["effective_from"]:
        found.add(details["effective_to"], "In force until must be the same as or after in force from")
    url = details.get("source_url")
    if url is not None and url.text and not _valid_url(url.text):
        found.add(url, "Source address must be a web address starting https:// or http://")
    missing = details.get("missing_standards")
    clean["missing_standards"] = []
    if missing is not None and missing.text:
        clean["missing_standards"] = [_number(n) for n in re.split(r"[,;]", missing.text) if _number(n)]
    result.details = clean
    result.standards = _check_standards(standards, found)
    numbers = {standard.number for standard in result.standards}
    for number in clean["missing_standards"]:
        if number in numbers:
            found.add(missing, f"Standard {number} is in the file, so it cannot also be listed as not included")
    if not standards and not any(p.message.startswith("The file has no") for p in result.problems):
        found.add(None, "The file has no standards. Add at least one.", "standards")


def cell_what(name, letters):
    """How a detail is named in a file of this format: 'In force from' in CSV, 'in_force_from' in YAML."""
    label, yaml_key = DETAIL_LABELS[name]
    return label if letters else yaml_key


def _valid_url(text):
    try:
        _url(text)
    except ValidationError:
        return False
    return len(text) <= 500


def _flag(cell, found):
    if cell is None or not cell.text:
        return False
    value = _key(cell.text)
    if value in YES:
        return True
    if value not in NO:
        found.add(cell, f"{cell.what.capitalize()} must be yes or no")
    return False


def _citation(cell, found):
    if cell is None or not cell.text:
        return ""
    if not _valid_url(cell.text):
        found.add(cell, "Citation must be a web address starting https:// or http://")
    return cell.text


def _check_standards(raws, found):
    standards, first_line = [], {}
    if len(raws) > MAX_STANDARDS:
        found.add(raws[MAX_STANDARDS]["line"], f"A framework can have at most {MAX_STANDARDS} standards")
        raws = raws[:MAX_STANDARDS]
    total = 0
    for raw in raws:
        number_cell = raw["number"] or Cell("", raw["line"], None, "number")
        title_cell = raw["title"] or Cell("", raw["line"], None, "title")
        number = _number(number_cell.text)
        if not number:
            found.add(number_cell, "Enter the standard's number")
        elif len(number) > 20:
            found.add(number_cell, "A standard's number must be 20 characters or fewer")
        elif number in first_line:
            found.add(
                number_cell,
                f"Standard {number} appears twice (also on line {first_line[number]}). Give each standard its own number.",
            )
        else:
            first_line[number] = number_cell.line
        title = title_cell.text
        if not title:
            found.add(title_cell, f"Enter the title of standard {number}" if number else "Enter the standard's title")
        elif len(title) > 300:
            found.add(title_cell, "A standard's title must be 300 characters or fewer")
        standard = StandardRow(
            number=number,
            title=title,
            is_checked=_flag(raw["checked"], found),
            citation=_citation(raw["citation"], found),
            line=raw["line"],
        )
        seen = {}
        for item in raw["statements"]:
            total += 1
            if total > MAX_STATEMENTS:
                found.add(item["line"], f"A framework can have at most {MAX_STATEMENTS} statements")
                break
            cell = item["number"] or Cell("", item["line"], None, "number")
            text_cell = item["text"] or Cell("", item["line"], None, "text")
            statement_number = _number(cell.text)
            if not statement_number:
                found.add(cell, f"Enter the number of this statement under standard {number}")
            elif len(statement_number) > 20:
                found.add(cell, "A statement's number must be 20 characters or fewer")
            elif statement_number in seen:
                found.add(
                    cell,
                    f"Statement {statement_number} appears twice under standard {number} (also on line "
                    f"{seen[statement_number]}). Give each statement its own number.",
                )
            else:
                seen[statement_number] = cell.line
            if not text_cell.text:
                found.add(
                    text_cell,
                    f"Enter the text of statement {statement_number}" if statement_number else "Enter the statement's text",
                )
            elif len(text_cell.text) > MAX_TEXT:
                found.add(text_cell, f"A statement's text must be {MAX_TEXT} characters or fewer")
            standard.statements.append(
                StatementRow(
                    number=statement_number,
                    text=text_cell.text,
                    is_checked=_flag(item["checked"], found),
                    citation=_citation(item["citation"], found),
                    line=item["line"],
                )
            )
        standards.append(standard)
    return standards


# --- Writing ------------------------------------------------------------------------------------------


def _service_word(service):
    return {Service.ADULTS: "adults", Service.CHILDREN: "children", Service.ANY: "both"}.get(service, "")


def _yes_no(value):
    return "yes" if value else "no"


def write_csv(details, standards):
    """The CSV format: details, a blank row, then the table. `details` as FrameworkFile.details."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for name, label, *_rest in DETAILS:
        if name in SHIPPED_ONLY:
            continue
        value = details.get(name)
        if name == "service":
            value = _service_word(value)
        elif name == "missing_standards":
            value = ", ".join(value or [])
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        writer.writerow([label, value or ""])
    writer.writerow([])
    writer.writerow([heading for _name, heading, _other in COLUMNS])
    for standard in standards:
        writer.writerow([standard.number, "", standard.title, _yes_no(standard.is_checked), standard.citation])
        for statement in standard.statements:
            writer.writerow(
                [standard.number, statement.number, statement.text, _yes_no(statement.is_checked), statement.citation]
            )
    # A byte-order mark so that Excel opens it as UTF-8 (curly quotes, accents) rather than guessing.
    return "\ufeff" + out.getvalue()


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def write_yaml(details, standards, *, key=None):
    framework = {"key": key} if key else {}
    version = {}
    for name, _label, section, yaml_key, *_rest in DETAILS:
        if name in SHIPPED_ONLY:
            continue
        value = details.get(name)
        if name == "service":
            value = _service_word(value)
        if name == "missing_standards":
            value = list(value or [])
        if value in (None, "", []) and name not in ("name", "short_name", "service", "label"):
            continue
        (framework if section == "framework" else version)[yaml_key] = value
    data = {
        "framework": framework,
        "version": version,
        "standards": [
            {
                "number": standard.number,
                "title": standard.title,
                **({"checked": True} if standard.is_checked else {}),
                **({"citation": standard.citation} if standard.citation else {}),
                "statements": [
                    {
                        "number": statement.number,
                        "text": statement.text,
                        **({"checked": True} if statement.is_checked else {}),
                        **({"citation": statement.citation} if statement.citation else {}),
                    }
                    for statement in standard.statements
                ],
            }
            for standard in standards
        ],
    }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
