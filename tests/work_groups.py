"""South Dakota's programme on a live emulator, for end-to-end tests of work groups: one
building plan per school, its CWG #1..#6 questions answered group by group."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from programme import Programme

DOMAIN = "sioux-valley.example.org"
CONFIG = "programmes/south-dakota.toml"
TZ = ZoneInfo("America/Chicago")
LINCOLN = "Lincoln Elementary School"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def person(first: str, last: str) -> str:
    return f"{first} {last} <{first.lower()}.{last.lower()}@{DOMAIN}>"


def group(structure: str = "Horizontal group by grade level", leader: str = "", members: tuple[str, ...] = (),
          meetings: str = "") -> dict[str, str]:
    return {"structure": structure, "leader": leader, "members": "\n".join(members), "meetings": meetings}


def send_plan(programme: Programme, school: str, principal: tuple[str, str], groups: dict[int, dict[str, str]],
              submitted: str, response_id: str = "") -> str:
    """The principal of `school` sends (or, given `response_id`, edits) the building plan:
    `groups` by CWG number, each field's answer by field key. The response id."""
    form = programme.settings().form
    titles = form.titles
    first, last = principal
    answers = {titles["school"]: school, titles["principal_name"]: f"{first} {last}"}
    for n, answers_of_group in groups.items():
        answers.update({titles[key].replace("{n}", str(n)): value for key, value in answers_of_group.items() if value})
    body = {"answers": answers, "respondentEmail": f"{first.lower()}.{last.lower()}@{DOMAIN}",
            "submittedAt": submitted}
    base = f"{programme.endpoint}/_emulator/forms/{form.id}/responses"
    if response_id:
        requests.put(f"{base}/{response_id}", json=body, timeout=30).raise_for_status()
        return response_id
    response = requests.post(base, json=body, timeout=30)
    response.raise_for_status()
    return response.json()["responseId"]
