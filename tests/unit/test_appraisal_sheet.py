"""The appraisal's plain records are copies of their tables' rows, built positionally."""

from __future__ import annotations

from dataclasses import fields

import pytest
from sqlalchemy import Table

from services.appraisal.sheet import APPRAISALS, ITEMS, RECORDS, SCORE_COLUMNS, STEP_COLUMNS


@pytest.mark.parametrize(
    ("record", "table"), RECORDS.items(), ids=lambda v: getattr(v, "__name__", "")
)
def test_a_record_has_its_tables_columns_in_order(record: type, table: Table) -> None:
    assert [f.name for f in fields(record)] == [c.key for c in table.columns]


def test_what_a_step_writes_back_are_columns() -> None:
    assert set(STEP_COLUMNS) <= set(APPRAISALS.columns.keys())
    assert set(SCORE_COLUMNS) <= set(ITEMS.columns.keys())
    assert not {c.name for c in APPRAISALS.primary_key} & set(STEP_COLUMNS)
    assert not {c.name for c in ITEMS.primary_key} & set(SCORE_COLUMNS)
