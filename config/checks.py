"""Checks that span several keys, list items or sections, run on the parsed TOML itself.

They run on the raw tables rather than inside the models because a model's own
cross-field validator is skipped as soon as any one of its fields is wrong, and every
problem must be reported at once. Each check tolerates values of the wrong type: those
are already reported by the schema.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from .errors import ConfigProblem

from .problems import shown, toml_path
from .model_checks import model_problems, unsupported
from .types import is_clock_time, is_quiet_hours, within_quiet_hours

_SECRET_NAMES = {"password", "passwd", "secret", "token", "client_secret", "private_key", "api_key",
                 "access_token", "refresh_token"}
_SECRET_SUFFIXES = ("_password", "_secret", "_token")
SECRET_ADVICE = ("put secrets in the environment, not in the config file "
                 "(name the variable instead, e.g. password_env = \"PLT_SMTP_PASSWORD\")")


def _table(raw: Any, *names: str) -> dict:
    for name in names:
        raw = raw.get(name) if isinstance(raw, dict) else None
    return raw if isinstance(raw, dict) else {}


def is_secret_key(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_NAMES or lowered.endswith(_SECRET_SUFFIXES)


def secret_locations(raw: Any, loc: tuple = ()) -> Iterator[tuple]:
    """Where the TOML holds a key that names a secret (its value is never read)."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if is_secret_key(key):
                yield loc + (key,)
            else:
                yield from secret_locations(value, loc + (key,))
    elif isinstance(raw, list):
        for index, value in enumerate(raw):
            yield from secret_locations(value, loc + (index,))


def without(raw: Any, locations: set[tuple], loc: tuple = ()) -> Any:
    """A copy of `raw` with the keys at `locations` left out."""
    if isinstance(raw, dict):
        return {k: without(v, locations, loc + (k,)) for k, v in raw.items() if loc + (k,) not in locations}
    if isinstance(raw, list):
        return [without(v, locations, loc + (i,)) for i, v in enumerate(raw)]
    return raw


def cross_problems(raw: dict, endpoint_in_effect: bool) -> list[ConfigProblem]:
    return [*_google_problems(_table(raw, "google"), endpoint_in_effect), *_mail_problems(_table(raw, "mail")),
            *_milestone_problems(raw.get("milestone")), *_digest_problems(raw), *model_problems(raw),
            *unsupported(raw)]


def _digest_problems(raw: dict) -> Iterator[ConfigProblem]:
    """A digest time inside quiet hours could never be sent; a site leader must lead a site
    of the programme."""
    digest = raw.get("digest")
    if not isinstance(digest, dict):
        return
    send_time, quiet_hours = digest.get("time", "07:30"), _table(raw, "mail").get("quiet_hours")
    if is_clock_time(send_time) and is_quiet_hours(quiet_hours) and within_quiet_hours(send_time, quiet_hours):
        yield ConfigProblem("digest.time", f"expected a time outside [mail] quiet_hours ({quiet_hours}), got "
                                           f"{shown(send_time)}: no digest could ever be sent then")
    sites = _table(raw, "programme").get("sites")
    leaders = digest.get("site_leaders")
    if isinstance(sites, list) and isinstance(leaders, dict):
        for site in leaders:
            if site not in sites:
                yield ConfigProblem(f"digest.site_leaders.{site}", "expected a site listed in [programme] sites")


def _google_problems(google: dict, endpoint_in_effect: bool) -> Iterator[ConfigProblem]:
    kind = google.get("credentials", "application_default")
    file = google.get("credentials_file")
    if kind in ("service_account", "oauth") and file is None:
        yield ConfigProblem("google.credentials_file", f'required when credentials = "{kind}"')
    # With an endpoint (the emulator) no credentials are used, so the file need not exist.
    if isinstance(file, str) and file and not endpoint_in_effect and not Path(file).is_file():
        yield ConfigProblem("google.credentials_file", f"expected an existing file, got {shown(file)} (not found)")
    if "subject" in google and kind != "service_account":
        yield ConfigProblem("google.subject", 'only used with credentials = "service_account" '
                                              "(domain-wide delegation); remove it or change credentials")


def _mail_problems(mail: dict) -> Iterator[ConfigProblem]:
    smtp = mail.get("smtp")
    if mail.get("backend") == "smtp" and smtp is None:
        yield ConfigProblem("mail.smtp", 'required when backend = "smtp" (host, port, security, username_env, '
                                         "password_env)")
    if isinstance(smtp, dict) and ("username_env" in smtp) != ("password_env" in smtp):
        missing = "password_env" if "username_env" in smtp else "username_env"
        yield ConfigProblem(f"mail.smtp.{missing}", "required when the other of username_env/password_env is set")
    if isinstance(smtp, dict) and smtp.get("security") == "none" and "username_env" in smtp:
        yield ConfigProblem("mail.smtp.security", 'a login needs an encrypted connection: use "starttls" or "ssl", '
                                                  "or remove username_env/password_env for an open relay")
    send_time, quiet_hours = mail.get("send_time", "08:00"), mail.get("quiet_hours")
    if is_clock_time(send_time) and is_quiet_hours(quiet_hours) and within_quiet_hours(send_time, quiet_hours):
        yield ConfigProblem("mail.send_time", f"expected a time outside quiet_hours ({quiet_hours}), got "
                                              f"{shown(send_time)}: no reminder could ever be sent then")
    templates = mail.get("templates_dir")
    if isinstance(templates, str) and not Path(templates).is_dir():
        yield ConfigProblem("mail.templates_dir", f"expected an existing folder, got {shown(templates)} (not found)")


def _milestone_problems(milestones: Any) -> Iterator[ConfigProblem]:
    first_index: dict[str, int] = {}
    for index, milestone in enumerate(milestones if isinstance(milestones, list) else []):
        key = milestone.get("key") if isinstance(milestone, dict) else None
        if not isinstance(key, str):
            continue
        if key in first_index:
            yield ConfigProblem(toml_path(("milestone", index, "key")),
                                f"expected a unique key; milestone[{first_index[key]}] has the same one")
        else:
            first_index[key] = index


