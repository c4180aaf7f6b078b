"""The requests of Forms `batchUpdate`: create, update, move and delete items, change the
form's info and settings. All of a batch applies or none of it (the handler runs in one
store transaction); errors name the request as Google does (`requests[2].createItem: ...`).

Items are normalised the way Google echoes them: ids assigned (8 hex digits), false
booleans left out (`"textQuestion": {}` for a short-answer question).
"""
from __future__ import annotations

import copy
import secrets

from .core import ApiError

_ITEM_KINDS = ("questionItem", "questionGroupItem", "pageBreakItem", "textItem", "imageItem", "videoItem")
_QUESTION_KINDS = ("textQuestion", "choiceQuestion", "dateQuestion", "timeQuestion", "scaleQuestion",
                   "ratingQuestion", "fileUploadQuestion", "rowQuestion")
_CHOICE_TYPES = ("RADIO", "CHECKBOX", "DROP_DOWN")
_EMAIL_COLLECTION = ("DO_NOT_COLLECT", "VERIFIED", "RESPONDER_INPUT")


class _Invalid(Exception):
    """A problem with one request; becomes a 400 naming the request."""


def apply_requests(form: dict, requests: list) -> list[dict]:
    """Apply every request to `form` in order; the replies, one per request."""
    replies = []
    for index, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1 or next(iter(request)) not in _HANDLERS:
            raise ApiError(400, f"requests[{index}]: exactly one of {', '.join(_HANDLERS)} is required.")
        (kind, body), = request.items()
        try:
            replies.append(_HANDLERS[kind](form, body or {}))
        except _Invalid as problem:
            raise ApiError(400, f"Invalid requests[{index}].{kind}: {problem}") from None
    return replies


def _create_item(form: dict, body: dict) -> dict:
    items = form.setdefault("items", [])
    index = _index(body.get("location"), len(items) + 1, "location")
    item = _normalised(copy.deepcopy(body.get("item") or {}), _ids_in(form))
    items.insert(index, item)
    reply = {"itemId": item["itemId"]}
    question = item.get("questionItem", {}).get("question")
    if question:
        reply["questionId"] = [question["questionId"]]
    return {"createItem": reply}


def _update_item(form: dict, body: dict) -> dict:
    items = form.get("items", [])
    index = _index(body.get("location"), len(items), "location")
    current = items[index]
    candidate = copy.deepcopy(current)
    for path in _mask(body):
        if path == "*":
            candidate = copy.deepcopy(body.get("item") or {})
        else:
            _copy_path(body.get("item") or {}, candidate, path.split("."))
    candidate["itemId"] = current["itemId"]
    old_question = current.get("questionItem", {}).get("question")
    new_question = candidate.get("questionItem", {}).get("question")
    if old_question and new_question:
        new_question["questionId"] = old_question["questionId"]
    items[index] = _normalised(candidate, _ids_in(form) - _ids_of(current))
    return {}


def _delete_item(form: dict, body: dict) -> dict:
    items = form.get("items", [])
    del items[_index(body.get("location"), len(items), "location")]
    if not items:
        form.pop("items", None)
    return {}


def _move_item(form: dict, body: dict) -> dict:
    items = form.get("items", [])
    item = items.pop(_index(body.get("originalLocation"), len(items), "originalLocation"))
    items.insert(_index(body.get("newLocation"), len(items) + 1, "newLocation"), item)
    return {}


def _update_form_info(form: dict, body: dict) -> dict:
    for path in _mask(body):
        if path not in ("*", "title", "description"):
            raise _Invalid(f"updateMask may name title and description, not {path}.")
        for name in ("title", "description") if path == "*" else (path,):
            _copy_path(body.get("info") or {}, form["info"], [name])
    return {}


def _update_settings(form: dict, body: dict) -> dict:
    settings = copy.deepcopy(form.get("settings", {}))
    for path in _mask(body):
        if path == "*":
            settings = copy.deepcopy(body.get("settings") or {})
        else:
            _copy_path(body.get("settings") or {}, settings, path.split("."))
    collection = settings.get("emailCollectionType", "DO_NOT_COLLECT")
    if collection not in _EMAIL_COLLECTION:
        raise _Invalid(f"emailCollectionType must be one of {', '.join(_EMAIL_COLLECTION)}; got {collection}.")
    settings["emailCollectionType"] = collection
    form["settings"] = settings
    return {}


_HANDLERS = {"createItem": _create_item, "updateItem": _update_item, "deleteItem": _delete_item,
             "moveItem": _move_item, "updateFormInfo": _update_form_info, "updateSettings": _update_settings}


# Helpers.
def _index(location, size: int, name: str) -> int:
    index = (location or {}).get("index")
    if not isinstance(index, int) or not 0 <= index < size:
        raise _Invalid(f"{name}.index is required and must be between 0 and {size - 1}; got {index!r}.")
    return index


def _mask(body: dict) -> list[str]:
    text = body.get("updateMask")
    if not text:
        raise _Invalid("updateMask is required.")
    return [path.strip() for path in text.split(",") if path.strip()]


def _copy_path(source: dict, target: dict, path: list[str]) -> None:
    """Set `target` at `path` to `source`'s value there, or remove it when `source` has none."""
    for name in path[:-1]:
        source = source.get(name) or {}
        target = target.setdefault(name, {})
    if path[-1] in source:
        target[path[-1]] = copy.deepcopy(source[path[-1]])
    else:
        target.pop(path[-1], None)


def _ids_of(item: dict) -> set[str]:
    ids = {item.get("itemId")}
    ids.add(item.get("questionItem", {}).get("question", {}).get("questionId"))
    return ids - {None}


def _ids_in(form: dict) -> set[str]:
    return set().union(*(_ids_of(item) for item in form.get("items", [])))


def _new_id(taken: set[str]) -> str:
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _normalised(item: dict, taken: set[str]) -> dict:
    """The item as Google stores it; `taken` holds the ids already used in the form."""
    kind = _one_kind(item, _ITEM_KINDS, "an item")
    item = _with_id(item, "itemId", taken)
    if kind == "questionItem":
        question = item["questionItem"].get("question")
        if not question:
            raise _Invalid("questionItem.question is required.")
        item["questionItem"]["question"] = _normalised_question(question, taken)
    return item


def _one_kind(obj: dict, kinds: tuple[str, ...], what: str) -> str:
    """The one kind field `obj` carries (Google's union fields allow exactly one)."""
    present = [kind for kind in kinds if kind in obj]
    if len(present) != 1:
        raise _Invalid(f"{what} needs exactly one of {', '.join(kinds)}.")
    return present[0]


def _with_id(obj: dict, key: str, taken: set[str]) -> dict:
    """`obj` with its id under `key` first: the one asked for if free, else a new one."""
    return {key: _claim(obj.get(key), taken), **{k: v for k, v in obj.items() if k != key}}


def _claim(wanted: str | None, taken: set[str]) -> str:
    if wanted is None:
        return _new_id(taken)
    if wanted in taken:
        raise _Invalid(f"the ID {wanted} is already used in this form.")
    taken.add(wanted)
    return wanted


def _normalised_question(question: dict, taken: set[str]) -> dict:
    _one_kind(question, _QUESTION_KINDS, "a question")
    question = _with_id(question, "questionId", taken)
    if not question.get("required"):
        question.pop("required", None)
    if "textQuestion" in question and not question["textQuestion"].get("paragraph"):
        question["textQuestion"].pop("paragraph", None)
    if "choiceQuestion" in question:
        _check_choices(question["choiceQuestion"])
    return question


def _check_choices(choice: dict) -> None:
    if choice.get("type") not in _CHOICE_TYPES:
        raise _Invalid(f"choiceQuestion.type must be one of {', '.join(_CHOICE_TYPES)}.")
    values = [option.get("value", "") for option in choice.get("options") or [] if not option.get("isOther")]
    if not values or any(not value for value in values):
        raise _Invalid("choiceQuestion.options need at least one option, each with a non-empty value.")
    if len(set(values)) != len(values):
        raise _Invalid("choiceQuestion.options must have distinct values.")
