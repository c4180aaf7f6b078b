"""Document templates copied into unit folders and filled from the unit's answers (Docs v1).

Takes built clients, returns plain data, never imports `sync`: `model` says what a copy
is tagged with and reads copies back from a Drive listing; `fill` builds the one
`documents.batchUpdate` that fills a copy and carries it out exactly once.
"""
