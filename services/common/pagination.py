"""Opaque page tokens for keyset pagination.

A token carries the sort key of the last row served and a fingerprint of the
filters, so a token reused with other filters is rejected instead of silently
returning the wrong page.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.common.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_TEXT_KEY = 200
MAX_INT_KEY = 2**31 - 1


@dataclass(frozen=True)
class PageRequest:
    size: int
    after: Any  # the sort key of the last row already served, or None for the first page


def _fingerprint(filters: Any) -> str:
    raw = json.dumps(filters, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


# Tokens are bound to their filters but not signed: a client can mint one with any JSON
# as the key. Each list names the kind of key it issues, and a key of another type or
# form is refused here instead of failing in a comparison or the database.


def text_key(value: Any) -> str:
    """An id, the key most lists page by (the default)."""
    if not isinstance(value, str) or len(value) > MAX_TEXT_KEY or "\x00" in value:
        raise ValueError("not an id")
    return value


def int_key(value: Any) -> int:
    """A non-negative row number (an integer column)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT_KEY:
        raise ValueError("not a row number")
    return value


def date_key(value: Any) -> str:
    """A date, issued as its ISO text (kept as text: the list reads it)."""
    if not isinstance(value, str):
        raise ValueError("not a date")
    dt.date.fromisoformat(value)
    return value


def parse_page(
    page_size: int, page_token: str, filters: Any, key: Callable[[Any], Any] = text_key
) -> PageRequest:
    """Validate page_size/page_token (INVALID_ARGUMENT naming the field).

    ``key`` converts the token's key to what the list compares (an id by default); a
    token whose key it refuses is not one this service issued.
    """
    if page_size < 0:
        raise InvalidArgument.field("page_size", "must not be negative")
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if not page_token:
        return PageRequest(size=size, after=None)
    try:
        payload = json.loads(base64.urlsafe_b64decode(page_token.encode()))
        after, fingerprint = payload["a"], payload["f"]
    except (ValueError, KeyError, TypeError, RecursionError) as exc:  # deep nesting: recursion
        raise _not_issued() from exc
    if fingerprint != _fingerprint(filters):
        raise InvalidArgument.field("page_token", "was issued for different filters")
    try:
        return PageRequest(size=size, after=key(after))
    except (ValueError, TypeError) as exc:
        raise _not_issued() from exc


def _not_issued() -> InvalidArgument:
    return InvalidArgument.field("page_token", "is not a token this service issued")


def next_page_token(last_key: Any, filters: Any) -> str:
    payload = json.dumps({"a": last_key, "f": _fingerprint(filters)}, default=str)
    return base64.urlsafe_b64encode(payload.encode()).decode()
