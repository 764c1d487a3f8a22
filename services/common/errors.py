"""Domain errors, free of gRPC: the interceptor maps each class to one status code.

Raise these from domain and application code; anything else escaping a handler
is a bug and becomes INTERNAL with a generic message (the trace goes to the log).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error a caller can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldViolation:
    """One bad field: a path such as ``employees[3].org_unit_id`` and why it is bad."""

    field: str
    description: str


class InvalidArgument(DomainError):
    """The request is malformed; nothing was changed. Maps to INVALID_ARGUMENT."""

    def __init__(self, violations: Iterable[FieldViolation]) -> None:
        self.violations = tuple(violations)
        if not self.violations:
            raise ValueError("InvalidArgument needs at least one field violation")
        summary = "; ".join(f"{v.field}: {v.description}" for v in self.violations[:5])
        more = len(self.violations) - 5
        super().__init__(summary + (f" (and {more} more)" if more > 0 else ""))

    @classmethod
    def field(cls, field: str, description: str) -> InvalidArgument:
        return cls([FieldViolation(field, description)])


class NotFound(DomainError):
    """Maps to NOT_FOUND."""


class AlreadyExists(DomainError):
    """Maps to ALREADY_EXISTS."""


class FailedPrecondition(DomainError):
    """The system is not in a state that allows this, e.g. an illegal transition."""


class Conflict(DomainError):
    """A concurrent change won (stale version or etag); retry after re-reading. ABORTED."""


class PermissionDenied(DomainError):
    """The caller is known but may not do this. Maps to PERMISSION_DENIED."""


class Unauthenticated(DomainError):
    """No valid credentials. Maps to UNAUTHENTICATED."""


class Unavailable(DomainError):
    """A dependency (database, another service) is down; the call may be retried."""


class Violations:
    """Collects field violations so a request reports all its problems at once."""

    def __init__(self) -> None:
        self._items: list[FieldViolation] = []

    def add(self, field: str, description: str) -> None:
        self._items.append(FieldViolation(field, description))

    def extend(self, violations: Iterable[FieldViolation]) -> None:
        """Add violations found apart (another collector's, a domain error's)."""
        self._items.extend(violations)

    def __iter__(self) -> Iterator[FieldViolation]:
        return iter(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            raise InvalidArgument(self._items)
