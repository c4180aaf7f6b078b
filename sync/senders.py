"""The reminder sender a config asks for: Gmail through the API, or an SMTP relay whose
credentials come from environment variables named in the config (never the file)."""
from __future__ import annotations

from typing import Mapping

from mail.gmail import GmailSender
from mail.sender import Sender
from mail.smtp import SmtpSender

from sync.google.errors import classify
from sync.google.workspace import Workspace


def sender_from_settings(settings, workspace: Workspace, environ: Mapping[str, str]) -> Sender:
    mail = settings.mail
    if mail.backend == "gmail":
        return GmailSender(workspace.gmail, classify=classify)
    smtp = mail.smtp
    username = environ.get(smtp.username_env) if smtp.username_env else None
    password = environ.get(smtp.password_env) if smtp.password_env else None
    return SmtpSender(smtp.host, smtp.port, smtp.security, username=username, password=password)
