"""Reminders sent through a district's own mail server: a real SMTP server (aiosmtpd) on
loopback, with STARTTLS, implicit TLS, login, refusals and a password that must never leak."""
from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import traceback
from email import message_from_bytes, policy

import pytest
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mail.message import Reminder, SendError, build_message, message_id
from mail.smtp import SmtpSender
from smtp_server import free_port, start_server  # noqa: F401 (start_server is a fixture)

USER, PASSWORD = "plt-mailer@belmont.k12.ma.us", "s3cret-Pa55word!"
DOMAIN = "belmont.k12.ma.us"
# Lines starting with dots: SMTP escapes them on the wire, and they must arrive unchanged.
LETTER = "Dear Jane Doe,\n\nThe charter is due on Friday.\n.\n..signed, please\n"


def check_password(server, session, envelope, mechanism, auth_data):
    accepted = auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    return AuthResult(success=accepted, handled=False, auth_data=auth_data)


def echoing_server(server, session, envelope, mechanism, auth_data):
    """A misbehaving server that repeats the password it was sent in its refusal."""
    return AuthResult(success=False, handled=False,
                      message=f"535 5.7.8 bad credentials {auth_data.password.decode()}")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, as a district's test relay might have."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def server_tls(certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def trusting(certificate) -> ssl.SSLContext:
    """The client side: trusts exactly the test server's certificate, and verifies it."""
    return ssl.create_default_context(cafile=str(certificate[0]))


def reminder_email(step: str = "before-7", to=("jdoe@belmont.k12.ma.us",), cc=("jdarias@belmont.k12.ma.us",),
                   facilitator="Jane Doe", text=LETTER):
    reminder = Reminder(
        key=f"t-4f2a:charter:{step}", team_id="t-4f2a", unit_name="Grade 3 Math Discourse", site="Winn Brook",
        milestone_key="charter", milestone_title="team charter", due=dt.date(2017, 11, 17), step=step,
        to=to, cc=cc, recipient_name=facilitator, folder_link=None, evidence="the signed charter",
        overdue_days=0)
    return build_message(reminder, from_address="Janice Darias <jdarias@belmont.k12.ma.us>", reply_to=None,
                         subject=f"Reminder: team charter for {facilitator}'s team due Nov 17", text=text,
                         html="<p>Dear Jane Doe,</p><p>The charter is due on <b>Friday</b>.</p>\n",
                         domain=DOMAIN, date=dt.datetime(2017, 11, 10, 13, tzinfo=dt.timezone.utc))


def as_sent(message, content: bytes) -> bytes:
    """`message` flattened the way it reaches the server, with the MIME boundary the
    sender happened to pick (a fresh random one each time the message is written out)."""
    message.set_boundary(message_from_bytes(content, policy=policy.default).get_boundary())
    return message.as_bytes(policy=policy.SMTP)


def every_text_of(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)) + repr(error) + repr(vars(error))


def test_reminder_arrives_byte_for_byte_over_starttls_after_login(start_server, server_tls, trusting):
    inbox, port = start_server(tls_context=server_tls, require_starttls=True, authenticator=check_password,
                               auth_required=True)
    message = reminder_email()

    returned = SmtpSender("127.0.0.1", port, "starttls", USER, PASSWORD, ssl_context=trusting).send(message)

    assert returned == message_id("t-4f2a:charter:before-7", DOMAIN)
    [(login, mail_from, recipients, content)] = inbox.messages
    assert login == USER.encode()
    assert mail_from == "jdarias@belmont.k12.ma.us"
    assert recipients == ["jdoe@belmont.k12.ma.us", "jdarias@belmont.k12.ma.us"]
    assert content == as_sent(message, content)
    received = message_from_bytes(content, policy=policy.default)
    assert received["Message-ID"] == returned
    assert received["To"] == "Jane Doe <jdoe@belmont.k12.ma.us>"
    assert received.get_body(("plain",)).get_content() == ("Dear Jane Doe,\r\n\r\nThe charter is due on Friday.\r\n"
                                                            ".\r\n..signed, please\r\n")
    assert "<b>Friday</b>" in received.get_body(("html",)).get_content()


# aiosmtpd cannot tell that an implicit-TLS connection is encrypted, and warns about AUTH.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_reminder_arrives_over_implicit_tls(start_server, server_tls, trusting):
    inbox, port = start_server(ssl_context=server_tls, authenticator=check_password, auth_required=True,
                               auth_require_tls=False)
    message = reminder_email()

    SmtpSender("127.0.0.1", port, "ssl", USER, PASSWORD, ssl_context=trusting).send(message)

    [(_login, _from, _to, content)] = inbox.messages
    assert content == as_sent(message, content)


def test_names_in_any_script_arrive_intact_in_a_seven_bit_clean_message(start_server):
    inbox, port = start_server()
    name, text = "مريم الحسيني 🧮", "عزيزتي مريم،\nميثاق الفريق مستحق يوم الجمعة. 👩‍🏫\n"
    message = reminder_email(facilitator=name, text=text)

    SmtpSender("127.0.0.1", port, "none").send(message)

    [(_login, _from, _to, content)] = inbox.messages
    assert content.isascii() and content == as_sent(message, content)
    received = message_from_bytes(content, policy=policy.default)
    assert received["To"].addresses[0].display_name == name
    assert received["Subject"] == f"Reminder: team charter for {name}'s team due Nov 17"
    assert received.get_body(("plain",)).get_content().replace("\r\n", "\n") == text


def test_reminder_goes_through_an_internal_relay_without_login(start_server):
    inbox, port = start_server()

    SmtpSender("127.0.0.1", port, "none", None, None).send(reminder_email())

    assert [login for login, *_rest in inbox.messages] == [None]


def test_each_send_uses_its_own_connection_unless_a_session_is_open(start_server):
    inbox, port = start_server()
    sender = SmtpSender("127.0.0.1", port, "none")

    sender.send(reminder_email("before-7"))
    sender.send(reminder_email("before-1"))
    with sender:
        for step in ("after-3", "after-6", "after-9"):
            sender.send(reminder_email(step))

    assert len(inbox.messages) == 5
    assert len(inbox.connections) == 3


def test_wrong_password_is_a_permanent_error_that_never_shows_the_password(start_server, server_tls, trusting):
    _inbox, port = start_server(tls_context=server_tls, authenticator=check_password, auth_required=True)
    sender = SmtpSender("127.0.0.1", port, "starttls", USER, "wrong-" + PASSWORD, ssl_context=trusting)

    with pytest.raises(SendError) as failed:
        sender.send(reminder_email())

    assert failed.value.transient is False
    assert "535" in failed.value.reason and "refused the login" in failed.value.reason
    assert PASSWORD not in every_text_of(failed.value)


def test_a_server_echoing_the_password_does_not_get_it_into_the_error(start_server, server_tls, trusting):
    _inbox, port = start_server(tls_context=server_tls, authenticator=echoing_server, auth_required=True)
    sender = SmtpSender("127.0.0.1", port, "starttls", USER, PASSWORD, ssl_context=trusting)

    with pytest.raises(SendError) as failed:
        sender.send(reminder_email())

    assert "bad credentials ***" in failed.value.reason
    assert PASSWORD not in every_text_of(failed.value)


def test_the_password_is_not_in_the_senders_repr_or_str():
    sender = SmtpSender("smtp.belmont.k12.ma.us", 587, "starttls", USER, PASSWORD)

    assert PASSWORD not in repr(sender) and PASSWORD not in str(sender)
    assert "password='***'" in repr(sender) and USER in repr(sender)


def test_a_password_over_an_unencrypted_connection_is_refused_without_showing_it():
    with pytest.raises(ValueError, match="unencrypted") as refused:
        SmtpSender("smtp.belmont.k12.ma.us", 25, "none", USER, PASSWORD)

    assert PASSWORD not in every_text_of(refused.value)


def test_an_untrusted_certificate_is_a_permanent_error(start_server, server_tls):
    _inbox, port = start_server(tls_context=server_tls)
    sender = SmtpSender("127.0.0.1", port, "starttls", ssl_context=ssl.create_default_context())

    with pytest.raises(SendError, match="certificate") as failed:
        sender.send(reminder_email())

    assert failed.value.transient is False


def test_a_server_without_starttls_is_never_used_unencrypted_instead(start_server, trusting):
    inbox, port = start_server()
    sender = SmtpSender("127.0.0.1", port, "starttls", USER, PASSWORD, ssl_context=trusting)

    with pytest.raises(SendError, match="does not support") as failed:
        sender.send(reminder_email())

    assert failed.value.transient is False
    assert inbox.messages == []


def test_a_server_that_is_down_is_a_transient_error():
    sender = SmtpSender("127.0.0.1", free_port(), "none", timeout=5)

    with pytest.raises(SendError, match="could not reach") as failed:
        sender.send(reminder_email())

    assert failed.value.transient is True


def test_a_mailbox_that_does_not_exist_is_a_permanent_refusal(start_server):
    inbox, port = start_server()

    with pytest.raises(SendError, match="550") as failed:
        SmtpSender("127.0.0.1", port, "none").send(reminder_email(to=("gone@belmont.k12.ma.us",), cc=()))

    assert failed.value.transient is False
    assert "gone@belmont.k12.ma.us" in failed.value.reason
    assert inbox.messages == []


def test_a_busy_mailbox_is_worth_trying_again_later(start_server):
    _inbox, port = start_server()

    with pytest.raises(SendError, match="451") as failed:
        SmtpSender("127.0.0.1", port, "none").send(reminder_email(to=("busy@belmont.k12.ma.us",), cc=()))

    assert failed.value.transient is True
