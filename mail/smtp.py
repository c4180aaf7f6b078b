"""Sends reminders through a district's own mail server over SMTP.

SMTP offers no way to ask "did that message go out?", so this sender is at-most-once: a
send interrupted by a crash is left in the ledger for a coordinator to check, never sent
again blindly. The password is handed in by the caller (who reads it from the
environment); it is kept out of repr, str and every error this module raises, even when a
server echoes what it was sent.
"""
from __future__ import annotations

import base64
import smtplib
import ssl
from email.message import EmailMessage

from mail.message import SendError

SECURITY_MODES = ("starttls", "ssl", "none")
# Enough of a server's reply to explain a refusal without filling a problem row.
REPLY_LIMIT = 200

__all__ = ["SECURITY_MODES", "SendError", "SmtpSender"]


class SmtpSender:
    """One connection per `send`, or one session for many sends inside `with sender:`."""

    at_least_once_safe = False

    def __init__(self, host: str, port: int, security: str, username: str | None = None,
                 password: str | None = None, timeout: float = 30, *,
                 ssl_context: ssl.SSLContext | None = None):
        if security not in SECURITY_MODES:
            raise ValueError(f"security must be one of {', '.join(SECURITY_MODES)}, not {security!r}")
        if username and security == "none":
            raise ValueError("refusing to send an SMTP password over an unencrypted connection; "
                             "use security 'starttls' or 'ssl'")
        if bool(username) != bool(password):
            raise ValueError("SMTP username and password go together: give both or neither")
        self.host, self.port, self.security, self.username, self.timeout = host, port, security, username, timeout
        self._password = password
        self._ssl_context = ssl_context or ssl.create_default_context()
        self._session: smtplib.SMTP | None = None

    def __repr__(self) -> str:
        password = "'***'" if self._password else "None"
        return (f"SmtpSender(host={self.host!r}, port={self.port}, security={self.security!r}, "
                f"username={self.username!r}, password={password})")

    def __enter__(self) -> SmtpSender:
        self._session = self._connect()
        return self

    def __exit__(self, *exc_info) -> None:
        session, self._session = self._session, None
        if session is not None:
            _close(session)

    def send(self, message: EmailMessage) -> str:
        """Hands `message` to the server; returns its Message-ID once the server accepted it."""
        message_id = message["Message-ID"]
        if not message_id:
            raise ValueError("a reminder must carry a Message-ID before it is sent")
        if self._session is not None:
            self._deliver(self._session, message)
            return message_id
        session = self._connect()
        try:
            self._deliver(session, message)
        finally:
            _close(session)
        return message_id

    def find_sent(self, message_id: str) -> None:
        """SMTP cannot look into sent mail: whether a crashed send went out is unknown."""
        return None

    def _connect(self) -> smtplib.SMTP:
        session = None
        try:
            if self.security == "ssl":
                session = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._ssl_context)
            else:
                session = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                session.starttls(context=self._ssl_context)
            if self.username:
                session.login(self.username, self._password)
            return session
        except Exception as error:
            if session is not None:
                _close(session)
            raise self._send_error(error) from None

    def _deliver(self, session: smtplib.SMTP, message: EmailMessage) -> None:
        try:
            session.send_message(message)
        except Exception as error:
            raise self._send_error(error) from None

    def _send_error(self, error: Exception) -> SendError:
        """A SendError saying what went wrong, with every trace of the password removed.
        Raised `from None`, so no unredacted server reply rides along in a traceback."""
        reason, transient = _classify(error, f"{self.host}:{self.port}")
        return SendError(self._redact(reason), transient=transient)

    def _redact(self, text: str) -> str:
        if not self._password:
            return text
        secrets = {self._password,
                   base64.b64encode(self._password.encode()).decode(),
                   base64.b64encode(f"\0{self.username}\0{self._password}".encode()).decode()}
        for secret in secrets:
            text = text.replace(secret, "***")
        return text


def _classify(error: Exception, server: str) -> tuple[str, bool]:
    """(reason, transient) for an error from smtplib, ssl or the network."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"{server} refused the login ({_reply(error.smtp_code, error.smtp_error)})", False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{who}: {_reply(code, text)}" for who, (code, text) in error.recipients.items())
        temporary = all(400 <= code < 500 for code, _text in error.recipients.values())
        return f"{server} refused every recipient ({refused})", temporary
    if isinstance(error, smtplib.SMTPResponseException):
        # 4xx replies are the server asking to try later; 5xx are refusals.
        return f"{server} refused the message ({_reply(error.smtp_code, error.smtp_error)})", \
            400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"{server} does not support what this message needs: {error}", False
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"{server} closed the connection unexpectedly", True
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"the certificate of {server} could not be verified: {error.verify_message}", False
    if isinstance(error, ssl.SSLError):
        return f"a secure connection to {server} could not be set up: {error.reason}", False
    if isinstance(error, OSError):
        return f"could not reach {server}: {error.strerror or type(error).__name__}", True
    return f"sending through {server} failed: {type(error).__name__}: {error}", False


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())[:REPLY_LIMIT]}"


def _close(session: smtplib.SMTP) -> None:
    """Ends the session politely; a server already gone is not an error at this point."""
    try:
        session.quit()
    except (smtplib.SMTPException, OSError):
        session.close()
