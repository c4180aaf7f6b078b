"""Turns a reminder into the subject, plain text and HTML a facilitator reads.

A district may supply its own templates (a folder named in the config); they are looked up
first, and the packaged ones fill in whatever the folder does not have. Templates run in
Jinja2's sandbox with StrictUndefined: a misspelt variable is an error at the first render,
not a blank in a thousand emails. Form answers only ever enter as data, never as template
source, so a team called "{{ 7*7 }}" is called exactly that. HTML templates escape.
"""
from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from mail.message import Reminder, header_text

# A subject names the team, but a subject is not the place for a 10,000-character name.
SUBJECT_TEAM_NAME_LIMIT = 60
DEFAULT_TEMPLATE = "reminder"


def render_reminder(reminder: Reminder, *, programme: str, coordinator: str,
                    templates_dir: Path | None = None, template: str = DEFAULT_TEMPLATE) -> tuple[str, str, str]:
    """(subject, text, html) of `reminder`, from `<template>.subject.j2`, `.txt.j2` and
    `.html.j2`. A district template set without a subject file uses the packaged subject."""
    environment = _environment(templates_dir)
    context = reminder_context(reminder, programme=programme, coordinator=coordinator)
    subject_template = environment.select_template([f"{template}.subject.j2", f"{DEFAULT_TEMPLATE}.subject.j2"])
    subject = header_text(subject_template.render(context))
    text = environment.get_template(f"{template}.txt.j2").render(context)
    html = environment.get_template(f"{template}.html.j2").render(context)
    return subject, text, html


def reminder_context(reminder: Reminder, *, programme: str, coordinator: str) -> dict:
    """The variables a reminder template may use: every field of the reminder (made single
    line), the dates already written out, and the programme and coordinator names.
    `team_name`, `school` and `facilitator_name` name the unit, its site and the recipient
    as well, so templates written for the first programme keep working."""
    context = {name: _one_line(value) for name, value in asdict(reminder).items()}
    due = reminder.due
    context.update(
        team_name=context["unit_name"], school=context["site"], facilitator_name=context["recipient_name"],
        folder_link=_web_link(reminder.folder_link),
        form_link=_web_link(reminder.form_link),
        team_name_short=_shorten(context["unit_name"], SUBJECT_TEAM_NAME_LIMIT),
        due_short=f"{due:%b} {due.day}",
        due_long=f"{due:%A}, {due:%B} {due.day}, {due.year}",
        overdue=reminder.overdue_days > 0,
        programme=_one_line(programme),
        coordinator=_one_line(coordinator),
    )
    return context


@lru_cache(maxsize=8)
def _environment(templates_dir: Path | None) -> ImmutableSandboxedEnvironment:
    """One environment per template folder, so each template is compiled once per run
    (Jinja2 still notices a template file changed on disk)."""
    packaged = PackageLoader("mail", "templates")
    loader = ChoiceLoader([FileSystemLoader(str(templates_dir)), packaged]) if templates_dir else packaged
    return ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _one_line(value):
    """Form answers are one-line facts: a stray CR or LF in a team name must not break the
    text part's lines or become a bare CR on the wire."""
    return header_text(value) if isinstance(value, str) else value


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _web_link(link: str | None) -> str | None:
    """Only http(s) links become links: anything else (javascript:, data:) is left out."""
    if link and link.strip().lower().startswith(("https://", "http://")):
        return link.strip()
    return None
