"""A programme's configuration: the TOML schema, loading with every problem reported at
once, and writing the ids of created resources back into the file."""
from .errors import ConfigError, ConfigProblem

from .load import ENDPOINT_VARIABLE, load_settings, settings_from_toml
from .schema import (Drive, Evidence, Form, FormField, Google, Mail, Milestone, Programme, Reminders, Roster,
                     Settings, Smtp)

__all__ = ["ConfigError", "ConfigProblem", "ENDPOINT_VARIABLE", "load_settings", "settings_from_toml",
           "Settings", "Programme", "Google", "Form", "FormField", "Evidence", "Roster", "Drive",
           "Milestone", "Reminders", "Mail", "Smtp"]
