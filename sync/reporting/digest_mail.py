"""The weekly digest as an email: the report's tables and charts, the charts as inline
images (cid:) the message carries, each with its text alternative, and a plain-text part
with the same tables for mail clients that show no HTML. A week with nothing to report
says so in one line.

Headers are built as the reminders' are (`mail.message`): the recipient must be one bare
address, every other text is cleaned of line breaks before it becomes a header."""
from __future__ import annotations

import hashlib
from datetime import datetime
from email import policy, utils
from email.message import EmailMessage

from markupsafe import escape

from mail.message import header_text, mailbox, message_id

from sync.core.digest_plan import Digest
from sync.reporting.charts import Chart, charts
from sync.reporting.html import as_of_line, report_html


def subject(digest: Digest, programme: str) -> str:
    return f"{programme}: weekly digest, {digest.scope}, week of {digest.week.isoformat()}"


def text_body(digest: Digest, drawn: list[Chart], programme: str) -> str:
    """The plain-text part: the tables as aligned text, each chart in words."""
    tables = digest.tables
    if digest.empty:
        return empty_line(digest) + "\n"
    parts = [f"{programme}: weekly digest for {digest.scope}", as_of_line(tables), ""]
    for chart in drawn:
        parts += [chart.title, chart.text, ""]
    for name, frame in tables.named().items():
        parts += [name, frame.to_string(index=False, na_rep="") if not frame.empty else "None.", ""]
    return "\n".join(parts)


def empty_line(digest: Digest) -> str:
    units = digest.tables.participation.columns[1].lower()
    return f"Nothing to report this week for {digest.scope}: no {units} and nothing overdue."


def content_id(chart: Chart, digest: Digest, domain: str) -> str:
    token = hashlib.sha256(f"{digest.key}:{chart.name}".encode("utf-8")).hexdigest()[:16]
    return f"{chart.name}.{token}@{domain}"


def build_digest(digest: Digest, *, programme: str, from_address: str, reply_to: str | None, domain: str,
                 date: datetime) -> EmailMessage:
    """The digest email: text, and HTML with the charts as related inline images."""
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("date: the send time must carry a time zone")
    drawn = [] if digest.empty else charts(digest.tables, digest.tables.milestones.columns[0])
    cids = {chart.name: content_id(chart, digest, domain) for chart in drawn}
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = header_text(subject(digest, programme))
    message["From"] = mailbox("from", from_address)
    message["To"] = mailbox("to", digest.to, bare=True)
    if reply_to:
        message["Reply-To"] = mailbox("reply_to", reply_to)
    message["Date"] = utils.format_datetime(date)
    message["Message-ID"] = message_id(digest.key, domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text_body(digest, drawn, programme), cte="quoted-printable")
    if digest.empty:
        html = f"<!DOCTYPE html><html><body><p>{escape(empty_line(digest))}</p></body></html>"
    else:
        html = report_html(digest.tables, drawn, f"{programme}: {digest.scope}",
                           source=lambda chart: f"cid:{cids[chart.name]}")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    html_part = message.get_payload()[1]
    for chart in drawn:
        html_part.add_related(chart.png, "image", "png", cid=f"<{cids[chart.name]}>",
                              filename=f"{chart.name}.png", disposition="inline")
    return message
