"""Filling a template copy with its unit's values: ONE `documents.batchUpdate` of
`replaceAllText` requests per document, made exactly once.

Google carries out a batch's requests in order, each over the text the one before left.
Replacing `{{team_name}}` with a facilitator's "{{cycle}}" and then `{{cycle}}` with "2"
would expand the typed text. So the batch works in two passes: first every placeholder
becomes a token (`⸨cycle⸩`) between two delimiters that no value of this fill holds, then
every token becomes its value. As no value holds a delimiter, no value can hold a token or
complete one with the text around it: what a person typed is inserted as it is and never
read as a placeholder. The delimiters are not private-use characters, which Google strips
from inserted text (https://developers.google.com/docs/api/concepts/rules-behavior).

A batchUpdate is all or nothing, but its answer can be lost after Google made it (a 5xx
or a dropped connection: "commit, then fail"). Trying again would fill the filled copy: a
placeholder typed into an answer would then be expanded after all. So before a retry, and
for a copy an earlier run left pending, the copy is read: while its text is still the
template's it is filled (with `requiredRevisionId`, so an edit in between refuses the
fill instead of mixing with it); otherwise it was filled already and nothing is written.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from drive.batch import backoff_delay

from .model import Fill, FillResult

# Delimiter pairs Google keeps in inserted text; the first that no value holds is used.
DELIMITERS = (("\u2e28", "\u2e29"), ("\u27e6", "\u27e7"), ("\u2983", "\u2984"), ("\u3016", "\u3017"))


def placeholder(key: str) -> str:
    return "{{" + key + "}}"


def fill_requests(values: Sequence[tuple[str, str]]) -> list[dict]:
    """The requests of one fill: placeholders to tokens, then tokens to values."""
    opening, closing = _delimiters([value for _key, value in values])
    cleared = re.compile(f"[{opening}{closing}]")
    tokens = [(key, opening + key + closing, cleared.sub("", value)) for key, value in values]
    first = [_replace(placeholder(key), token) for key, token, _value in tokens]
    return first + [_replace(token, value) for _key, token, value in tokens]


def _delimiters(values: Sequence[str]) -> tuple[str, str]:
    """The first delimiter pair no value holds (values holding every pair lose the first's
    characters, the one case where typed text is changed)."""
    for opening, closing in DELIMITERS:
        if not any(opening in value or closing in value for value in values):
            return opening, closing
    return DELIMITERS[0]


def _replace(text: str, by: str) -> dict:
    return {"replaceAllText": {"containsText": {"text": text, "matchCase": True}, "replaceText": by}}


def document_text(document: dict) -> str:
    """The text of a Document resource's body (or its first tab's)."""
    body = document.get("body") or (document.get("tabs") or [{}])[0].get("documentTab", {}).get("body", {})
    return "".join(run.get("textRun", {}).get("content", "")
                   for element in body.get("content", []) for run in element.get("paragraph", {}).get("elements", []))


def fill_documents(docs, fills: Sequence[Fill], *, classify, retries: int = 4,
                   sleep: Callable[[float], None] = time.sleep) -> tuple[list[FillResult], int]:
    """Fill each copy (its `document_id` known); one result per fill, in order, and the
    calls made. Never raises for a failed fill: it comes back `ok=False` with the reason."""
    filler = _Filler(docs.documents(), classify, max(0, retries), sleep)
    return [filler.fill(fill) for fill in fills], filler.calls


class _Filler:
    def __init__(self, documents, classify, retries: int, sleep):
        self.documents = documents
        self.classify = classify
        self.retries = retries
        self.sleep = sleep
        self.calls = 0
        self.template_texts: dict[str, str] = {}

    def fill(self, fill: Fill) -> FillResult:
        check, failure = fill.check_first, None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(backoff_delay(attempt, failure.retry_after))
            try:
                revision = self._unfilled_revision(fill) if check else ""
                if revision is None:
                    return FillResult(fill, True, already=True)
                self._write(fill, revision)
                return FillResult(fill, True)
            except Exception as error:
                failure = self.classify(error)
                if failure is None:
                    raise
                if not failure.transient:
                    return FillResult(fill, False, str(failure), False)
                check = check or failure.uncertain
        return FillResult(fill, False, f"{failure} (gave up after {self.retries + 1} tries)", True)

    def _write(self, fill: Fill, revision: str) -> None:
        body: dict = {"requests": fill_requests(fill.values)}
        if revision:
            body["writeControl"] = {"requiredRevisionId": revision}
        self.calls += 1
        self.documents.batchUpdate(documentId=fill.document_id, body=body).execute()

    def _unfilled_revision(self, fill: Fill) -> str | None:
        """The copy's revision while its text is still the template's; None once filled."""
        if fill.template_id not in self.template_texts:
            self.calls += 1
            template = self.documents.get(documentId=fill.template_id).execute()
            self.template_texts[fill.template_id] = document_text(template)
        self.calls += 1
        copy = self.documents.get(documentId=fill.document_id).execute()
        return copy["revisionId"] if document_text(copy) == self.template_texts[fill.template_id] else None
