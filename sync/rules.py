"""The config as the plain rules the pure core plans with, and the letterhead reminders share."""
from __future__ import annotations

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from sync.core.documents_plan import TemplateRule
from sync.core.drive_plan import DriveRules
from sync.core.evidence_forms import EvidenceForm
from sync.core.milestones import MailRules, MilestoneRule
from sync.core.plan import Rules
from sync.core.schedule import ReminderPolicy
from sync.core.units import unit_rules, words
from sync.deliver import Letterhead
from sync.errors import UsageError


def plan_rules(settings, run_id: str) -> Rules:
    units = unit_rules(settings)
    return Rules(units, milestone_rules(settings), settings.programme.time_zone, run_id, mail_domain(settings),
                 drive_rules(settings), mail_rules(settings), targets_by_site(settings), words(settings),
                 tuple(column.header for column in units.columns), tuple(settings.programme.sites),
                 template_rules(settings))


def template_rules(settings) -> tuple[TemplateRule, ...]:
    """The document templates, each uploaded; one not uploaded yet stops the run (exit 2)
    rather than leaving every unit without its copy unnoticed."""
    missing = [t.key for t in settings.templates if not t.id]
    if missing:
        where = f" --config {settings.path}" if settings.path else ""
        raise UsageError("; ".join(f"template[{key}] has no id yet: upload its .docx with "
                                   f"`plt templates add FILE.docx --key {key}{where}`" for key in missing))
    return tuple(TemplateRule(t.key, t.title, t.name, t.id) for t in settings.templates)


def targets_by_site(settings) -> dict[str, float]:
    """The participation target of each site that has one."""
    return {site: target.share for target in settings.targets for site in (target.sites or settings.programme.sites)}


def milestone_rules(settings) -> tuple[MilestoneRule, ...]:
    tz = ZoneInfo(settings.programme.time_zone)
    mail = settings.mail
    return tuple(MilestoneRule(m.key, m.title, m.due, m.evidence.checkbox, m.evidence.file, m.template,
                               ReminderPolicy(days_before=tuple(m.reminders.days_before),
                                              every_days_after=m.reminders.every_days_after,
                                              max_reminders=m.reminders.max_reminders,
                                              quiet_hours=mail.quiet_window, skip_weekends=mail.skip_weekends,
                                              tz=tz, send_at=mail.send_clock,
                                              min_gap_days=mail.min_gap_days),
                               after=(m.after.milestone, m.after.days) if m.after else None,
                               days_after_start=m.days_after_start,
                               form=_evidence_form(settings, m.evidence.form))
                 for m in settings.milestones)


def _evidence_form(settings, key: str | None) -> EvidenceForm | None:
    return EvidenceForm(key, settings.form_by_key(key).title) if key else None


def mail_rules(settings) -> MailRules:
    mail = settings.mail
    return MailRules(mail.cc_coordinator, mail.coordinator_email, tuple(settings.drive.allowed_domains),
                     unit_rules(settings))


def drive_rules(settings) -> DriveRules:
    drive = settings.drive
    return DriveRules(drive.parent_folder_id, drive.folder_name, unit_rules(settings),
                      tuple(drive.allowed_domains), drive.send_notification_emails, tuple(drive.template_file_ids),
                      drive.withdrawn_access)


def mail_domain(settings) -> str:
    return parseaddr(settings.mail.from_address)[1].rsplit("@", 1)[-1] or "plt-sync.invalid"


def letterhead(settings) -> Letterhead:
    mail = settings.mail
    return Letterhead(settings.programme.name, mail.coordinator_email, mail.from_address, mail.reply_to,
                      mail_domain(settings), mail.templates_dir, settings.programme.time_zone)


def templates(settings) -> dict[str, str]:
    """Milestone key -> the name of its reminder template."""
    return {m.key: m.template for m in settings.milestones}
