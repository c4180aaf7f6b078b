"""`plt auth login`: sign in as a Workspace user in a browser (Google's installed-app
OAuth flow) and keep the resulting token where the config's `[google].credentials_file`
points, for districts that cannot use a service account.

The token file holds a refresh token: whoever reads it acts as that user. It is created
owner-only from its first byte (a temporary file opened with mode 0600, then renamed over
the old one), never written world-readable and tightened afterwards.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from config.files import OWNER_ONLY, replace_file

from sync.google.workspace import SCOPES, loose_permissions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginOptions:
    # The OAuth client (type "Desktop app") downloaded from the Cloud console.
    client_secrets: Path
    # Where the token is kept: the file [google].credentials_file names.
    token: Path
    # Open a browser on this machine; without, the sign-in address is printed to open elsewhere.
    open_browser: bool = True


def installed_app_flow(client_secrets: Path, scopes: tuple[str, ...]):
    """Google's installed-app flow for `client_secrets` asking for `scopes`."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    return InstalledAppFlow.from_client_secrets_file(str(client_secrets), scopes=list(scopes))


def login(options: LoginOptions, make_flow: Callable = installed_app_flow) -> Path:
    """Run the browser sign-in and write the token; returns the token file's path.
    `make_flow(client_secrets, scopes)` builds the flow (tests hand in one that needs no network)."""
    warn_if_shared(options.client_secrets)
    flow = make_flow(options.client_secrets, SCOPES)
    credentials = flow.run_local_server(port=0, open_browser=options.open_browser)
    write_token(options.token, credentials.to_json())
    return options.token


def write_token(path: Path, text: str) -> None:
    """Write `text` to `path` readable and writable by its owner only, replacing any old
    token atomically, so a crash leaves either the old token or the new one."""
    replace_file(path, text, OWNER_ONLY)


def warn_if_shared(path: Path) -> bool:
    """Log a warning when a credentials file can be read by other users; True if so."""
    try:
        loose = loose_permissions(str(path))
    except OSError:
        return False
    if loose:
        log.warning("credentials file %s can be read by other users of this machine; "
                    "restrict it with `chmod 600 %s`", path, path)
    return loose
