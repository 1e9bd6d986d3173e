"""What an evidence file really is, judged by its content, never by its name or the browser's word.

A file is accepted when its bytes are a PDF, a Word document (.docx or the older .doc), a PNG or a
JPEG, and it is no bigger than `EVIDENCE_MAX_UPLOAD_MB`. If its name promises one of those types, the
content must be that type: a file called "report.pdf" that is really something else is refused, so a
reviewer never downloads a file that is not what it says.
"""

import os
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
PNG = "image/png"
JPEG = "image/jpeg"

# What people call each type, and the extension a download is given if its name has none of its own.
ACCEPTED = {
    PDF: ("a PDF", ".pdf"),
    DOCX: ("a Word document", ".docx"),
    DOC: ("a Word document", ".doc"),
    PNG: ("a PNG image", ".png"),
    JPEG: ("a JPEG image", ".jpg"),
}
CLAIMED_BY_EXTENSION = {".pdf": PDF, ".docx": DOCX, ".doc": DOC, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
ALLOWED_TEXT = "a PDF, a Word document, a PNG or a JPEG"
# The header of a Compound File (the container of a .doc), and the name of a Word file's main stream
# as the container's directory spells it (UTF-16).
COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    name: str  # what the download will be called
    content_type: str
    size: int


def max_upload_mb():
    return settings.EVIDENCE_MAX_UPLOAD_MB


def _detect(upload):
    """The accepted content type the bytes are, or None."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime in (PDF, PNG, JPEG, DOC):
        return mime
    if mime in (DOCX, "application/zip") or head.startswith(b"PK\x03\x04"):
        # filetype may call a .docx a plain zip; any zip counts only if it holds a Word document's body.
        # Only the list of names is read: nothing is unpacked.
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return DOCX if "word/document.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    if head.startswith(COMPOUND_FILE):
        # filetype recognises a .doc only when Word's stream comes first in the container; otherwise
        # the container's directory (anywhere in the file) must name Word's stream.
        upload.seek(0)
        return DOC if WORD_STREAM in upload.read() else None
    return None


def clean_name(name):
    """The person's file name, fit to show and to offer as a download: no folders, no control
    characters, not too long."""
    name = os.path.basename(str(name).replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > 200:
        stem, extension = os.path.splitext(name)
        name = stem[: 200 - len(extension)] + extension
    return name or "evidence"


def check_upload(upload):
    """A CheckedFile for an acceptable upload, or a ValidationError on `file` that says what is wrong."""
    limit = max_upload_mb()
    if upload.size == 0:
        raise ValidationError({"file": "The selected file is empty"})
    if upload.size > limit * 1024 * 1024:
        raise ValidationError({"file": f"The selected file must be smaller than {limit}MB"})
    name = clean_name(upload.name)
    extension = os.path.splitext(name)[1].lower()
    claimed = CLAIMED_BY_EXTENSION.get(extension)
    detected = _detect(upload)
    upload.seek(0)
    if claimed is not None and detected != claimed and not (claimed in (DOC, DOCX) and detected in (DOC, DOCX)):
        expected = ACCEPTED[claimed][0].removeprefix("a ")
        if detected is None:
            advice = f"its content is something else. Upload {ALLOWED_TEXT}"
        else:
            advice = f"it is {ACCEPTED[detected][0]}. Rename it to end in {ACCEPTED[detected][1]}, or upload a real {expected}"
        raise ValidationError({"file": f"‘{name}’ is not a real {expected}: {advice}"})
    if detected is None:
        raise ValidationError({"file": f"The selected file must be {ALLOWED_TEXT}"})
    if claimed is None:
        name += ACCEPTED[detected][1]
    elif claimed != detected:
        # A .doc saved with a .docx name, or the other way round: Word opens it either way once named right.
        name = os.path.splitext(name)[0] + ACCEPTED[detected][1]
    return CheckedFile(name=name, content_type=detected, size=upload.size)
