"""People and records for the evidence tests (unit and browser), built through the apps' own actions:
a framework with two standards (the first with two statements) in a cohort, Pia (a supervisor who
signs in) with a draft portfolio, her mentor and the cohort's reviewer, and Nell, who has no login."""

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trellis.frameworks.models import Framework, FrameworkInUse, FrameworkVersion, Standard, Statement
from trellis.portfolio import actions
from trellis.tenancy.tests.factories import MembershipFactory
from trellis.workforce import actions as workforce_actions
from trellis.workforce.models import CareerStage

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def docx_bytes(text="A reflective account."):
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(names=("notes.txt",)):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "hello")
    return buffer.getvalue()


def doc_bytes():
    """The shape of an old Word file: a Compound File whose directory names Word's stream, with the
    stream not first (so only our own check, not filetype's, recognises it)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\x00") + "WordDocument".encode("utf-16-le").ljust(128, b"\x00")
    return header + b"\x00" * 512 + directory + b"\x00" * 256


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class World:
    org: object
    admin: object
    cohort: object
    framework: object  # the FrameworkInUse
    standards: list
    statements: list  # of the first standard
    pia_login: object
    pia: object
    portfolio: object
    mentor: object
    reviewer: object
    nell: object
    counter: int = 0

    def item(self, title="Group supervision I led", staff=None, actor=None, **fields):
        fields.setdefault("kind", "reflective_account")
        fields.setdefault("occurred_on", timezone.localdate() - datetime.timedelta(days=10))
        return actions.create_evidence_item(actor=actor or self.pia_login, staff=staff or self.pia, title=title, **fields)

    def person(self, name, login=None, service="children"):
        self.counter += 1
        return workforce_actions.create_staff_record(
            actor=self.admin,
            career_stage=CareerStage.objects.get(organisation=self.org, name="Practice supervisor"),
            full_name=name,
            employee_ref=f"EW{self.counter:03d}",
            service=service,
            employment_type="permanent",
            start_date=datetime.date(2019, 9, 2),
            membership=login,
        )

    def submit_with(self, *items):
        """Put the items in Pia's portfolio and submit it; returns the submission."""
        for item in items:
            actions.add_to_portfolio(item, actor=self.pia_login, portfolio=self.portfolio)
        submission = actions.submit(self.portfolio, actor=self.pia_login)
        self.portfolio.refresh_from_db()
        return submission

    def return_portfolio(self):
        decisions = {standard.pk: (False, "More on this, please.") for standard in self.standards}
        actions.decide_review(self.portfolio, actor=self.reviewer, outcome="returned", decisions=decisions, feedback="More.")
        self.portfolio.refresh_from_db()


def build_world(org, admin):
    workforce_actions.ensure_default_career_stages(org)
    framework = Framework.objects.create(key="ps-kss-ev", name="Practice supervisor KSS", short_name="PS KSS", service="any")
    version = FrameworkVersion.objects.create(framework=framework, label="2018")
    standards = [
        Standard.objects.create(version=version, number=str(position), title=title, position=position, is_checked=True)
        for position, title in ((4, "Effective use of power and authority"), (7, "Emotionally intelligent practice supervision"))
    ]
    statements = [
        Statement.objects.create(standard=standards[0], number=f"4.{n}", text=text, position=n, is_checked=True)
        for n, text in ((1, "Use authority with care"), (2, "Model transparent decisions"))
    ]
    in_use = FrameworkInUse.objects.create(organisation=org, version=version, service="any")
    today = timezone.localdate()
    cohort = actions.create_cohort(
        actor=admin,
        name="Spring cohort",
        frameworks=[in_use],
        starts_on=today - datetime.timedelta(days=100),
        expected_end_on=today + datetime.timedelta(days=200),
    )
    reviewer = MembershipFactory(organisation=org, roles=["reviewer"], user__full_name="Rae Reviewer")
    actions.add_assessor(cohort, actor=admin, role="reviewer", person=reviewer)
    mentor = MembershipFactory(organisation=org, roles=["mentor"], user__full_name="Mo Mentor")
    pia_login = MembershipFactory(
        organisation=org, roles=["practice_supervisor"], user__full_name="Pia Supervisor", user__email="pia@northshire.gov.uk"
    )
    world = World(
        org=org,
        admin=admin,
        cohort=cohort,
        framework=in_use,
        standards=standards,
        statements=statements,
        pia_login=pia_login,
        pia=None,
        portfolio=None,
        mentor=mentor,
        reviewer=reviewer,
        nell=None,
    )
    world.pia = world.person("Pia Supervisor", login=pia_login)
    world.nell = world.person("Nell Paper")
    (portfolio,) = actions.add_supervisors(cohort, actor=admin, staff=[world.pia])
    actions.assign_portfolio(portfolio, actor=admin, mentor=mentor, reviewer=reviewer)
    portfolio.refresh_from_db()
    world.portfolio = portfolio
    return world
