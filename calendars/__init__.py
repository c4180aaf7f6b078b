"""Google Calendar v3: the programme calendar and its events (training sessions, meetings).

Named `calendars`, not `calendar`: a top-level package called `calendar` would shadow the
standard library's `calendar` module, which pandas, dateutil and http.cookiejar import.
Like every adapter it takes a built client, returns plain data and never imports `sync`.
"""
