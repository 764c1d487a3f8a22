"""Opaque page tokens for keyset pagination.

A token carries the sort key of the last row served and a fingerprint of the
filters, so a token reused with other filters is rejected instead of silently
returning the wrong page.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from services.common.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class PageRequest:
    size: int
    after: Any  # the sort key of the last row already served, or None for the first page


def _fingerprint(filters: Any) -> str:
    raw = json.dumps(filters, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def parse_page(page_size: int, page_token: str, filters: Any) -> PageRequest:
    """Validate page_size/page_token (INVALID_ARGUMENT naming the field)."""
    if page_size < 0:
        raise InvalidArgument.field("page_size", "must not be negative")
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if not page_token:
        return PageRequest(size=size, after=None)
    try:
        payload = json.loads(base64.urlsafe_b64decode(page_token.encode()))
        after, fingerprint = payload["a"], payload["f"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidArgument.field("page_token", "is not a token this service issued") from exc
    if fingerprint != _fingerprint(filters):
        raise InvalidArgument.field("page_token", "was issued for different filters")
    return PageRequest(size=size, after=after)


def next_page_token(last_key: Any, filters: Any) -> str:
    payload = json.dumps({"a": last_key, "f": _fingerprint(filters)}, default=str)
    return base64.urlsafe_b64encode(payload.encode()).decode()
