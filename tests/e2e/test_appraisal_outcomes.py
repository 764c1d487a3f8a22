"""Center certification over grpcurl (a third-party client) and its refusals."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal

from services.appraisal.domain.certification import CCCS_OP_2003
from services.common.auth import Role
from tests.e2e.test_servers import grpcurl

METHOD = "ccperf.appraisal.v1.AppraisalService"


def call(address: str, token: str, method: str, body: Mapping[str, object]) -> tuple[int, str, str]:
    result = grpcurl(
        "-plaintext", "-H", f"authorization: Bearer {token}", "-d", json.dumps(body),
        address, f"{METHOD}/{method}",
    )  # fmt: skip
    return result.returncode, result.stdout, result.stderr


def test_a_center_is_assessed_and_certified(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> None:
    admin = token_for("P1", Role.PERF_ADMIN)
    standard = json.loads(call(address("appraisal"), admin, "GetCertificationStandard", {})[1])
    maxima = [c["maximum"] for c in standard["categories"]]
    assert maxima == ["10", "10", "10", "15", "10", "15", "10", "20"]
    scores = {i.code: str(i.maximum * 3 / 4) for i in CCCS_OP_2003.sub_items}
    body = {
        "centerId": "CC",
        "assessedOn": {"year": 2026, "month": 11, "day": 20},
        "scores": scores,
    }
    code, out, err = call(address("appraisal"), admin, "AssessCenter", body)
    assert code == 0, err
    assessment = json.loads(out)["assessment"]
    assert Decimal(assessment["total"]) == Decimal(75)
    assert assessment["level"] == "CERTIFICATION_LEVEL_CERTIFIED"
    results = assessment["categories"][7]
    assert (results["code"], Decimal(results["subtotal"])) == ("operating_results", Decimal(15))

    scores["1.1"] = "99"
    code, _out, err = call(address("appraisal"), admin, "AssessCenter", body | {"scores": scores})
    assert code != 0 and "InvalidArgument" in err and "scores[1.1]" in err
    code, _out, err = call(
        address("appraisal"), token_for("E1", Role.EMPLOYEE), "AssessCenter", body
    )
    assert "PermissionDenied" in err
    listed = call(
        address("appraisal"), token_for("H1", Role.HR), "ListCenterAssessments", {"centerId": "CC"}
    )
    assert len(json.loads(listed[1])["assessments"]) == 1
