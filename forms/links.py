"""Pre-filled form links: the address a respondent opens with some answers already given.

Google pre-fills a question from the link's query: `entry.<question id as a decimal
number>=<value>` after `usp=pp_url`. The question id the Forms API gives is hexadecimal.
"""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlencode


def prefill_link(responder_uri: str, answers: Mapping[str, str]) -> str:
    """`responder_uri` with each question (by its API question id) pre-filled."""
    if not responder_uri:
        return ""
    query = [("usp", "pp_url"), *((f"entry.{int(qid, 16)}", value) for qid, value in answers.items() if qid)]
    separator = "&" if "?" in responder_uri else "?"
    return responder_uri + separator + urlencode(query)
