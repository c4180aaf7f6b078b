"""The Google clients one programme's settings call for: the local endpoint when one is
set (`PLT_GOOGLE_ENDPOINT` first, then `[google].endpoint`), otherwise Google itself with
the configured credentials.

A credentials file holds a private key or a refresh token, so failures to read it are
reported by kind ("not a service-account key file"), never with the file's contents or
the library's message about them.
"""
from __future__ import annotations

import logging
import os
from typing import Mapping

from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError

from config import ENDPOINT_VARIABLE, Settings
from sync.errors import AccessError, ConfigError, ConfigProblem
from sync.google.workspace import Workspace, connect, load_credentials, loose_permissions

log = logging.getLogger(__name__)

_FILE_KINDS = {
    "service_account": "a service-account key file (JSON downloaded from the Google Cloud console)",
    "oauth": "an OAuth user token file (JSON written by `plt auth login`)",
}
_ADC_HINT = ("run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, "
             'or set credentials = "service_account" in [google]')


def workspace_from_settings(settings: Settings, environ: Mapping[str, str] = os.environ, meter=None,
                            pacer=None) -> Workspace:
    """Every client the job needs, routed to the endpoint when one is set; `meter` counts
    their calls and `pacer` keeps them within Google's per-minute quotas."""
    endpoint = environ.get(ENDPOINT_VARIABLE) or settings.google.endpoint
    if endpoint:
        return connect(None, str(endpoint), meter, pacer)
    return connect(credentials_from_settings(settings), None, meter, pacer)


def credentials_from_settings(settings: Settings) -> Credentials:
    """The configured credentials; `ConfigError` for an unusable file, `AccessError` when
    no application-default credentials can be found."""
    google = settings.google
    if google.credentials == "application_default":
        return _application_default()
    path = str(google.credentials_file)
    warn_if_readable_by_others(path)
    try:
        return load_credentials(google.credentials, path, google.subject)
    except OSError as error:
        problem = f"cannot read {path}: {error.strerror or type(error).__name__}"
    except (ValueError, KeyError, TypeError, GoogleAuthError) as error:
        problem = f"expected {_FILE_KINDS[google.credentials]}; {path} is not one ({type(error).__name__})"
    raise ConfigError(str(settings.path or "config"), [ConfigProblem("google.credentials_file", problem)])


def _application_default() -> Credentials:
    try:
        return load_credentials("application_default")
    except (GoogleAuthError, ValueError, OSError) as error:
        reason = f"no usable application-default credentials on this machine ({type(error).__name__})"
        raise AccessError("Google Workspace", None, reason, hint=_ADC_HINT) from None


def warn_if_readable_by_others(path: str) -> None:
    """A key or token file others can read lets them act as the programme's account."""
    try:
        loose = loose_permissions(path)
    except OSError:
        return
    if loose:
        log.warning("credentials file %s can be read by other users of this machine; "
                    "restrict it with `chmod 600 %s`", path, path)
