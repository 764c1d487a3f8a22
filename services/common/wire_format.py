"""Reading a request the protobuf runtime refused, to name the field that broke it.

protobuf refuses a whole message when one string field holds invalid UTF-8, and says
only "Error parsing message". The caller deserves the field's path (``employees[3].name``)
the way every other bad value is reported, so this walks the wire format beside the
message's descriptor and finds the first string that does not decode. It reads tags,
lengths and bytes only: no value is copied into the answer or the log.
"""

from __future__ import annotations

from collections import Counter

from google.protobuf.descriptor import Descriptor, FieldDescriptor

_VARINT, _FIXED64, _LENGTH_DELIMITED, _FIXED32 = 0, 1, 2, 5


class _Truncated(Exception):
    """The bytes end inside a field: not a message at all."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise _Truncated
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _walk(descriptor: Descriptor, data: bytes, prefix: str) -> str | None:
    seen: Counter[int] = Counter()
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == _VARINT:
            _, pos = _varint(data, pos)
            continue
        if wire_type in (_FIXED64, _FIXED32):
            pos += 8 if wire_type == _FIXED64 else 4
            continue
        if wire_type != _LENGTH_DELIMITED:
            raise _Truncated  # groups are not used by any ccperf message
        length, pos = _varint(data, pos)
        chunk, pos = data[pos : pos + length], pos + length
        if pos > len(data):
            raise _Truncated
        field = descriptor.fields_by_number.get(number)
        if field is None:
            continue  # unknown fields are kept as bytes, never decoded
        path = prefix + field.name
        if field.is_repeated:
            path += f"[{seen[number]}]"
            seen[number] += 1
        if field.type == FieldDescriptor.TYPE_STRING:
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                return path
        elif field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type is not None:
            found = _walk(field.message_type, chunk, path + ".")
            if found is not None:
                return found
    return None


def invalid_utf8_field(descriptor: Descriptor | None, data: bytes) -> str | None:
    """The path of the first string field in ``data`` that is not UTF-8, if any."""
    if descriptor is None:
        return None
    try:
        return _walk(descriptor, data, "")
    except _Truncated:
        return None
