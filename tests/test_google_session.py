"""Credentials from the config: service accounts acting for a user, token files, and
application-default credentials; a broken or exposed file is reported without its contents."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config import load_settings
from sync.errors import AccessError, ConfigError, ExitStatus
from sync.google.session import credentials_from_settings, workspace_from_settings
from sync.google.workspace import SCOPES

EXAMPLE = Path(__file__).resolve().parent.parent / "config" / "example.toml"
SECRET_MARK = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-TOPSECRET"


def service_account_info(private_key: str) -> dict:
    return {"type": "service_account", "project_id": "belmont-plt", "private_key_id": "k1",
            "private_key": private_key, "client_email": "plt-sync@belmont-plt.iam.gserviceaccount.com",
            "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token"}


def real_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def settings_with(tmp_path: Path, google: str, credentials_text: str | None = None, mode: int = 0o600):
    if credentials_text is not None:
        key_file = tmp_path / "credentials.json"
        key_file.write_text(credentials_text)
        os.chmod(key_file, mode)
    config = tmp_path / "plt.toml"
    config.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        'credentials = "application_default"', google))
    return load_settings(config, {})


SERVICE_ACCOUNT = ('credentials = "service_account"\ncredentials_file = "credentials.json"\n'
                   'subject = "plt-office@belmont.example.org"')


def test_service_account_acts_for_the_subject_with_plts_scopes(tmp_path, caplog):
    settings = settings_with(tmp_path, SERVICE_ACCOUNT, json.dumps(service_account_info(real_private_key())))
    with caplog.at_level(logging.WARNING):
        credentials = credentials_from_settings(settings)
    assert credentials.service_account_email == "plt-sync@belmont-plt.iam.gserviceaccount.com"
    assert credentials._subject == "plt-office@belmont.example.org"
    assert tuple(credentials.scopes) == SCOPES
    assert caplog.records == []


def test_workspace_without_endpoint_is_built_for_google_itself(tmp_path):
    settings = settings_with(tmp_path, SERVICE_ACCOUNT, json.dumps(service_account_info(real_private_key())))
    workspace = workspace_from_settings(settings, {})
    assert workspace.endpoint is None
    assert workspace.drive._baseUrl == "https://www.googleapis.com/drive/v3/"


def test_credentials_file_others_can_read_is_warned_about_without_its_contents(tmp_path, caplog):
    settings = settings_with(tmp_path, SERVICE_ACCOUNT, json.dumps(service_account_info(real_private_key())),
                             mode=0o644)
    with caplog.at_level(logging.WARNING):
        credentials_from_settings(settings)
    assert len(caplog.records) == 1
    assert "can be read by other users" in caplog.text and "chmod 600" in caplog.text
    assert "PRIVATE KEY" not in caplog.text


@pytest.mark.parametrize("contents", [
    "not json at all " + SECRET_MARK,
    json.dumps({"type": "service_account", "private_key": SECRET_MARK}),
    json.dumps(service_account_info(f"-----BEGIN PRIVATE KEY-----\n{SECRET_MARK}\n-----END PRIVATE KEY-----\n")),
], ids=["not-json", "missing-fields", "unreadable-key"])
def test_broken_service_account_file_is_a_config_error_that_never_shows_the_key(tmp_path, contents):
    settings = settings_with(tmp_path, SERVICE_ACCOUNT, contents)
    with pytest.raises(ConfigError) as caught:
        credentials_from_settings(settings)
    (problem,) = caught.value.problems
    assert problem.path == "google.credentials_file"
    assert problem.message.startswith("expected a service-account key file")
    assert SECRET_MARK not in caught.value.describe()
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_oauth_token_file_without_a_refresh_token_is_a_config_error(tmp_path):
    token = json.dumps({"client_id": "belmont-plt.apps.googleusercontent.com", "token": SECRET_MARK})
    settings = settings_with(tmp_path, 'credentials = "oauth"\ncredentials_file = "credentials.json"', token)
    with pytest.raises(ConfigError) as caught:
        credentials_from_settings(settings)
    assert "OAuth user token file" in caught.value.describe()
    assert SECRET_MARK not in caught.value.describe()


def test_credentials_file_removed_after_loading_is_a_config_error(tmp_path):
    settings = settings_with(tmp_path, SERVICE_ACCOUNT, "{}")
    (tmp_path / "credentials.json").unlink()
    with pytest.raises(ConfigError) as caught:
        credentials_from_settings(settings)
    assert caught.value.problems[0].message.startswith("cannot read")
    assert caught.value.exit_status == ExitStatus.CONFIG


def test_missing_application_default_credentials_is_an_access_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "absent.json"))
    settings = settings_with(tmp_path, 'credentials = "application_default"')
    with pytest.raises(AccessError) as caught:
        credentials_from_settings(settings)
    assert caught.value.exit_status == ExitStatus.ACCESS
    assert "gcloud auth application-default login" in caught.value.describe()
