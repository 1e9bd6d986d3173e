"""Property tests for the HR import's parsers: whatever an HR system exports, they read it or say why.

No database: these exercise reading bytes and parsing cells only.
"""

import csv
import datetime
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from trellis.workforce import importer

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
dates = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))
# Cell text as HR systems write it: any printable text, commas, quotes and line breaks included.
cell_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"), max_size=30)
cell = st.one_of(cell_text, st.sampled_from(["", "Smith, Jo", 'say "hi"', "two\nlines", "Ånne Ørsted", "  padded  "]))


@given(day=dates, pattern=st.sampled_from(DATE_FORMATS))
def test_every_supported_date_format_reads_back_as_the_same_day(day, pattern):
    assert importer.parse_date(f"  {day.strftime(pattern)} ") == day


@given(day=dates, time=st.times())
def test_an_iso_date_and_time_is_read_as_its_day(day, time):
    text = f"{day.isoformat()}T{time.strftime('%H:%M:%S')}"
    assert importer.parse_date(text) == day


@given(text=st.text(max_size=40))
def test_any_text_is_a_date_or_none_never_an_error(text):
    assert importer.parse_date(text) is None or isinstance(importer.parse_date(text), datetime.date)


def csv_file(rows, *, bom, blank_rows, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows + [[""] * len(rows[0])] * blank_rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


headers = st.lists(
    st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=12), min_size=1, max_size=6, unique=True
)


@st.composite
def tables(draw):
    header = draw(headers)
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), min_size=1, max_size=8))
    # At least one cell in each row has text, or the row is blank and (rightly) skipped.
    rows = [row if any(c.strip() for c in row) else ["x", *row[1:]] for row in rows]
    return header, rows


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), bom=st.booleans(), blank_rows=st.integers(0, 3))
def test_a_csv_reads_back_cell_for_cell_with_a_bom_and_blank_trailing_rows(table, bom, blank_rows):
    header, rows = table
    read_headers, records = importer.read_table(csv_file([header, *rows], bom=bom, blank_rows=blank_rows), "staff.csv")
    assert read_headers == header
    assert [record for _line, record in records] == [dict(zip(header, [c.strip() for c in row], strict=True)) for row in rows]
    lines = [line for line, _record in records]
    assert lines == sorted(lines) and lines[0] >= 2  # the header is line 1


@given(table=tables(), extra=st.integers(1, 3))
def test_extra_unnamed_columns_are_ignored(table, extra):
    header, rows = table
    wide = [header + [""] * extra, *[row + ["ignored"] * extra for row in rows]]
    read_headers, records = importer.read_table(csv_file(wide, bom=False, blank_rows=0), "staff.csv")
    assert read_headers == header and all(set(record) == set(header) for _line, record in records)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), day=dates.filter(lambda d: d.year >= 1900))
def test_an_xlsx_reads_like_the_csv_and_excel_dates_become_iso_dates(table, day):
    header, rows = table
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*header, "Start date"])
    for row in rows:
        sheet.append([*row, day])
    buffer = io.BytesIO()
    workbook.save(buffer)
    read_headers, records = importer.read_table(buffer.getvalue(), "staff.xlsx")
    assert read_headers == [*header, "Start date"]
    for (_line, record), row in zip(records, rows, strict=True):
        assert [record[h] for h in header] == [c.strip() for c in row]
        assert importer.parse_date(record["Start date"]) == day


@settings(max_examples=300)
@given(data=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", ""]))
def test_any_bytes_are_read_or_refused_with_a_message_never_a_crash(data, name):
    try:
        headers_read, records = importer.read_table(data, name)
    except importer.ImportFileError as error:
        assert str(error)
    else:
        assert headers_read and all(isinstance(line, int) and isinstance(raw, dict) for line, raw in records)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4))
def test_a_damaged_workbook_is_refused_with_a_message(cut, flips):
    workbook = Workbook()
    workbook.active.append(["Employee ID", "Name"])
    workbook.active.append(["E1", "Ann"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = bytearray(buffer.getvalue())
    data = data[: max(4, int(len(data) * cut))]
    for where, value in flips:
        data[min(len(data) - 1, int(len(data) * where))] = value
    try:
        importer.read_table(bytes(data), "f.xlsx")
    except importer.ImportFileError as error:
        assert str(error)
