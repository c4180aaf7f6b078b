"""Converting an upload into a Google Doc, as Drive does when the upload's metadata asks
for application/vnd.google-apps.document.

A Word document (.docx) becomes its paragraphs in order, table cells included (a charter's
signature table), read with python-docx; plain text becomes its lines. Other types answer
a 400 naming the type: the emulator does not convert them, and says so instead of making
an empty document.
"""
from __future__ import annotations

import io
import zipfile

from .core import ApiError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"


def converted_paragraphs(content: bytes, content_type: str | None) -> list[str]:
    """The paragraphs of the Google Doc an upload of `content_type` converts to."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == DOCX:
        return _docx_paragraphs(content)
    if kind == TEXT:
        text = content.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        return text.removesuffix("\n").split("\n")
    raise ApiError(400, f"The emulator does not convert {kind or 'an upload without a type'} to a Google Doc; "
                        f"it converts {DOCX} and {TEXT}.", reason="badContent")


def _docx_paragraphs(content: bytes) -> list[str]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ApiError(400, "The uploaded file is not a Word document that can be converted.",
                       reason="badContent") from None
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                paragraphs += [p.text for cell in row.cells for p in cell.paragraphs]
        else:
            paragraphs.append(block.text)
    # A line break inside a paragraph is a vertical tab in a Google Doc's text.
    return [p.replace("\n", "\v") for p in paragraphs] or [""]
