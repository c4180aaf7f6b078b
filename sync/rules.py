"""The config as the plain rules the pure core plans with, and the letterhead reminders share."""
from __future__ import annotations

from datetime import time
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from forms.repeat import GROUP

from sync.core.calendar_plan import CalendarRules, InviteRule, SessionRule
from sync.core.documents_plan import TemplateRule
from sync.core.drive_plan import DriveRules
from sync.core.meetings import Year
from sync.core.meetings_plan import NEXT_MEETING, MeetingRules
from sync.core.evidence_forms import EvidenceForm
from sync.core.milestones import MailRules, MilestoneRule
from sync.core.plan import Rules
from sync.core.digest_plan import WEEKDAYS, DigestRules
from sync.core.report_model import ModelRules, TargetRule
from sync.core.report_tables import Words as ReportWords
from sync.core.schedule import ReminderPolicy
from sync.core.units import unit_rules, words
from sync.deliver import Letterhead
from sync.errors import UsageError


def plan_rules(settings, run_id: str) -> Rules:
    units = unit_rules(settings)
    meetings = meeting_rules(settings)
    columns = tuple(column.header for column in units.columns) + ((NEXT_MEETING,) if meetings else ())
    return Rules(units, milestone_rules(settings), settings.programme.time_zone, run_id, mail_domain(settings),
                 drive_rules(settings), mail_rules(settings), targets_by_site(settings), words(settings),
                 columns, tuple(settings.programme.sites), meetings, calendar_rules(settings),
                 template_rules(settings), digest=digest_rules(settings))


def template_rules(settings) -> tuple[TemplateRule, ...]:
    """The document templates (a sync first checks each is uploaded: `require_templates`)."""
    return tuple(TemplateRule(t.key, t.title, t.name, t.id) for t in settings.templates)


def require_templates(settings) -> None:
    """Before a sync reads anything: a template not uploaded yet stops it (exit 2) rather
    than leaving every unit without its copy unnoticed."""
    missing = [t.key for t in settings.templates if not t.id]
    if missing:
        where = f" --config {settings.path}" if settings.path else ""
        raise UsageError("; ".join(f"template[{key}] has no id yet: upload its .docx with "
                                   f"`plt templates add FILE.docx --key {key}{where}`" for key in missing))


# Calendar's names for [calendar] send_updates.
SEND_UPDATES = {"all": "all", "external_only": "externalOnly", "none": "none"}


def calendar_rules(settings) -> CalendarRules | None:
    """The programme calendar's sessions and invitations; None without a [calendar]."""
    calendar = settings.calendar
    if calendar is None:
        return None
    invite = calendar.invite
    return CalendarRules(calendar.id, settings.programme.time_zone, tuple(settings.drive.allowed_domains),
                         SEND_UPDATES[calendar.send_updates],
                         tuple(SessionRule(s.stable_key, s.title, s.date, time.fromisoformat(s.start),
                                           time.fromisoformat(s.end)) for s in calendar.sessions),
                         InviteRule(invite.role, invite.field, tuple(invite.answers)) if invite else None,
                         calendar.meetings_field is not None)


def digest_rules(settings) -> DigestRules | None:
    """The weekly digest's day, time and recipients; None without a [digest] section."""
    digest = settings.digest
    if digest is None:
        return None
    return DigestRules(WEEKDAYS.index(digest.day), time.fromisoformat(digest.time), ZoneInfo(settings.programme.time_zone),
                       settings.mail.coordinator_email if digest.coordinator else None,
                       {site: tuple(emails) for site, emails in digest.site_leaders.items()}, digest.staff_role,
                       settings.mail.quiet_window, report_words(settings))


def report_words(settings) -> ReportWords:
    """How reports name units and sites ("Teams", "School")."""
    plural, noun = settings.unit.plural_noun, settings.unit.noun
    return ReportWords(plural[:1].upper() + plural[1:], noun[:1].upper() + noun[1:], settings.programme.site_noun)


def meeting_rules(settings) -> MeetingRules | None:
    """The enrol form's dates fields, or None without one. The Meetings tab repeats the
    roster columns of the unit's site and group number."""
    fields = tuple(f.key for f in settings.form.fields if f.type == "dates")
    if not fields:
        return None
    year = settings.programme.school_year
    by_field = {column.field: column.header for column in unit_rules(settings).columns if not column.count}
    shown = [by_field[key] for key in (settings.unit.site, GROUP) if key in by_field]
    return MeetingRules(fields, Year(year.start, year.end) if year else None, tuple(shown))


def targets_by_site(settings) -> tuple[TargetRule, ...]:
    """The participation targets, in config order: a target naming no site is every site's."""
    return tuple(TargetRule(target.share, tuple(target.sites or settings.programme.sites), target.by, target.role)
                 for target in settings.targets)


def model_rules(settings) -> ModelRules:
    """What the programme model (Dashboard, status, report, digest) counts by: it needs none
    of a sync's other rules, so reading a report never depends on them (templates uploaded)."""
    return Rules(unit_rules(settings), milestone_rules(settings), settings.programme.time_zone,
                 targets=targets_by_site(settings), words=words(settings),
                 sites=tuple(settings.programme.sites)).model


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
