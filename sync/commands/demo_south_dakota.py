"""Sample building plans for `plt demo --programme south-dakota`: five schools of a South
Dakota district send their Building-Level Plan, naming 22 Collaborative Work Groups in
all (structure, leader, members, meeting times). Later Jefferson Middle School sends its
plan again: a member moves from one group to another, a meeting is dropped, its fourth
group is given up. One meeting line is one no calendar could hold."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import requests

DOMAIN = "sioux-valley.example.org"
TZ = ZoneInfo("America/Chicago")
HORIZONTAL, VERTICAL, INTER = "Horizontal group by grade level", "Vertical team by subject area", "Interdisciplinary group"
INTEREST, PLANNING, NEEDS, OTHER = ("Personal interest in a goal or topic", "Common planning time",
                                    "Needs of students", "Other")

# The demo's clock: the first sync once the plans are in, a quiet re-run, the sync after
# Jefferson's new plan, and a quiet re-run of that one.
TIMELINE = (
    ("first sync after the building plans came in", datetime(2017, 9, 6, 6, 0, tzinfo=TZ)),
    ("quiet re-run: nothing new", datetime(2017, 9, 6, 6, 15, tzinfo=TZ)),
    ("after Jefferson Middle School sent its plan again", datetime(2017, 9, 20, 6, 0, tzinfo=TZ)),
    ("quiet re-run: nothing new", datetime(2017, 9, 20, 6, 15, tzinfo=TZ)),
)
RESUBMITTED_BEFORE = 2        # Jefferson's new plan arrives before this run of the timeline


def person(name: str) -> str:
    first, last = name.split()
    return f"{name} <{first.lower()}.{last.lower()}@{DOMAIN}>"


def cwg(structure: str, leader: str, members: str, meetings: str) -> dict[str, str]:
    return {"structure": structure, "leader": person(leader),
            "members": "\n".join(person(m.strip()) for m in members.split(",")), "meetings": meetings}


EVERY_OTHER_TUESDAY = "every other Tuesday 3:30-4:15 pm from 2017-09-12 to 2018-05-15"
PLANS = {
    "Lincoln Elementary School": ("Dana Olson", "2017-09-01T15:00:00Z", {
        1: cwg(HORIZONTAL, "Ann Lee", "Bo King, Cy Moe, Dee Park", EVERY_OTHER_TUESDAY),
        2: cwg(HORIZONTAL, "Eva Ruiz", "Finn Berg, Gia Holm", "every other Wednesday 3:30-4:15 pm from 2017-09-13 "
                                                              "to 2018-05-16"),
        3: cwg(NEEDS, "Hal Ito", "Ida Lund, Jay Ness", "first Thursday of each month 7:30-8:00 am"),
        4: cwg(INTEREST, "Kai Moon", "Lea Voss, Max Dahl", "Sept 14 2017 3:30-4:30 pm\nOct 12 2017 3:30-4:30 pm\n"
                                                           "Nov 9 2017 3:30-4:30 pm"),
        5: cwg(PLANNING, "Nia Ford", "Oto Paz, Pia Rey", "every Monday 7:45-8:15 am"),
    }),
    "Prairie View Elementary School": ("Quinn Hart", "2017-09-01T17:30:00Z", {
        1: cwg(HORIZONTAL, "Rae Sims", "Sol Tate, Ty Udall", "every other Thursday 3:15-4:00 pm from 2017-09-14 to "
                                                            "2018-05-17"),
        2: cwg(VERTICAL, "Uma Vance", "Vic West, Wes Young", "first Monday of each month 3:30-4:30 pm"),
        3: cwg(NEEDS, "Xia Zhou", "Yul Abel, Zed Bauer", "every other Tuesday 7:30-8:00 am from 2017-09-19 to "
                                                        "2018-05-22"),
        4: cwg(OTHER, "Ada Cole", "Ben Dunn, Cal Eide", "Sept 21 2017 3:30-4:30 pm\nJan 18 2018 3:30-4:30 pm"),
    }),
    "Jefferson Middle School": ("Rosa Diaz", "2017-09-04T14:00:00Z", {
        1: cwg(VERTICAL, "Dev Fox", "Eli Gray, Fay Hunt, Gil Ives", "every Wednesday 7:30-8:00 am from 2017-09-13 "
                                                                   "to 2018-05-23"),
        2: cwg(VERTICAL, "Hana Jung", "Ian Kemp, Joy Lam", "every other Thursday 3:30-4:15 pm from 2017-09-14 to "
                                                          "2018-05-17"),
        3: cwg(INTER, "Kim Lowe", "Leo Mack, Mae Nash", "Sept 26 2017 3:30-4:30 pm\nOct 24 2017 3:30-4:30 pm\n"
                                                        "Nov 28 2017 3:30-4:30 pm"),
        4: cwg(INTEREST, "Ned Owen", "Ora Pike, Pat Quon", "last Friday of each month 2:30-3:15 pm"),
    }),
    "Roosevelt Middle School": ("Sam Reed", "2017-09-05T13:00:00Z", {
        1: cwg(PLANNING, "Tess Uhl", "Uri Vale, Val Wolf", "every other Monday 3:30-4:15 pm from 2017-09-11 to "
                                                          "2018-05-14"),
        2: cwg(VERTICAL, "Wyn Xu", "Yan Yoon, Zoe Zeller", "every Friday 7:30-8:00 am from 2017-09-15 to 2018-05-18"),
        3: cwg(NEEDS, "Abe Boyd", "Bea Cruz, Cam Drew", "second Tuesday of each month 3:30-4:30 pm"),
        4: cwg(INTER, "Dom Eng", "Eve Fitz, Flo Gage", "Sept 19 2017 3:30-4:30 pm\nTuesdays after school when "
                                                       "we can"),
        5: cwg(OTHER, "Gus Hale", "Hope Ivy, Ira Jett", "every third Wednesday 3:30-4:15 pm from 2017-09-13 to "
                                                        "2018-05-16"),
    }),
    "Washington High School": ("Tara Snow", "2017-09-05T16:45:00Z", {
        1: cwg(VERTICAL, "Jon Kerr", "Kat Lind, Lou Marx, Mel Noor", "every other Wednesday 2:45-3:30 pm from "
                                                                     "2017-09-13 to 2018-05-16"),
        2: cwg(VERTICAL, "Ned Ortiz", "Oli Pratt, Paz Quill", "every other Thursday 2:45-3:30 pm from 2017-09-14 to "
                                                              "2018-05-17"),
        3: cwg(INTER, "Ray Stone", "Sue Tran, Tim Usher", "first Tuesday of each month 7:15-8:00 am"),
        4: cwg(NEEDS, "Una Vega", "Vin Wahl, Wil Xenos", "every Monday 2:45-3:30 pm from 2017-10-02 to 2018-03-26"),
    }),
}
JEFFERSON = "Jefferson Middle School"
# Jefferson's second plan: Gil Ives moves from CWG #1 to #2, CWG #3 drops its November
# meeting, and CWG #4 is given up (its work group is withdrawn, never deleted).
JEFFERSON_AGAIN = {
    1: cwg(VERTICAL, "Dev Fox", "Eli Gray, Fay Hunt", PLANS[JEFFERSON][2][1]["meetings"]),
    2: cwg(VERTICAL, "Hana Jung", "Ian Kemp, Joy Lam, Gil Ives", PLANS[JEFFERSON][2][2]["meetings"]),
    3: cwg(INTER, "Kim Lowe", "Leo Mack, Mae Nash", "Sept 26 2017 3:30-4:30 pm\nOct 24 2017 3:30-4:30 pm"),
}
JEFFERSON_AGAIN_AT = "2017-09-19T15:00:00Z"


def send_plan(endpoint: str, form, school: str, principal: str, groups: dict[int, dict[str, str]],
              submitted: str, response_id: str = "") -> str:
    """A principal sends (or edits) the school's building plan through the form: the response id."""
    titles = form.titles
    answers = {titles["school"]: school, titles["principal_name"]: principal}
    for n, group in groups.items():
        answers.update({titles[key].replace("{n}", str(n)): value for key, value in group.items() if value})
    first, last = principal.lower().split()
    body = {"answers": answers, "respondentEmail": f"{first}.{last}@{DOMAIN}", "submittedAt": submitted}
    base = f"{endpoint}/_emulator/forms/{form.id}/responses"
    if response_id:
        requests.put(f"{base}/{response_id}", json=body, timeout=30).raise_for_status()
        return response_id
    response = requests.post(base, json=body, timeout=30)
    response.raise_for_status()
    return response.json()["responseId"]


def submit_plans(endpoint: str, settings) -> int:
    """Every school's first plan: how many were sent."""
    for school, (principal, submitted, groups) in PLANS.items():
        send_plan(endpoint, settings.form, school, principal, groups, submitted)
    return len(PLANS)


def resubmit_jefferson(endpoint: str, settings) -> None:
    """Jefferson's principal fills in the form again (a new response, not an edit): the
    roster's Earlier responses keeps the first one findable."""
    send_plan(endpoint, settings.form, JEFFERSON, PLANS[JEFFERSON][0], JEFFERSON_AGAIN, JEFFERSON_AGAIN_AT)
