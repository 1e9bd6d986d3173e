"""Portfolio exports (tagged PDF, Word) and the cohort summary (Excel), each read back and checked.

The portfolio goes through the whole workflow with the app's own actions: returned once with feedback,
submitted again, recommended as borderline, second-marked and agreed by a moderator, and signed off.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from trellis.audit.models import AuditEvent
from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard, Statement
from trellis.portfolio import actions, exports
from trellis.portfolio.models import EvidenceItem, PortfolioItem
from trellis.tenancy.tests.factories import MembershipFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

REFLECTION = "I held the group's anxiety about a complex case.\nThen I helped them think about what to do next."
RETURN_FEEDBACK = "Add an observation of your supervision to show how you use your authority."


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0))


class World:
    """A cohort with one framework (two standards, the first with two statements), its people, and
    Pia's portfolio with three items: one evidencing both standards, one the first, one neither."""

    def __init__(self, org, admin):
        self.org, self.admin = org, admin
        workforce_actions.ensure_default_career_stages(org)
        framework = Framework.objects.create(key="ps-kss-x", name="Practice supervisor KSS", short_name="PS KSS", service="any")
        version = FrameworkVersion.objects.create(framework=framework, label="2018")
        self.standards = [
            Standard.objects.create(version=version, number=str(n), title=title, position=n, is_checked=True)
            for n, title in ((1, "Effective use of power and authority"), (2, "Emotionally intelligent supervision"))
        ]
        self.statements = [
            Statement.objects.create(standard=self.standards[0], number=f"1.{n}", text=text, position=n, is_checked=True)
            for n, text in ((1, "Uses authority with care."), (2, "Explains decisions openly."))
        ]
        in_use = FrameworkInUse.objects.create(organisation=org, version=version, service="any")
        self.mentor = MembershipFactory(organisation=org, roles=["mentor"], user__full_name="Maya Mentor")
        self.reviewer = MembershipFactory(organisation=org, roles=["reviewer"], user__full_name="Rae Reviewer")
        self.moderator = MembershipFactory(organisation=org, roles=["moderator"], user__full_name="Mo Moderator")
        self.cohort = actions.create_cohort(
            actor=admin,
            name="Spring cohort",
            frameworks=[in_use],
            starts_on=datetime.date(2026, 3, 2),
            expected_end_on=datetime.date(2027, 3, 1),
        )
        actions.add_assessor(self.cohort, actor=admin, role="reviewer", person=self.reviewer)
        actions.add_assessor(self.cohort, actor=admin, role="moderator", person=self.moderator)
        self.refs = iter(range(1, 1000))
        self.pia, self.portfolio = self.supervisor("Pia Portfolio")
        self.items = [
            self.item(
                "Group supervision I led", [(0, 0, "I named the risk and held the boundary."), (1, None, "I stayed curious.")]
            ),
            self.item("Observation by my manager", [(0, 1, "My manager saw me explain a decision.")], kind="observation"),
            self.item("Certificate in reflective supervision", [], kind="training_certificate"),
        ]
        actions.add_evidence_file(
            self.items[0], actor=self.pia, upload=SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
        )

    def supervisor(self, name, *, team=None):
        login = MembershipFactory(organisation=self.org, roles=["practice_supervisor"], user__full_name=name)
        person = workforce_actions.create_staff_record(
            actor=self.admin,
            career_stage=CareerStage.objects.get(organisation=self.org, name="Practice supervisor"),
            full_name=name,
            employee_ref=f"EX{next(self.refs)}",
            team=team,
            service="children",
            employment_type="permanent",
            start_date=datetime.date(2020, 1, 6),
            membership=login,
        )
        (portfolio,) = actions.add_supervisors(self.cohort, actor=self.admin, staff=[person])
        return login, actions.assign_portfolio(portfolio, actor=self.admin, mentor=self.mentor, reviewer=self.reviewer)

    def item(self, title, mappings, *, kind="reflective_account", login=None, portfolio=None):
        login, portfolio = login or self.pia, portfolio or self.portfolio
        item = actions.create_evidence_item(
            actor=login,
            staff=portfolio.staff,
            title=title,
            kind=kind,
            occurred_on=datetime.date(2026, 10, 5),
            reflection=REFLECTION,
        )
        for standard, statement, how in mappings:
            actions.add_mapping(
                item,
                actor=login,
                standard=self.standards[standard],
                statement=self.statements[statement] if statement is not None else None,
                how=how,
            )
        actions.add_to_portfolio(item, actor=login, portfolio=portfolio)
        return item

    def all_met(self):
        return {s.pk: (True, "") for s in self.standards}

    def returned_then_recommended(self):
        """Returned once with feedback, submitted again, recommended as a close call (so moderated)."""
        actions.submit(self.portfolio, actor=self.pia, note="My first go.")
        decisions = {self.standards[0].pk: (False, RETURN_FEEDBACK), self.standards[1].pk: (True, "Clear and warm.")}
        actions.decide_review(
            self.portfolio, actor=self.reviewer, outcome="returned", decisions=decisions, feedback="Nearly there."
        )
        actions.submit(self.portfolio, actor=self.pia)
        review = actions.decide_review(
            self.portfolio, actor=self.reviewer, outcome="recommended", decisions=self.all_met(), borderline=True
        )
        moderation = review.moderation
        actions.assign_moderator(moderation, actor=self.admin, moderator=self.moderator)
        return moderation

    def signed_off(self):
        moderation = self.returned_then_recommended()
        actions.second_mark(moderation, actor=self.moderator, decisions=self.all_met(), outcome="recommended")
        actions.record_agreement(moderation, actor=self.moderator, agrees=True)
        actions.sign_off(self.portfolio, actor=self.admin, decision="signed_off")
        self.portfolio.refresh_from_db()


@pytest.fixture
def world(org, admin):
    return World(org, admin)


def url(name, *args):
    return reverse(f"portfolio:{name}", args=["northshire", *args])


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    return " ".join(text.split())


# --- PDF -----------------------------------------------------------------------------------------------------


def test_the_pdf_is_tagged_pdf_ua_with_language_and_title(client_for, world):
    response = client_for(world.pia).get(url("export-pdf", world.portfolio.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="pia-portfolio-portfolio-2026-11-24.pdf"'
    reader, _ = pdf_text(response.content)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Portfolio of evidence: Pia Portfolio"
    assert "pdfuaid:part" in root["/Metadata"].get_object().get_data().decode()


def test_the_pdf_has_evidence_by_standard_coverage_and_every_decision(client_for, world):
    world.signed_off()
    _, text = pdf_text(client_for(world.pia).get(url("export-pdf", world.portfolio.pk)).content)
    text = flat(text)
    for expected in (
        "Portfolio of evidence: Pia Portfolio",
        "Spring cohort, 2 March 2026 to 1 March 2027",
        "Practice supervisor KSS (2018)",
        "Signed off",
        "Maya Mentor",
        "Rae Reviewer",
        # evidence grouped by standard, with how each item evidences it and its reflection
        "PS KSS 1. Effective use of power and authority",
        "PS KSS 2. Emotionally intelligent supervision",
        "How it evidences 1.1 Uses authority with care.",
        "I named the risk and held the boundary.",
        "I held the group's anxiety about a complex case.",
        "Then I helped them think about what to do next.",
        "Reflection: given under PS KSS 1. Effective use of power and authority.",
        "Files: notes.pdf",
        "Evidence not yet linked to a standard",
        "Certificate in reflective supervision",
        # coverage
        "3 evidence items; 2 of 2 standards evidenced.",
        "2 of 2",
        "No statements listed",
        # decisions: both submissions, per standard, moderation, sign-off
        "Submission 1",
        "Note to the reviewer My first go.",
        "Returned for more evidence: decided on 24 November 2026 by Rae Reviewer.",
        "Not yet met",
        RETURN_FEEDBACK,
        "Nearly there.",
        "Submission 2",
        "Recommended: decided on 24 November 2026 by Rae Reviewer.",
        "The moderator agreed with the decision on 24 November 2026.",
        "Signed off on 24 November 2026 by Alex Admin.",
    ):
        assert expected in text, expected
    # A reflection is printed in full once, however many standards its item evidences.
    assert text.count("Then I helped them think about what to do next.") == 3  # three items, one reflection each


def test_the_pdf_fetches_only_our_static_files(world):
    fetcher = exports._static_fetcher()
    css = fetcher.fetch(exports.STATIC_BASE + "portfolio/export.css")
    assert b"@page" in css.read()
    for address in (
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        exports.STATIC_BASE + "../../../etc/passwd",
        exports.STATIC_BASE + "portfolio/../../config/settings.py",
        exports.STATIC_BASE + "portfolio/missing.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(address)


def test_markup_in_a_reflection_is_printed_as_text_and_never_fetched(client_for, world, monkeypatch):
    item = world.items[0]
    item.reflection = '<img src="http://169.254.169.254/x.png"> <link rel="stylesheet" href="file:///etc/passwd">'
    item.save()
    fetched = []
    real = exports._static_fetcher

    def recording():
        fetcher = real()
        original = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(exports, "_static_fetcher", recording)
    _, text = pdf_text(client_for(world.pia).get(url("export-pdf", world.portfolio.pk)).content)
    assert '<img src="http://169.254.169.254/x.png">' in flat(text)
    assert fetched == [exports.STATIC_BASE + "portfolio/export.css"]


def test_a_reviewers_draft_is_not_exported(client_for, world):
    actions.submit(world.portfolio, actor=world.pia)
    actions.save_review(world.portfolio, actor=world.reviewer, decisions={world.standards[0].pk: (False, "Draft thought.")})
    _, text = pdf_text(client_for(world.pia).get(url("export-pdf", world.portfolio.pk)).content)
    assert "Draft thought." not in text
    assert "Waiting for the reviewer's decision." in text


def test_a_moderator_gets_no_decision_before_second_marking(client_for, world):
    moderation = world.returned_then_recommended()
    client = client_for(world.moderator)
    _, text = pdf_text(client.get(url("export-pdf", world.portfolio.pk)).content)
    document = Document(io.BytesIO(client.get(url("export-docx", world.portfolio.pk)).content))
    words = flat(text) + " ".join(p.text for p in document.paragraphs) + docx_cells(document)
    assert RETURN_FEEDBACK not in words and "Nearly there." not in words and "Recommended" not in words
    assert "Decisions are not shown: you are second-marking this portfolio" in flat(text)
    assert "Reviewed (not shown until you have recorded your own decision)" in flat(text)
    event = AuditEvent.objects.filter(verb="exported portfolio").latest("at")
    assert event.changes["decisions included"] == [None, False]

    actions.second_mark(moderation, actor=world.moderator, decisions=world.all_met(), outcome="recommended")
    _, text = pdf_text(client.get(url("export-pdf", world.portfolio.pk)).content)
    assert RETURN_FEEDBACK in flat(text)


def test_every_portfolio_export_is_audited(client_for, world):
    client_for(world.pia).get(url("export-pdf", world.portfolio.pk))
    client_for(world.admin).get(url("export-docx", world.portfolio.pk))
    events = AuditEvent.objects.filter(verb="exported portfolio", target_id=str(world.portfolio.pk)).order_by("at")
    assert [(e.actor_name, e.changes["format"][1]) for e in events] == [("Pia Portfolio", "pdf"), ("Alex Admin", "docx")]


def test_people_who_may_not_see_the_portfolio_cannot_download_it(client_for, world, leader):
    # Maya mentors Pia but Pia has not shared her portfolio yet; a senior leader never sees portfolios.
    for member in (world.mentor, leader):
        assert client_for(member).get(url("export-pdf", world.portfolio.pk)).status_code == 403
    assert not AuditEvent.objects.filter(verb="exported portfolio").exists()


# --- Word ------------------------------------------------------------------------------------------------------


def docx_cells(document):
    return " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_the_word_document_has_real_headings_and_tables(client_for, world):
    world.signed_off()
    response = client_for(world.pia).get(url("export-docx", world.portfolio.pk))
    assert response["Content-Type"] == exports.DOCX
    assert response["Content-Disposition"].endswith('portfolio-2026-11-24.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", "Portfolio of evidence: Pia Portfolio") in headings
    for section in ("About this portfolio", "Evidence by standard", "Coverage", "Decisions"):
        assert ("Heading 1", section) in headings
    for standard in ("PS KSS 1. Effective use of power and authority", "PS KSS 2. Emotionally intelligent supervision"):
        assert ("Heading 2", standard) in headings
    assert ("Heading 2", "Submission 1") in headings and ("Heading 2", "Submission 2") in headings
    assert ("Heading 3", "Group supervision I led") in headings
    assert document.core_properties.title == "Portfolio of evidence: Pia Portfolio"
    assert document.core_properties.language == "en-GB"

    decisions = document.tables[-2]  # submission 1's decisions; the last is submission 2's
    rows = [[cell.text for cell in row.cells] for row in decisions.rows]
    assert rows[0] == ["Standard", "Decision", "Feedback"]
    assert ["PS KSS 1. Effective use of power and authority", "Not yet met", RETURN_FEEDBACK] in rows
    about = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert about["Supervisor"] == "Pia Portfolio" and about["State"] == "Signed off"
    text = " ".join(p.text for p in document.paragraphs)
    assert "Signed off on 24 November 2026 by Alex Admin." in text
    assert "The moderator agreed with the decision on 24 November 2026." in text


def test_exports_take_the_same_queries_however_big_the_portfolio(client_for, world):
    client = client_for(world.pia)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("export-docx", world.portfolio.pk)).status_code == 200
    for n in range(6):
        world.item(f"More evidence {n}", [(0, n % 2, "More."), (1, None, "And more.")])
    world.signed_off()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("export-docx", world.portfolio.pk)).status_code == 200
    assert len(many) == len(few)


# --- Cohort summary -----------------------------------------------------------------------------------------


def test_the_cohort_summary_has_a_row_per_supervisor_and_evidence_per_standard(client_for, world, leader):
    world.signed_off()
    sam_login, sam = world.supervisor('=HYPERLINK("http://evil.example","Sam")')
    world.item("Sam's account", [(1, None, "Kind.")], login=sam_login, portfolio=sam)
    # An item of Pia's also used in another cohort counts only where it is.
    other = actions.create_cohort(
        actor=world.admin,
        name="Autumn cohort",
        frameworks=list(world.cohort.frameworks.all()),
        starts_on=datetime.date(2026, 9, 1),
        expected_end_on=datetime.date(2027, 9, 1),
    )
    (elsewhere,) = actions.add_supervisors(other, actor=world.admin, staff=[world.portfolio.staff])
    extra = world.item("Only in autumn", [(1, None, "Autumn.")], portfolio=elsewhere)
    assert not PortfolioItem.objects.filter(portfolio=world.portfolio, item=extra).exists()

    response = client_for(leader).get(url("cohort-export", world.cohort.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="spring-cohort-summary-2026-11-24.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Supervisors"]
    header = [c.value for c in sheet[4]]
    assert header == exports.SUMMARY_COLUMNS
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)}
    pia = rows["Pia Portfolio"]
    assert pia["Mentor"] == "Maya Mentor" and pia["Reviewer"] == "Rae Reviewer"
    assert pia["State"] == "Signed off"
    assert (pia["Evidence items"], pia["Standards evidenced"], pia["Standards in all"], pia["Submissions"]) == (3, 2, 2, 2)
    assert pia["Latest decision"] == "Recommended (24 November 2026)"
    assert pia["Moderation"] == "Agreed"
    assert pia["Signed off on"].date() == datetime.date(2026, 11, 24)
    # A name that looks like a formula is written as text, not run.
    sam_row = rows['\'=HYPERLINK("http://evil.example","Sam")']
    assert sam_row["State"] == "Draft" and sam_row["Latest decision"] == "Not submitted" and sam_row["Signed off on"] is None
    assert sheet.cell(row=6, column=1).data_type == "s"

    per_standard = book["Evidence per standard"]
    assert [c.value for c in per_standard[4]][:3] == ["Standard", "Evidence items", "Supervisors with evidence"]
    table = {row[0]: row[1:] for row in per_standard.iter_rows(min_row=5, values_only=True)}
    assert table["PS KSS 1. Effective use of power and authority"][:2] == (2, 1)
    assert table["PS KSS 2. Emotionally intelligent supervision"][:2] == (2, 2)

    event = AuditEvent.objects.get(verb="exported cohort summary")
    assert event.actor_name == "Sam Senior" and event.changes["rows"] == [None, 2]


def test_the_cohort_summary_is_for_leads(client_for, world):
    assert client_for(world.pia).get(url("cohort-export", world.cohort.pk)).status_code == 403
    assert client_for(world.moderator).get(url("cohort-export", world.cohort.pk)).status_code == 403


def test_the_cohort_summary_takes_the_same_queries_however_many_supervisors(client_for, world, admin):
    client = client_for(admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("cohort-export", world.cohort.pk)).status_code == 200
    world.signed_off()
    for n in range(4):
        login, portfolio = world.supervisor(f"Supervisor {n}")
        world.item(f"Evidence {n}", [(0, None, "Yes."), (1, None, "Yes.")], login=login, portfolio=portfolio)
        actions.submit(portfolio, actor=login)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("cohort-export", world.cohort.pk)).status_code == 200
    assert len(many) == len(few)
    assert EvidenceItem.objects.count() == 7
