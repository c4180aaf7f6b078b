"""The demo's PLT Charter, written as a Word file at demo time (no binary kept in git), as
a coordinator would bring theirs to `plt templates add`."""
from __future__ import annotations

import io
from pathlib import Path

CHARTER_LINES = (
    "PLT Charter",
    "PLT name: {{team_name}}",
    "School: {{school}}",
    "Facilitator: {{facilitator_name}}",
    "Area of focus: {{topic}}",
    "Goal type: {{goal_type}}",
    "Regular meeting time: {{meeting_time}}",
    "Members:",
    "{{members}}",
    "Our norms:",
    "Our SMART goal:",
    "Signatures of all members (send the signed charter to the PLT coordinator by November 17):",
    "{{signatures}}",
)


def write_charter(folder: Path) -> Path:
    """`PLT Charter.docx` in `folder`, its placeholders as the Belmont [[template]] names them."""
    from docx import Document

    document = Document()
    document.add_heading(CHARTER_LINES[0], level=1)
    for line in CHARTER_LINES[1:]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    path = folder / "PLT Charter.docx"
    path.write_bytes(out.getvalue())
    return path
