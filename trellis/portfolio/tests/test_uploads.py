"""Evidence files: the type is judged by content (a file that only claims to be a PDF is refused), the
size limit comes from EVIDENCE_MAX_UPLOAD_MB, and files go out only through the download view, to
those the policy allows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.portfolio import actions, uploads
from trellis.portfolio.models import EvidenceFile

from .evidence_world import JPEG_BYTES, PDF_BYTES, PNG_BYTES, build_world, doc_bytes, docx_bytes, upload, zip_bytes


def url(name, *args):
    return reverse(f"portfolio:{name}", args=["northshire", *args])


@pytest.fixture
def world(org, admin):
    return build_world(org, admin)


def refusal(name, content):
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload(name, content))
    return refused.value.message_dict["file"][0]


# --- What a file is ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kept_as"),
    [
        ("reflection.pdf", PDF_BYTES, uploads.PDF, "reflection.pdf"),
        ("photo.PNG", PNG_BYTES, uploads.PNG, "photo.PNG"),
        ("scan.jpeg", JPEG_BYTES, uploads.JPEG, "scan.jpeg"),
        ("account.docx", docx_bytes(), uploads.DOCX, "account.docx"),
        ("old account.doc", doc_bytes(), uploads.DOC, "old account.doc"),
        ("no extension", PDF_BYTES, uploads.PDF, "no extension.pdf"),
        ("really old.docx", doc_bytes(), uploads.DOC, "really old.doc"),
    ],
)
def test_accepted_types_are_recognised_by_content(name, content, content_type, kept_as):
    checked = uploads.check_upload(upload(name, content, content_type="text/plain"))  # the browser's word is ignored
    assert (checked.content_type, checked.name, checked.size) == (content_type, kept_as, len(content))


def test_a_file_that_claims_to_be_a_pdf_but_is_not_is_refused():
    message = refusal("report.pdf", b"MZ\x90\x00 this is a program, not a PDF" * 10)
    assert (
        message == "‘report.pdf’ is not a real PDF: its content is something else. Upload a PDF, a Word document, a PNG or a JPEG"
    )


def test_a_png_named_as_a_pdf_is_refused_saying_what_it_is():
    message = refusal("report.pdf", PNG_BYTES)
    assert message == "‘report.pdf’ is not a real PDF: it is a PNG image. Rename it to end in .png, or upload a real PDF"


def test_a_zip_is_a_word_document_only_if_it_holds_one():
    assert refusal("account.docx", zip_bytes()).startswith("‘account.docx’ is not a real Word document")
    assert uploads.check_upload(upload("archive.zip", zip_bytes(["word/document.xml"]))).name == "archive.zip.docx"
    checked = uploads.check_upload(upload("from a zip", zip_bytes(["word/document.xml", "[Content_Types].xml"])))
    assert checked.content_type == uploads.DOCX and checked.name == "from a zip.docx"


def test_a_file_of_another_type_is_refused():
    assert refusal("notes.txt", b"Just some notes") == "The selected file must be a PDF, a Word document, a PNG or a JPEG"
    assert refusal("broken.docx", b"PK\x03\x04 not really a zip").startswith("‘broken.docx’ is not a real Word document")


def test_an_empty_file_is_refused():
    assert refusal("empty.pdf", b"") == "The selected file is empty"


def test_the_size_limit_comes_from_the_setting(settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    assert refusal("big.pdf", big) == "The selected file must be smaller than 1MB"
    settings.EVIDENCE_MAX_UPLOAD_MB = 2
    assert uploads.check_upload(upload("big.pdf", big)).content_type == uploads.PDF


def test_the_persons_file_name_is_cleaned():
    assert uploads.clean_name("../../etc/pass\x00wd.pdf") == "passwd.pdf"
    assert uploads.clean_name("C:\\Users\\pia\\My notes.pdf") == "My notes.pdf"
    assert uploads.clean_name("...") == "evidence"
    assert len(uploads.clean_name("a" * 300 + ".pdf")) == 200


# --- Adding and removing -------------------------------------------------------------------------------------


def test_a_file_is_stored_under_a_random_name_and_recorded(world):
    item = world.item()
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("My reflection.pdf", PDF_BYTES))
    assert stored.name == "My reflection.pdf" and stored.content_type == uploads.PDF and stored.size == len(PDF_BYTES)
    assert stored.file.name.startswith(f"evidence/{world.org.pk}/") and "reflection" not in stored.file.name
    assert stored.file.storage.exists(stored.file.name)
    assert AuditEvent.objects.get(target_id=str(item.pk), verb="added file").changes == {"file": [None, "My reflection.pdf"]}


def test_a_refused_file_is_not_stored(world):
    item = world.item()
    with pytest.raises(ValidationError):
        actions.add_evidence_file(item, actor=world.pia_login, upload=upload("fake.pdf", b"not a pdf at all"))
    assert not EvidenceFile.objects.exists()


def test_only_the_person_adds_and_removes_files(world):
    item = world.item()
    with pytest.raises(PermissionDenied):
        actions.add_evidence_file(item, actor=world.admin, upload=upload("a.pdf", PDF_BYTES))
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES))
    with pytest.raises(PermissionDenied):
        actions.remove_evidence_file(stored, actor=world.mentor)


def test_a_file_is_removed_from_storage(world):
    item = world.item()
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES))
    storage, name = stored.file.storage, stored.file.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.remove_evidence_file(stored, actor=world.pia_login)
    assert not EvidenceFile.objects.exists() and not storage.exists(name)
    assert AuditEvent.objects.filter(target_id=str(item.pk), verb="removed file").exists()


def test_a_file_the_reviewer_was_sent_is_kept(world):
    item = world.item()
    sent = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("sent.pdf", PDF_BYTES))
    world.submit_with(item)
    world.return_portfolio()
    later = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("later.pdf", PDF_BYTES))
    with pytest.raises(ValidationError) as refused:
        actions.remove_evidence_file(sent, actor=world.pia_login)
    assert "was sent to the reviewer with the portfolio for Spring cohort" in refused.value.messages[0]
    actions.remove_evidence_file(later, actor=world.pia_login)  # never sent: it can go


# --- Through the pages ---------------------------------------------------------------------------------------


def test_uploading_through_the_page(world, client_for):
    item = world.item()
    client = client_for(world.pia_login)
    response = client.post(url("evidence-file-add", item.pk), {})
    assert "Select a file" in response.content.decode()
    response = client.post(url("evidence-file-add", item.pk), {"file": upload("fake.pdf", b"<html>not a pdf</html>")})
    page = response.content.decode()
    assert response.status_code == 200 and "Error: " in page and "is not a real PDF" in page
    response = client.post(url("evidence-file-add", item.pk), {"file": upload("account.docx", docx_bytes())})
    assert response["Location"] == url("evidence", item.pk) + "#files"
    assert item.files.get().content_type == uploads.DOCX


def test_too_large_a_file_is_refused_with_the_limit(world, client_for, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    item = world.item()
    response = client_for(world.pia_login).post(
        url("evidence-file-add", item.pk), {"file": upload("big.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 1))}
    )
    page = response.content.decode()
    assert "The selected file must be smaller than 1MB" in page and "smaller than 1MB." in page  # the hint says it too
    assert not EvidenceFile.objects.exists()


def test_a_download_is_an_attachment_with_the_stored_type(world, client_for):
    item = world.item()
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("My notes.pdf", PDF_BYTES, "text/html"))
    response = client_for(world.pia_login).get(url("evidence-file", stored.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="My notes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_who_may_download(world, client_for, member_with, outsider):
    item = world.item()
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES))
    actions.add_to_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    file_url = url("evidence-file", stored.pk)
    assert client_for(world.admin).get(file_url).status_code == 200
    assert client_for(member_with("senior_leader")).get(file_url).status_code == 403
    # The portfolio's mentor, once it is shared with them; never another mentor.
    assert client_for(world.mentor).get(file_url).status_code == 403
    actions.share_with_mentor(world.portfolio, actor=world.pia_login)
    assert client_for(world.mentor).get(file_url).status_code == 200
    assert client_for(member_with("mentor")).get(file_url).status_code == 403
    # The reviewer, once it is submitted; and still after the item leaves the returned portfolio,
    # because the submission they decided on holds it.
    assert client_for(world.reviewer).get(file_url).status_code == 403
    world.submit_with()
    assert client_for(world.reviewer).get(file_url).status_code == 200
    world.return_portfolio()
    actions.remove_from_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    assert client_for(world.reviewer).get(file_url).status_code == 200
    assert client_for(outsider).get(file_url).status_code == 404


def test_a_file_added_after_submission_is_not_the_reviewers(world, client_for):
    item = world.item()
    world.submit_with(item)
    world.return_portfolio()
    actions.remove_from_portfolio(item, actor=world.pia_login, portfolio=world.portfolio)
    later = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("later.pdf", PDF_BYTES))
    assert client_for(world.reviewer).get(url("evidence-file", later.pk)).status_code == 403


def test_media_is_never_served_at_its_url(world, client_for, settings):
    stored = actions.add_evidence_file(world.item(), actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES))
    response = client_for(world.pia_login).get(settings.MEDIA_URL + stored.file.name)
    assert response.status_code == 404


def test_a_missing_stored_file_is_a_404(world, client_for):
    stored = actions.add_evidence_file(world.item(), actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES))
    stored.file.storage.delete(stored.file.name)
    assert client_for(world.pia_login).get(url("evidence-file", stored.pk)).status_code == 404


def test_removing_a_file_through_the_page(world, client_for):
    item = world.item()
    stored = actions.add_evidence_file(item, actor=world.pia_login, upload=upload("a.pdf", PDF_BYTES))
    client = client_for(world.pia_login)
    assert "Remove ‘a.pdf’?" in client.get(url("evidence-file-delete", stored.pk)).content.decode()
    assert client.post(url("evidence-file-delete", stored.pk))["Location"] == url("evidence", item.pk) + "#files"
    assert not EvidenceFile.objects.exists()
