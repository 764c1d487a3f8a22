"""Protobuf ↔ domain mapping details of the appraisal API that a wrong enum read would break."""

from __future__ import annotations

from ccperf.appraisal.v1 import appraisal_pb2 as pb
from services.appraisal.domain.results import Grade
from services.appraisal.grpc_api import _read_grade
from services.common.errors import Violations


def test_grades_are_read_as_their_letters() -> None:
    v = Violations()
    assert [_read_grade(g, "grade", v) for g in (pb.GRADE_A, pb.GRADE_D, pb.GRADE_E)] == [
        Grade.A, Grade.D, Grade.E
    ]  # fmt: skip
    assert not v
    assert _read_grade(pb.GRADE_UNSPECIFIED, "moves[0].to_grade", v) is None
    assert _read_grade(42, "moves[1].to_grade", v) is None
    assert len(v._items) == 2
