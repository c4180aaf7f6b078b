"""Sample facilitator submissions for `plt demo`, in the spirit of the Belmont programme:
self-selected teams with a topic, a Professional Practice or Student Learning goal, a
regular meeting time, and new facilitators enrolling in training or asking for an
exemption. A few are malformed on purpose, as real submissions sometimes are."""
from __future__ import annotations

DOMAIN = "belmont.example.org"
ENROLLED = "Enrolled in the facilitator training course"
EXEMPT = "Requesting an exemption"
TRAINED = "Completed training in a previous year"
PRACTICE, LEARNING = "Professional Practice", "Student Learning"


def person(first: str, last: str) -> str:
    return f"{first} {last} <{first.lower()}.{last.lower()}@{DOMAIN}>"


def _team(name, school, topic, goal, when, training, facilitator, members, submitted):
    first, last = facilitator
    return {"facilitator_name": f"{first} {last}", "facilitator_email": f"{first.lower()}.{last.lower()}@{DOMAIN}",
            "team_name": name, "school": school, "topic": topic, "goal_type": goal, "meeting_time": when,
            "training": training, "members": "\n".join(person(*m) for m in members), "submitted": submitted}


SUBMISSIONS = [
    _team("Exit Tickets in Algebra I", "Belmont High School",
          "Using daily exit tickets to check for understanding and regroup students in Algebra I",
          LEARNING, "Tuesdays 2:30-3:30", TRAINED, ("Maria", "Santos"),
          [("David", "Chen"), ("Priya", "Raman"), ("Tom", "Walsh")], "2017-09-25T14:05:00Z"),
    _team("Close Reading 7", "Chenery Middle School",
          "Close reading routines for complex informational text in grade 7 ELA",
          LEARNING, "Thursdays 7:15-8:00", ENROLLED, ("Kevin", "OBrien"),
          [("Alice", "Nguyen"), ("Rosa", "Martinez"), ("Sam", "Patel"), ("Jen", "Kowalski")], "2017-09-26T11:20:00Z"),
    _team("Number Talks K-2", "Burbank Elementary School",
          "Number talks to build flexible thinking about addition and subtraction",
          PRACTICE, "Mondays after school", ENROLLED, ("Linda", "Park"),
          [("Grace", "Hill"), ("Omar", "Haddad")], "2017-09-27T19:40:00Z"),
    _team("Restorative Circles", "Chenery Middle School",
          "Restorative circles in advisory to strengthen classroom community",
          PRACTICE, "Wednesdays 3:00", EXEMPT, ("Brian", "Foster"),
          [("Carla", "Mendes"), ("Ivan", "Petrov"), ("Lucy", "Ward")], "2017-09-28T16:00:00Z"),
    _team("Writing Workshop Conferring", "Wellington Elementary School",
          "Conferring in writing workshop: what feedback moves writers forward",
          LEARNING, "Every other Friday 8:00", TRAINED, ("Nora", "Quinn"),
          [("Beth", "Adams"), ("Ruth", "Silva"), ("Paul", "Young")], "2017-09-29T12:10:00Z"),
    _team("Claim-Evidence-Reasoning", "Belmont High School",
          "Science notebooks and claim-evidence-reasoning in Biology",
          LEARNING, "Tuesdays 3:00-4:00", ENROLLED, ("Ethan", "Brooks"),
          [("Mia", "Lee"), ("Noah", "Clark"), ("Zoe", "Rivera")], "2017-10-02T13:30:00Z"),
    _team("ELs in Social Studies", "Winn Brook Elementary School",
          "Scaffolds for English learners in grade 4 social studies",
          PRACTICE, "Thursdays 3:15", TRAINED, ("Hana", "Sato"),
          [("Leo", "Costa"), ("Ada", "Brown")], "2017-10-03T18:45:00Z"),
    _team("Feedback in World Languages", "Belmont High School",
          "Growth-oriented feedback on speaking assessments in Spanish and French",
          PRACTICE, "Mondays 2:30", EXEMPT, ("Claire", "Dubois"),
          [("Marco", "Rossi"), ("Elena", "Garcia"), ("Yuki", "Tanaka")], "2017-10-04T10:00:00Z"),
    _team("Project-Based Science 4", "Butler Elementary School",
          "Project-based learning units in grade 4 science",
          LEARNING, "Wednesdays 8:00", ENROLLED, ("Owen", "Murphy"),
          [("Ivy", "Turner"), ("Max", "Bauer")], "2017-10-05T15:25:00Z"),
    _team("Data Team: Open Response", "Chenery Middle School",
          "Analyzing open-response items to plan reteaching in grade 8 math",
          LEARNING, "Fridays 7:30", TRAINED, ("Rachel", "Green"),
          [("Sean", "Kelly"), ("Tara", "Singh"), ("Victor", "Alvarez")], "2017-10-05T20:15:00Z"),
]

# Submissions a coordinator will find on the Problems tab.
MALFORMED = [
    # A member's email is mistyped and another member is outside the district: the team
    # stands, the problems are listed, and neither address is ever shared with.
    {**_team("Vocabulary Across Content Areas", "Belmont High School",
             "Tier 2 vocabulary instruction across content areas", PRACTICE, "Thursdays 2:30", ENROLLED,
             ("Paula", "Reyes"), [("Dan", "Moore")], "2017-10-03T09:00:00Z"),
     "members": f"{person('Dan', 'Moore')}\nKim Lam <kim.lam@@{DOMAIN}>\nJo Marsh <jo.marsh@gmail.example.com>"},
    # No members listed.
    {**_team("Digital Portfolios", "Wellington Elementary School", "Digital portfolios for student reflection",
             LEARNING, "Tuesdays 3:15", EXEMPT, ("Greg", "Holt"), [], "2017-10-04T17:30:00Z"), "members": ""},
    # A topic that looks like a spreadsheet formula stays text on the roster.
    _team("Math Fluency Data", "Butler Elementary School", '=IMPORTXML("http://example.org/x","//a")',
          LEARNING, "Mondays 3:00", TRAINED, ("Iris", "Wong"), [("Jack", "Ford"), ("Lena", "Vogel")],
          "2017-10-05T11:00:00Z"),
]

# Linda Park submits again with a changed team: the later submission replaces the first.
DUPLICATE = {**SUBMISSIONS[2], "members": "\n".join(person(*m) for m in [("Grace", "Hill"), ("Omar", "Haddad"),
                                                                          ("Beth", "Adams")]),
             "submitted": "2017-10-06T08:00:00Z"}

# Ethan Brooks edits his response to change the meeting time.
EDIT_OF = 5
EDITED = {**SUBMISSIONS[5], "meeting_time": "Tuesdays 3:15-4:15", "submitted": "2017-10-06T12:00:00Z"}

# In November: two teams have not turned in their SMART goal; three have put their signed
# charter in their team folder.
LATE_SMART_GOALS = ("Owen Murphy", "Iris Wong")
CHARTER_IN_FOLDER = ("Maria Santos", "Nora Quinn", "Hana Sato")
