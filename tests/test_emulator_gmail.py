"""Gmail v1 in the emulator, through the real google-api-python-client: charter reminders are
sent, found again by Message-ID after a crash, read back in every format, and listed for the
demo through the admin mail route."""
import base64
import json
import urllib.request
from email.message import EmailMessage

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from sync.google.workspace import connect


@pytest.fixture
def messages(endpoint):
    return connect(None, endpoint).gmail.users().messages()


def _reminder(to="facilitator@belmont.example.org", subject="Team charter due Friday",
              message_id="<t-17.charter.before-3@plt.belmont.example.org>", cc=None):
    msg = EmailMessage()
    msg["From"] = "PLT Coordinator <plt.coordinator@belmont.example.org>"
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Reply-To"] = "plt-help@belmont.example.org"
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content("Your team's charter is due on Friday.")
    msg.add_alternative("<p>Your team's <b>charter</b> is due on Friday.</p>", subtype="html")
    return msg.as_bytes()


def _send(messages, raw: bytes):
    return messages.send(userId="me", body={"raw": base64.urlsafe_b64encode(raw).decode()}).execute()


def _ids(messages, q, **params):
    return [m["id"] for m in messages.list(userId="me", q=q, **params).execute().get("messages", [])]


def _sent_mail(endpoint):
    with urllib.request.urlopen(endpoint + "/_emulator/mail") as resp:
        return json.loads(resp.read())["messages"]


def test_sent_reminder_is_found_by_its_message_id_with_or_without_brackets(messages):
    sent = _send(messages, _reminder())
    _send(messages, _reminder(message_id="<t-18.charter.before-3@plt.belmont.example.org>"))
    assert sent["labelIds"] == ["SENT"]
    assert _ids(messages, "rfc822msgid:<t-17.charter.before-3@plt.belmont.example.org>") == [sent["id"]]
    assert _ids(messages, "rfc822msgid:t-17.charter.before-3@plt.belmont.example.org") == [sent["id"]]
    assert _ids(messages, "rfc822msgid:t-99.charter@plt.belmont.example.org") == []


def test_message_without_message_id_gets_one_that_finds_it(messages):
    sent = _send(messages, _reminder(message_id=None))
    headers = messages.get(userId="me", id=sent["id"], format="metadata",
                           metadataHeaders=["Message-ID"]).execute()["payload"]["headers"]
    [message_id] = [h["value"] for h in headers]
    assert message_id.startswith("<") and message_id.endswith(">")
    assert _ids(messages, f"rfc822msgid:{message_id}") == [sent["id"]]


def test_search_terms_combine_as_and(messages):
    first = _send(messages, _reminder(to="ana@belmont.example.org", subject="Charter due", message_id="<a@x>"))
    _send(messages, _reminder(to="ben@belmont.example.org", subject="Charter due", message_id="<b@x>"))
    _send(messages, _reminder(to="ana@belmont.example.org", subject="Meeting notes", message_id="<c@x>"))
    assert _ids(messages, "in:sent to:ana@belmont.example.org subject:charter") == [first["id"]]
    assert len(_ids(messages, "from:plt.coordinator@belmont.example.org in:sent")) == 3
    assert len(_ids(messages, 'subject:"charter due" -to:ben@belmont.example.org')) == 1
    assert _ids(messages, "to:nobody@belmont.example.org") == []


def test_max_results_pages_newest_first(messages):
    sent = [_send(messages, _reminder(message_id=f"<m{i}@x>"))["id"] for i in range(5)]
    first = messages.list(userId="me", maxResults=2).execute()
    second = messages.list(userId="me", maxResults=2, pageToken=first["nextPageToken"]).execute()
    third = messages.list(userId="me", maxResults=2, pageToken=second["nextPageToken"]).execute()
    listed = [m["id"] for page in (first, second, third) for m in page["messages"]]
    assert listed == list(reversed(sent))
    assert "nextPageToken" not in third and first["resultSizeEstimate"] == 5


def test_full_format_parses_headers_and_parts(messages):
    sent = _send(messages, _reminder(cc="principal@belmont.example.org"))
    full = messages.get(userId="me", id=sent["id"]).execute()
    payload = full["payload"]
    headers = {h["name"]: h["value"] for h in payload["headers"]}
    assert headers["Subject"] == "Team charter due Friday"
    assert headers["Cc"] == "principal@belmont.example.org"
    assert payload["mimeType"] == "multipart/alternative"
    plain, rich = payload["parts"]
    assert (plain["partId"], plain["mimeType"], rich["mimeType"]) == ("0", "text/plain", "text/html")
    assert base64.urlsafe_b64decode(plain["body"]["data"]).decode() == "Your team's charter is due on Friday.\n"
    assert full["snippet"] == "Your team&#x27;s charter is due on Friday."


def test_metadata_format_returns_only_the_asked_headers(messages):
    sent = _send(messages, _reminder())
    meta = messages.get(userId="me", id=sent["id"], format="metadata", metadataHeaders=["Subject", "To"]).execute()
    assert [h["name"] for h in meta["payload"]["headers"]] == ["To", "Subject"]
    assert "parts" not in meta["payload"]


def test_raw_format_returns_the_message_as_sent(messages):
    raw = _reminder()
    sent = _send(messages, raw)
    got = messages.get(userId="me", id=sent["id"], format="raw").execute()
    assert base64.urlsafe_b64decode(got["raw"]).endswith(raw)
    assert got["sizeEstimate"] >= len(raw)


def test_minimal_format_has_no_payload(messages):
    sent = _send(messages, _reminder())
    minimal = messages.get(userId="me", id=sent["id"], format="minimal").execute()
    assert minimal["id"] == sent["id"] and minimal["labelIds"] == ["SENT"]
    assert "payload" not in minimal and "raw" not in minimal


def test_bare_carriage_return_in_a_header_adds_no_header(endpoint, messages):
    raw = (b"From: plt.coordinator@belmont.example.org\r\nTo: facilitator@belmont.example.org\r\n"
           b"Subject: Charter\rBcc: outsider@evil.example\r\n\r\nHello\r\n")
    sent = _send(messages, raw)
    headers = messages.get(userId="me", id=sent["id"], format="metadata").execute()["payload"]["headers"]
    names = [h["name"] for h in headers]
    assert "Bcc" not in names and names.count("Subject") == 1
    [mail] = _sent_mail(endpoint)
    assert mail["bcc"] == [] and mail["to"] == ["facilitator@belmont.example.org"]


def test_folded_header_is_one_header(messages):
    raw = (b"From: plt.coordinator@belmont.example.org\r\nTo: facilitator@belmont.example.org\r\n"
           b"Subject: Charter reminder for\r\n  Team 17\r\nX-PLT-Key: t-17\r\n\r\nHello\r\n")
    sent = _send(messages, raw)
    headers = messages.get(userId="me", id=sent["id"], format="metadata").execute()["payload"]["headers"]
    subjects = [h["value"] for h in headers if h["name"] == "Subject"]
    assert subjects == ["Charter reminder for  Team 17"]
    assert [h["value"] for h in headers if h["name"] == "X-PLT-Key"] == ["t-17"]


def test_admin_mail_lists_what_was_sent_with_bodies(endpoint, messages):
    sent = _send(messages, _reminder(cc="principal@belmont.example.org"))
    [mail] = _sent_mail(endpoint)
    assert mail["id"] == sent["id"] and mail["threadId"] == sent["threadId"]
    assert mail["messageId"] == "<t-17.charter.before-3@plt.belmont.example.org>"
    assert mail["from"] == "PLT Coordinator <plt.coordinator@belmont.example.org>"
    assert (mail["to"], mail["cc"]) == (["facilitator@belmont.example.org"], ["principal@belmont.example.org"])
    assert mail["replyTo"] == "plt-help@belmont.example.org"
    assert mail["subject"] == "Team charter due Friday" and mail["date"]
    assert mail["text"] == "Your team's charter is due on Friday.\n"
    assert "<b>charter</b>" in mail["html"]


def test_upload_form_of_send_is_accepted(messages):
    media = MediaInMemoryUpload(_reminder(), mimetype="message/rfc822")
    sent = messages.send(userId="me", media_body=media).execute()
    assert _ids(messages, "rfc822msgid:t-17.charter.before-3@plt.belmont.example.org") == [sent["id"]]


def test_send_is_counted_under_its_discovery_method_id(endpoint, messages):
    _send(messages, _reminder())
    with urllib.request.urlopen(endpoint + "/_emulator/stats") as resp:
        stats = json.loads(resp.read())
    assert stats["by_method"]["gmail.users.messages.send"] == 1


def test_reply_joins_the_thread_of_the_reminder(messages):
    first = _send(messages, _reminder())
    reply = EmailMessage()
    reply["From"], reply["To"], reply["Subject"] = "plt.coordinator@belmont.example.org", "a@x.org", "Re: charter"
    reply["In-Reply-To"] = "<t-17.charter.before-3@plt.belmont.example.org>"
    reply.set_content("Following up.")
    assert _send(messages, reply.as_bytes())["threadId"] == first["threadId"]


@pytest.mark.parametrize("raw", [b"From: plt.coordinator@belmont.example.org\r\nSubject: no one\r\n\r\nHello", b""])
def test_message_without_recipients_or_content_answers_400(messages, raw):
    with pytest.raises(HttpError) as excinfo:
        messages.send(userId="me", body={"raw": base64.urlsafe_b64encode(raw).decode()}).execute()
    assert excinfo.value.resp.status == 400


def test_unknown_message_and_other_mailbox_are_refused(messages):
    with pytest.raises(HttpError) as excinfo:
        messages.get(userId="me", id="0000000000000000").execute()
    assert excinfo.value.resp.status == 404
    with pytest.raises(HttpError) as excinfo:
        messages.list(userId="someone.else@belmont.example.org").execute()
    assert excinfo.value.resp.status == 403
