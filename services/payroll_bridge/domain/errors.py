"""The one input error of the pay rules, mapped to INVALID_ARGUMENT with a field violation."""

from __future__ import annotations

from services.common.errors import FieldViolation, InvalidArgument

__all__ = ["PayInputError"]


class PayInputError(InvalidArgument, ValueError):
    """Bad input to a pay rule; `input_name` says which (e.g. ``coefficient``, ``rows[2].tier``)."""

    def __init__(self, input_name: str, description: str) -> None:
        super().__init__([FieldViolation(input_name, description)])
        self.input_name = input_name
